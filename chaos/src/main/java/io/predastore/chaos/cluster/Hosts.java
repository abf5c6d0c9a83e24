package io.predastore.chaos.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network hosts of their own for the nodes of a cluster on one machine: one Linux network namespace per node, each
 * with a veth link into a bridge, so that clients (in the root namespace) reach every node through the bridge and
 * the traffic between two nodes can be cut ({@link #partition}).
 *
 * <p>The bridge lives in a namespace of its own (the "switch", {@code <prefix>sw}), joined to the root namespace by
 * one more veth link ({@code <prefix>up}) whose root end has {@code 10.231.X.1/24}, for a {@code X} no other
 * interface of the machine uses; node {@code N} (from 1) gets {@code 10.231.X.(10 + N)}. A bridge in the root
 * namespace would pass node-to-node frames through the root namespace's firewall wherever {@code br_netfilter} is
 * loaded (as Docker hosts have it, with a forward policy of DROP), cutting the nodes off from each other; in the
 * switch namespace they meet an empty firewall, and nothing of the machine's own is touched.
 *
 * <p>Every name starts with a per-run prefix ({@code pdc<pid>-<n>}, the pid of this JVM in base 36), so two runs
 * never collide and {@link #removeLeftovers()} can tell a crashed run's leftovers from a live run's. Everything made is removed by {@link #close()}, and at JVM exit if it was not closed.
 *
 * <p>Needs root (or {@code CAP_SYS_ADMIN} and {@code CAP_NET_ADMIN}) and iproute2's {@code ip}; without them
 * {@link #create} throws {@link HostsUnavailableException} saying what to do. Thread-safe.
 */
public final class Hosts implements AutoCloseable {
    /** The first two octets of every address; a /24 of it is chosen per run. */
    public static final String NETWORK = "10.231";
    /** Every interface and namespace name made here starts with this. */
    public static final String NAME_PREFIX = "pdc";

    private static final Pattern OWN_NAME = Pattern.compile(NAME_PREFIX + "([0-9a-z]+)-[0-9a-z]+(sw|up|n\\d+)");
    private static final Pattern SUBNET_IN_USE = Pattern.compile("\\b10\\.231\\.(\\d{1,3})\\.");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Object SUBNET_LOCK = new Object();
    private static final int MAX_NODES = 200;
    /** The bridge's name inside the switch namespace. */
    private static final String BRIDGE = "bridge";

    private final String run;
    private final int subnet;
    private final int count;
    private final Set<String> blackholes = new LinkedHashSet<>();
    private final Thread cleanupAtExit;
    private boolean closed;

    private Hosts(String run, int subnet, int count) {
        this.run = run;
        this.subnet = subnet;
        this.count = count;
        this.cleanupAtExit = new Thread(this::removeQuietly, "hosts-cleanup-" + run);
    }

    /**
     * Makes the switch with its bridge and {@code count} node namespaces, each with its link up and {@code lo} up. On a failure part way,
     * whatever was made is removed again.
     *
     * @throws HostsUnavailableException when namespaces are not permitted here (not root) or {@code ip} is missing
     * @throws IOException               when an {@code ip} command fails otherwise, or no /24 of 10.231.0.0/16 is
     *                                   free
     */
    public static Hosts create(int count) throws IOException {
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("hosts are made for 1 to " + MAX_NODES + " nodes, not " + count);
        }
        String run = NAME_PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-"
                + Integer.toString(RUNS.getAndIncrement(), 36);
        synchronized (SUBNET_LOCK) {
            for (int attempt = 0; attempt < 5; attempt++) {
                Hosts hosts = new Hosts(run, freeSubnet(), count);
                Runtime.getRuntime().addShutdownHook(hosts.cleanupAtExit);
                try {
                    if (hosts.build()) {
                        return hosts;
                    }
                    hosts.close();
                } catch (IOException | RuntimeException e) {
                    try {
                        hosts.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
        }
        throw new IOException("another program took the same " + NETWORK + ".X.0/24 five times while the hosts were "
                + "made; retry, or remove the interfaces holding 10.231.* addresses");
    }

    /** Builds everything; false when another interface turned out to hold the same subnet (then retry). */
    private boolean build() throws IOException {
        // The switch namespace comes first: it fails clearly when namespaces are not allowed.
        String sw = switchNamespace();
        IpCommand.check("netns", "add", sw);
        IpCommand.check("-n", sw, "link", "add", "name", BRIDGE, "type", "bridge");
        IpCommand.check("-n", sw, "link", "set", "dev", BRIDGE, "up");
        String uplink = uplink();
        IpCommand.check("link", "add", "name", uplink, "type", "veth", "peer", "name", "uplink", "netns", sw);
        IpCommand.check("-n", sw, "link", "set", "dev", "uplink", "master", BRIDGE);
        IpCommand.check("-n", sw, "link", "set", "dev", "uplink", "up");
        IpCommand.check("addr", "add", gateway() + "/24", "dev", uplink);
        IpCommand.check("link", "set", "dev", uplink, "up");
        if (!subnetOnlyOn(uplink)) {
            return false;
        }
        for (int n = 1; n <= count; n++) {
            String ns = namespace(n);
            IpCommand.check("netns", "add", ns);
            IpCommand.check("-n", ns, "link", "set", "dev", "lo", "up");
            String port = "node" + n;
            IpCommand.check("-n", sw, "link", "add", "name", port, "type", "veth", "peer", "name", "eth0", "netns",
                    ns);
            IpCommand.check("-n", sw, "link", "set", "dev", port, "master", BRIDGE);
            IpCommand.check("-n", sw, "link", "set", "dev", port, "up");
            IpCommand.check("-n", ns, "addr", "add", address(n) + "/24", "dev", "eth0");
            IpCommand.check("-n", ns, "link", "set", "dev", "eth0", "up");
        }
        return true;
    }

    /** The per-run prefix of every name made here, e.g. {@code pdc1k2f-0}. */
    public String runPrefix() {
        return run;
    }

    /** How many node hosts there are. */
    public int count() {
        return count;
    }

    /** The network namespace of node {@code node} (from 1). */
    public String namespace(int node) {
        check(node);
        return run + "n" + node;
    }

    /** The address of node {@code node} (from 1), e.g. {@code 10.231.7.13}. */
    public String address(int node) {
        check(node);
        return NETWORK + "." + subnet + "." + (10 + node);
    }

    /** Every node's address, node 1 first. */
    public List<String> addresses() {
        List<String> all = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            all.add(address(n));
        }
        return all;
    }

    /** The root namespace's address on the bridge's network, where clients send from. */
    public String gateway() {
        return NETWORK + "." + subnet + ".1";
    }

    /** {@code command} run inside node {@code node}'s namespace: {@code ip netns exec <ns> command...}. */
    public List<String> inNamespace(int node, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * Cuts the traffic between nodes {@code a} and {@code b} both ways: a blackhole route to the other's address in
     * each namespace (packets to it are dropped, new connections fail at once). Doing it twice changes nothing.
     */
    public synchronized void partition(int a, int b) throws IOException {
        if (a == b) {
            throw new IllegalArgumentException("a node cannot be partitioned from itself (node " + a + ")");
        }
        blackhole(a, b);
        blackhole(b, a);
    }

    /**
     * Cuts the traffic between every node of {@code side} and every node not in it, both ways, with one {@code ip}
     * process per namespace (so a partition takes effect at nearly one moment). Pairs already cut stay cut.
     */
    public synchronized void isolate(Collection<Integer> side) throws IOException {
        Set<Integer> cut = new TreeSet<>(side);
        cut.forEach(this::check);
        Map<Integer, List<String>> routes = new TreeMap<>();
        for (int a : cut) {
            for (int b = 1; b <= count; b++) {
                if (!cut.contains(b)) {
                    for (int[] dir : new int[][] {{a, b}, {b, a}}) {
                        if (!blackholes.contains(dir[0] + ">" + dir[1])) {
                            routes.computeIfAbsent(dir[0], k -> new ArrayList<>())
                                    .add("route add blackhole " + address(dir[1]) + "/32");
                        }
                    }
                }
            }
        }
        for (Map.Entry<Integer, List<String>> e : routes.entrySet()) {
            IpCommand.batch(namespace(e.getKey()), e.getValue());
            for (String line : e.getValue()) {
                blackholes.add(e.getKey() + ">" + nodeAt(line));
            }
        }
    }

    /** Restores the traffic between {@code a} and {@code b}. Healing a pair not cut changes nothing. */
    public synchronized void heal(int a, int b) throws IOException {
        unblackhole(a, b);
        unblackhole(b, a);
    }

    /** Restores the traffic between every pair of nodes, with one {@code ip} process per namespace. */
    public synchronized void healAll() throws IOException {
        Map<Integer, List<String>> routes = new TreeMap<>();
        for (String pair : blackholes) {
            String[] p = pair.split(">");
            routes.computeIfAbsent(Integer.parseInt(p[0]), k -> new ArrayList<>())
                    .add("route del blackhole " + address(Integer.parseInt(p[1])) + "/32");
        }
        for (Map.Entry<Integer, List<String>> e : routes.entrySet()) {
            IpCommand.batch(namespace(e.getKey()), e.getValue());
            blackholes.removeIf(pair -> pair.startsWith(e.getKey() + ">"));
        }
    }

    /** The node whose address a route line names. */
    private int nodeAt(String routeLine) {
        String address = routeLine.substring(routeLine.lastIndexOf(' ') + 1, routeLine.length() - "/32".length());
        return Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)) - 10;
    }

    /** The pairs of nodes cut now, each as {@code [a, b]} with {@code a < b}. */
    public synchronized Set<List<Integer>> partitions() {
        Set<List<Integer>> pairs = new TreeSet<>((x, y) -> x.get(0).equals(y.get(0))
                ? Integer.compare(x.get(1), y.get(1)) : Integer.compare(x.get(0), y.get(0)));
        for (String pair : blackholes) {
            String[] p = pair.split(">");
            int a = Integer.parseInt(p[0]);
            int b = Integer.parseInt(p[1]);
            pairs.add(List.of(Math.min(a, b), Math.max(a, b)));
        }
        return pairs;
    }

    private void blackhole(int from, int to) throws IOException {
        if (blackholes.add(from + ">" + to)) {
            IpCommand.check("-n", namespace(from), "route", "add", "blackhole", address(to) + "/32");
        }
    }

    private void unblackhole(int from, int to) throws IOException {
        if (blackholes.remove(from + ">" + to)) {
            IpCommand.check("-n", namespace(from), "route", "del", "blackhole", address(to) + "/32");
        }
    }

    /**
     * Removes every namespace and the bridge (the veth links go with their namespaces). Processes still running in
     * a namespace keep it alive until they exit, so stop them first. Closing twice does nothing.
     *
     * @throws IOException naming what could not be removed
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook (this very call, maybe) does the work.
        }
        remove();
    }

    private void removeQuietly() {
        try {
            remove();
        } catch (IOException e) {
            System.err.println("could not remove the network hosts of run " + run + ": " + e.getMessage());
        }
    }

    private void remove() throws IOException {
        List<String> failures = new ArrayList<>();
        // The root end first: deleting it takes its peer along at once, whereas a deleted namespace's links go
        // later, in the kernel's own time.
        if (listLinks().contains(uplink())) {
            deleteLink(uplink(), failures);
        }
        Set<String> namespaces = Set.copyOf(listNamespaces());
        for (int n = 1; n <= count; n++) {
            if (namespaces.contains(namespace(n))) {
                deleteNamespace(namespace(n), failures);
            }
        }
        if (namespaces.contains(switchNamespace())) {
            deleteNamespace(switchNamespace(), failures);
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove " + String.join("; ", failures) + " (remove them by hand with "
                    + "`ip netns del` / `ip link del`)");
        }
    }

    /**
     * Removes the namespaces, bridges and links of runs whose JVM is gone (a crashed or killed run), recognised by
     * their name prefix; those of runs still alive are left alone.
     *
     * @return the names removed
     * @throws IOException naming what could not be removed
     */
    public static List<String> removeLeftovers() throws IOException {
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String link : listLinks()) {
            if (leftover(link) && deleteLink(link, failures)) {
                removed.add(link);
            }
        }
        for (String ns : listNamespaces()) {
            if (leftover(ns) && deleteNamespace(ns, failures)) {
                removed.add(ns);
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove leftovers: " + String.join("; ", failures));
        }
        return removed;
    }

    /** Whether {@code name} is one of ours from a JVM that no longer runs. */
    static boolean leftover(String name) {
        Matcher m = OWN_NAME.matcher(name);
        if (!m.matches()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1), 36);
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** The names of the network namespaces (first word of each line of {@code ip netns list}). */
    static List<String> listNamespaces() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : IpCommand.check("netns", "list").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** The names of the root namespace's links ({@code ip -o link show}: {@code 7: name@peer: <...>}). */
    static List<String> listLinks() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : IpCommand.check("-o", "link", "show").split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                String name = parts[1];
                int at = name.indexOf('@');
                names.add(at >= 0 ? name.substring(0, at) : name);
            }
        }
        return names;
    }

    /**
     * Deletes a namespace after killing what still runs in it (a node the caller did not stop, e.g. at JVM exit or
     * after a crashed run): a namespace with processes in it would otherwise live on, holding its addresses.
     */
    private static boolean deleteNamespace(String ns, List<String> failures) throws IOException {
        IpCommand.Result pids = IpCommand.run(List.of("netns", "pids", ns));
        if (pids.ok()) {
            List<ProcessHandle> killed = new ArrayList<>();
            for (String line : pids.output().split("\\s+")) {
                if (line.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(line)).ifPresent(p -> {
                        p.destroyForcibly();
                        killed.add(p);
                    });
                }
            }
            for (ProcessHandle p : killed) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    failures.add("process " + p.pid() + " in namespace " + ns + " did not exit after SIGKILL");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while stopping the processes in namespace " + ns, e);
                }
            }
        }
        IpCommand.Result r = IpCommand.run(List.of("netns", "del", ns));
        if (!r.ok()) {
            failures.add("namespace " + ns + ": " + r.output());
        }
        return r.ok();
    }

    private static boolean deleteLink(String link, List<String> failures) throws IOException {
        IpCommand.Result r = IpCommand.run(List.of("link", "del", link));
        if (!r.ok() && r.output().contains("Cannot find device")) {
            // Gone meanwhile, with the namespace of its peer: what was wanted.
            return true;
        }
        if (!r.ok()) {
            failures.add("link " + link + ": " + r.output());
        }
        return r.ok();
    }

    private String switchNamespace() {
        return run + "sw";
    }

    private String uplink() {
        return run + "up";
    }

    private void check(int node) {
        if (node < 1 || node > count) {
            throw new IllegalArgumentException("no node " + node + "; the hosts are nodes 1 to " + count);
        }
    }

    /** A third octet no address or route of this machine uses in 10.231.0.0/16, picked at random. */
    private static int freeSubnet() throws IOException {
        Set<Integer> used = subnetsInUse();
        int start = ThreadLocalRandom.current().nextInt(1, 255);
        for (int i = 0; i < 254; i++) {
            int candidate = 1 + (start - 1 + i) % 254;
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IOException("every /24 of " + NETWORK + ".0.0/16 is in use on this machine; remove leftovers "
                + "(Hosts.removeLeftovers) or free one");
    }

    private static Set<Integer> subnetsInUse() throws IOException {
        Set<Integer> used = new TreeSet<>();
        String text = IpCommand.check("-4", "-o", "addr", "show") + "\n" + IpCommand.check("-4", "route", "show");
        Matcher m = SUBNET_IN_USE.matcher(text);
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        return used;
    }

    /** Whether the uplink is the only interface with an address in this run's /24 (another run may race us). */
    private boolean subnetOnlyOn(String uplink) throws IOException {
        String prefix = NETWORK + "." + subnet + ".";
        for (String line : IpCommand.check("-4", "-o", "addr", "show").split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[3].startsWith(prefix) && !parts[1].equals(uplink)) {
                return false;
            }
        }
        return true;
    }
}
