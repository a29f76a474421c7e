#!/usr/bin/env bash
# Set up, build and run the whole suite twice (the normal build, then ASan + UBSan), then the
# fuzzers for a fixed time each.
set -euo pipefail
VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/packages.sh
source "$VIGIL_ROOT/scripts/packages.sh"
cd "$VIGIL_ROOT"

vigil_install_packages

export QT_QPA_PLATFORM=offscreen
jobs=$(nproc)
passed=0
failed=0

run_suite() {
    local preset=$1 dir=$2 log
    echo "== $preset: build" >&2
    if ! vigil_build "$preset" "$dir"; then
        echo "== $preset: BUILD FAILED" >&2
        failed=$((failed + 1))
        return 1
    fi
    echo "== $preset: test" >&2
    log=$(mktemp)
    set +e
    ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    set -e
    local line
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
    rm -f "$log"
    if [ -n "$line" ]; then
        local total fails
        fails=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
        passed=$((passed + total - fails))
        failed=$((failed + fails))
    fi
    # ctest that died before its summary still counts as a failure
    if [ -z "$line" ] && [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
    fi
    return "$rc"
}

status=0

# Formatting is part of the build: an unformatted file fails the run, naming the file.
echo "== format" >&2
unformatted=$(git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run 2>&1 \
    | sed -n 's/^\([^:]*\.\(cpp\|h\)\):[0-9]*:[0-9]*: warning.*/\1/p' | sort -u || true)
if [ -n "$unformatted" ]; then
    echo "== format: these files are not clang-formatted (run clang-format -i on them):" >&2
    echo "$unformatted" >&2
    failed=$((failed + 1))
    status=1
else
    passed=$((passed + 1))
fi
# Every C++ file states its licence (Apache-2.0) on its first line.
echo "== spdx" >&2
if bash packaging/spdx-headers.sh --check; then
    passed=$((passed + 1))
else
    echo "== spdx: run packaging/spdx-headers.sh to add the line" >&2
    failed=$((failed + 1))
    status=1
fi

run_suite release build || status=1

# halt_on_error: the first finding fails the test; leaks count as findings.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_suite asan build-asan || status=1

# Each fuzz target runs for a fixed time (VIGIL_FUZZ_SECONDS, 30 by default), then the saved
# regression inputs are replayed.
echo "== fuzz" >&2
set +e
fuzz_log=$(mktemp)
"$VIGIL_ROOT/scripts/fuzz.sh" 2>&1 | tee "$fuzz_log"
fuzz_rc=${PIPESTATUS[0]}
set -e
fuzz_line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$fuzz_log" | tail -n1)
rm -f "$fuzz_log"
if [ -n "$fuzz_line" ]; then
    passed=$((passed + $(sed -E 's/fuzz: ([0-9]+) passed.*/\1/' <<<"$fuzz_line")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$fuzz_line")))
else
    failed=$((failed + 1))
fi
[ "$fuzz_rc" -eq 0 ] || status=1

echo "test.sh: $passed passed, $failed failed"
exit "$status"
