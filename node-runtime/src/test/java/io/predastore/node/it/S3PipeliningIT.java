package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * HTTP/1.1 pipelining against a real node process (RFC 9112 §9.3.2): many requests written at once on one
 * connection — large GETs sent with zero-copy file regions, small GETs, HEADs, ranges, errors, PUTs with bodies and
 * with {@code Expect: 100-continue} — are answered one whole response after another, in order, byte for byte; a
 * {@code 100 Continue} comes only when its request starts, never inside an earlier answer, and never for a
 * request refused before its body.
 */
class S3PipeliningIT {
    private static final String BUCKET = "pipe";
    /** Above the filesystem backend's inline limit, so it is stored in a blob file and sent with sendfile. */
    private static final int BIG = 6 << 20;
    private static final String WRONG_SECRET = "not-the-secret-key-0123456789abcdefghij";

    @TempDir
    static Path tmp;

    private static NodeProcess node;
    private static URI endpoint;
    private static byte[] big;
    private static byte[] small;
    private static byte[] medium;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start(tmp.resolve("node"), "256m");
        endpoint = node.endpoint();
        big = random(BIG, 1);
        small = random(1000, 2);
        medium = random(300 * 1024, 3);
        try (S3Client s3 = Clients.s3(endpoint)) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putObject(b -> b.bucket(BUCKET).key("big"), RequestBody.fromBytes(big));
            s3.putObject(b -> b.bucket(BUCKET).key("small"), RequestBody.fromBytes(small));
            s3.putObject(b -> b.bucket(BUCKET).key("medium"), RequestBody.fromBytes(medium));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A request to pipeline and what its answer must be. */
    private record Expected(String name, byte[] request, boolean head, boolean expectContinue, int status,
            byte[] body, Map<String, String> headers) {
    }

    private static void expect(List<Expected> plan, String name, byte[] request, int status, byte[] body) {
        plan.add(new Expected(name, request, false, false, status, body, Map.of()));
    }

    private static byte[] get(String path, Map<String, String> headers) {
        return RawHttp.keepAlive(endpoint, "GET", path, headers, new byte[0]);
    }

    private static byte[] put(String key, Map<String, String> headers, byte[] body) {
        return RawHttp.keepAlive(endpoint, "PUT", "/" + BUCKET + "/" + key, headers, body);
    }

    /** A PUT head alone, signed for {@code body} with {@code secret}; the body is sent later, or never. */
    private static byte[] putHead(String key, byte[] body, String secret) {
        return RawHttp.keepAliveHead(endpoint, "PUT", "/" + BUCKET + "/" + key, Map.of("Expect", "100-continue"),
                RawHttp.sha256Hex(body), body.length, secret);
    }

    private static byte[] md5(byte[] data) throws Exception {
        return MessageDigest.getInstance("MD5").digest(data);
    }

