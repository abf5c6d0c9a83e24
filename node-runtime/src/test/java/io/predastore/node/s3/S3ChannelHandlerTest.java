package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.http.ExchangeGate;
import io.predastore.node.store.fs.FilesystemBackend;
import io.predastore.protocol.config.TuningConfig;
import io.predastore.protocol.http.ClientFaultLog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The S3 connection handler behind its exchange gate on an {@link EmbeddedChannel}, over a real filesystem backend.
 * Worker jobs are queued and run by the test on its own thread (the channel's event loop), one at a time, so what
 * the handler starts, and when, is visible. Covered: back-pressure on a large body, answers given before the body
 * was read, keep-alive and HTTP/1.0, and the order of answers to pipelined requests.
 */
class S3ChannelHandlerTest {
    private static final Credentials KEYS = new Credentials("AKTEST", "secret-0123456789");
    private static final URI BASE = URI.create("http://127.0.0.1:9000");

    @TempDir
    Path dir;

    private FilesystemBackend backend;
    private final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        backend = FilesystemBackend.open(dir, Clock.systemUTC());
        S3Service service = new S3Service(backend, new SigV4Verifier(CredentialStore.of(KEYS), "us-east-1",
                Clock.systemUTC()), "us-east-1", List.of("localhost"), KEYS.accessKey(), RequestObserver.NONE);
        ExchangeGate gate = new ExchangeGate();
        channel = new EmbeddedChannel(new HttpServerCodec(), gate, new S3ChannelHandler(service, jobs::add, gate,
                ClientFaultLog.of(LoggerFactory.getLogger(S3ChannelHandlerTest.class)),
                TuningConfig.DEFAULTS.s3IdleTimeout()));
        receive(request("PUT", "/bucket", Map.of(), new byte[0]));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK");
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.finishAndReleaseAll();
        backend.close();
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private static String request(String method, String path, Map<String, String> extra, byte[] body)
            throws Exception {
        return head(method, path, extra, body, KEYS) + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static String head(String method, String path, Map<String, String> extra, byte[] body, Credentials keys)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.putAll(new SigV4Signer(keys, "us-east-1", Clock.systemUTC()).signHeaders(method, BASE.resolve(path),
                extra, sha256(body)));
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + BASE.getAuthority()
                + "\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        return h.append("Content-Length: ").append(body.length).append("\r\n\r\n").toString();
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Runs the queued worker jobs, then the answers they handed to the event loop. */
    private void runJobs() {
        Runnable job;
        while ((job = jobs.poll()) != null) {
            job.run();
            channel.runPendingTasks();
        }
    }

    /**
     * Everything written to the client so far, bytes as ISO-8859-1 characters. A file region stands as
     * {@code [file: N bytes]}: the object body closes its file as soon as the region is written, which on an embedded
     * channel is when it is queued, so its bytes cannot be read back here.
     */
    private String sent() {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            if (o instanceof FileRegion region) {
                out.append("[file: ").append(region.count()).append(" bytes]");
                region.release();
            } else {
                ByteBuf b = (ByteBuf) o;
                out.append(b.toString(StandardCharsets.ISO_8859_1));
                b.release();
            }
        }
        return out.toString();
    }

    /** Hands bytes to the pipeline without running the event loop's pending tasks (see the back-pressure test). */
    private void deliver(byte[] bytes, int from, int to) {
        channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, to)));
    }

    private static String http10(String request) {
        return request.replaceFirst(" HTTP/1\\.1\r\n", " HTTP/1.0\r\n");
    }

    private static String md5Hex(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    }

    /** Stores an object through the handler. */
    private void put(String key, String value) throws Exception {
        receive(request("PUT", "/bucket/" + key, Map.of(), value.getBytes(StandardCharsets.US_ASCII)));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void pipelinedRequests_startOneAtATime_afterThePreviousAnswer() throws Exception {
        byte[] body = "stored first".getBytes(StandardCharsets.US_ASCII);
        receive(request("PUT", "/bucket/key", Map.of(), body) + request("GET", "/bucket/key", Map.of(), new byte[0]));
        assertThat(jobs).as("only the PUT has started").hasSize(1);
        jobs.poll().run();
        assertThat(jobs).as("the GET waits for the PUT's answer to be written").isEmpty();
        channel.runPendingTasks();
        assertThat(jobs).as("the PUT is answered: the GET starts").hasSize(1);
        runJobs();
        String out = sent();
        assertThat(out).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nstored first");
        assertThat(out.indexOf("HTTP/1.1 200 OK", 1)).isPositive();
    }

    @Test
    void expectContinue_refusedBeforeTheBody_noContinue_closedAfterTheAnswer() throws Exception {
        byte[] body = new byte[100];
        receive(head("PUT", "/bucket/refused", Map.of("Expect", "100-continue"), body,
                new Credentials(KEYS.accessKey(), "not-the-secret")));
        runJobs();
        String out = sent();
        assertThat(out).startsWith("HTTP/1.1 403 Forbidden").contains("connection: close")
                .doesNotContain("100 Continue");
        // The rest of the body, had the client sent it anyway, is dropped; then the connection closes.
        channel.writeInbound(Unpooled.wrappedBuffer(body));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedHead_answered400_closed() {
        receive("GET /bucket/key HTTP/1.1\r\nHost: x\r\nX-Long: " + "y".repeat(70_000) + "\r\n\r\n");
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 400 Bad Request").contains("<Code>InvalidRequest</Code>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bodyOverHighWater_readingStops_resumesOnceTheWorkerHasDrainedIt() throws Exception {
        byte[] body = new byte[BodyPipe.HIGH_WATER + 512 * 1024];
        new Random(7).nextBytes(body);
        byte[] head = head("PUT", "/bucket/big", Map.of(), body, KEYS).getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = new byte[head.length + body.length];
        System.arraycopy(head, 0, wire, 0, head.length);
        System.arraycopy(body, 0, wire, head.length, body.length);
        int belowHighWater = head.length + BodyPipe.HIGH_WATER / 2;
        int overHighWater = head.length + BodyPipe.HIGH_WATER + 128 * 1024;
        int oneMore = overHighWater + 64 * 1024;

        deliver(wire, 0, belowHighWater);
        assertThat(channel.config().isAutoRead()).as("half a MiB buffered: still reading").isTrue();
        deliver(wire, belowHighWater, overHighWater);
        assertThat(channel.config().isAutoRead()).as("over 1 MiB buffered: reading stops").isFalse();

        // The operation runs on a worker of its own; the test touches the channel only while that worker waits for
        // more body (it then does nothing on the event loop), and hands bytes over only through the pipe's lock.
        Runnable job = jobs.poll();
        assertThat(job).isNotNull();
        Thread worker = new Thread(job, "s3-worker");
        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.getState() == Thread.State.WAITING);
        deliver(wire, overHighWater, oneMore);
        assertThat(channel.config().isAutoRead()).as("drained, but the event loop has not heard yet").isFalse();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("drained below 256 KiB: reading resumes").isTrue();

        deliver(wire, oneMore, wire.length);
        worker.join(Duration.ofSeconds(30).toMillis());
        assertThat(worker.isAlive()).isFalse();
        channel.runPendingTasks();
        String out = sent();
        assertThat(out).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("etag: \"" + md5Hex(body) + "\"")
                .doesNotContainIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void answeredBeforeTheBody_restOfTheBodyReadAndDropped_thenClosed() throws Exception {
        byte[] body = new byte[256 * 1024];
        String refused = head("PUT", "/bucket/refused", Map.of(), body,
                new Credentials(KEYS.accessKey(), "not-the-secret"));
        receive(refused + new String(body, 0, 100 * 1024, StandardCharsets.ISO_8859_1));
        runJobs();
        String out = sent();
        assertThat(out).startsWith("HTTP/1.1 403 Forbidden").contains("<Code>SignatureDoesNotMatch</Code>")
                .contains("connection: close");
        assertThat(channel.isOpen()).as("still reading the rest of the body, so the client sees the answer").isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();

        // The rest of the body arrives with a pipelined request behind it: the body is dropped, the connection
        // closed, and the request after it never answered.
        receive(new String(body, 100 * 1024, body.length - 100 * 1024, StandardCharsets.ISO_8859_1)
                + request("GET", "/bucket?location", Map.of(), new byte[0]));
        runJobs();
        assertThat(channel.isOpen()).isFalse();
        assertThat(sent()).isEmpty();
        assertThat(backend.listBuckets()).hasSize(1);
    }

    @Test
    void answeredBeforeTheBody_bodyTooLargeToDrain_closedAfter64MiBDropped() throws Exception {
        long length = 100L << 20;
        String refused = head("PUT", "/bucket/huge", Map.of(), new byte[0],
                new Credentials(KEYS.accessKey(), "not-the-secret"))
                .replace("Content-Length: 0\r\n", "Content-Length: " + length + "\r\n");
        receive(refused);
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 403 Forbidden").contains("connection: close");

        byte[] mib = new byte[1 << 20];
        for (int i = 0; i < 64; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(mib));
        }
        assertThat(channel.isOpen()).as("64 MiB dropped: still draining").isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(channel.isOpen()).as("past 64 MiB: closed rather than drained").isFalse();
    }

    @Test
    void errorAfterTheWholeBodyArrived_connectionStaysOpen_nextRequestServed() throws Exception {
        byte[] body = "the whole body".getBytes(StandardCharsets.US_ASCII);
        receive(head("PUT", "/bucket/refused", Map.of(), body, new Credentials(KEYS.accessKey(), "not-the-secret"))
                + new String(body, StandardCharsets.ISO_8859_1));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 403 Forbidden").doesNotContain("connection: close");
        assertThat(channel.isOpen()).isTrue();

        receive(request("GET", "/bucket?location", Map.of(), new byte[0]));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK").contains("LocationConstraint");
    }

    @Test
    void http11_keepAliveByDefault() throws Exception {
        for (int i = 0; i < 3; i++) {
            receive(request("GET", "/bucket?location", Map.of(), new byte[0]));
            runJobs();
            assertThat(sent()).startsWith("HTTP/1.1 200 OK").doesNotContainIgnoringCase("connection:");
            assertThat(channel.isOpen()).isTrue();
        }
    }

    @Test
    void connectionClose_answeredWithConnectionClose_closed_laterRequestsNotAnswered() throws Exception {
        receive(request("GET", "/bucket?location", Map.of("Connection", "close"), new byte[0])
                + request("GET", "/bucket?location", Map.of(), new byte[0]));
        runJobs();
        String out = sent();
        assertThat(out).startsWith("HTTP/1.1 200 OK").contains("connection: close");
        assertThat(out.indexOf("HTTP/1.1", 1)).as("one answer only").isNegative();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10_withoutKeepAlive_closedAfterTheAnswer() throws Exception {
        receive(http10(request("GET", "/bucket?location", Map.of(), new byte[0])));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10_askingForKeepAlive_toldKeepAlive_connectionStaysOpen() throws Exception {
        receive(http10(request("GET", "/bucket?location", Map.of("Connection", "keep-alive"), new byte[0])));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK").contains("connection: keep-alive");
        assertThat(channel.isOpen()).isTrue();

        receive(http10(request("GET", "/bucket?location", Map.of("Connection", "keep-alive"), new byte[0])));
        runJobs();
        assertThat(sent()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void pipelinedRequests_writtenAtOnce_answeredInTheOrderSent() throws Exception {
        // A large object is sent from its file (file regions), a small one from its record (streamed by a worker).
        String large = "second object, sent from its file; ".repeat(4096);
        put("a", "first object");
        put("b", large);

        receive(request("GET", "/bucket/b", Map.of(), new byte[0]) + request("GET", "/bucket/missing", Map.of(),
                new byte[0]) + request("GET", "/bucket/a", Map.of(), new byte[0]));
        runJobs();
        String out = sent();
        int second = out.indexOf("[file: " + large.length() + " bytes]");
        int missing = out.indexOf("<Code>NoSuchKey</Code>");
        int first = out.indexOf("first object");
        assertThat(out).startsWith("HTTP/1.1 200 OK");
        assertThat(second).isPositive().isLessThan(missing);
        assertThat(missing).isLessThan(first);
        assertThat(out.split("HTTP/1\\.1 ", -1)).hasSize(4);
        assertThat(channel.isOpen()).isTrue();
    }
}
