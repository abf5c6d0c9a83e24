package io.predastore.node.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real SSH hosts on this machine for tests: N Linux network namespaces on a private bridge, each running OpenSSH's
 * own {@code sshd} with a generated host key, accepting root with one generated client key only, and with a directory
 * of its own as root's home.
 *
 * <p>Network: the bridge lives in a "switch" namespace ({@code <run>sw}), joined to the root namespace by a veth link
 * ({@code <run>up}, address {@code 10.232.X.1/24}); host {@code n} (from 1) is namespace {@code <run>h<n>} with
 * {@code 10.232.X.(10+n)}. {@code X} is a /24 no interface or route of the machine uses (the fault-injection suite
 * uses 10.231). In the switch namespace frames between hosts meet no firewall of the machine's. Names start with a
 * per-run prefix {@code pds<pid>-<n>} (pid in base 36), so runs never collide and the leftovers of a run whose JVM is
 * gone are recognised and removed at the next start.
 *
 * <p>Each host: {@code sshd -D -e -f <dir>/sshd_config} started by {@code ip netns exec}, listening on the host's
 * address only, root by public key only ({@code PermitRootLogin prohibit-password}, {@code PasswordAuthentication
 * no}, {@code UsePAM no}), SFTP by {@code internal-sftp}. It runs in a mount namespace of its own where {@link #home}
 * is bind-mounted on {@code /root}, so each host has its own home and nothing lands in the machine's. Files of the
 * host's home are visible to the test at {@link #home}. It runs without the capabilities that let root pass over file
 * permissions ({@code CAP_DAC_OVERRIDE}, {@code CAP_DAC_READ_SEARCH}, dropped by {@code setpriv}), so root there
 * meets a directory it does not own as any deploy user would: a test can make a real "permission denied".
 *
 * <p>{@link #close} stops every sshd, kills whatever still runs in the namespaces (detached commands) and removes
 * namespaces, links and files; a shutdown hook does the same if the test never gets there. Needs root, iproute2,
 * util-linux ({@code nsenter}, {@code setpriv}), {@code /usr/sbin/sshd} and {@code ssh-keygen}; without them
 * {@link #start} throws {@link Unavailable}.
 */
public final class SshTestHosts implements AutoCloseable {
    /** The first two octets of every address. */
    public static final String NETWORK = "10.232";
    private static final String PREFIX = "pds";
    private static final String DIR_PREFIX = "predastore-ssh-hosts-";
    private static final Pattern OWN_NAME = Pattern.compile(PREFIX + "([0-9a-z]+)-[0-9a-z]+(sw|up|h\\d+)");
    private static final Pattern OWN_DIR = Pattern.compile(DIR_PREFIX + "([0-9a-z]+)-.*");
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** The capabilities sshd runs without: those that let root read and write files whatever their permissions. */
    private static final String NO_DAC = "-dac_override,-dac_read_search";

    /** The machine cannot make such hosts: not root, or a program is missing. */
    public static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message + ". The SSH test hosts need root (network and mount namespaces), iproute2, util-linux "
                    + "and OpenSSH's server and client (Debian: apt-get install iproute2 openssh-server "
                    + "openssh-client); .ci/run installs them");
        }
    }

    private final String run;
    private final int subnet;
    private final int count;
    private final Path dir;
    private final Map<Integer, Process> sshd = new HashMap<>();
    private final Thread cleanupAtExit;
    private boolean closed;

    private SshTestHosts(String run, int subnet, int count, Path dir) {
        this.run = run;
        this.subnet = subnet;
        this.count = count;
        this.dir = dir;
        this.cleanupAtExit = new Thread(this::closeQuietly, "ssh-test-hosts-cleanup-" + run);
    }

    /**
     * Makes {@code count} hosts, each with its sshd listening; on a failure part way everything made is removed.
     *
     * @throws Unavailable when this machine cannot make them (not root, programs missing)
     */
    public static SshTestHosts start(int count) throws IOException {
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("1 to 100 hosts, not " + count);
        }
        checkPrerequisites();
        removeLeftovers();
        String pid = Long.toString(ProcessHandle.current().pid(), 36);
        String run = PREFIX + pid + "-" + Integer.toString(RUNS.getAndIncrement(), 36);
        Path dir = Files.createTempDirectory(DIR_PREFIX + pid + "-");
        SshTestHosts hosts = new SshTestHosts(run, freeSubnet(), count, dir);
        Runtime.getRuntime().addShutdownHook(hosts.cleanupAtExit);
        try {
            hosts.build();
            return hosts;
        } catch (IOException | RuntimeException e) {
            try {
                hosts.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void build() throws IOException {
        keygen("ed25519", clientKey(), "predastore-test-client");
        String sw = run + "sw";
        ip("netns", "add", sw);
        ip("-n", sw, "link", "add", "name", "bridge", "type", "bridge");
        ip("-n", sw, "link", "set", "dev", "bridge", "up");
        ip("link", "add", "name", run + "up", "type", "veth", "peer", "name", "uplink", "netns", sw);
        ip("-n", sw, "link", "set", "dev", "uplink", "master", "bridge");
        ip("-n", sw, "link", "set", "dev", "uplink", "up");
        ip("addr", "add", gateway() + "/24", "dev", run + "up");
        ip("link", "set", "dev", run + "up", "up");
        // The sshd's privilege separation directory; Debian's package makes it only when its own service starts.
        Files.createDirectories(Path.of("/run/sshd"));
        for (int n = 1; n <= count; n++) {
            String ns = namespace(n);
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "dev", "lo", "up");
            ip("-n", sw, "link", "add", "name", "host" + n, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", sw, "link", "set", "dev", "host" + n, "master", "bridge");
            ip("-n", sw, "link", "set", "dev", "host" + n, "up");
            ip("-n", ns, "addr", "add", address(n) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "dev", "eth0", "up");
            Files.createDirectories(home(n));
            Files.createDirectories(sshdDir(n));
            Files.copy(Path.of(clientKey() + ".pub"), sshdDir(n).resolve("authorized_keys"));
            keygen("ed25519", hostKeyFile(n), "host" + n);
            Files.writeString(sshdDir(n).resolve("sshd_config"), String.join("\n",
                    "ListenAddress " + address(n) + ":22",
                    "HostKey " + hostKeyFile(n),
                    "PidFile " + sshdDir(n).resolve("sshd.pid"),
                    "AuthorizedKeysFile " + sshdDir(n).resolve("authorized_keys"),
                    "PermitRootLogin prohibit-password",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    // The files live under the machine's temporary directory, which others may write.
                    "StrictModes no",
                    "UseDNS no",
                    "PrintMotd no",
                    "MaxStartups 100",
                    "Subsystem sftp internal-sftp",
                    "LogLevel VERBOSE", ""));
        }
        for (int n = 1; n <= count; n++) {
            startSshd(n);
        }
        writeKnownHosts();
    }

    /** How many hosts there are. */
    public int count() {
        return count;
    }

    /** Where to log in to host {@code n}: {@code root@address:22}. */
    public SshTarget target(int n) {
        return new SshTarget("root", address(n), 22);
    }

    /** The address of host {@code n} (from 1). */
    public String address(int n) {
        check(n);
        return NETWORK + "." + subnet + "." + (10 + n);
    }

    /** An address of the hosts' network where no host is. */
    public String unusedAddress() {
        return NETWORK + "." + subnet + ".200";
    }

    /** The network namespace of host {@code n}. */
    public String namespace(int n) {
        check(n);
        return run + "h" + n;
    }

    /** The per-run prefix of every name made. */
    public String runPrefix() {
        return run;
    }

    /** Root's home on host {@code n}, as this machine sees it. */
    public Path home(int n) {
        check(n);
        return dir.resolve("h" + n).resolve("home");
    }

    /** The private key every host accepts for root (its {@code .pub} is beside it). */
    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    /** A {@code known_hosts} file with every host's current key (plain lines, written from the {@code .pub} files). */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** Settings that connect to these hosts: the client key, no agent, {@link #knownHosts}, short timeouts. */
    public SshSettings settings() {
        return new SshSettings(List.of(clientKey()), java.util.Optional.empty(), knownHosts(), false,
                Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /** Host {@code n}'s public key as its {@code .pub} file holds it: {@code TYPE BASE64 COMMENT}. */
    public String hostPublicKey(int n) throws IOException {
        return Files.readString(Path.of(hostKeyFile(n) + ".pub")).strip();
    }

    /** Host {@code n}'s key fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:...}). */
    public String hostKeyFingerprint(int n) throws IOException {
        String line = command(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", hostKeyFile(n) + ".pub"));
        return line.split("\\s+")[1];
    }

    /**
     * Gives host {@code n} a new host key: stops its sshd, generates the key, starts it again, and updates
     * {@link #knownHosts}. The new sshd has a fresh mount namespace: {@link #mountSmallDisk} mounts are gone.
     */
    public synchronized void regenerateHostKey(int n) throws IOException {
        stopSshd(n);
        Files.delete(hostKeyFile(n));
        Files.delete(Path.of(hostKeyFile(n) + ".pub"));
        keygen("ed25519", hostKeyFile(n), "host" + n + "-renewed");
        startSshd(n);
        writeKnownHosts();
    }

    /**
     * Mounts a tmpfs of {@code bytes} at {@code ~/name} on host {@code n}, inside its sshd's mount namespace only (it
     * goes with that sshd).
     */
    public synchronized void mountSmallDisk(int n, String name, long bytes) throws IOException {
        mountTmpfs(n, name, "size=" + bytes + ",mode=0700");
    }

    /** Mounts an empty read-only file system at {@code ~/name} on host {@code n}, as {@link #mountSmallDisk}. */
    public synchronized void mountReadOnlyDisk(int n, String name) throws IOException {
        mountTmpfs(n, name, "ro,size=64k,mode=0700");
    }

    private void mountTmpfs(int n, String name, String options) throws IOException {
        Files.createDirectories(home(n).resolve(name));
        command(List.of("nsenter", "--target", Long.toString(sshd.get(n).pid()), "--mount", "mount", "-t", "tmpfs",
                "-o", options, "tmpfs", "/root/" + name));
    }

    /** Runs {@code command} inside host {@code n}'s network namespace (not over SSH) and returns its output. */
    public String inHost(int n, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(n)));
        cmd.addAll(command);
        return command(cmd);
    }

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
            // Shutting down: the hook does the work.
        }
        remove();
    }

    private void closeQuietly() {
        try {
            remove();
        } catch (IOException e) {
            System.err.println("could not remove the SSH test hosts of run " + run + ": " + e.getMessage());
        }
    }

    private void remove() throws IOException {
        List<String> failures = new ArrayList<>();
        for (int n : new TreeSet<>(sshd.keySet())) {
            try {
                stopSshd(n);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        List<String> namespaces = namespaces();
        for (int n = 1; n <= count; n++) {
            if (namespaces.contains(namespace(n))) {
                deleteNamespace(namespace(n), failures);
            }
        }
        if (links().contains(run + "up")) {
            ProcessResult r = exec(List.of("ip", "link", "del", run + "up"));
            if (r.exit() != 0 && !r.output().contains("Cannot find device")) {
                failures.add("link " + run + "up: " + r.output());
            }
        }
        if (namespaces.contains(run + "sw")) {
            deleteNamespace(run + "sw", failures);
        }
        deleteTree(dir, failures);
        if (!failures.isEmpty()) {
            throw new IOException("could not remove " + String.join("; ", failures));
        }
    }

    /** Removes the namespaces, links and directories of runs whose JVM is gone. */
    public static void removeLeftovers() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String link : links()) {
            if (leftover(OWN_NAME, link)) {
                exec(List.of("ip", "link", "del", link));
            }
        }
        for (String ns : namespaces()) {
            if (leftover(OWN_NAME, ns)) {
                deleteNamespace(ns, failures);
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : entries.toList()) {
                if (leftover(OWN_DIR, p.getFileName().toString())) {
                    deleteTree(p, failures);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove the leftovers of earlier runs: " + String.join("; ", failures));
        }
    }

    // ---- sshd ----

    private void startSshd(int n) throws IOException {
        Path log = sshdDir(n).resolve("sshd.log");
        // ip netns exec gives the command a mount namespace of its own (a slave of this one), where root's home
        // becomes the host's directory before sshd starts; sshd then runs without root's power over file permissions.
        List<String> cmd = List.of("ip", "netns", "exec", namespace(n), "sh", "-c",
                "mount --rbind \"$1\" /root && exec setpriv --inh-caps=" + NO_DAC + " --bounding-set=" + NO_DAC
                        + " " + SSHD + " -D -e -f \"$2\"", "sh", home(n).toString(),
                sshdDir(n).resolve("sshd_config").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        sshd.put(n, p);
        try {
            Awaitility.await("sshd of host " + n + " listening").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        String text = Files.exists(log) ? Files.readString(log) : "";
                        if (!p.isAlive() && !text.contains("Server listening on " + address(n))) {
                            throw new IOException("sshd of host " + n + " exited with " + p.exitValue() + ": "
                                    + text.strip());
                        }
                        return text.contains("Server listening on " + address(n));
                    });
        } catch (ConditionTimeoutException e) {
            throw new IOException("sshd of host " + n + " did not start listening within 15 s: "
                    + Files.readString(log).strip(), e);
        }
    }

    private void stopSshd(int n) throws IOException {
        Process p = sshd.remove(n);
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    throw new IOException("sshd of host " + n + " (pid " + p.pid() + ") did not exit after SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping sshd of host " + n, e);
        }
    }

    private void writeKnownHosts() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= count; n++) {
            String[] pub = hostPublicKey(n).split("\\s+");
            lines.append(address(n)).append(' ').append(pub[0]).append(' ').append(pub[1]).append('\n');
        }
        Files.writeString(knownHosts(), lines);
    }

    private Path sshdDir(int n) {
        return dir.resolve("h" + n).resolve("sshd");
    }

    private Path hostKeyFile(int n) {
        return sshdDir(n).resolve("ssh_host_ed25519_key");
    }

    private String gateway() {
        return NETWORK + "." + subnet + ".1";
    }

    private void check(int n) {
        if (n < 1 || n > count) {
            throw new IllegalArgumentException("no host " + n + "; the hosts are 1 to " + count);
        }
    }

    private static void keygen(String type, Path file, String comment) throws IOException {
        command(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", file.toString()));
    }

    // ---- the machine ----

    private static void checkPrerequisites() throws IOException {
        ProcessResult id;
        try {
            id = exec(List.of("id", "-u"));
        } catch (IOException e) {
            throw new Unavailable("cannot run `id`: " + e.getMessage());
        }
        if (!id.output().strip().equals("0")) {
            throw new Unavailable("not running as root (uid " + id.output().strip() + ")");
        }
        if (!Files.isExecutable(SSHD)) {
            throw new Unavailable(SSHD + " is missing");
        }
        for (String program : List.of("ip", "ssh-keygen", "nsenter", "mount", "setpriv")) {
            try {
                exec(List.of(program, program.equals("ip") ? "-V" : "--help"));
            } catch (IOException e) {
                throw new Unavailable("`" + program + "` cannot be run: " + e.getMessage());
            }
        }
        ProcessResult probe = exec(List.of("ip", "netns", "list"));
        if (probe.exit() != 0) {
            throw new Unavailable("`ip netns list` failed: " + probe.output());
        }
    }

    private static int freeSubnet() throws IOException {
        Set<Integer> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\b10\\.232\\.(\\d{1,3})\\.").matcher(
                command(List.of("ip", "-4", "-o", "addr", "show")) + "\n" + command(List.of("ip", "-4", "route",
                        "show")));
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        int start = ThreadLocalRandom.current().nextInt(1, 255);
        for (int i = 0; i < 254; i++) {
            int candidate = 1 + (start - 1 + i) % 254;
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IOException("every /24 of " + NETWORK + ".0.0/16 is in use on this machine");
    }

    private static boolean leftover(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
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

    private static List<String> namespaces() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : command(List.of("ip", "netns", "list")).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    private static List<String> links() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : command(List.of("ip", "-o", "link", "show")).split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                int at = parts[1].indexOf('@');
                names.add(at >= 0 ? parts[1].substring(0, at) : parts[1]);
            }
        }
        return names;
    }

    /** Kills what still runs in {@code ns} (sshd sessions, detached commands), then deletes it. */
    private static void deleteNamespace(String ns, List<String> failures) throws IOException {
        ProcessResult pids = exec(List.of("ip", "netns", "pids", ns));
        List<ProcessHandle> killed = new ArrayList<>();
        for (String word : pids.output().split("\\s+")) {
            if (pids.exit() == 0 && word.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(word)).ifPresent(p -> {
                    p.destroyForcibly();
                    killed.add(p);
                });
            }
        }
        for (ProcessHandle p : killed) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add("process " + p.pid() + " in " + ns + " did not exit after SIGKILL");
            }
        }
        ProcessResult r = exec(List.of("ip", "netns", "del", ns));
        if (r.exit() != 0) {
            failures.add("namespace " + ns + ": " + r.output());
        }
    }

    private static void deleteTree(Path root, List<String> failures) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            failures.add(root + ": " + e);
        }
    }

    private record ProcessResult(int exit, String output) {
    }

    private static String command(List<String> cmd) throws IOException {
        ProcessResult r = exec(cmd);
        if (r.exit() != 0) {
            throw new IOException("`" + String.join(" ", cmd) + "` failed (exit " + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        ProcessResult r = exec(cmd);
        if (r.exit() != 0) {
            String text = "`" + String.join(" ", cmd) + "` failed (exit " + r.exit() + "): " + r.output();
            if (r.output().contains("Operation not permitted") || r.output().contains("Permission denied")) {
                throw new Unavailable(text);
            }
            throw new IOException(text);
        }
    }

    private static ProcessResult exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("`" + String.join(" ", cmd) + "` did not finish within "
                        + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new ProcessResult(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running `" + String.join(" ", cmd) + "`", e);
        }
    }
}
