package io.predastore.node.cli;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.runtime.NodeOptions;
import io.predastore.node.runtime.NodeRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one node until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a node: an S3 endpoint over the chosen backend.")
final class ServeCommand implements Callable<Integer> {

    enum BackendKind { filesystem, distributed }

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
            + "data directory.")
    String accessKey;

    @Option(names = "--secret-key", description = "Secret key (with --access-key).")
    String secretKey;

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
                    + "512MiB; below it new data is refused (507 StorageFull) until space is freed. Default: 5% of "
                    + "the file system, 64 MiB to 1 GiB. (A cluster node reads [storage] reserve_bytes instead.)")
    String reserve;

    @Option(names = "--max-requests", defaultValue = "256",
            description = "Requests run at once before clients get 503 (default: ${DEFAULT-VALUE}).")
    int maxRequests;

    @Override
    public Integer call() throws Exception {
        if (backend == BackendKind.distributed) {
            return serveClusterNode();
        }
        if (config != null || node != null) {
            System.err.println("error: --config and --node are for --backend distributed");
            return 2;
        }
        if ((accessKey == null) != (secretKey == null)) {
            System.err.println("error: give both --access-key and --secret-key, or neither to use the stored pair");
            return 2;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            System.err.println("error: give both --tls-cert and --tls-key for HTTPS");
            return 2;
        }
        Long reserveBytes = null;
        if (reserve != null) {
            try {
                reserveBytes = ByteSizes.parse(reserve);
            } catch (IllegalArgumentException e) {
                System.err.println("error: --reserve " + e.getMessage());
                return 2;
            }
        }
        NodeOptions options = new NodeOptions(dataDir.toAbsolutePath().normalize(), bind, port, accessKey,
                secretKey, region, domains, tlsCert, tlsKey, maxRequests, reserveBytes);
        NodeRuntime node;
        try {
            node = NodeRuntime.start(options);
        } catch (NodeRuntime.StartupException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        System.out.println("Backend:     " + backend + " (" + options.dataDir() + ")");
        return runUntilStopped(node, region);
    }

    private Integer serveClusterNode() throws InterruptedException {
        if (config == null || node == null) {
            System.err.println("error: --backend distributed needs --config FILE and --node ID");
            return 2;
        }
        if (reserve != null) {
            System.err.println("error: --reserve is for the filesystem backend; a cluster node keeps the reserve "
                    + "set by reserve_bytes in the [storage] table of the cluster file");
            return 2;
        }
        NodeRuntime runtime;
        try {
            runtime = NodeRuntime.startCluster(config.toAbsolutePath().normalize(), node, maxRequests);
        } catch (NodeRuntime.StartupException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        System.out.println("Backend:     distributed (node " + node + " of " + config + ")");
        return runUntilStopped(runtime, null);
    }

    /** Prints what a client needs, then serves until SIGTERM or Ctrl-C. */
    private static Integer runUntilStopped(NodeRuntime node, String region) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Access key:  " + node.credentials().accessKey());
        System.out.println("Secret key:  " + node.credentials().secretKey());
        if (region != null) {
            System.out.println("Region:      " + region);
        }
        System.out.println("S3 endpoint: " + node.endpoint());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
