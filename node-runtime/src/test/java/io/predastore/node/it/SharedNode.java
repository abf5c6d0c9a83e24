package io.predastore.node.it;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The target of an SDK suite, shared by the tests of a class: one real node process (256 MiB heap, its own data
 * directory) stopped after them, or, for a subclass marked {@link OnCluster}, the JVM-wide five-node cluster of
 * {@link SharedCluster} with each SDK request sent to a random node. Tests reach the target only through
 * {@link #s3}, {@link #client}, {@link #endpoint()} and {@link #dataRoot()}.
 */
@ExtendWith(SharedCluster.Acquire.class)
abstract class SharedNode {
    @TempDir
    static Path tmp;
    /** The single node, or null on the cluster. */
    static NodeProcess node;
    /** The shared cluster, or null on a single node. */
    static SharedCluster cluster;
    static S3Client s3;

    @BeforeAll
    static void startNode(TestInfo info) throws Exception {
        if (OnCluster.class.isAssignableFrom(info.getTestClass().orElseThrow())) {
            node = null;
            cluster = SharedCluster.get();
            s3 = cluster.s3();
        } else {
            cluster = null;
            node = NodeProcess.start(tmp.resolve("node"), "256m");
            s3 = Clients.s3(node.endpoint());
        }
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (cluster != null) {
            // The routed client belongs to the shared cluster, which outlives this class.
            cluster = null;
            s3 = null;
            return;
        }
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /**
     * The S3 endpoint for clients built by a test itself (raw HTTP, presigned URLs, other client settings): the
     * node, or on the cluster a randomly chosen node per call.
     */
    static URI endpoint() {
        if (cluster != null) {
            List<URI> all = cluster.endpoints();
            return all.get(new Random().nextInt(all.size()));
        }
        return node.endpoint();
    }

    /** The directory holding the node's (or every node's) data: nothing may be written outside it. */
    static Path dataRoot() {
        return cluster != null ? cluster.processes().dir() : node.dataDir().getParent();
    }

    /** An SDK client with other credentials, routed like {@link #s3}; close it after use. */
    static S3Client client(String accessKey, String secretKey) {
        return cluster != null ? cluster.s3(accessKey, secretKey) : Clients.s3(node.endpoint(), accessKey, secretKey);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int status(Throwable t) {
        return ((S3Exception) t).statusCode();
    }

    static String code(Throwable t) {
        return ((S3Exception) t).awsErrorDetails().errorCode();
    }
}
