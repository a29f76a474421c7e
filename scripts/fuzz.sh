#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, `fuzz` preset), runs each for a fixed time from its seed
# corpus, then replays every saved regression input. A crash fails the run and leaves the input
# in build-fuzz/findings/; copy it to tests/fuzz/regressions/TARGET/ with the fix.
# Usage: scripts/fuzz.sh [seconds per target]   (default: $VIGIL_FUZZ_SECONDS or 30)
set -euo pipefail
VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=packages.sh
source "$VIGIL_ROOT/scripts/packages.sh"
cd "$VIGIL_ROOT"

seconds=${1:-${VIGIL_FUZZ_SECONDS:-30}}
vigil_build fuzz build-fuzz || { echo "fuzz: 0 passed, 1 failed"; exit 1; }

targets=$(find build-fuzz/tests/fuzz -maxdepth 1 -type f -executable -name 'fuzz_*' -printf '%f\n' | sed 's/^fuzz_//' | sort)
findings=build-fuzz/findings
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$findings"

run_one() {
    local target=$1 seconds=$2 root=$3 work=$4 findings=$5
    local corpus="$work/$target"
    # The fuzzer adds what it finds to its first corpus folder: a copy, so the repo stays clean.
    mkdir -p "$corpus"
    cp -r "$root/tests/fuzz/corpus/$target/." "$corpus/" 2>/dev/null || true
    if "$root/build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -artifact_prefix="$findings/$target-" -print_final_stats=0 "$corpus" >"$work/$target.log" 2>&1; then
        echo "fuzz $target: ok ($(grep -o 'Done [0-9]* runs' "$work/$target.log" | tail -n1))"
    else
        echo "fuzz $target: FINDING, see $findings/"
        tail -n 30 "$work/$target.log"
        return 1
    fi
}
export -f run_one

# Two at a time on a two-core machine.
set +e
printf '%s\n' $targets | xargs -P "$(nproc)" -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$VIGIL_ROOT" "$work" "$findings"
status=$?
set -e

# Every input that once crashed a target is replayed on every run.
regressions=0
for dir in tests/fuzz/regressions/*/; do
    [ -d "$dir" ] || continue
    target=$(basename "$dir")
    for input in "$dir"*; do
        [ -f "$input" ] || continue
        regressions=$((regressions + 1))
        "build-fuzz/tests/fuzz/fuzz_$target" "$input" >/dev/null 2>&1 || { echo "regression $input fails again"; status=1; }
    done
done
count=$(printf '%s\n' $targets | wc -l)
if [ "$status" -eq 0 ]; then
    echo "fuzz: $count targets for ${seconds} s each, $regressions regression inputs replayed"
    echo "fuzz: $count passed, 0 failed"
else
    echo "fuzz: 0 passed, $count failed"
fi
exit "$status"
