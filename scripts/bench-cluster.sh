#!/usr/bin/env bash
# Measures a five-node RS(3,2) dev cluster (all nodes on this machine) side by side with a single filesystem
# node, with `predastore-node bench`: 1 MiB PUT and GET at concurrency 8 and 4 KiB PUT at 16. Reports ops/s,
# MiB/s, p50/p99 and the CPU milliseconds the server processes used per MiB moved (from /proc).
#
# Before the measured cluster rows the cluster is warmed up, unmeasured: five fresh JVMs sharing two cores spend
# their first minutes compiling Netty, gRPC, Ratis, RocksDB and the erasure codec, and 1 MiB PUTs run at a third
# of their steady speed in the first minute. Passes of 1 MiB PUTs (WARM_PASS each, default 60s) repeat until one
# is less than 5 % faster than the one before (at most WARM_MAX passes, default 6); then one pass each of GETs and
# 4 KiB PUTs. Each pass's speed is written to the results. WARM_PASS=0s measures a cold cluster.
#
# Usage: scripts/bench-cluster.sh [work-dir]     (needs node-runtime/target/predastore-node.jar)
# Environment: DURATION (10s), WARMUP (2s), WARM_PASS (60s), WARM_MAX (6), JAR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC_JAR=${JAR:-$ROOT/node-runtime/target/predastore-node.jar}
WORK=${1:-/tmp/predastore-cluster-bench}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
WARM_PASS=${WARM_PASS:-60s}
WARM_MAX=${WARM_MAX:-6}
TICKS=$(getconf CLK_TCK)

rm -rf "$WORK" && mkdir -p "$WORK"
JAR="$WORK/predastore-node.jar"
cp "$SRC_JAR" "$JAR"   # the nodes keep running from a copy, whatever happens to the build's jar

cleanup() {
    java -jar "$JAR" cluster down --dir "$WORK/cluster" >/dev/null 2>&1 || true
    [ -n "${FS_PID:-}" ] && kill "$FS_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    # The stored objects take gigabytes after a run; keep the results and the node logs only.
    rm -rf "$WORK"/cluster/node-* "$WORK/fs" "$JAR"
}
trap cleanup EXIT

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

row() {  # row LABEL ENDPOINT AK SK OP SIZE CONC OBJECTS PIDS...
    local label=$1 endpoint=$2 ak=$3 sk=$4 op=$5 size=$6 conc=$7 objects=$8
    shift 8
    local before after result mib cpu_ms
    before=$(cpu_ticks "$@")
    result=$(AWS_ACCESS_KEY_ID="$ak" AWS_SECRET_ACCESS_KEY="$sk" java -Xmx512m -jar "$JAR" bench --endpoint "$endpoint" \
        --bucket bench --op "$op" --size "$size" --concurrency "$conc" --duration "$DURATION" --warmup "$WARMUP" \
        --objects "$objects" | grep '^RESULT')
    after=$(cpu_ticks "$@")
    mib=$(echo "$result" | sed -n 's/.*mib_per_s=\([0-9.]*\).*/\1/p')
    cpu_ms=$(awk -v t=$((after - before)) -v hz="$TICKS" -v mib="$mib" -v d="${DURATION%s}" -v w="${WARMUP%s}" \
        'BEGIN { total = mib * (d + w); if (total > 0) printf "%.1f", t * 1000 / hz / total; else print "n/a" }')
    echo "$label $result server_cpu_ms_per_mib=$cpu_ms" | tee -a "$WORK/results.txt"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$WORK/results.txt"

# Single filesystem node.
java -Xmx1g -jar "$JAR" serve --data-dir "$WORK/fs" --s3-port 0 --access-key AK --secret-key SKSKSKSK \
    > "$WORK/fs.out" 2> "$WORK/fs.log" &
FS_PID=$!
for _ in $(seq 1 100); do grep -q '^S3 endpoint: ' "$WORK/fs.out" 2>/dev/null && break; sleep 0.2; done
FS=$(sed -n 's/^S3 endpoint: //p' "$WORK/fs.out")
row filesystem "$FS" AK SKSKSKSK put 1MiB 8 0 "$FS_PID"
row filesystem "$FS" AK SKSKSKSK get 1MiB 8 200 "$FS_PID"
row filesystem "$FS" AK SKSKSKSK put 4KiB 16 0 "$FS_PID"
kill "$FS_PID"; wait "$FS_PID" 2>/dev/null || true; FS_PID=

# Five-node cluster, RS(3,2), requests to node 1 (which routes shards to all five).
java -jar "$JAR" cluster init --dir "$WORK/cluster" --nodes 5 --data 3 --parity 2 --base-port 0 > /dev/null
java -jar "$JAR" cluster up --dir "$WORK/cluster" --wait 120s > "$WORK/cluster-up.txt"
EP=$(sed -n 's/^  node 1 *\(http[^ ]*\).*/\1/p' "$WORK/cluster-up.txt")
eval "$(java -jar "$JAR" cluster credentials --dir "$WORK/cluster")"
AK=$AWS_ACCESS_KEY_ID
SK=$AWS_SECRET_ACCESS_KEY
PIDS=$(for f in "$WORK"/cluster/run/node-*.pid; do head -1 "$f"; done)
warm() {  # warm BUCKET OP SIZE CONC OBJECTS: one unmeasured pass; prints its MiB/s
    AWS_ACCESS_KEY_ID="$AK" AWS_SECRET_ACCESS_KEY="$SK" java -Xmx512m -jar "$JAR" bench --endpoint "$EP" --bucket "$1" \
        --op "$2" --size "$3" --concurrency "$4" --duration "$WARM_PASS" --warmup 0s --objects "$5" \
        | sed -n 's/^RESULT.*mib_per_s=\([0-9.]*\).*/\1/p'
}
if [ "${WARM_PASS%s}" != 0 ]; then
    previous=0
    for pass in $(seq 1 "$WARM_MAX"); do
        speed=$(warm warm put 1MiB 8 0)
        echo "# warm-up pass $pass: put 1MiB at ${speed:-?} MiB/s" | tee -a "$WORK/results.txt"
        if awk -v s="${speed:-0}" -v p="$previous" 'BEGIN { exit !(s < p * 1.05) }'; then
            break
        fi
        previous=${speed:-0}
    done
    echo "# warm-up: get 1MiB at $(warm warm get 1MiB 8 200) MiB/s, put 4KiB at $(warm warm put 4KiB 16 0) MiB/s" \
        | tee -a "$WORK/results.txt"
    echo "# cluster warmed, load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/results.txt"
fi
# shellcheck disable=SC2086
row cluster "$EP" "$AK" "$SK" put 1MiB 8 0 $PIDS
# shellcheck disable=SC2086
row cluster "$EP" "$AK" "$SK" get 1MiB 8 200 $PIDS
# shellcheck disable=SC2086
row cluster "$EP" "$AK" "$SK" put 4KiB 16 0 $PIDS
echo "# done; results in $WORK/results.txt"
