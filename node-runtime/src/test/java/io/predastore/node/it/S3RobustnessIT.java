package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Dropped connections, truncated bodies, crashes and restarts against a real node process. */
class S3RobustnessIT {
    @TempDir
    Path tmp;

    /** Object data files kept by the node (everything outside the metadata database and the key file). */
    static List<Path> dataFiles(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.walk(dataDir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !dataDir.relativize(p).toString().startsWith("meta"))
                    .filter(p -> !p.getFileName().toString().startsWith("credentials"))
                    .toList();
        }
    }

    @Test
    void clientDisconnectsMidPut_leavesNoObjectAndNoFile() throws Exception {
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), "256m");
                S3Client s3 = Clients.s3(node.endpoint())) {
            s3.createBucket(b -> b.bucket("drop"));
            List<Path> before = dataFiles(node.dataDir());
            String path = "/drop/half-uploaded";
            java.net.URI uri = java.net.URI.create(node.endpoint() + path);
            io.predastore.client.sigv4.SigV4Signer signer = new io.predastore.client.sigv4.SigV4Signer(
                    new io.predastore.client.sigv4.Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                    "us-east-1", Clock.systemUTC());
            Map<String, String> headers = new LinkedHashMap<>(signer.signHeaders("PUT", uri, Map.of(), null));
            byte[] part = new byte[3 * 1024 * 1024];
            new Random(1).nextBytes(part);
            RawHttp.sendAndHangUp(node.endpoint(), "PUT", path, headers, part, 20L * 1024 * 1024);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(dataFiles(node.dataDir())).containsExactlyInAnyOrderElementsOf(before));
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("drop").key("half-uploaded")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(node.process().isAlive()).isTrue();
        }
    }

    @Test
    void truncatedChunkedBody_isRejectedAndNothingStored() throws Exception {
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), "256m");
                S3Client s3 = Clients.s3(node.endpoint())) {
            s3.createBucket(b -> b.bucket("chunks"));
            String path = "/chunks/truncated";
            java.net.URI uri = java.net.URI.create(node.endpoint() + path);
            io.predastore.client.sigv4.SigV4Signer signer = new io.predastore.client.sigv4.SigV4Signer(
                    new io.predastore.client.sigv4.Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                    "us-east-1", Clock.systemUTC());
            Map<String, String> signed = Map.of("x-amz-decoded-content-length", "100",
                    "Content-Encoding", "aws-chunked", "x-amz-trailer", "x-amz-checksum-crc32");
            Map<String, String> headers = new LinkedHashMap<>(signed);
            headers.putAll(signer.signHeaders("PUT", uri, signed, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
            // Declares 100 decoded bytes but ends the chunk stream after 40 bytes.
            byte[] body = ("28\r\n" + "x".repeat(40) + "\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            RawHttp.Response r = RawHttp.send(node.endpoint(), "PUT", path, headers, body, body.length);
            assertThat(r.status()).isEqualTo(400);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("chunks").key("truncated")))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void restart_readsEverythingBack() throws Exception {
        Path dataDir = tmp.resolve("node");
        Map<String, byte[]> written = new LinkedHashMap<>();
        try (NodeProcess node = NodeProcess.start(dataDir, "256m"); S3Client s3 = Clients.s3(node.endpoint())) {
            s3.createBucket(b -> b.bucket("durable"));
            Random random = new Random(7);
            for (int i = 0; i < 30; i++) {
                byte[] data = new byte[i * 9973 % 300_000];
                random.nextBytes(data);
                String key = "obj/" + i;
                s3.putObject(b -> b.bucket("durable").key(key), RequestBody.fromBytes(data));
                written.put(key, data);
            }
            assertThat(node.stop()).isIn(0, 143);
        }
        try (NodeProcess node = NodeProcess.start(dataDir, "256m"); S3Client s3 = Clients.s3(node.endpoint())) {
            for (Map.Entry<String, byte[]> e : written.entrySet()) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket("durable").key(e.getKey())).asByteArray())
                        .as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(s3.listObjectsV2(b -> b.bucket("durable")).keyCount()).isEqualTo(30);
        }
    }

    @Test
    void killDuringUpload_restartLeavesNoPartialObjectAndNoLeakedFile() throws Exception {
        Path dataDir = tmp.resolve("node");
        List<Path> before;
        try (NodeProcess node = NodeProcess.start(dataDir, "256m"); S3Client s3 = Clients.s3(node.endpoint())) {
            s3.createBucket(b -> b.bucket("crash"));
            s3.putObject(b -> b.bucket("crash").key("kept"), RequestBody.fromString("kept"));
            before = dataFiles(dataDir);
            java.net.URI uri = java.net.URI.create(node.endpoint() + "/crash/interrupted");
            io.predastore.client.sigv4.SigV4Signer signer = new io.predastore.client.sigv4.SigV4Signer(
                    new io.predastore.client.sigv4.Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                    "us-east-1", Clock.systemUTC());
            Map<String, String> headers = new LinkedHashMap<>(signer.signHeaders("PUT", uri, Map.of(), null));
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(RawHttp.head(node.endpoint(), "PUT", "/crash/interrupted", headers,
                        50L * 1024 * 1024));
                byte[] chunk = new byte[1024 * 1024];
                for (int i = 0; i < 8; i++) {
                    socket.getOutputStream().write(chunk);
                }
                socket.getOutputStream().flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> dataFiles(dataDir).size() > before.size());
                node.kill();
            }
        }
        try (NodeProcess node = NodeProcess.start(dataDir, "256m"); S3Client s3 = Clients.s3(node.endpoint())) {
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("crash").key("interrupted")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("crash").key("kept")).asUtf8String()).isEqualTo("kept");
            assertThat(dataFiles(dataDir)).containsExactlyInAnyOrderElementsOf(before);
        }
    }
}
