#!/usr/bin/env bash
# Runs the fault-injection suite: a five-node RS(3,2) cluster, each node in a network namespace of its own, under
# concurrent S3 clients while a nemesis kills, pauses and partitions nodes, fills their disks, flips bytes in
# their shard files, wipes their data, keeps them down past the dead-node grace and changes the members (adds a
# node on a spare host, removes one, replaces one's disk); then every member must be active or removed, every key
# is read back through every member, every object must be back at full protection, and the history is checked
# (linearizability per key, lost and corrupt data). The run's directory
# (default chaos/target/chaos-<seed>) gets history.jsonl, faults.jsonl, report.md and timeline.svg; the node logs
# are in its cluster/logs/. See docs/reliability.md.
#
# Exit code: 0 no violation, 1 a violation, 2 only undecided keys, 3 the run could not be done, 64 bad arguments.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLASSPATH_FILE="$ROOT/chaos/target/classpath.txt"

usage() {
    cat <<'USAGE'
Usage: scripts/chaos.sh [--no-build] [--duration 30m] [--faults all|none|kill,pause,...] [--seed N]
                        [--workers 6] [--nodes 5] [--beyond-tolerance] [--out DIR] [--node-jar PATH]
                        [--gap 3s-8s] [--fault-time 2s-10s] [--weaken local-reads]

  --no-build          use what the last build left (chaos/target/classpath.txt and the node jar)
  --duration D        how long the load and the faults last (e.g. 30m, 150s, 1h); default 5m
  --faults F          all (default), none, or a comma list of kill, pause, partition, disk-full, rot,
                      wipe, lose, churn
  --seed N            seeds the workload and the nemesis; default random (always printed; the report says how
                      to repeat the run)
  --workers N         concurrent S3 clients; default 6
  --nodes N           nodes in the cluster, 5 to 9; default 5 (6 or more let a lost node's shards be rebuilt
                      elsewhere)
  --beyond-tolerance  let one fault hit parity + 1 nodes: errors are expected, wrong data never
  --out DIR           the run's directory; default chaos/target/chaos-<seed> (-2, -3... if it exists)
  --node-jar PATH     the node to run; default node-runtime/target/predastore-node.jar
  --gap MIN-MAX       quiet time before each fault; default 3s-8s
  --fault-time MIN-MAX  how long each fault lasts; default 2s-10s
  --weaken W          start every node with a guarantee broken on purpose (local-reads), to see the suite
                      catch it: the run must then end with violations. Never on data you care about.

Needs root: every node runs in a network namespace (`ip netns`) and on a tmpfs of its own.
Environment: MVN_FLAGS (extra Maven flags, e.g. -o), JAVA_OPTS (the runner's JVM options; default -Xmx768m).
The last line printed is `chaos: O ops, F faults, L lost, C corrupt, V violations`.
USAGE
}

build=1
args=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --no-build) build=0 ;;
        *) args+=("$arg") ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    echo "chaos.sh: needs root: every node runs in a network namespace of its own (ip netns), which only root" \
        "can create; run it with sudo" >&2
    exit 3
fi
if ! command -v ip >/dev/null 2>&1; then
    echo "chaos.sh: the 'ip' command (iproute2) is missing; install it (e.g. apt-get install iproute2)" >&2
    exit 3
fi
command -v java >/dev/null 2>&1 || { echo "chaos.sh: no java on the PATH; install JDK 17 or later" >&2; exit 3; }

cd "$ROOT"
if [ "$build" -eq 1 ]; then
    # The runner runs from the chaos module's classpath as Maven resolves it (the reactor's own jars plus the local
    # repository's), which the package phase writes to chaos/target/classpath.txt (see chaos/pom.xml): no fat jar of
    # the suite to shade at every change (it would copy the node's whole dependency tree, ~100 MB, a second time).
    echo "chaos.sh: building the node and the suite (mvn package -pl chaos -am)..."
    # shellcheck disable=SC2086
    mvn -B -q ${MVN_FLAGS:-} -DskipTests package -pl chaos -am
fi
if [ ! -f "$CLASSPATH_FILE" ] || [ ! -d "$ROOT/chaos/target/classes" ]; then
    echo "chaos.sh: no build of the suite in chaos/target; run without --no-build" >&2
    exit 3
fi

set +e
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx768m} -cp "$ROOT/chaos/target/classes:$(cat "$CLASSPATH_FILE")" io.predastore.chaos.ChaosRun \
    "${args[@]+"${args[@]}"}"
code=$?
set -e
exit "$code"
