package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.supervisor.DevCertificates;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client faults on an HTTPS S3 endpoint, against a real node process with {@code --header-timeout 2s
 * --max-connections 3}: plain HTTP sent to the HTTPS port and connections that never start the handshake are
 * closed, and each costs at most one short log line (rate bounded), never a stack trace; connections over the cap
 * are reset before any handshake.
 */
class S3TlsConnectionIT {
    private static final int HEADER_SECONDS = 2;
    private static final int CAP = 3;

    @TempDir
    static Path tmp;

    private static NodeProcess node;
    private static URI endpoint;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        DevCertificates.Issued ca = DevCertificates.newCa("test-ca", Instant.now());
        DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca,
                new NodeIdentity("tls-test", 1), "127.0.0.1", Instant.now());
        Path certFile = Files.writeString(tmp.resolve("node.pem"),
                DevCertificates.certificatePem(cert.certificate()));
        Path keyFile = Files.writeString(tmp.resolve("node.key"), DevCertificates.privateKeyPem(cert.privateKey()));
        node = NodeProcess.start(tmp.resolve("node"), "256m", "--tls-cert", certFile.toString(), "--tls-key",
                keyFile.toString(), "--header-timeout", HEADER_SECONDS + "s", "--max-connections", String.valueOf(CAP));
        endpoint = node.endpoint();
        assertThat(endpoint.getScheme()).isEqualTo("https");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    private static Socket connect() throws IOException {
        return RawHttp.connect(endpoint, Duration.ofMillis(15_000));
    }

    @Test
    void plainHttpToTheHttpsPort_closed_loggedInShortLinesWithoutStackTraces() throws Exception {
        byte[] request = ("GET /bucket/key HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int attempts = 50;
        for (int i = 0; i < attempts; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                assertThat(RawHttp.awaitClosed(socket.getInputStream())).isLessThan(Duration.ofSeconds(5));
            }
        }
        String log = node.log();
        long lines = log.lines().filter(l -> l.contains("s3: ") && l.contains("127.0.0.1")).count();
        assertThat(lines).as("one short line per connection at most, within the log budget")
                .isBetween(1L, (long) attempts);
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception:\n");
    }

    @Test
    void connectionThatNeverStartsTheHandshake_closedAtTheDeadline() throws Exception {
        try (Socket socket = connect()) {
            Duration open = RawHttp.awaitClosed(socket.getInputStream());
            assertThat(open).isBetween(Duration.ofMillis(HEADER_SECONDS * 900L),
                    Duration.ofSeconds(3L * HEADER_SECONDS));
        }
    }

    @Test
    void httpsRequest_answered() throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(endpoint.getHost(),
                endpoint.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(RawHttp.keepAlive(endpoint, "GET", "/", Map.of(), new byte[0]));
            socket.getOutputStream().flush();
            RawHttp.Message answer = RawHttp.readMessage(new BufferedInputStream(socket.getInputStream()), false);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.text()).contains("<ListAllMyBucketsResult");
        }
    }

    private SSLSocket handshaken() throws IOException {
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(15_000);
        socket.startHandshake();
        return socket;
    }

    @Test
    void connectionsOverTheCap_resetBeforeAnyHandshake() throws Exception {
        java.util.List<SSLSocket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                // Retried only while the node is still closing connections of earlier tests.
                open.add(org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(this::handshaken, java.util.Objects::nonNull));
            }
            try (Socket extra = connect()) {
                Duration closed = RawHttp.awaitClosed(extra.getInputStream());
                assertThat(closed).isLessThan(Duration.ofSeconds(1));
            }
            for (SSLSocket s : open) {
                s.getOutputStream().write(RawHttp.keepAlive(endpoint, "GET", "/", Map.of(), new byte[0]));
                s.getOutputStream().flush();
                assertThat(RawHttp.readMessage(new BufferedInputStream(s.getInputStream()), false).status())
                        .isEqualTo(200);
            }
        } finally {
            for (SSLSocket s : open) {
                s.close();
            }
        }
    }
}
