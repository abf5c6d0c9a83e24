package io.predastore.app;

import io.predastore.app.service.ClusterAccess;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.service.SdkObjectStore;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * How the app builds the services that reach nodes, shared by the window ({@link PredastoreApp}) and the headless
 * self-test ({@link SmokeRun}) so that the self-test proves what the app runs: the node supervisor with the node
 * heap and JVM options from the system properties, and the S3 client of a node.
 *
 * <p>System properties: {@code predastore.nodeJar} (the node jar), {@code predastore.nodeHeap} (node {@code -Xmx},
 * default 256m), {@code predastore.nodeJvmArgs} (extra node JVM options, space-separated),
 * {@code predastore.clusterDir} (the default folder for a new dev cluster). Stateless.
 */
final class AppWiring {
    /** How long the app waits for a node it started to answer. */
    static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(180);
    /** How long a node has to stop before it is killed. */
    static final Duration NODE_STOP_TIMEOUT = Duration.ofSeconds(5);

    private AppWiring() {
    }

    /** The service that creates, opens, starts and stops local clusters; nodes get {@code startTimeout} to answer. */
    static ClusterService clusterService(Duration startTimeout) {
        SupervisorSettings settings = SupervisorSettings.defaults()
                .withMaxHeap(System.getProperty("predastore.nodeHeap", "256m"))
                .withStartTimeout(startTimeout)
                .withStopTimeout(NODE_STOP_TIMEOUT);
        String jvmArgs = System.getProperty("predastore.nodeJvmArgs", "").trim();
        return new ClusterService(settings, ClusterService.locateNodeJar(),
                jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")));
    }

    /** Opens an S3 client for a node of a cluster this app runs (blocking: the SDK reads the AWS profile files). */
    static IntFunction<SdkObjectStore> localS3(ClusterConfig config) {
        return nodeId -> new SdkObjectStore(config, nodeId);
    }

    /** Opens an S3 client for a node of a cluster reached by endpoint, trusting that node's certificate. */
    static IntFunction<SdkObjectStore> remoteS3(RemoteCluster cluster) {
        ClusterAccess a = cluster.access();
        return nodeId -> new SdkObjectStore(cluster.s3Endpoint(cluster.member(nodeId)), a.s3AccessKey(), a.s3SecretKey(),
                a.region(), cluster.trustFor(nodeId));
    }

    /** Where a new dev cluster goes unless the user picks another folder. */
    static Path defaultClusterDir() {
        String dir = System.getProperty("predastore.clusterDir");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), "predastore-dev");
    }
}
