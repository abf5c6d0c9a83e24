package io.predastore.node.cli;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.bench.Durations;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.runtime.NodeOptions;
import io.predastore.node.runtime.NodeRuntime;
import io.predastore.node.runtime.TuningOverrides;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Runs one node until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a node: an S3 endpoint over the chosen backend.")
final class ServeCommand implements Callable<Integer> {

    enum BackendKind { filesystem, distributed }

    /** Environment variable with the access key, used when {@code --access-key} is not given. */
    static final String ACCESS_KEY_ENV = "PREDASTORE_ACCESS_KEY";
    /** Environment variable with the secret key, used when neither {@code --secret-key*} option is given. */
    static final String SECRET_KEY_ENV = "PREDASTORE_SECRET_KEY";

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** The most S3 requests a cluster node runs at once, as {@code s3_max_requests} allows. */
    private static final int MOST_REQUESTS = 1 << 20;

    @Spec
    CommandSpec spec;

    /** Where the environment comes from; tests replace it. */
    Function<String, String> environment = System::getenv;

    @Option(names = "--backend", defaultValue = "filesystem",
            description = "Storage backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendKind backend;

    @Option(names = "--config", description = "Cluster file (with --backend distributed); see docs/cluster.md.")
    Path config;

    @Option(names = "--node", description = "Which node of the cluster file this process is (with --config).")
    Integer node;

    @Option(names = "--data-dir", description = "Where the node keeps its data (default: ./data).",
            defaultValue = "data")
    Path dataDir;

    @Option(names = "--s3-port", defaultValue = "9000",
            description = "S3 port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
            + "${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--access-key", description = "Access key; by default one is generated once and kept in the "
            + "data directory. Also read from the environment variable " + ACCESS_KEY_ENV + ".")
    String accessKey;

    @Option(names = "--secret-key-file", description = "File whose first line is the secret key (with --access-key)."
            + " The secret can also come from the environment variable " + SECRET_KEY_ENV + ".")
    Path secretKeyFile;

    @Option(names = "--secret-key", description = "Secret key (with --access-key). Every local user can read a "
            + "command line (ps), so prefer --secret-key-file or " + SECRET_KEY_ENV + ".")
    String secretKey;

    @Option(names = "--log-file", description = "Log to this file, rolled daily and at 10 MB, at most 100 MB kept "
            + "(see docs/install.md); by default the log goes to stderr.")
    Path logFile;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--domain", split = ",", defaultValue = "localhost",
            description = "Host names for virtual-host-style requests, e.g. bucket.localhost (default: "
                    + "${DEFAULT-VALUE}).")
    List<String> domains;

    @Option(names = "--tls-cert", description = "PEM certificate chain for HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for HTTPS.")
    Path tlsKey;

    @Option(names = "--reserve", paramLabel = "SIZE",
            description = "Free space to keep on the data directory's file system for deletes and metadata, e.g. "
                    + "512MiB; below it new data is refused (507 StorageFull) until space is freed. Default: 5%% of "
                    + "the file system, 64 MiB to 1 GiB. (A cluster node reads [storage] reserve_bytes instead.)")
    String reserve;

    @Option(names = "--max-requests", defaultValue = "256",
            description = "Requests run at once before clients get 503 (default: ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(names = "--max-connections", defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CONNECTIONS,
            description = "S3 connections open at once; more are answered 503 SlowDown and closed (default: "
                    + "${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--header-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "Time a client has to send a request's line and headers once it started, e.g. 30s or "
                    + "1m; also bounds the TLS handshake, up to 10s (default: ${DEFAULT-VALUE}).")
    String headerTimeout;

    @Override
    public Integer call() throws Exception {
        if (logFile != null) {
            try {
                NodeLogFile.use(logFile);
            } catch (IllegalStateException e) {
                System.err.println("error: " + e.getMessage() + " (choose another --log-file)");
                return 1;
            }
        }
        Banner banner = new Banner(logFile == null);
        ConnectionLimits limits;
        try {
            limits = connectionLimits();
        } catch (IllegalArgumentException e) {
            return banner.usage(e.getMessage());
        }
        if (backend == BackendKind.distributed) {
            return serveClusterNode(banner, limits);
        }
        if (config != null || node != null) {
            return banner.usage("--config and --node are for --backend distributed");
        }
        String secretSource;
        try {
            secretSource = resolveCredentials();
        } catch (IllegalArgumentException e) {
            return banner.usage(e.getMessage());
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            return banner.usage("give both --tls-cert and --tls-key for HTTPS");
        }
        Long reserveBytes = null;
        if (reserve != null) {
            try {
                reserveBytes = ByteSizes.parse(reserve);
            } catch (IllegalArgumentException e) {
                return banner.usage("--reserve " + e.getMessage());
            }
        }
        NodeOptions options = new NodeOptions(dataDir.toAbsolutePath().normalize(), bind, port, accessKey,
                secretKey, region, domains, tlsCert, tlsKey, maxRequests, limits, reserveBytes);
        NodeRuntime node;
        try {
            node = NodeRuntime.start(options);
        } catch (NodeRuntime.StartupException e) {
            return banner.failed(e.getMessage());
        }
        banner.line("Backend:     " + backend + " (" + options.dataDir() + ")");
        banner.line("Access key:  " + node.credentials().accessKey());
        if (node.credentialsGenerated()) {
            // Shown once, when generated: afterwards it is only in the owner-only file, never in a log.
            banner.secret("Secret key:  " + node.credentials().secretKey());
            banner.line("             (generated now and shown this once; it is kept in "
                    + options.dataDir().resolve("credentials.properties") + ")");
        } else {
            banner.line("Secret key:  " + (secretSource != null ? secretSource
                    : "in " + options.dataDir().resolve("credentials.properties")));
        }
        banner.line("Region:      " + region);
        return runUntilStopped(node, banner);
    }

