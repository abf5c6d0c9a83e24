package io.predastore.node.cli;

import io.predastore.node.bench.Durations;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.supervisor.DevCertificates;
import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.HttpTls;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster init|up|down|status|health|add-node|remove-node|replace-node|deploy|start-node|stop-node|kill-node|
 * credentials|add-secret}: a cluster of node processes on this machine, or over SSH on other machines.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Create and run a cluster of nodes on this machine or, over SSH, on others.",
        subcommands = {ClusterCommand.Init.class, ClusterCommand.Up.class, ClusterCommand.Down.class,
                StatusCommand.class, HealthCommand.class, AddNodeCommand.class, RemoveNodeCommand.class,
                ReplaceNodeCommand.class, DeployCommand.class, NodeProcessCommands.StartNode.class,
                NodeProcessCommands.StopNode.class, NodeProcessCommands.KillNode.class,
                ClusterCommand.CredentialsCommand.class,
                ClusterCommand.AddSecret.class})
final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Says how to reach the cluster without printing a secret: output is often kept (a CI log, a terminal
     * recording), while the secrets stay in the owner-only cluster file.
     */
    static void printAccess(PrintWriter out, ClusterConfig config, Path dir) {
        out.println("Region:            " + config.region());
        out.println("Access key:        " + config.credentials().accessKey());
        out.println("Secret keys:       in [credentials] of " + config.file() + "; to use them in a shell:");
        out.println("                   eval \"$(predastore-node cluster credentials --dir " + dir + ")\"");
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write a dev cluster: cluster file, CA, node certificates, credentials, free ports.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Directory for the cluster (created if missing).")
        Path dir;

        @Option(names = "--nodes", defaultValue = "5", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--data", defaultValue = "3", description = "Data shards per stripe (default: "
                + "${DEFAULT-VALUE}).")
        int data;

        @Option(names = "--parity", defaultValue = "2", description = "Parity shards per stripe (default: "
                + "${DEFAULT-VALUE}).")
        int parity;

        @Option(names = "--write-quorum", paramLabel = "SHARDS", description = "Fewest shards a new object may be "
                + "stored with while nodes are down, the rest recorded for repair; between data + 1 and data + parity "
                + "(default: data + parity, every shard).")
        Integer writeQuorum;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every node listens on and is "
                + "reached at (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--base-port", defaultValue = "9001", description = "First port to try; ports are taken "
                + "upwards from it, skipping busy ones; 0 lets the OS pick (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--tls", defaultValue = "auto", converter = HttpTlsConverter.class, paramLabel = "auto|on|off",
                description = "TLS on each node's S3 port and admin API (node-to-node traffic always has it): auto "
                        + "turns it on unless --host is a loopback address; on and off force it (default: "
                        + "${DEFAULT-VALUE}).")
        HttpTls tls;

        @Option(names = "--hosts", split = ",", paramLabel = "USER@HOST[:PORT]", description = "Run the nodes on "
                + "other machines, logged in to over SSH: one login per node, in node order (a machine may be named "
                + "more than once; --nodes may then be left out). Each node listens on its machine's address, on "
                + "four fixed ports from --base-port per node on a machine, with TLS on every port. Copy the files "
                + "there with 'cluster deploy'.")
        List<String> hosts;

        @Option(names = "--ssh-identity", paramLabel = "FILE", description = "With --hosts: the private key to log "
                + "in with (default: the ssh-agent's keys, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa).")
        Path sshIdentity;

        @Option(names = "--ssh-known-hosts", paramLabel = "FILE", description = "With --hosts: the known_hosts "
                + "file that says which hosts are trusted (default: ~/.ssh/known_hosts).")
        Path sshKnownHosts;

        @Option(names = "--remote-dir", paramLabel = "DIR", description = "With --hosts: the directory on each "
                + "machine for the node jar, the nodes' files and their data; absolute, or under the login's home "
                + "(default: predastore).")
        String remoteDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ClusterConfig config;
            try {
                ErasureConfig rs = writeQuorum == null ? new ErasureConfig(data, parity)
                        : new ErasureConfig(data, parity, writeQuorum);
                if (hosts != null) {
                    config = initRemote(rs);
                } else {
                    if (sshIdentity != null || sshKnownHosts != null || remoteDir != null) {
                        throw new IllegalArgumentException("--ssh-identity, --ssh-known-hosts and --remote-dir go "
                                + "with --hosts, which names the machines the nodes run on");
                    }
                    PortAllocator ports = PortAllocator.from(InetAddress.getByName(host), basePort);
                    config = DevClusterInit.create(dir, nodes, rs, host, ports, tls);
                }
            } catch (FileAlreadyExistsException e) {
                err.println("error: " + e.getFile() + " already exists; a cluster is not overwritten. Remove the "
                        + "directory or choose another --dir.");
                return 1;
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            Path base = config.directory();
            out.println("Created dev cluster \"" + config.cluster() + "\" in " + base);
            out.println("Cluster file:      " + config.file());
            out.println("Erasure coding:    " + config.rs().data() + " data + " + config.rs().parity() + " parity"
                    + (config.rs().allowsDegradedWrites() ? ", writes go on with " + config.rs().writeQuorum()
                            + " shards while nodes are down" : ""));
            out.println("CA certificate:    " + config.tls().caCert());
            out.println("CA private key:    " + DevClusterInit.caKeyFile(base) + " (owner-only; nodes never read it: "
                    + "move it off this machine or delete it once no more node certificates are needed)");
            boolean httpTls = config.nodes().get(0).adminTls();
            out.println("S3 and admin TLS:  " + (httpTls ? "on (HTTPS with each node's certificate; clients trust "
                    + config.tls().caCert().getFileName() + ")" : "off (plain HTTP" + (DevCertificates.isLoopback(host)
                            ? " on loopback" : "; anyone on the network can read the traffic") + ")"));
            out.println("Credentials:       in [credentials] of " + config.file() + " (owner-only file)");
            out.println();
            boolean remote = config.hasRemoteNodes();
            out.printf("%-6s %-16s %-8s %-10s %-10s %-10s %s%n", "NODE", "HOST", "S3", "RAFT", "SHARD", "ADMIN",
                    remote ? "SSH" : "DATA");
            for (NodeConfig node : config.nodes()) {
                out.printf("%-6d %-16s %-8d %-10d %-10d %-10d %s%n", node.id(), node.host(), node.s3Port(),
                        node.raftPort(), node.shardPort(), node.adminPort(), remote ? node.ssh()
                                : base.relativize(node.dataDir()));
            }
            out.println();
            if (remote) {
                out.println("Files and data on each host: " + RemoteNodes.layout(config).dir() + (RemoteNodes.layout(
                        config).dir().startsWith("/") ? "" : " (under the login's home)"));
                out.println("Copy them there with: predastore-node cluster deploy --dir " + dir);
                out.println("Then start it with:   predastore-node cluster up --dir " + dir);
            } else {
                out.println("Start it with: predastore-node cluster up --dir " + dir);
            }
            out.flush();
            return 0;
        }

        /**
         * The option checks and the cluster of {@code cluster init --hosts}.
         *
         * @throws IllegalArgumentException saying which option is wrong and how
         */
        private ClusterConfig initRemote(ErasureConfig rs) throws IOException {
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--host")) {
                throw new IllegalArgumentException("--host and --hosts do not go together: with --hosts each node "
                        + "listens on the address of its machine");
            }
            if (tls == HttpTls.OFF) {
                throw new IllegalArgumentException("--tls off does not go with --hosts: nodes on other machines serve "
                        + "S3 and the admin API over TLS only");
            }
            if (basePort < 1) {
                throw new IllegalArgumentException("--base-port " + basePort + " does not go with --hosts: ports on "
                        + "other machines are fixed, give a first port from 1 to 65532");
            }
            if (parsed.hasMatchedOption("--nodes") && nodes != hosts.size()) {
                throw new IllegalArgumentException("--nodes " + nodes + " but --hosts names " + hosts.size()
                        + " login(s): give one login per node (a machine may be named more than once), or leave "
                        + "--nodes out");
            }
            List<SshTarget> logins = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                try {
                    logins.add(SshTarget.parse(hosts.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--hosts, node " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            Path identity = null;
            if (sshIdentity != null) {
                identity = sshIdentity.toAbsolutePath().normalize();
                if (!java.nio.file.Files.isRegularFile(identity) || !java.nio.file.Files.isReadable(identity)) {
                    throw new IllegalArgumentException("--ssh-identity " + sshIdentity + ": no readable key file there; "
                            + "give the private key (not the .pub) to log in with");
                }
            }
            Path knownHosts = sshKnownHosts == null ? null : sshKnownHosts.toAbsolutePath().normalize();
            io.predastore.protocol.config.SshConfig ssh;
            try {
                ssh = new io.predastore.protocol.config.SshConfig(identity, knownHosts, remoteDir);
            } catch (io.predastore.protocol.config.ClusterConfigException e) {
                throw new IllegalArgumentException("--remote-dir " + remoteDir + ": " + e.reason(), e);
            }
            return DevClusterInit.createRemote(dir, logins, rs, basePort, ssh);
        }
    }

    /** Picocli converter for {@code --tls}. */
    static final class HttpTlsConverter implements CommandLine.ITypeConverter<HttpTls> {
        @Override
        public HttpTls convert(String value) {
            for (HttpTls t : HttpTls.values()) {
                if (t.cliName().equals(value)) {
                    return t;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not auto, on or off");
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start every node of the cluster in the background and wait until each serves S3.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterDirectory cluster;

        @Option(names = "--wait", defaultValue = "60s", description = "How long to wait for the nodes "
                + "(default: ${DEFAULT-VALUE}).")
        String wait;

        @Mixin
        NodeLaunch launch;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ClusterConfig config = cluster.load(err);
            if (config == null) {
                return 1;
            }
            NodeLaunch.Resolved resolved = launch.resolve(wait, err);
            if (resolved == null) {
                return 2;
            }
            Duration timeout = resolved.timeout();
            Path nodeJar = resolved.nodeJar();
            // Nodes removed from the cluster while it ran leave the file first, if a node still runs to say so.
            MemberList list = MemberList.fetch(config, -1, new ArrayList<>());
            if (list != null) {
                config = list.pruneRemoved(config, out, err);
            }
            Path clusterDir = config.directory();
            // A cluster made before nodes had a cluster secret gets one here: every node is on this machine.
            try {
                List<Path> given = DevClusterInit.addSecret(config);
                if (!given.isEmpty()) {
                    out.println("Gave " + given.size() + " node(s) the cluster secret: " + given);
                }
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            SupervisorSettings settings = SupervisorSettings.defaults().withMaxHeap(launch.heap)
                    .withStartTimeout(timeout);
            List<Integer> started = new ArrayList<>();
            List<NodeConfig> members = new ArrayList<>();
            List<NodeConfig> remote = new ArrayList<>();
            List<RemoteNodeControl.Started> startedRemote = new ArrayList<>();
            Map<Integer, Long> remotePids = new java.util.HashMap<>();
            try (NodeSupervisor supervisor = NodeSupervisor.create(clusterDir, settings);
                 RemoteHosts hosts = new RemoteHosts(config)) {
                for (NodeConfig node : config.nodes()) {
                    if (DevNodeFiles.isRemoved(node.dataDir())) {
                        out.println("node " + node.id() + " was removed from the cluster (its data directory holds "
                                + "the removed marker): not started. 'cluster status' drops it from the cluster "
                                + "file while another node runs.");
                        continue;
                    }
                    members.add(node);
                    if (node.remote()) {
                        remote.add(node);
                        continue;
                    }
                    Optional<ProcessHandle> running = PidFiles.liveProcess(clusterDir, node.id());
                    if (running.isPresent()) {
                        out.println("node " + node.id() + " is already running (pid " + running.get().pid() + ")");
                        continue;
                    }
                    supervisor.start(node.id(), NodeLaunchSpec.forClusterNode(config, node.id(), nodeJar));
                    started.add(node.id());
                }
                if (members.isEmpty()) {
                    err.println("error: no node to start: every node of " + config.file() + " was removed from the "
                            + "cluster. Make a new cluster with 'predastore-node cluster init'.");
                    return 1;
                }
                try {
                    RemoteNodeControl.start(hosts, config, remote, launch.heap, out, startedRemote);
                } catch (RemoteNodeControl.StartFailure e) {
                    err.println("error: " + e.getMessage());
                    err.println("Stopping the nodes started so far.");
                    err.flush();
                    RemoteNodeControl.stopStarted(hosts, config, startedRemote, err);
                    supervisor.stopAll(Duration.ofSeconds(5));
                    return 1;
                }
                for (int id : started) {
                    String failure = awaitServing(supervisor, config.node(id), timeout);
                    if (failure != null) {
                        printStartFailure(err, clusterDir, id, failure);
                        err.println("Stopping the nodes started so far.");
                        err.flush();
                        RemoteNodeControl.stopStarted(hosts, config, startedRemote, err);
                        supervisor.stopAll(Duration.ofSeconds(5));
                        return 1;
                    }
                }
                for (RemoteNodeControl.Started s : startedRemote) {
                    String failure = RemoteNodeControl.awaitServing(hosts, config, s, timeout);
                    if (failure != null) {
                        RemoteNodeControl.printStartFailure(err, hosts, config, s.node(), failure);
                        err.println("Stopping the nodes started so far.");
                        err.flush();
                        RemoteNodeControl.stopStarted(hosts, config, startedRemote, err);
                        supervisor.stopAll(Duration.ofSeconds(5));
                        return 1;
                    }
                    remotePids.put(s.node().id(), s.pid());
                }
                if (!remote.isEmpty()) {
                    Map<SshTarget, List<NodeConfig>> byHost = RemoteNodes.byHost(config);
                    for (Map.Entry<SshTarget, List<NodeConfig>> e : byHost.entrySet()) {
                        try {
                            RemoteNodes.running(hosts.get(e.getKey()), RemoteNodes.layout(config),
                                    e.getValue().stream().map(NodeConfig::id).toList())
                                    .forEach((id, pid) -> pid.ifPresent(p -> remotePids.put(id, p)));
                        } catch (IOException ex) {
                            err.println("warning: cannot read the pids on " + e.getKey() + ": " + ex.getMessage());
                        }
                    }
                }
            }
            out.println("Cluster \"" + config.cluster() + "\" is up (" + members.size() + " nodes).");
            for (NodeConfig node : members) {
                long pid = node.remote() ? remotePids.getOrDefault(node.id(), -1L)
                        : PidFiles.readPid(clusterDir, node.id()).orElse(-1L);
                out.printf("  node %-3d %-28s pid %d%s%n", node.id(), node.s3Endpoint(), pid,
                        node.remote() ? " on " + RemoteNodes.login(node) : "");
            }
            printAccess(out, config, cluster.dir);
            out.println("Logs:              " + clusterDir.resolve("logs") + (remote.isEmpty() ? ""
                    : "; on the hosts, " + RemoteNodes.layout(config).dir() + "/logs"));
            out.println("Stop it with:      predastore-node cluster down --dir " + cluster.dir);
            out.flush();
            return 0;
        }

        /**
         * Waits until {@code node}, just started by {@code supervisor}, runs and serves S3.
         *
         * @return why it does not, or null once it does
         */
        static String awaitServing(NodeSupervisor supervisor, NodeConfig node, Duration timeout)
                throws InterruptedException {
            NodeProcessStatus status;
            try {
                status = supervisor.awaitReady(node.id(), timeout.plusSeconds(5));
            } catch (TimeoutException e) {
                status = supervisor.status(node.id());
            }
            if (status.state() == NodeState.RUNNING && (reachable(node.host(), node.s3Port())
                    || waitReachable(node, Duration.ofSeconds(5)))) {
                return null;
            }
            return status.detail() != null ? status.detail() : status.state().toString();
        }

        /** Says that node {@code id} did not start, why, and the end of its log. */
        static void printStartFailure(PrintWriter err, Path clusterDir, int id, String why) {
            err.println("error: node " + id + " did not start: " + why);
            Path log = NodeLaunchSpec.logFile(clusterDir, id);
            err.println("Last lines of " + log + ":");
            NodeSupervisor.tail(log, 20).forEach(line -> err.println("  " + line));
        }

        private static boolean waitReachable(NodeConfig node, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (reachable(node.host(), node.s3Port())) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every node started by 'cluster up' (SIGTERM, then SIGKILL after the timeout).")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterDirectory cluster;

        @Option(names = "--timeout", defaultValue = "10s", description = "How long nodes get to stop before "
                + "SIGKILL (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ClusterConfig config = cluster.load(err);
            if (config == null) {
                return 1;
            }
            Duration wait;
            try {
                wait = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            // Read before the nodes stop: afterwards none answers.
            MemberList list = MemberList.fetch(config, -1, new ArrayList<>());
            List<Integer> ids = config.nodes().stream().filter(n -> !n.remote()).map(NodeConfig::id).toList();
            Map<Integer, PidFiles.StopOutcome> outcomes = new java.util.TreeMap<>(
                    PidFiles.stopAll(config.directory(), ids, wait));
            List<NodeConfig> remote = config.nodes().stream().filter(NodeConfig::remote).toList();
            boolean failed = false;
            if (!remote.isEmpty()) {
                try (RemoteHosts hosts = new RemoteHosts(config)) {
                    Map<Integer, PidFiles.StopOutcome> stopped = RemoteNodeControl.stop(hosts, config, remote, wait,
                            false, err);
                    failed = stopped.size() < remote.size();
                    outcomes.putAll(stopped);
                }
            }
            outcomes.forEach((id, outcome) -> out.println("node " + id + ": "
                    + RemoteNodeControl.describe(outcome, timeout)));
            if (list != null) {
                list.pruneRemoved(config, out, err);
            }
            out.flush();
            return failed ? 1 : 0;
        }
    }

    @Command(name = "add-secret", mixinStandardHelpOptions = true,
            description = "Give every node of a cluster made before nodes had one the cluster secret that metadata "
                    + "requests are sealed with (run it once, with the nodes stopped).")
    static final class AddSecret implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterDirectory cluster;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ClusterConfig config = cluster.load(err);
            if (config == null) {
                return 1;
            }
            try {
                List<Path> written = DevClusterInit.addSecret(config);
                if (written.isEmpty()) {
                    out.println("Every node already has the cluster secret; nothing written.");
                }
                for (Path file : written) {
                    out.println("Wrote " + file + " (owner-only)");
                }
                return 0;
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "credentials", mixinStandardHelpOptions = true,
            description = "Print the cluster's S3 key pair (or the admin pair) as shell exports, for eval.")
    static final class CredentialsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterDirectory cluster;

        @Option(names = "--admin", description = "The admin API's key pair instead of the S3 one.")
        boolean admin;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ClusterConfig config = cluster.load(spec.commandLine().getErr());
            if (config == null) {
                return 1;
            }
            if (admin) {
                out.println("export PREDASTORE_ADMIN_ACCESS_KEY=" + shellQuote(config.credentials().adminAccessKey()));
                out.println("export PREDASTORE_ADMIN_SECRET_KEY=" + shellQuote(config.credentials().adminSecretKey()));
            } else {
                out.println("export AWS_ACCESS_KEY_ID=" + shellQuote(config.credentials().accessKey()));
                out.println("export AWS_SECRET_ACCESS_KEY=" + shellQuote(config.credentials().secretKey()));
                out.println("export AWS_DEFAULT_REGION=" + shellQuote(config.region()));
            }
            out.flush();
            return 0;
        }

        /** {@code 'text'}, with any single quote in it closed, escaped and reopened. */
        static String shellQuote(String text) {
            return "'" + text.replace("'", "'\\''") + "'";
        }
    }
}
