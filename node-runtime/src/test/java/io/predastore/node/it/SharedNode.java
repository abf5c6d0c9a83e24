package io.predastore.node.it;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One real node process (256 MiB heap, its own data directory) and an AWS SDK client for it, shared by the tests
 * of a class and stopped after them.
 */
abstract class SharedNode {
    @TempDir
    static Path tmp;
    static NodeProcess node;
    static S3Client s3;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeProcess.start(tmp.resolve("node"), "256m");
        s3 = Clients.s3(node.endpoint());
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
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
