#!/usr/bin/env bash
# Measures self-healing on a five-node RS(3,2) dev cluster on this machine (see docs/healing.md):
#
#  1. rebuild: LOAD of 4 MiB objects are written (about a third of their bytes lands on each node as shards), then
#     node 2 is killed, its shards and metadata replica are deleted (a replaced disk) and it is started again. The
#     time from its start until `cluster health` reports every object at full protection gives the rebuild speed in
#     MiB/s of object data re-protected, with the CPU all node processes used meanwhile;
#  2. foreground cost: 1 MiB GET and PUT at concurrency 4 with `predastore-node bench`, once on the healthy cluster
#     and once while the rebuild runs, p50/p99 side by side;
#  3. scrub: all nodes restarted with the scrubber off, then with it unlimited; CPU per MiB verified from the
#     difference, and the share of a core the default pace (scrub_bytes_per_second, 4 MiB/s per node) costs.
#
# Usage: scripts/bench-heal.sh [work-dir]     (needs node-runtime/target/predastore-node.jar)
# Environment: LOAD (60s of 4 MiB PUTs at concurrency 8), FG (15s per foreground row), JAR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC_JAR=${JAR:-$ROOT/node-runtime/target/predastore-node.jar}
WORK=${1:-/tmp/predastore-heal-bench}
LOAD=${LOAD:-60s}
FG=${FG:-15s}
TICKS=$(getconf CLK_TCK)
DIR="$WORK/cluster"

rm -rf "$WORK" && mkdir -p "$WORK"
JAR="$WORK/predastore-node.jar"
cp "$SRC_JAR" "$JAR"

