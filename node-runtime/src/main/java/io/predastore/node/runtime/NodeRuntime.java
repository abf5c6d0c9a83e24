package io.predastore.node.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.predastore.client.sigv4.Credentials;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.disk.PrivateDataDir;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.jobs.BackgroundJob;
import io.predastore.node.metrics.NodeMeters;
import io.predastore.node.pki.HttpsServers;
import io.predastore.node.s3.RequestObserver;
import io.predastore.node.s3.S3Server;
import io.predastore.node.s3.S3Service;
import io.predastore.node.store.Backend;
import io.predastore.node.store.fs.FilesystemBackend;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.BindException;
import io.predastore.protocol.config.TuningConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node, the composition root: it builds the backend (and in a cluster the shard store, transport,
 * metadata peer and admin API), the verifier, the S3 service and the HTTP server in that order, and closes them in
 * reverse. Thread-safe to close from a shutdown hook.
 */
public final class NodeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
    /** Where a filesystem node keeps object files, which it creates owner-only (not walked at start-up). */
    private static final Set<Path> FILESYSTEM_BULK = Set.of(Path.of("blobs"));

    private final Deque<AutoCloseable> parts;
    private final Credentials credentials;
    private final boolean credentialsGenerated;
    private final String endpoint;
    private boolean closed;

    private NodeRuntime(Deque<AutoCloseable> parts, Credentials credentials, boolean credentialsGenerated,
            String endpoint) {
        this.parts = parts;
        this.credentials = credentials;
        this.credentialsGenerated = credentialsGenerated;
        this.endpoint = endpoint;
    }

    /** A node could not start; the message says why and what to do. */
    public static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Builds and starts a node; on failure everything started so far is closed again. */
    public static NodeRuntime start(NodeOptions options) throws StartupException {
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            try {
                OwnerOnly.createDirectories(options.dataDir());
            } catch (IOException e) {
                throw new StartupException("cannot create the data directory " + options.dataDir() + ": "
                        + e.getMessage() + " (choose another with --data-dir)", e);
            }
            if (!Files.isWritable(options.dataDir())) {
                throw new StartupException("the data directory " + options.dataDir()
                        + " is not writable (choose another with --data-dir)", null);
            }
            StoredCredentials.Loaded loaded = options.accessKey() != null
                    ? new StoredCredentials.Loaded(new Credentials(options.accessKey(), options.secretKey()), false)
                    : StoredCredentials.loadOrCreate(options.dataDir());
            Credentials credentials = loaded.credentials();
            // Closed last: the backend's database is opened on it.
            NodeDisk disk = NodeDisk.open(options.dataDir(), options.reserveBytes());
            parts.push(disk);
            ScheduledExecutorService diskChecks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "disk-check");
                t.setDaemon(true);
                return t;
            });
            parts.push(diskChecks::shutdownNow);
            Backend backend = FilesystemBackend.open(options.dataDir(), Clock.systemUTC(), disk);
            parts.push(backend);
            new BackgroundJob("disk-check", Clock.systemUTC(), () -> {
                disk.check();
                return "checked";
            }, null).schedule(diskChecks, 0, TuningConfig.DEFAULTS.diskCheckInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
            // After the backend has opened, so the directories RocksDB just made are narrowed too.
            parts.push(PrivateDataDir.open(options.dataDir(), FILESYSTEM_BULK));
            SslContext ssl = options.tlsCert() == null ? null : httpsContext(options.tlsCert(), options.tlsKey());
            // Without a cluster file there is no [tuning]: the defaults, with the JVM property for the idle timeout.
            TuningConfig tuning = IdleTimeoutProperty.applyTo(TuningConfig.DEFAULTS, false);
            S3Server s3 = startS3(parts, backend, credentials, options.region(), options.domains(),
                    options.bindAddress(), options.s3Port(), ssl, tuning.s3IoThreads(),
                    options.maxRequests(), options.connectionLimits(), tuning.s3IdleTimeout(), RequestObserver.NONE);
            String endpoint = endpoint(options.bindAddress(), ssl, s3);
            LOG.info("node started: {} over the {} backend in {} (free-space reserve {} bytes)", endpoint,
                    backend.type(), options.dataDir(), disk.reserve().reserveBytes());
            return new NodeRuntime(parts, credentials, loaded.generated(), endpoint);
        } catch (StartupException e) {
            closeAll(parts);
            throw e;
        } catch (IOException e) {
            closeAll(parts);
            throw new StartupException("cannot open the data directory " + options.dataDir() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(parts);
            throw new StartupException("interrupted while starting", e);
        }
    }

    /**
     * Builds and starts one node of a cluster from the cluster file, tuned by its {@code [tuning]} and the
     * command-line options in {@code overrides}; on failure everything started so far is closed again.
     */
    public static NodeRuntime startCluster(Path configFile, int nodeId, TuningOverrides overrides)
            throws StartupException {
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            ClusterConfig config = ClusterConfigLoader.load(configFile);
            NodeConfig self = config.node(nodeId);
            TuningConfig tuning = IdleTimeoutProperty.applyTo(overrides.applyTo(config.tuning()), true);
            // Closed last, after everything that records into it.
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            parts.push(metrics::close);
            parts.push(NodeMeters.bindProcess(metrics));
            ClusterAssembly.Assembled node = ClusterAssembly.build(config, tuning, self, parts, metrics);
            Credentials credentials = new Credentials(config.credentials().accessKey(),
                    config.credentials().secretKey());
            SslContext s3Tls = self.s3Tls() ? HttpsServers.context(self.s3TlsCert(), self.s3TlsKey()) : null;
            S3Server s3 = startS3(parts, node.backend(), credentials, config.region(), List.of("localhost"),
                    self.host(), self.s3Port(), s3Tls, tuning.s3IoThreads(), tuning.s3MaxRequests(),
                    new ConnectionLimits(tuning.s3MaxConnections(), tuning.s3HeaderTimeout()), tuning.s3IdleTimeout(),
                    node.counters()::recordRequest);
            NodeMeters.bindEventLoops(metrics, "s3", s3.eventLoops());
            String endpoint = endpoint(self.host(), s3Tls, s3);
            LOG.info("node {} of cluster {} started: {} (admin on port {})", nodeId, config.cluster(), endpoint,
                    node.adminPort());
            return new NodeRuntime(parts, credentials, false, endpoint);
        } catch (ClusterConfigException e) {
            closeAll(parts);
            throw new StartupException(e.getMessage(), e);
        } catch (StartupException e) {
            closeAll(parts);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeAll(parts);
            throw new StartupException("node " + nodeId + " could not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(parts);
            throw new StartupException("interrupted while starting", e);
        }
    }

    private static SslContext httpsContext(Path certificate, Path key) throws StartupException {
        try {
            return HttpsServers.context(certificate, key);
        } catch (IOException e) {
            throw new StartupException("cannot load the TLS certificate or key: " + e.getMessage()
                    + " (check --tls-cert and --tls-key)", e);
        }
    }

    /**
     * Starts the S3 endpoint over a backend, to be closed with the other parts.
     *
     * @param ioThreads event loop threads, or 0 for one per core (at least two)
     * @param idleTimeout how long a connection may stall before it is closed
     */
    private static S3Server startS3(Deque<AutoCloseable> parts, Backend backend, Credentials credentials, String region,
            List<String> domains, String bind, int port, SslContext ssl, int ioThreads, int maxRequests,
            ConnectionLimits limits, Duration idleTimeout, RequestObserver observer) throws StartupException,
            IOException, InterruptedException {
        SigV4Verifier verifier = new SigV4Verifier(CredentialStore.of(credentials), region, Clock.systemUTC());
        S3Service service = new S3Service(backend, verifier, region, domains, credentials.accessKey(), observer);
        S3Server server;
        try {
            server = S3Server.start(service, bind, port, ssl,
                    ioThreads > 0 ? ioThreads : Math.max(2, Runtime.getRuntime().availableProcessors()), maxRequests,
                    limits, idleTimeout);
        } catch (BindException e) {
            throw new StartupException("cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "); choose another port, or 0 for any free port", e);
        }
        parts.push(server);
        return server;
    }

    /** The URL of the S3 endpoint {@code server} bound on {@code bind}. */
    private static String endpoint(String bind, SslContext ssl, S3Server server) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return (ssl == null ? "http://" : "https://") + host + ":" + server.port();
    }

    /** The S3 endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    public String endpoint() {
        return endpoint;
    }

    /** The credentials the node accepts. */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * Whether this start generated the node's key pair (a first start without {@code --access-key}): the only time
     * the secret key should be shown, since it is kept in the data directory afterwards.
     */
    public boolean credentialsGenerated() {
        return credentialsGenerated;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeAll(parts);
            LOG.info("node stopped");
        }
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
