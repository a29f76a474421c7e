#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs this folder's sharded batch on one machine, as the README's "Beyond one machine" shows it:
# the demo API stands in for the real one and four local processes for the pods (k8s: the
# Indexed Job's own command, with JOB_COMPLETION_INDEX) or the array tasks (slurm: the sbatch
# script itself, with Slurm's variables). A private Prometheus (when installed) scrapes them as
# prometheus-shards.yml says, and shards-dashboard.json, run by `vigil record`, reads the batch's
# total back from it. The shards' journals are then merged: every item once.
#
# Usage: run-local.sh [k8s|slurm]   (VIGIL=/path/to/vigil, default: vigil on PATH; COUNT=items)
set -euo pipefail
mode="${1:-k8s}"
here="$(cd "$(dirname "$0")" && pwd)"
VIGIL="${VIGIL:-$(command -v vigil || true)}"
[ -x "$VIGIL" ] || { echo "run-local.sh: set VIGIL to the vigil binary" >&2; exit 2; }
COUNT="${COUNT:-400}"
SHARDS=4 # what the manifest (--shards 4) and the array (--array=0-3) say
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "run-local.sh: $*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The status line of GET $2 on 127.0.0.1:$1, in plain bash.
http_status() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\n\r\n' "$2" >&3 && head -1 <&3) \
        2>/dev/null || true
}
# A free port, or with $1 = n the first of n free ports in a row (never 9090 or 9464.. here),
# outside the range from $2 to $3 (ports already handed out). Below the kernel's ephemeral range:
# a port in it that is free now can become the local end of any outgoing connection (the first
# shard's own, to the demo API) before the shard meant to listen on it starts.
free_port() {
    local n="${1:-1}" from="${2:-0}" to="${3:-0}" p i low=32768
    read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || true
    ((low > 12000)) || fail "the ephemeral port range starts at $low: no room below it"
    for p in $(shuf -i "10000-$((low - 1 - n))" -n 200); do
        ((p + n > from && p <= to)) && continue
        for ((i = 0; i < n; i++)); do listening $((p + i)) && continue 2; done
        echo "$p"
        return
    done
    fail "no free port"
}

mkdir -p "$work/bin"
ln -s "$VIGIL" "$work/bin/vigil"
export PATH="$work/bin:$PATH"

vigil serve-demo > "$work/demo.out" 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$work/demo.out" ] && break; sleep 0.1; done
api="$(head -1 "$work/demo.out")"
[[ "$api" == http://127.0.0.1:* ]] || fail "the demo API did not start: $(cat "$work/demo.out")"
seq 0 $((COUNT - 1)) > "$work/items.txt"

base="$(free_port $SHARDS)"
prom=""
if command -v prometheus > /dev/null; then
    promtool check config "$here/prometheus-shards.yml" > /dev/null
    prom_port="$(free_port 1 "$base" $((base + SHARDS - 1)))"
    # The example's config with this run's ports, scraping every second.
    sed -e "s/scrape_interval: 5s/scrape_interval: 1s/" \
        -e "s/127.0.0.1:9464/127.0.0.1:$base/" -e "s/127.0.0.1:9465/127.0.0.1:$((base + 1))/" \
        -e "s/127.0.0.1:9466/127.0.0.1:$((base + 2))/" -e "s/127.0.0.1:9467/127.0.0.1:$((base + 3))/" \
        "$here/prometheus-shards.yml" > "$work/prometheus.yml"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
        --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$work/prometheus.log" 2>&1 &
    pids+=($!)
    prom="http://127.0.0.1:$prom_port"
    for _ in $(seq 300); do [[ "$(http_status "$prom_port" /-/ready)" == *" 200 "* ]] && break; sleep 0.1; done
    [[ "$(http_status "$prom_port" /-/ready)" == *" 200 "* ]] || fail "Prometheus is not ready"
fi

export VIGIL_TEMPLATE="$api/item/{item}?ms=20" ITEMS="$work/items.txt" OUT_DIR="$work"
export METRICS_ADDRESS=127.0.0.1 METRICS_LINGER=10
shard_pids=()
case "$mode" in
k8s)
    # The Job's command, as its args block folds it into one line.
    cmd="$(awk '/^ *- >-$/ {f = 1; next} f && /volumeMounts:/ {exit} f {sub(/^ +/, ""); printf "%s ", $0}' \
        "$here/fetch-indexed-job.yaml")"
    for ((k = 0; k < SHARDS; k++)); do
        JOB_COMPLETION_INDEX=$k METRICS_PORT=$((base + k)) sh -c "$cmd" > "$work/out-$k" 2>&1 &
        shard_pids+=($!)
    done
    ;;
slurm)
    for ((k = 0; k < SHARDS; k++)); do
        SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=$SHARDS \
            METRICS_BASE_PORT=$base bash "$here/fetch-array.sbatch" > "$work/out-$k" 2>&1 &
        shard_pids+=($!)
    done
    ;;
*) fail "mode is k8s or slurm, not $mode" ;;
esac
pids+=("${shard_pids[@]}")

# Every item fetched (the shards then keep /metrics up for METRICS_LINGER seconds); a shard
# that ended early (a port another process took) fails the run at once, with what it said.
journaled() { cat "$work"/shard-*.jsonl 2> /dev/null | grep -c '"status":"ok"' || true; }
declare -A ended=()
for _ in $(seq 900); do
    [ "$(journaled)" -ge "$COUNT" ] && break
    for p in "${shard_pids[@]}"; do
        [ -n "${ended[$p]:-}" ] && continue
        kill -0 "$p" 2> /dev/null && continue
        ended[$p]=1
        wait "$p" || fail "a shard failed: $(cat "$work"/out-*)"
    done
    sleep 0.1
done
[ "$(journaled)" -eq "$COUNT" ] || fail "$(journaled) of $COUNT items journaled"

if [ -n "$prom" ]; then
    # The dashboard, pointed at this Prometheus, watches the batch until a scrape of the final
    # counts is in (while the shards linger).
    sed "s#http://127.0.0.1:9090#$prom#" "$here/shards-dashboard.json" > "$work/dashboard.json"
    total=""
    for _ in $(seq 8); do
        vigil record --dashboard "$work/dashboard.json" --out "$work/watch.csv" --duration 1 --quiet \
            > /dev/null
        total="$( (grep ',items ok (all shards),' "$work/watch.csv" || true) | tail -1 | cut -d, -f5)"
        [ "$total" = "$COUNT" ] && break
    done
    [ "$total" = "$COUNT" ] || fail "Prometheus says '$total' items ok, not $COUNT: $(cat "$work/watch.csv")"
    echo "prometheus: sum(vigil_batch_items_total{status=\"ok\"}) = $total"
fi

for p in "${shard_pids[@]}"; do
    [ -n "${ended[$p]:-}" ] || wait "$p" || fail "a shard failed: $(cat "$work"/out-*)"
done
vigil journal merge "$work"/shard-*.jsonl --out "$work/all.jsonl" | tee "$work/merge.out"
grep -q "^merged journals=$SHARDS items=$COUNT ok=$COUNT not_ok=0 duplicates=0 conflicts=0$" \
    "$work/merge.out" || fail "the merge is not every item once"
echo "run-local.sh $mode: ok"