node() { java -Xmx256m -jar "$JAR" "$@"; }
cleanup() {
    node cluster down --dir "$DIR" >/dev/null 2>&1 || true
    # The objects take gigabytes; keep the results and the node logs only.
    rm -rf "$DIR"/node-* "$JAR"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$WORK/results.txt"; }
pids() { for f in "$DIR"/run/node-*.pid; do head -1 "$f"; done; }
cpu_ticks() {  # total utime+stime of the given pids, in clock ticks
    local total=0
    for pid in "$@"; do
        if [ -r "/proc/$pid/stat" ]; then
            read -r -a f < <(sed 's/^.*) //' "/proc/$pid/stat")
            total=$((total + f[11] + f[12]))
        fi
    done
    echo "$total"
}
ms_of_ticks() { awk -v t="$1" -v hz="$TICKS" 'BEGIN { printf "%.0f", t * 1000 / hz }'; }
now_ms() { date +%s%3N; }
health() { node cluster health --dir "$DIR" "$@"; }
set_tuning() {  # set_tuning KEY VALUE: in the cluster file's [tuning] table
    local file="$DIR/cluster.toml"
    grep -q '^\[tuning\]' "$file" || printf '\n[tuning]\n' >> "$file"
    sed -i "/^$1 *=/d" "$file"
    sed -i "/^\[tuning\]/a $1 = $2" "$file"
}
bench() {  # bench LABEL OP SIZE CONC OBJECTS DURATION BUCKET [extra bench options]
    AWS_ACCESS_KEY_ID="$AK" AWS_SECRET_ACCESS_KEY="$SK" java -Xmx512m -jar "$JAR" bench --endpoint "$EP" \
        --bucket "$7" --op "$2" --size "$3" --concurrency "$4" --objects "$5" --duration "$6" --warmup 2s "${@:8}" \
        | grep '^RESULT' | sed "s/^/$1 /" | tee -a "$WORK/results.txt"
}
await_full() {  # waits until cluster health exits 0 (every object full); prints the time it took in ms
    local start
    start=$(now_ms)
    until health > "$WORK/health.txt" 2>&1; do sleep 1; done
    echo $(($(now_ms) - start))
}

say "# $(date -u +%FT%TZ) $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), flags:" \
    "$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx2|avx512f|sha_ni|pclmulqdq)$' | xargs)"
node cluster init --dir "$DIR" --nodes 5 --data 3 --parity 2 --base-port 0 > /dev/null
# A pass every 5 s instead of every minute, so that the time to notice the wipe does not dominate the figure;
# repair pace and concurrency stay at their defaults.
set_tuning protection_check_interval_ms 5000
node cluster up --dir "$DIR" --wait 180s --heap 384m > "$WORK/cluster-up.txt"
EP=$(sed -n 's/^  node 1 *\(http[^ ]*\).*/\1/p' "$WORK/cluster-up.txt")
eval "$(node cluster credentials --dir "$DIR")"
AK=$AWS_ACCESS_KEY_ID
SK=$AWS_SECRET_ACCESS_KEY

# 1. Load, then the healthy foreground rows (also the warm-up of every node).
bench load put 4MiB 8 0 "$LOAD" data --keep-objects > /dev/null
await_full > /dev/null
say "# loaded: $(head -2 "$WORK/health.txt" | tail -1)"
bench healthy-get get 1MiB 4 100 "$FG" foreground
bench healthy-put put 1MiB 4 0 "$FG" foreground

# 2. Wipe node 2 and measure the rebuild, with the foreground rows running during it.
shards_before=$(du -sb "$DIR/node-2/shards" | cut -f1)
kill -9 "$(head -1 "$DIR/run/node-2.pid")"
sleep 1
rm -rf "$DIR/node-2/shards" "$DIR/node-2/meta"
node cluster up --dir "$DIR" --wait 180s --heap 384m > /dev/null
start=$(now_ms)
# shellcheck disable=SC2046
cpu0=$(cpu_ticks $(pids))
# The first report after the restart that sees the wipe: how much object data lost a shard.
while true; do
    health --json > "$WORK/degraded.json" 2>/dev/null || true
    python3 - "$WORK/degraded.json" "$start" <<'PY' && break
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
sys.exit(0 if r["computedAtMillis"] >= int(sys.argv[2]) and sum(r["cluster"]["objectsByMissing"][1:]) > 0 else 1)
PY
    [ $(($(now_ms) - start)) -gt 120000 ] && { say "# the wipe was not noticed within 120 s"; exit 1; }
    sleep 1
done
noticed=$(($(now_ms) - start))
degraded_bytes=$(python3 -c "import json,sys; r=json.load(open('$WORK/degraded.json')); b=r['cluster']['bytesByMissing']; print(sum(b[1:]))")
( bench rebuilding-get get 1MiB 4 100 "$FG" foreground; bench rebuilding-put put 1MiB 4 0 "$FG" foreground ) &
FGPID=$!
took=$(await_full)
total=$((noticed + took))
# shellcheck disable=SC2046
cpu1=$(cpu_ticks $(pids))
wait "$FGPID" || true
say "# node 2 held $((shards_before >> 20)) MiB of shard records; wipe noticed after ${noticed} ms"
say "rebuild degraded_mib=$((degraded_bytes >> 20)) seconds_to_full=$(awk -v t="$total" 'BEGIN{printf "%.1f", t/1000}')" \
    "mib_per_s=$(awk -v b="$degraded_bytes" -v t="$took" 'BEGIN{printf "%.1f", b/1048576/(t/1000)}')" \
    "server_cpu_ms=$(ms_of_ticks $((cpu1 - cpu0)))" \
    "server_cpu_ms_per_mib=$(awk -v c="$(ms_of_ticks $((cpu1 - cpu0)))" -v b="$degraded_bytes" 'BEGIN{printf "%.1f", c/(b/1048576)}')"
say "# (rebuild speed counts from the first pass that saw the wipe; the foreground rows ran during it)"

# 3. Scrub cost: every node restarted with the scrubber off, then unlimited; 30 s of CPU each.
scrub_window() {  # scrub_window RATE: prints "cpu_ticks verified_bytes" over 30 s
    node cluster down --dir "$DIR" > /dev/null
    set_tuning scrub_bytes_per_second "$1"
    set_tuning scrub_pass_interval_ms 0
    node cluster up --dir "$DIR" --wait 180s --heap 384m > /dev/null
    sleep 20  # let start-up work settle
    local v0 v1 c0 c1
    v0=$(health --json | python3 -c "import json,sys; print(sum(s['passBytesVerified']+s['passesCompleted']*s['passBytesTotal'] for s in json.load(sys.stdin)['scrub']))")
    # shellcheck disable=SC2046
    c0=$(cpu_ticks $(pids))
    sleep 30
    # shellcheck disable=SC2046
    c1=$(cpu_ticks $(pids))
    v1=$(health --json | python3 -c "import json,sys; print(sum(s['passBytesVerified']+s['passesCompleted']*s['passBytesTotal'] for s in json.load(sys.stdin)['scrub']))")
    echo "$((c1 - c0)) $((v1 - v0))"
}
read -r off_ticks _ < <(scrub_window 0)
read -r on_ticks on_bytes < <(scrub_window $((1 << 30)))
say "scrub idle_cpu_ms_per_s=$(ms_of_ticks "$off_ticks" | awk '{printf "%.0f", $1/30}')" \
    "unlimited_mib_per_s=$(awk -v b="$on_bytes" 'BEGIN{printf "%.1f", b/1048576/30}')" \
    "cpu_ms_per_mib=$(awk -v on="$(ms_of_ticks "$on_ticks")" -v off="$(ms_of_ticks "$off_ticks")" -v b="$on_bytes" \
        'BEGIN{printf "%.2f", (on-off)/(b/1048576)}')"
say "# scrub speed summed over the five nodes; the default pace is 4 MiB/s per node"
say "# done; results in $WORK/results.txt"