    @Test
    void manyPipelinedRequests_answeredInOrder_byteExact() throws Exception {
        List<Expected> plan = new ArrayList<>();
        byte[] upload1 = random(200 * 1024, 11);
        byte[] upload2 = random(2 << 20, 12);
        byte[] badDigest = random(50_000, 13);
        for (int round = 0; round < 2; round++) {
            String k1 = "put-1-" + round;
            String k2 = "put-2-" + round;
            expect(plan, "GET big", get("/" + BUCKET + "/big", Map.of()), 200, big);
            expect(plan, "GET small", get("/" + BUCKET + "/small", Map.of()), 200, small);
            plan.add(new Expected("HEAD big", RawHttp.keepAlive(endpoint, "HEAD", "/" + BUCKET + "/big", Map.of(),
                    new byte[0]), true, false, 200, new byte[0], Map.of("content-length", String.valueOf(BIG))));
            expect(plan, "GET missing (404)", get("/" + BUCKET + "/missing", Map.of()), 404, null);
            expect(plan, "GET bad signature (403)", RawHttp.keepAliveHead(endpoint, "GET", "/" + BUCKET + "/small",
                    Map.of(), RawHttp.sha256Hex(new byte[0]), 0, WRONG_SECRET), 403, null);
            expect(plan, "PUT " + k1, put(k1, Map.of(), upload1), 200, new byte[0]);
            // Runs only after the PUT before it has been answered, so it must see what that PUT stored.
            expect(plan, "GET " + k1, get("/" + BUCKET + "/" + k1, Map.of()), 200, upload1);
            plan.add(new Expected("GET big range", get("/" + BUCKET + "/big", Map.of("Range", "bytes=100-1048675")),
                    false, false, 206, java.util.Arrays.copyOfRange(big, 100, 1048676),
                    Map.of("content-range", "bytes 100-1048675/" + BIG)));
            plan.add(new Expected("GET small unsatisfiable range (416)", get("/" + BUCKET + "/small",
                    Map.of("Range", "bytes=5000-")), false, false, 416, null, Map.of("content-range", "bytes */1000")));
            plan.add(new Expected("PUT " + k2 + " with Expect", put(k2, Map.of("Expect", "100-continue"), upload2),
                    false, true, 200, new byte[0], Map.of()));
            expect(plan, "PUT with a wrong Content-MD5 (400)", put("bad", Map.of("Content-MD5",
                    Base64.getEncoder().encodeToString(md5(small))), badDigest), 400, null);
            expect(plan, "GET " + k2, get("/" + BUCKET + "/" + k2, Map.of()), 200, upload2);
            expect(plan, "DELETE " + k1, RawHttp.keepAlive(endpoint, "DELETE", "/" + BUCKET + "/" + k1, Map.of(),
                    new byte[0]), 204, new byte[0]);
            expect(plan, "GET deleted " + k1 + " (404)", get("/" + BUCKET + "/" + k1, Map.of()), 404, null);
            expect(plan, "GET medium", get("/" + BUCKET + "/medium", Map.of()), 200, medium);
        }
        // The last one closes, so that the end of the stream shows nothing was sent after its answer.
        expect(plan, "GET small, closing", get("/" + BUCKET + "/small", Map.of("Connection", "close")), 200, small);

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Expected e : plan) {
            all.write(e.request());
        }
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(60_000);
            // Written from another thread: the node reads the next request only once this side has read the answer
            // to the previous one, so writing everything before reading would deadlock.
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(all.toByteArray());
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            for (int i = 0; i < plan.size(); i++) {
                Expected e = plan.get(i);
                RawHttp.Message m = RawHttp.readMessage(in, e.head());
                if (m.status() == 100) {
                    assertThat(e.expectContinue()).as("100 Continue before the answer to #%d %s", i, e.name())
                            .isTrue();
                    m = RawHttp.readMessage(in, e.head());
                }
                RawHttp.Message answer = m;
                assertThat(answer.status()).as("status of #%d %s: %s", i, e.name(), answer.text())
                        .isEqualTo(e.status());
                if (e.body() != null) {
                    assertThat(answer.body()).as("body of #%d %s", i, e.name()).isEqualTo(e.body());
                }
                String which = "#" + i + " " + e.name();
                e.headers().forEach((name, value) -> assertThat(answer.header(name)).as("%s of %s", name, which)
                        .isEqualTo(value));
                assertThat(answer.header("x-amz-request-id")).isNotBlank();
            }
            assertThat(in.read()).as("nothing after the last answer").isEqualTo(-1);
            written.get(10, TimeUnit.SECONDS);
        }
        // Client errors are answered, not logged as failures; every buffer was released (paranoid leak detection).
        assertThat(node.log()).doesNotContain("\tat ").doesNotContain("LEAK:");
    }

    @Test
    void expectContinue_behindABigGet_comesOnlyAfterTheWholeAnswerToTheGet() throws Exception {
        byte[] upload = random(1 << 20, 21);
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.write(get("/" + BUCKET + "/big", Map.of()));
            first.write(putHead("after-big", upload, NodeProcess.SECRET_KEY));
            out.write(first.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            RawHttp.Message getAnswer = RawHttp.readMessage(in, false);
            assertThat(getAnswer.status()).as("the first answer is the GET's, not a 100 Continue").isEqualTo(200);
            assertThat(getAnswer.body()).isEqualTo(big);
            assertThat(RawHttp.readMessage(in, false).status()).isEqualTo(100);
            out.write(upload);
            out.flush();
            RawHttp.Message putAnswer = RawHttp.readMessage(in, false);
            assertThat(putAnswer.status()).as(putAnswer.text()).isEqualTo(200);
        }
        try (S3Client s3 = Clients.s3(endpoint)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("after-big")).asByteArray()).isEqualTo(upload);
        }
    }

    @Test
    void expectContinue_refusedBeforeTheBody_answeredWithoutContinue() throws Exception {
        byte[] upload = random(1 << 20, 31);
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(putHead("refused", upload, WRONG_SECRET));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            RawHttp.Message answer = RawHttp.readMessage(in, false);
            assertThat(answer.status()).as("no 100 Continue for a request refused before its body").isEqualTo(403);
            assertThat(answer.text()).contains("<Code>SignatureDoesNotMatch</Code>");
            // The body was never read, so the connection cannot carry another request.
            assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void http10KeepAlive_toldToKeepTheConnection() throws Exception {
        byte[] request = new String(get("/" + BUCKET + "/small", Map.of("Connection", "keep-alive")),
                StandardCharsets.ISO_8859_1).replaceFirst(" HTTP/1.1\r\n", " HTTP/1.0\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                RawHttp.Message answer = RawHttp.readMessage(in, false);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo(small);
                assertThat(answer.header("connection")).isEqualToIgnoringCase("keep-alive");
            }
        }
    }
}
