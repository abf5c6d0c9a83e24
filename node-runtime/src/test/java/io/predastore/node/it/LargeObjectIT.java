package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A 5 GiB object (the largest single PUT S3 allows) written and read back through a node limited to a 256 MiB
 * heap: proves that bodies are streamed, never held in memory. Skip with {@code -Dpredastore.it.large=false}.
 */
@DisabledIfSystemProperty(named = "predastore.it.large", matches = "false")
class LargeObjectIT {
    static final long SIZE = 5L * 1024 * 1024 * 1024;
    static final int BLOCK = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void fiveGibPutAndGet_withSmallHeap_roundTrip() throws Exception {
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), "256m");
                S3Client s3 = Clients.s3(node.endpoint())) {
            s3.createBucket(b -> b.bucket("large"));
            byte[] block = new byte[BLOCK];
            new Random(5).nextBytes(block);
            URI uri = URI.create(node.endpoint() + "/large/five-gib");
            SigV4Signer signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                    "us-east-1", Clock.systemUTC());

            MessageDigest sent = MessageDigest.getInstance("MD5");
            String etag;
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                Map<String, String> headers = new LinkedHashMap<>(signer.signHeaders("PUT", uri, Map.of(), null));
                OutputStream out = socket.getOutputStream();
                out.write(RawHttp.head(node.endpoint(), "PUT", uri.getRawPath(), headers, SIZE));
                for (long written = 0; written < SIZE; written += BLOCK) {
                    // Vary each block so the object is not one block repeated.
                    block[(int) ((written / BLOCK) % BLOCK)] ^= 0x5A;
                    out.write(block);
                    sent.update(block);
                }
                out.flush();
                RawHttp.Response r = RawHttp.read(socket.getInputStream());
                assertThat(r.status()).as(r.head() + r.body()).isEqualTo(200);
                etag = header(r.head(), "etag");
            }
            String expected = HexFormat.of().formatHex(sent.digest());
            assertThat(etag).isEqualTo("\"" + expected + "\"");

            MessageDigest received = MessageDigest.getInstance("MD5");
            long total = 0;
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                Map<String, String> headers = new LinkedHashMap<>(signer.signHeaders("GET", uri, Map.of(), null));
                socket.getOutputStream().write(RawHttp.head(node.endpoint(), "GET", uri.getRawPath(), headers, 0));
                socket.getOutputStream().flush();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                assertThat(header(head, "content-length")).isEqualTo(Long.toString(SIZE));
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received.update(buf, 0, n);
                    total += n;
                }
            }
            assertThat(total).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(expected);
            assertThat(node.log()).doesNotContain("OutOfMemoryError").doesNotContain("LEAK");
        }
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " header in:\n" + head);
    }

}
