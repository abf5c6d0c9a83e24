package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin endpoint takes, judged from the request head over real sockets: unauthenticated requests are
 * answered without their body being read, and a signed write is carried out once, on the node it was signed for,
 * with its body covered by the signature.
 */
class AdminAdmissionTest {
    private static final String REGION = "predastore";
    private static final Credentials ADMIN = new Credentials("admin-key", "admin-secret-0123456789");
    private static final byte[] BAD_KEY = "b\0k".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private LocalMetadataStore metadata;
    private AdminServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        metadata = LocalMetadataStore.open(dir.resolve("meta"));
        server = AdminServer.start(new AdminServerTest.TestSources(metadata), ADMIN, REGION, "127.0.0.1", 0);
        base = URI.create("http://127.0.0.1:" + server.port());
        metadata.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, BAD_KEY, new byte[] {99})));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        metadata.close();
    }

    private String repairPath() {
        return "/v1/repair/remove-undecodable/objects/" + HexFormat.of().formatHex(BAD_KEY);
    }

    @Test
    void unsignedRequestWithLargeBody_refusedFromItsHead_bodyNeverAwaited() throws Exception {
        try (Socket socket = connect()) {
            // Announces a 1 MiB body and sends none of it: an answer can only come from the head.
            send(socket, "POST " + repairPath() + " HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nContent-Length: 1048576\r\n\r\n");
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 403").contains("\"AccessDenied\"").contains("connection: close");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isPresent();
    }

    @Test
    void wrongSignatureWithBody_refusedFromItsHead_bodyNeverAwaited() throws Exception {
        Map<String, String> signed = new SigV4Signer(new Credentials(ADMIN.accessKey(), "wrong-secret-0123456789"),
                REGION, Clock.systemUTC()).signHeaders("POST", base.resolve(repairPath()), Map.of(), sha256(new byte[10]));
        try (Socket socket = connect()) {
            send(socket, head("POST", repairPath(), base.getAuthority(), signed, 10));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 403").contains("SignatureDoesNotMatch");
        }
    }

    @Test
    void signedWrite_replayedByteForByte_refusedTheSecondTime() throws Exception {
        byte[] request = signedWrite(base.getAuthority(), new byte[0]).getBytes(StandardCharsets.US_ASCII);
        try (Socket first = connect()) {
            first.getOutputStream().write(request);
            assertThat(readAll(first.getInputStream())).startsWith("HTTP/1.1 200").contains("remove-undecodable");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isEmpty();
        metadata.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, BAD_KEY, new byte[] {98})));

        try (Socket again = connect()) {
            again.getOutputStream().write(request);
            assertThat(readAll(again.getInputStream())).startsWith("HTTP/1.1 403").contains("AccessDenied")
                    .contains("received before");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isPresent();
    }

    @Test
    void signedWrite_forAnotherNodesHost_refused() throws Exception {
        try (AdminServer other = AdminServer.start(new AdminServerTest.TestSources(metadata), ADMIN, REGION,
                "127.0.0.1", 0)) {
            // Signed for the other node, delivered here (the Host header is signed, so it cannot be changed).
            String forOther = signedWrite("127.0.0.1:" + other.port(), new byte[0]);
            try (Socket socket = connect()) {
                send(socket, forOther);
                assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 403").contains("AccessDenied")
                        .contains("signed for host '127.0.0.1:" + other.port() + "'");
            }
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isPresent();
    }

    @Test
    void write_unsignedPayload_refused() throws Exception {
        Map<String, String> signed = new SigV4Signer(ADMIN, REGION, Clock.systemUTC()).signHeaders("POST",
                base.resolve(repairPath()), Map.of(), "UNSIGNED-PAYLOAD");
        try (Socket socket = connect()) {
            send(socket, head("POST", repairPath(), base.getAuthority(), signed, 0));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 400").contains("InvalidRequest")
                    .contains("covered by the signature");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isPresent();
    }

    @Test
    void write_presigned_refused_presignedReadStillServed() throws Exception {
        SigV4Signer signer = new SigV4Signer(ADMIN, REGION, Clock.systemUTC());
        URI write = signer.presign("POST", base.resolve(repairPath()), Duration.ofMinutes(5));
        URI read = signer.presign("GET", base.resolve("/admin/v1/status"), Duration.ofMinutes(5));
        try (Socket socket = connect()) {
            send(socket, "POST " + write.getRawPath() + "?" + write.getRawQuery() + " HTTP/1.1\r\nHost: "
                    + base.getAuthority() + "\r\nContent-Length: 0\r\n\r\n");
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 4").doesNotContain("remove-undecodable\"");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, BAD_KEY)).isPresent();
        try (Socket socket = connect()) {
            send(socket, "GET " + read.getRawPath() + "?" + read.getRawQuery() + " HTTP/1.1\r\nHost: "
                    + base.getAuthority() + "\r\nConnection: close\r\n\r\n");
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200").contains("\"node-1\"");
        }
    }

    @Test
    void readWithBody_unsignedPayload_refused() throws Exception {
        Map<String, String> signed = new SigV4Signer(ADMIN, REGION, Clock.systemUTC()).signHeaders("GET",
                base.resolve("/admin/v1/status"), Map.of(), "UNSIGNED-PAYLOAD");
        try (Socket socket = connect()) {
            send(socket, head("GET", "/admin/v1/status", base.getAuthority(), signed, 5));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 400").contains("InvalidRequest");
        }
    }

    @Test
    void connectionsFromOneAddressOverItsCap_closedUnanswered_otherAddressesServed() throws Exception {
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < AdminServer.MAX_CONNECTIONS_PER_CLIENT; i++) {
                open.add(connect());
            }
            try (Socket extra = connect()) {
                String answer;
                try {
                    extra.getOutputStream().write(statusRequest());
                    answer = readAll(extra.getInputStream());
                } catch (SocketException reset) {
                    answer = "";
                }
                assertThat(answer).as("closed as soon as accepted").isEmpty();
            }
            try (Socket elsewhere = new Socket()) {
                elsewhere.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                elsewhere.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 10_000);
                elsewhere.setSoTimeout(10_000);
                elsewhere.getOutputStream().write(statusRequest());
                assertThat(readAll(elsewhere.getInputStream())).startsWith("HTTP/1.1 200");
            }
            Socket first = open.get(0);
            first.getOutputStream().write(statusRequest());
            assertThat(readAll(first.getInputStream())).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private byte[] statusRequest() {
        Map<String, String> signed = new SigV4Signer(ADMIN, REGION, Clock.systemUTC()).signHeaders("GET",
                base.resolve("/admin/v1/status"), Map.of(), null);
        return (head("GET", "/admin/v1/status", base.getAuthority(), signed, 0) + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private String signedWrite(String authority, byte[] body) throws Exception {
        URI uri = URI.create("http://" + authority + repairPath());
        Map<String, String> signed = new SigV4Signer(ADMIN, REGION, Clock.systemUTC()).signHeaders("POST", uri,
                Map.of(), sha256(body));
        return head("POST", repairPath(), authority, signed, body.length) + "Connection: close\r\n\r\n";
    }

    /** A request head without its final empty line unless {@code length} is given (then it is complete). */
    private static String head(String method, String path, String host, Map<String, String> headers, long length) {
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        new LinkedHashMap<>(headers).forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Length: ").append(length).append("\r\n");
        return h.toString();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((text.endsWith("\r\n\r\n") ? text : text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the node sends until it closes the connection (lower-cased header names kept as sent). */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketException reset) {
            // closed with a reset after the answer: what came is what there is
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
