package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.Credentials;
import io.predastore.node.auth.SigV4Signer;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.faultlog.ClientFaultLog;
import io.predastore.node.http.ExchangeGate;
import io.predastore.node.store.fs.FilesystemBackend;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The S3 connection handler behind its exchange gate on an {@link EmbeddedChannel}, over a real filesystem backend.
 * Worker jobs are queued and run by the test on its own thread (the channel's event loop), one at a time, so what
 * the handler starts, and when, is visible.
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
                ClientFaultLog.of(LoggerFactory.getLogger(S3ChannelHandlerTest.class))));
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

    private String sent() {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
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
}
