#!/usr/bin/env bash
# Measures changing the members of a five-node RS(3,2) dev cluster on this machine (see docs/membership.md):
#
#  1. LOAD of 4 MiB objects are written, then 1 MiB GET and PUT at concurrency 4 run on the idle cluster;
#  2. `cluster add-node`: the time until the command returns (the sixth node serves S3 and is active), then the
#     rebalance onto it: shard bytes moved per second (from the protection report's movedBytes), the time until a
#     pass at the new epoch finds nothing to move, and the CPU all node processes used meanwhile; the same foreground
#     rows run during the rebalance, p50/p99 beside the idle ones;
#  3. `cluster remove-node 2 --wait`: the time until node 2 is drained, removed and stopped, and the bytes moved.
#
# Usage: scripts/bench-rebalance.sh [work-dir]     (needs node-runtime/target/predastore-node.jar)
# Environment: LOAD (40s of 4 MiB PUTs at concurrency 8), FG (15s per foreground row), JAR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC_JAR=${JAR:-$ROOT/node-runtime/target/predastore-node.jar}
WORK=${1:-/tmp/predastore-rebalance-bench}
LOAD=${LOAD:-40s}
FG=${FG:-15s}
TICKS=$(getconf CLK_TCK)
DIR="$WORK/cluster"

rm -rf "$WORK" && mkdir -p "$WORK"
JAR="$WORK/predastore-node.jar"
cp "$SRC_JAR" "$JAR"

node() { java -Xmx256m -jar "$JAR" "$@"; }
cleanup() {
    node cluster down --dir "$DIR" >/dev/null 2>&1 || true
    rm -rf "$DIR"/node-* "$JAR"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$WORK/results.txt"; }
pids() { for f in "$DIR"/run/node-*.pid; do [ -r "$f" ] && head -1 "$f"; done; }
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
health_json() { node cluster health --dir "$DIR" --json 2>/dev/null || true; }
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
moved_bytes() { health_json | python3 -c "import json,sys
try:
    r = json.load(sys.stdin)['rebalance']
    print(r['movedBytes'] if r else 0)
except (ValueError, KeyError, TypeError):
    print(0)"; }
await_settled() {  # waits until a pass at the current member epoch finds nothing to move
    until health_json | python3 -c "import json,sys
r = json.load(sys.stdin)
rb = r.get('rebalance')
sys.exit(0 if rb and rb['membersEpoch'] == $1 and rb['rebalanceShards'] + rb['drainShards'] == 0 else 1)" 2>/dev/null
    do sleep 1; done
}
epoch() { node cluster status --dir "$DIR" --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['epoch'])"; }

say "# $(date -u +%FT%TZ) $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), flags:" \
    "$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx2|avx512f|sha_ni|pclmulqdq)$' | xargs)"
node cluster init --dir "$DIR" --nodes 5 --data 3 --parity 2 --base-port 0 > /dev/null
# A pass every 5 s instead of every minute, so that the time to notice the new member does not dominate the figure;
# the repair pace and concurrency (which moves share) stay at their defaults.
set_tuning protection_check_interval_ms 5000
node cluster up --dir "$DIR" --wait 180s --heap 384m > "$WORK/cluster-up.txt"
EP=$(sed -n 's/^  node 1 *\(http[^ ]*\).*/\1/p' "$WORK/cluster-up.txt")
eval "$(node cluster credentials --dir "$DIR")"
AK=$AWS_ACCESS_KEY_ID
SK=$AWS_SECRET_ACCESS_KEY

# 1. Load, then the idle foreground rows (also the warm-up of every node).
bench load put 4MiB 8 0 "$LOAD" data --keep-objects > /dev/null
bench idle-get get 1MiB 4 100 "$FG" foreground
bench idle-put put 1MiB 4 0 "$FG" foreground

# 2. Add a sixth node; time to serving, then the rebalance onto it with the foreground rows running.
start=$(now_ms)
node cluster add-node --dir "$DIR" --heap 384m > "$WORK/add-node.txt"
serving=$(($(now_ms) - start))
say "add-node seconds_to_serving=$(awk -v t="$serving" 'BEGIN{printf "%.1f", t/1000}')"
e=$(epoch)
moved0=$(moved_bytes)
# shellcheck disable=SC2046
cpu0=$(cpu_ticks $(pids))
t0=$(now_ms)
( bench rebalancing-get get 1MiB 4 100 "$FG" foreground; bench rebalancing-put put 1MiB 4 0 "$FG" foreground ) &
FGPID=$!
await_settled "$e"
took=$(($(now_ms) - t0))
# shellcheck disable=SC2046
cpu1=$(cpu_ticks $(pids))
moved=$(($(moved_bytes) - moved0))
wait "$FGPID" || true
say "rebalance moved_mib=$((moved >> 20)) seconds=$(awk -v t="$took" 'BEGIN{printf "%.1f", t/1000}')" \
    "mib_per_s=$(awk -v b="$moved" -v t="$took" 'BEGIN{printf "%.1f", b/1048576/(t/1000)}')" \
    "server_cpu_ms=$(ms_of_ticks $((cpu1 - cpu0)))" \
    "server_cpu_ms_per_mib=$(awk -v c="$(ms_of_ticks $((cpu1 - cpu0)))" -v b="$moved" 'BEGIN{ if (b > 0) printf "%.1f", c/(b/1048576); else print "n/a" }')"

# 3. Remove node 2 and wait until it is drained, removed and stopped.
moved0=$(moved_bytes)
start=$(now_ms)
node cluster remove-node 2 --dir "$DIR" --wait --timeout 30m > "$WORK/remove-node.txt"
took=$(($(now_ms) - start))
moved=$(($(moved_bytes) - moved0))
say "remove-node seconds_to_removed=$(awk -v t="$took" 'BEGIN{printf "%.1f", t/1000}') moved_mib=$((moved >> 20))" \
    "mib_per_s=$(awk -v b="$moved" -v t="$took" 'BEGIN{printf "%.1f", b/1048576/(t/1000)}')"
say "# (moved bytes are shard bytes; foreground rows ran during the rebalance onto the sixth node)"
say "# done; results in $WORK/results.txt"
