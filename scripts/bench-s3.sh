#!/usr/bin/env bash
# Measures Predastore against s3proxy (filesystem provider) with `predastore-node bench`, plus the machine's
# loopback TCP (iperf3) and sequential fsync'd disk write (dd) limits, all in one session.
#
# Usage: scripts/bench-s3.sh [results-dir]
# Needs: node-runtime/target/predastore-node.jar (mvn -B -q -pl protocol,node-runtime -am package -DskipTests),
#        iperf3, and org.gaul:s3proxy:2.6.0:jar:jar-with-dependencies in the local Maven repository
#        (mvn dependency:get -Dartifact=org.gaul:s3proxy:2.6.0:jar:jar-with-dependencies).
# Environment: JAR, S3PROXY_JAR, DURATION (10s), WARMUP (2s), WORK (/tmp/predastore-bench), ROWS.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/node-runtime/target/predastore-node.jar}
S3PROXY_JAR=${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
WORK=${WORK:-/tmp/predastore-bench}
OUT=${1:-$WORK/results}
# op size concurrency objects-in-pool
ROWS=${ROWS:-"put 4KiB 16 0
get 4KiB 16 1000
put 1MiB 8 0
get 1MiB 8 200
put 64MiB 2 0
get 64MiB 2 8"}

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK/node-data" "$WORK/s3proxy-data" "$WORK/ddtest"
}
trap cleanup EXIT

wait_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    echo "nothing listens on port $1" >&2
    return 1
}

mkdir -p "$WORK" "$OUT"
rm -rf "$WORK/node-data" "$WORK/s3proxy-data"
mkdir -p "$WORK/s3proxy-data"

{
    echo "date: $(date -u +%FT%TZ)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc)"
    echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "filesystem of $WORK: $(df -T "$WORK" | awk 'NR==2 {print $2 " on " $1}')"
} | tee "$OUT/machine.txt"

echo "== loopback TCP (iperf3, 5 s, one stream)"
iperf3 -s -p 5299 >/dev/null 2>&1 &
PIDS+=($!)
sleep 1 # a probe connection would upset iperf3's control channel
iperf3 -c 127.0.0.1 -p 5299 -t 5 | tee "$OUT/iperf3.txt"
sleep 1
iperf3 -c 127.0.0.1 -p 5299 -t 5 -P 2 | tail -4 | tee "$OUT/iperf3-P2.txt"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'

echo "== sequential disk write with fsync (dd, 1 GiB, O_DIRECT)"
dd if=/dev/zero of="$WORK/ddtest" bs=1M count=1024 oflag=direct conv=fsync 2>&1 | tee "$OUT/dd.txt"
rm -f "$WORK/ddtest"

bench_row() { # name port op size concurrency objects
    local name=$1 port=$2 op=$3 size=$4 conc=$5 objects=$6
    local file="$OUT/$name-$op-$size-c$conc.txt"
    echo "== $name $op $size c=$conc (loadavg before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$file"
    java -Xmx512m -jar "$JAR" bench --endpoint "http://127.0.0.1:$port" --access-key AK --secret-key SK \
        --op "$op" --size "$size" --concurrency "$conc" --duration "$DURATION" --warmup "$WARMUP" \
        --objects "$(( objects > 0 ? objects : 1 ))" </dev/null 2>&1 | tee -a "$file" || true
}

echo "== starting Predastore on :9100 and s3proxy 2.6.0 (filesystem provider) on :9200"
java -Xmx1g -jar "$JAR" serve --data-dir "$WORK/node-data" --s3-port 9100 --access-key AK --secret-key SK \
    >"$OUT/node.log" 2>&1 &
PIDS+=($!)
cat >"$WORK/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:9200
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=AK
s3proxy.credential=SK
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3proxy-data
PROPS
java -Xmx1g -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.properties" >"$OUT/s3proxy.log" 2>&1 &
PIDS+=($!)
wait_port 9100
wait_port 9200

# Each row runs against both servers back to back, so both see the same background load.
while read -r op size conc objects; do
    [ -z "$op" ] && continue
    bench_row predastore 9100 "$op" "$size" "$conc" "$objects"
    bench_row s3proxy 9200 "$op" "$size" "$conc" "$objects"
done <<< "$ROWS"

echo "== RESULT lines"
grep -H '^RESULT ' "$OUT"/predastore-*.txt "$OUT"/s3proxy-*.txt | tee "$OUT/results.txt"