    /**
     * Fills in {@link #accessKey}/{@link #secretKey} from the options and the environment, and says where the
     * secret came from (null: the stored pair is used).
     *
     * @throws IllegalArgumentException if they are given inconsistently
     */
    String resolveCredentials() {
        if (accessKey == null) {
            accessKey = blankToNull(environment.apply(ACCESS_KEY_ENV));
        }
        int given = (secretKey != null ? 1 : 0) + (secretKeyFile != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("give the secret key once: --secret-key or --secret-key-file");
        }
        String source = null;
        if (secretKeyFile != null) {
            secretKey = readSecretFile(secretKeyFile);
            source = "from " + secretKeyFile;
        } else if (secretKey != null) {
            source = "given on the command line";
            LOG.warn("the secret key was given with --secret-key, which every local user can read in the process "
                    + "list; use --secret-key-file or {} instead", SECRET_KEY_ENV);
        } else if (accessKey != null) {
            secretKey = blankToNull(environment.apply(SECRET_KEY_ENV));
            source = "from " + SECRET_KEY_ENV;
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both an access key (--access-key or " + ACCESS_KEY_ENV
                    + ") and a secret key (--secret-key-file, " + SECRET_KEY_ENV + " or --secret-key), or neither "
                    + "to use the pair stored in the data directory");
        }
        return source;
    }

    private static String readSecretFile(Path file) {
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("the secret key file " + file + " is empty; its first line must "
                        + "be the secret key");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret key file " + file + ": " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The connection limits the options ask for; a bad value's message names its option. */
    ConnectionLimits connectionLimits() {
        Duration timeout;
        try {
            timeout = Durations.parse(headerTimeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--header-timeout: " + e.getMessage(), e);
        }
        return new ConnectionLimits(maxConnections, timeout);
    }

    /**
     * The S3 limits given on the command line, which win over the cluster file's {@code [tuning]}; an option left
     * out leaves the file's value (or its default).
     */
    TuningOverrides tuningOverrides(ConnectionLimits limits) {
        ParseResult given = spec.commandLine().getParseResult();
        return new TuningOverrides(given.hasMatchedOption("--max-requests") ? maxRequests : null,
                given.hasMatchedOption("--max-connections") ? limits.maxConnections() : null,
                given.hasMatchedOption("--header-timeout") ? limits.headerTimeout() : null);
    }

    private Integer serveClusterNode(Banner banner, ConnectionLimits limits) throws InterruptedException {
        if (config == null || node == null) {
            return banner.usage("--backend distributed needs --config FILE and --node ID");
        }
        if (maxRequests < 1 || maxRequests > MOST_REQUESTS) {
            return banner.usage("--max-requests must be 1 to " + MOST_REQUESTS + ", got " + maxRequests);
        }
        if (reserve != null) {
            System.err.println("error: --reserve is for the filesystem backend; a cluster node keeps the reserve "
                    + "set by reserve_bytes in the [storage] table of the cluster file");
            return 2;
        }
        NodeRuntime runtime;
        try {
            runtime = NodeRuntime.startCluster(config.toAbsolutePath().normalize(), node, tuningOverrides(limits));
        } catch (NodeRuntime.StartupException e) {
            return banner.failed(e.getMessage());
        }
        banner.line("Backend:     distributed (node " + node + " of " + config + ")");
        // The keys are in the cluster file's [credentials]; `cluster credentials` prints them.
        banner.line("Access key:  " + runtime.credentials().accessKey());
        return runUntilStopped(runtime, banner);
    }

    /** Prints the endpoint (the line supervisors wait for), then serves until SIGTERM or Ctrl-C. */
    private static Integer runUntilStopped(NodeRuntime node, Banner banner) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        banner.line("S3 endpoint: " + node.endpoint());
        stopped.await();
        return 0;
    }

    /**
     * What {@code serve} tells its user: on the terminal (stdout, errors on stderr), or, with {@code --log-file},
     * in the log. A secret goes only to a terminal, never into a log.
     */
    private record Banner(boolean console) {
        void line(String text) {
            if (console) {
                System.out.println(text);
                System.out.flush();
            } else {
                LOG.info("{}", text);
            }
        }

        void secret(String text) {
            if (console) {
                line(text);
            } else {
                LOG.info("Secret key:  generated; it is in the data directory's credentials.properties");
            }
        }

        int usage(String message) {
            report(message);
            return 2;
        }

        int failed(String message) {
            report(message);
            return 1;
        }

        private void report(String message) {
            System.err.println("error: " + message);
            if (!console) {
                LOG.error("cannot start: {}", message);
            }
        }
    }
}
