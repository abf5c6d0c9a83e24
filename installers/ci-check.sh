#!/usr/bin/env bash
# Checks the Linux .deb that `mvn -B -Pinstaller -pl installers -am package -DskipTests` made: installs it with apt,
# runs the installed app's headless self-test (--smoke) and the node CLI in an environment with no Java on the PATH,
# prints the sizes, then removes the package and checks that nothing is left in /opt/predastore.
# Needs root (it installs and removes a package). Usage: installers/ci-check.sh [path/to/predastore_*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/opt/predastore
image=installers/target/jpackage/image/Predastore
if [ $# -gt 0 ]; then
    deb=$1
else
    debs=(installers/target/installers/predastore_*.deb)
    if [ ! -f "${debs[0]}" ] || [ ${#debs[@]} -ne 1 ]; then
        echo "ci-check: expected one installers/target/installers/predastore_*.deb; build it with" \
            "mvn -B -Pinstaller -pl installers -am package -DskipTests" >&2
        exit 1
    fi
    deb=${debs[0]}
fi
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

passed=0
pass() {
    passed=$((passed + 1))
    echo "ok: $*"
}
fail() {
    echo "FAILED: $*" >&2
    echo "ci-check: $passed passed, 1 failed"
    exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== sizes"
if [ -d "$image" ]; then
    du -sh "$image"
fi
du -h "$deb"

echo "== package metadata"
dpkg-deb --field "$deb" Package Version Depends
dpkg-deb --field "$deb" Depends | grep -q 'libgtk-3-0' || fail "the package does not declare libgtk-3-0"
pass "the package declares libgtk-3-0"

if dpkg -s predastore >/dev/null 2>&1; then
    echo "== removing an installed predastore first"
    apt-get remove -y -qq predastore >/dev/null
fi

echo "== install"
apt-get update -qq
apt-get install -y -qq "$deb" >/dev/null || fail "apt-get install $deb"
dpkg -s predastore | grep -E '^(Status|Version):'
for f in bin/Predastore bin/predastore-node lib/runtime/bin/java lib/app/predastore-node.jar \
    lib/predastore-Predastore.desktop; do
    [ -f "$prefix/$f" ] || fail "$prefix/$f is missing"
done
pass "installed in $prefix: launchers, runtime with bin/java, node jar, desktop entry"
if [ -f /usr/share/applications/predastore-Predastore.desktop ]; then
    echo "menu entry: /usr/share/applications/predastore-Predastore.desktop"
else
    echo "menu entry: none (this machine has no desktop menu)"
fi
du -sh "$prefix"

# An environment with no JDK: an empty HOME and a PATH holding only a shell.
mkdir -p "$tmp/home" "$tmp/bin"
ln -s "$(command -v sh)" "$tmp/bin/sh"
nojava=(env -i "HOME=$tmp/home" "PATH=$tmp/bin" "TMPDIR=$tmp")
if "${nojava[@]}" sh -c 'command -v java' >/dev/null 2>&1; then
    fail "java is on the PATH of the test environment"
fi
pass "no java on the PATH of the test environment"

echo "== $prefix/bin/predastore-node --help"
"${nojava[@]}" "$prefix/bin/predastore-node" --help >"$tmp/help.txt" 2>&1 \
    || { cat "$tmp/help.txt"; fail "predastore-node --help"; }
cat "$tmp/help.txt"
grep -q 'cluster' "$tmp/help.txt" || fail "predastore-node --help does not list the cluster command"
pass "predastore-node --help"

echo "== $prefix/bin/predastore-node cluster init"
"${nojava[@]}" "$prefix/bin/predastore-node" cluster init --dir "$tmp/home/dev-cluster" >"$tmp/init.txt" 2>&1 \
    || { cat "$tmp/init.txt"; fail "predastore-node cluster init"; }
[ -f "$tmp/home/dev-cluster/cluster.toml" ] || fail "cluster init wrote no cluster.toml"
pass "predastore-node cluster init"

echo "== $prefix/bin/Predastore --smoke"
start=$SECONDS
status=0
"${nojava[@]}" "$prefix/bin/Predastore" --smoke || status=$?
[ "$status" -eq 0 ] || fail "Predastore --smoke exited with $status"
pass "Predastore --smoke in $((SECONDS - start)) s"

echo "== uninstall"
apt-get remove -y -qq predastore >/dev/null || fail "apt-get remove predastore"
if dpkg -s predastore 2>/dev/null | grep -q '^Status: install ok installed'; then
    fail "predastore is still installed"
fi
[ ! -e "$prefix" ] || fail "$prefix is still there after removal"
pass "removed; $prefix is gone"
[ -f "$tmp/home/dev-cluster/cluster.toml" ] || fail "removal touched the user's data"
pass "the user's cluster folder is untouched"

echo "ci-check: $passed passed, 0 failed"
