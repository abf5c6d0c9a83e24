package io.predastore.node.supervisor;

import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.node.remote.CommandResult;
import io.predastore.node.remote.RemoteException;
import io.predastore.node.remote.RemoteHost;
import io.predastore.node.remote.Shell;
import io.predastore.node.remote.SshSettings;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.remote.UploadResult;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.SshConfig;
import io.predastore.protocol.config.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nodes of a cluster that run on other machines, reached over SSH (the {@code ssh} login of a {@code [[node]]}):
 * what a host needs checked, what {@code cluster deploy} copies there, and starting, finding and stopping the node
 * processes there (docs/remote.md). Every remote path is under the cluster's remote directory ({@code [ssh]
 * remote_dir}, relative to the remote user's home unless absolute), laid out as the cluster directory is here:
 *
 * <pre>
 * predastore-node.jar     the node jar
 * cluster.toml            the cluster file, with these relative paths and without the SSH settings
 * tls/ca.pem, tls/node-N.pem, tls/node-N.key
 * node-N/                 node N's data directory (its cluster secret is copied in)
 * logs/node-N.log         node N's log; logs/node-N.out what its JVM prints
 * run/node-N.pid          node N's process id, written when it is started
 * </pre>
 *
 * <p>A node is started detached ({@link RemoteHost#startDetached}: its own session, no terminal), so it outlives the
 * SSH connection and this process; it is found again from its pid file, and counts as alive only while that process
 * exists, is not a zombie, and runs this node of this cluster file (its command line says so), so a reused pid is not
 * mistaken for it. Stateless: every method works over the connection it is given.
 */
public final class RemoteNodes {
    /** The node jar's name on a host: the same file the local supervisor launches. */
    public static final String JAR = "predastore-node.jar";
    /** The oldest Java a node runs on. */
    public static final int MIN_JAVA = 17;
    /** How long a single helper command may take on a host. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?[^\"]*\"");
    /** A POSIX shell function: whether process $1 exists and is not a zombie. */
    private static final String ALIVE = "alive() { s=$(sed 's/.*) //' \"/proc/$1/stat\" 2>/dev/null | cut -c1); "
            + "[ -n \"$s\" ] && [ \"$s\" != Z ]; }; ";

    private RemoteNodes() {
    }

    /** Where a node's files are on its host, under the remote directory {@code dir}. */
    public record Layout(String dir) {
        public Layout {
            if (dir == null || dir.isEmpty()) {
                throw new IllegalArgumentException("the remote directory is empty");
            }
        }

        public String jar() {
            return dir + "/" + JAR;
        }

        public String clusterFile() {
            return dir + "/" + DevClusterInit.CLUSTER_FILE;
        }

        public String caCert() {
            return dir + "/tls/ca.pem";
        }

        public String nodeCert(int id) {
            return dir + "/tls/node-" + id + ".pem";
        }

        public String nodeKey(int id) {
            return dir + "/tls/node-" + id + ".key";
        }

        public String dataDir(int id) {
            return dir + "/node-" + id;
        }

        public String secret(int id) {
            return dataDir(id) + "/" + ClusterSecret.FILE_NAME;
        }

        public String log(int id) {
            return dir + "/logs/node-" + id + ".log";
        }

        public String console(int id) {
            return dir + "/logs/node-" + id + ".out";
        }

        public String pidFile(int id) {
            return dir + "/run/node-" + id + ".pid";
        }
    }

    /** The layout of {@code config}'s remote directory. */
    public static Layout layout(ClusterConfig config) {
        return new Layout(config.ssh().remoteDirOrDefault());
    }

    /**
     * How to reach the hosts of {@code config}: the user's SSH defaults ({@link SshSettings#defaults()}) with the
     * key file and {@code known_hosts} of its {@code [ssh]} table where given.
     */
    public static SshSettings settings(ClusterConfig config) {
        SshSettings settings = SshSettings.defaults();
        SshConfig ssh = config.ssh();
        if (ssh.identity() != null) {
            settings = settings.withIdentities(List.of(ssh.identity()));
        }
        if (ssh.knownHosts() != null) {
            settings = settings.withKnownHosts(ssh.knownHosts());
        }
        return settings;
    }

    /** The SSH login of a remote node. */
    public static SshTarget login(NodeConfig node) {
        return SshTarget.parse(node.ssh());
    }

    /**
     * Checks every {@code ssh} login of {@code config} in full (user, host, port), which the cluster file's reader
     * checks only for its shape.
     *
     * @throws ClusterConfigException naming the file, the node and what to write instead
     */
    public static void check(ClusterConfig config) {
        for (int i = 0; i < config.nodes().size(); i++) {
            NodeConfig node = config.nodes().get(i);
            if (!node.remote()) {
                continue;
            }
            try {
                login(node);
            } catch (IllegalArgumentException e) {
                ClusterConfigException failure = ClusterConfigException.invalid("node[" + i + "].ssh",
                        ClusterConfigWriter.quote(node.ssh()), e.getMessage());
                throw config.file() == null ? failure : failure.inFile(config.file(), 0);
            }
        }
    }

    /** The remote nodes of {@code config} by host, in file order. */
    public static Map<SshTarget, List<NodeConfig>> byHost(ClusterConfig config) {
        Map<SshTarget, List<NodeConfig>> hosts = new LinkedHashMap<>();
        for (NodeConfig node : config.nodes()) {
            if (node.remote()) {
                hosts.computeIfAbsent(login(node), t -> new ArrayList<>()).add(node);
            }
        }
        return hosts;
    }

    /**
     * What a host offers a node.
     *
     * @param os          {@code uname -s}
     * @param arch        {@code uname -m}
     * @param java        the Java found, or null when none of at least {@link #MIN_JAVA}
     * @param javaVersion its version line
     * @param others      the Javas found too old, as {@code path (version)}
     */
    public record HostCheck(String os, String arch, String java, String javaVersion, List<String> others) {
        /** What is wrong with the host for running nodes, or null when nothing is. */
        public String problem(SshTarget target) {
            if (!"Linux".equals(os)) {
                return target + " runs " + (os.isEmpty() ? "an unknown system" : os) + ", not Linux: nodes run on "
                        + "Linux hosts only";
            }
            if (!List.of("x86_64", "amd64", "aarch64", "arm64").contains(arch)) {
                return target + " is a " + arch + " machine: nodes run on x86-64 and arm64 only";
            }
            if (java == null) {
                return "no Java " + MIN_JAVA + " or newer on " + target + " (looked for `java` on the PATH and under "
                        + "/usr/lib/jvm" + (others.isEmpty() ? ": none found" : "; found only " + String.join(", ",
                                others)) + "). Install one there, e.g. `sudo apt install openjdk-17-jre-headless` "
                        + "(Debian, Ubuntu) or `sudo dnf install java-17-openjdk-headless` (Fedora, RHEL), then "
                        + "deploy again. (Deploying a Java runtime with the node is not done yet.)";
            }
            return null;
        }
    }

    /**
     * The {@code sh} script behind {@link #checkHost}: prints {@code os=}, {@code arch=}, and {@code java=PATH|VERSION
     * LINE} for the {@code java} on the PATH, then for those under {@code /usr/lib/jvm} until one is 17 or newer.
     */
    static final String HOST_CHECK_SCRIPT = "echo \"os=$(uname -s)\"; echo \"arch=$(uname -m)\"; "
            + "for j in \"$(command -v java 2>/dev/null)\" /usr/lib/jvm/*/bin/java; do "
            + "[ -n \"$j\" ] && [ -x \"$j\" ] || continue; "
            + "v=$(\"$j\" -version 2>&1 | head -n 1); echo \"java=$j|$v\"; "
            // Versions 1.x and 2 to 16 go on looking; the first that names another version is the one.
            + "case \"$v\" in *\\\"1.*|*\\\"[0-9]\\\"*|*\\\"[0-9].*|*\\\"[0-9]-*|*\\\"1[0-6]\\\"*|*\\\"1[0-6].*"
            + "|*\\\"1[0-6]-*) ;; *version\\ \\\"*) break;; esac; done";

    /** Looks at the host's system, machine and Javas ({@code java -version} of each). */
    public static HostCheck checkHost(RemoteHost host) throws IOException {
        CommandResult r = host.run(List.of("sh", "-c", HOST_CHECK_SCRIPT), COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new RemoteException(host.target(), "cannot look at the system of " + host.target() + ": "
                    + r.describe());
        }
        return parseHostCheck(r.stdout());
    }

    static HostCheck parseHostCheck(String stdout) {
        String os = "";
        String arch = "";
        String java = null;
        String javaVersion = null;
        List<String> others = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("os=")) {
                os = line.substring(3).strip();
            } else if (line.startsWith("arch=")) {
                arch = line.substring(5).strip();
            } else if (line.startsWith("java=")) {
                int bar = line.indexOf('|');
                String path = line.substring(5, bar < 0 ? line.length() : bar);
                String version = bar < 0 ? "" : line.substring(bar + 1).strip();
                if (java == null && majorVersion(version) >= MIN_JAVA) {
                    java = path;
                    javaVersion = version;
                } else if (majorVersion(version) < MIN_JAVA) {
                    others.add(path + " (" + (version.isEmpty() ? "no version" : version) + ")");
                }
            }
        }
        return new HostCheck(os, arch, java, javaVersion, List.copyOf(others));
    }

    /** The major version in a {@code java -version} first line ({@code 17}, {@code 8} for {@code 1.8.0}), or -1. */
    static int majorVersion(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    /**
     * The cluster file as the remote nodes read it: every path relative, in the remote layout, and without the SSH
     * settings (which only the {@code cluster} commands use). The same on every host.
     */
    public static String remoteClusterFile(ClusterConfig config) {
        List<NodeConfig> nodes = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            nodes.add(node.withPaths(Path.of("node-" + node.id()), Path.of("tls", "node-" + node.id() + ".pem"),
                    Path.of("tls", "node-" + node.id() + ".key")).withSsh(null));
        }
        ClusterConfig remote = new ClusterConfig(config.cluster(), config.region(), config.transport(), config.rs(),
                config.credentials(), new TlsConfig(Path.of("tls", "ca.pem")), config.raft(), config.storage(),
                config.tuning(), nodes, SshConfig.DEFAULTS, null);
        return ClusterConfigWriter.toToml(remote, null);
    }

    /** One file {@link #deploy} copies: from here, to there, with this mode. */
    public record Copy(Path local, String remote, int mode) {
    }

    /**
     * The files {@link #deploy} copies to a host for {@code nodes} (its nodes): the jar, the cluster file (from
     * {@code clusterFile}, the text of {@link #remoteClusterFile}), the CA certificate, and per node its certificate,
     * key and cluster secret. Keys, secrets and the cluster file (it holds the credentials) are owner-only.
     */
    public static List<Copy> files(ClusterConfig config, List<NodeConfig> nodes, Path jar, Path clusterFile) {
        Layout at = layout(config);
        List<Copy> copies = new ArrayList<>();
        copies.add(new Copy(jar, at.jar(), 0644));
        copies.add(new Copy(clusterFile, at.clusterFile(), 0600));
        copies.add(new Copy(config.tls().caCert(), at.caCert(), 0644));
        for (NodeConfig node : nodes) {
            copies.add(new Copy(node.tlsCert(), at.nodeCert(node.id()), 0644));
            copies.add(new Copy(node.tlsKey(), at.nodeKey(node.id()), 0600));
            copies.add(new Copy(ClusterSecret.fileIn(node.dataDir()), at.secret(node.id()), 0600));
        }
        return copies;
    }

    /**
     * Writes the remote cluster file ({@link #remoteClusterFile}) to {@code deploy/cluster.toml} in the cluster
     * directory, owner-only, for {@link #deploy} to copy.
     */
    public static Path stageClusterFile(ClusterConfig config) throws IOException {
        Path dir = config.directory().resolve("deploy");
        OwnerOnly.createDirectories(dir);
        Path file = dir.resolve(DevClusterInit.CLUSTER_FILE);
        OwnerOnly.writeAtomically(file, remoteClusterFile(config).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** Copies {@code copies} to the host ({@link RemoteHost#upload}: verified, skipped when unchanged). */
    public static List<UploadResult> deploy(RemoteHost host, List<Copy> copies) throws IOException {
        List<UploadResult> results = new ArrayList<>();
        for (Copy copy : copies) {
            results.add(host.upload(copy.local(), copy.remote(), copy.mode()));
        }
        return results;
    }

    /**
     * Which of {@code ids} run on the host: the pid of each whose pid file names a live process of that node, or
     * empty.
     */
    public static Map<Integer, OptionalLong> running(RemoteHost host, Layout at, List<Integer> ids)
            throws IOException {
        CommandResult r = host.run(List.of("sh", "-c", runningScript(at, ids)), COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new RemoteException(host.target(), "cannot read the pid files on " + host.target() + ": "
                    + r.describe());
        }
        return parseRunning(r.stdout(), ids);
    }

    /**
     * The {@code sh} script behind {@link #running}: prints {@code ID PID} for each node whose pid file names a live
     * process of that node, {@code ID -} for the others.
     */
    static String runningScript(Layout at, List<Integer> ids) {
        StringBuilder script = new StringBuilder(ALIVE);
        for (int id : ids) {
            String marker = "--config " + at.clusterFile() + " --node " + id + " --";
            script.append("p=$(head -n 1 ").append(Shell.quote(at.pidFile(id))).append(" 2>/dev/null); ")
                    .append("case \"$p\" in ''|*[!0-9]*) echo '").append(id).append(" -';; *) ")
                    .append("if alive \"$p\" && tr '\\000' ' ' < \"/proc/$p/cmdline\" 2>/dev/null | grep -qF -- ")
                    .append(Shell.quote(marker)).append("; then echo \"").append(id).append(" $p\"; else echo '")
                    .append(id).append(" -'; fi;; esac; ");
        }
        return script.toString();
    }

    static Map<Integer, OptionalLong> parseRunning(String stdout, List<Integer> ids) {
        Map<Integer, OptionalLong> result = new LinkedHashMap<>();
        ids.forEach(id -> result.put(id, OptionalLong.empty()));
        for (String line : stdout.split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")) {
                result.put(Integer.parseInt(parts[0]), OptionalLong.of(Long.parseLong(parts[1])));
            }
        }
        return result;
    }

    /** Whether the files {@code cluster deploy} copies for node {@code id} are on the host. */
    public static String missingFiles(RemoteHost host, Layout at, int id) throws IOException {
        List<String> needed = List.of(at.jar(), at.clusterFile(), at.caCert(), at.nodeCert(id), at.nodeKey(id),
                at.secret(id));
        StringBuilder script = new StringBuilder();
        for (String file : needed) {
            script.append("[ -f ").append(Shell.quote(file)).append(" ] || echo ").append(Shell.quote(file))
                    .append("; ");
        }
        CommandResult r = host.run(List.of("sh", "-c", script.toString()), COMMAND_TIMEOUT);
        String missing = r.stdout().strip();
        return missing.isEmpty() ? null : String.join(", ", missing.split("\n"));
    }

    /**
     * Starts node {@code node} on the host with {@code java} and heap {@code maxHeap}, detached, and writes its pid
     * file there. It is not waited for.
     *
     * @return its process id on the host
     */
    public static long start(RemoteHost host, Layout at, NodeConfig node, String java, String maxHeap)
            throws IOException {
        List<String> command = List.of(java, "-Xmx" + maxHeap, "--add-modules", "jdk.incubator.vector",
                NodeSupervisor.COLLECTOR, NodeSupervisor.KEEP_COMPILED_CODE, "-jar", at.jar(), "serve", "--backend",
                "distributed", "--config", at.clusterFile(), "--node", Integer.toString(node.id()), "--log-file",
                at.log(node.id()));
        // The console file is emptied at each start, as the local supervisor does, so it never grows without bound.
        CommandResult cleared = host.run(List.of("rm", "-f", at.console(node.id())), COMMAND_TIMEOUT);
        if (!cleared.ok()) {
            throw new RemoteException(host.target(), "cannot clear " + at.console(node.id()) + " on " + host.target()
                    + ": " + cleared.describe());
        }
        long pid = host.startDetached(command, at.console(node.id()));
        String pidFile = at.pidFile(node.id());
        String script = "umask 077 && mkdir -p " + Shell.quote(pidFile.substring(0, pidFile.lastIndexOf('/')))
                + " && printf '%s\\n' " + pid + " > " + Shell.quote(pidFile + ".tmp") + " && mv -f "
                + Shell.quote(pidFile + ".tmp") + " " + Shell.quote(pidFile);
        CommandResult written = host.run(List.of("sh", "-c", script), COMMAND_TIMEOUT);
        if (!written.ok()) {
            host.run(List.of("kill", "-KILL", Long.toString(pid)), COMMAND_TIMEOUT);
            throw new RemoteException(host.target(), "cannot write the pid file " + pidFile + " on " + host.target()
                    + " (" + written.describe() + "); node " + node.id() + " was stopped again");
        }
        return pid;
    }

    /**
     * Stops the given nodes on the host: SIGTERM (or SIGKILL at once when {@code kill}), waits up to
     * {@code timeout} for each to exit, SIGKILL to those still alive, and removes their pid files.
     *
     * @return per node id: whether it was not running, stopped, or killed (after the timeout, or on request)
     */
    public static Map<Integer, PidFiles.StopOutcome> stop(RemoteHost host, Layout at, List<Integer> ids,
            Duration timeout, boolean kill) throws IOException {
        Map<Integer, OptionalLong> live = running(host, at, ids);
        Map<Integer, PidFiles.StopOutcome> outcomes = new LinkedHashMap<>();
        StringBuilder pids = new StringBuilder();
        live.forEach((id, pid) -> {
            if (pid.isPresent()) {
                pids.append(' ').append(pid.getAsLong());
            } else {
                outcomes.put(id, PidFiles.StopOutcome.NOT_RUNNING);
            }
        });
        if (!pids.isEmpty()) {
            CommandResult r = host.run(List.of("sh", "-c", stopScript(pids.toString().strip(), timeout, kill)),
                    timeout.plusSeconds(30));
            if (!r.ok()) {
                throw new RemoteException(host.target(), "cannot stop the nodes on " + host.target() + ": "
                        + r.describe());
            }
            String out = r.stdout();
            live.forEach((id, pid) -> {
                if (pid.isPresent()) {
                    boolean killed = out.contains("killed " + pid.getAsLong() + "\n");
                    outcomes.put(id, killed || kill ? PidFiles.StopOutcome.KILLED : PidFiles.StopOutcome.STOPPED);
                }
            });
        }
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        ids.forEach(id -> rm.add(at.pidFile(id)));
        host.run(rm, COMMAND_TIMEOUT);
        Map<Integer, PidFiles.StopOutcome> ordered = new LinkedHashMap<>();
        ids.forEach(id -> ordered.put(id, outcomes.get(id)));
        return ordered;
    }

    /**
     * The {@code sh} script behind {@link #stop}: signals the processes {@code pids} (space-separated), waits up to
     * {@code timeout} for them to end, SIGKILLs those left and waits for them too; prints {@code killed PID} or
     * {@code ended PID} for each.
     */
    static String stopScript(String pids, Duration timeout, boolean kill) {
        long rounds = Math.max(1, timeout.toMillis() / 200);
        return ALIVE + "pids='" + pids + "'; "
                + "for p in $pids; do kill -" + (kill ? "KILL" : "TERM") + " \"$p\" 2>/dev/null; done; "
                + "i=0; while [ $i -lt " + rounds + " ]; do any=; "
                + "for p in $pids; do alive \"$p\" && any=1; done; [ -z \"$any\" ] && break; "
                + "sleep 0.2; i=$((i+1)); done; "
                + "for p in $pids; do if alive \"$p\"; then kill -KILL \"$p\" 2>/dev/null; "
                + "echo \"killed $p\"; else echo \"ended $p\"; fi; done; "
                // Wait for the killed ones too, so that their ports are free when this returns.
                + "i=0; while [ $i -lt 50 ]; do any=; for p in $pids; do alive \"$p\" && any=1; done; "
                + "[ -z \"$any\" ] && break; sleep 0.2; i=$((i+1)); done";
    }

    /** The last {@code lines} lines of node {@code id}'s log and console output on the host, for messages. */
    public static List<String> tail(RemoteHost host, Layout at, int id, int lines) {
        try {
            String script = "tail -n " + lines + " " + Shell.quote(at.log(id)) + " 2>/dev/null; echo '--- "
                    + "console output (node-" + id + ".out) ---'; tail -n " + lines + " " + Shell.quote(at.console(id))
                    + " 2>/dev/null";
            CommandResult r = host.run(List.of("sh", "-c", script), COMMAND_TIMEOUT);
            return r.stdout().lines().toList();
        } catch (IOException e) {
            return List.of("(cannot read the log on " + host.target() + ": " + e.getMessage() + ")");
        }
    }
}
