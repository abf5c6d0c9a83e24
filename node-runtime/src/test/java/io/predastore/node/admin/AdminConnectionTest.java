package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.meta.LocalMetadataStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint's connection handling over real sockets: answers to pipelined requests in order, including
 * the {@code 100 Continue} and the {@code 413} written from the request head; the connection cap; the request-head
 * deadline.
 */
class AdminConnectionTest {
    private static final String REGION = "predastore";
    private static final Credentials ADMIN = new Credentials("admin-key", "admin-secret-0123456789");
    private static final int CAP = 2;

    @TempDir
    Path dir;

    private LocalMetadataStore metadata;
    private AdminServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        metadata = LocalMetadataStore.open(dir.resolve("meta"));
        server = AdminServer.start(new AdminServerTest.TestSources(metadata),
                new SigV4Verifier(CredentialStore.of(ADMIN), REGION, Clock.systemUTC()), "127.0.0.1", 0,
                null, new ConnectionLimits(CAP, Duration.ofSeconds(1)));
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        metadata.close();
    }

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A signed request head for a body of {@code length} bytes hashing to {@code sha256}. */
    private byte[] head(String method, String path, Map<String, String> extra, String sha256, long length) {
        SigV4Signer signer = new SigV4Signer(ADMIN, REGION, Clock.systemUTC());
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.putAll(signer.signHeaders(method, base.resolve(path), extra, sha256));
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getAuthority()
                + "\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Length: ").append(length).append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] getStatus() throws Exception {
        return head("GET", "/admin/v1/status", Map.of(), sha256(new byte[0]), 0);
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while (!(l = line(in)).isEmpty()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Answer(Integer.parseInt(status.substring(9, 12)), headers,
                new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection ended inside a response head: " + out);
            }
            if (c != '\r') {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void pipelinedExpectContinue_continueOnlyAfterTheEarlierAnswer() throws Exception {
        byte[] value = "abc".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(getStatus());
            both.write(head("POST", "/v1/put/objects/00", Map.of("Expect", "100-continue"), sha256(value),
                    value.length));
            out.write(both.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Answer first = read(in);
            assertThat(first.status()).as("the status answer comes first, not a 100 Continue").isEqualTo(200);
            assertThat(first.body()).contains("\"node-1\"");
            assertThat(read(in).status()).isEqualTo(100);
            out.write(value);
            out.flush();
            assertThat(read(in).status()).as("answered once the body came: the raw tables are read-only")
                    .isEqualTo(410);
        }
    }

    @Test
    void pipelinedTooLargeBody_413ComesAfterTheEarlierAnswer_thenTheConnectionCloses() throws Exception {
        byte[] tooLarge = new byte[AdminServer.MAX_BODY + 1];
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(getStatus());
            all.write(head("POST", "/v1/put/objects/01", Map.of(), sha256(tooLarge), tooLarge.length));
            all.write(tooLarge);
            all.write(getStatus());
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    out.write(all.toByteArray());
                    out.flush();
                } catch (IOException closed) {
                    // the node closes after its 413 without reading the rest
                }
            });
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(read(in).status()).as("the earlier request is answered first").isEqualTo(200);
            Answer tooLargeAnswer = read(in);
            assertThat(tooLargeAnswer.status()).isEqualTo(413);
            // Refused from its head: the body is never read, so nothing after it is answered.
            assertThat(tooLargeAnswer.headers().get("connection")).isEqualToIgnoringCase("close");
            written.join();
        }
    }

    @Test
    void connectionsOverTheCap_refusedWithSlowDown_untilOneCloses() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                Socket s = connect();
                open.add(s);
                s.getOutputStream().write(getStatus());
                assertThat(read(new BufferedInputStream(s.getInputStream())).status()).isEqualTo(200);
            }
            try (Socket extra = connect()) {
                Answer refused = read(new BufferedInputStream(extra.getInputStream()));
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("\"SlowDown\"");
                assertThat(extra.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(server.openConnections()).isEqualTo(CAP);
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (Socket again = connect()) {
                    again.getOutputStream().write(getStatus());
                    assertThat(read(new BufferedInputStream(again.getInputStream())).status()).isEqualTo(200);
                }
            });
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void requestHeadNotCompleteInTime_connectionClosed() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /admin/v1/status HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // closed with a reset: also a close
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800),
                    Duration.ofSeconds(5));
        }
    }
}
