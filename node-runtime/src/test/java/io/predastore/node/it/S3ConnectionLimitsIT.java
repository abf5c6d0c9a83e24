package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits of the S3 endpoint against a real node process started with {@code --max-connections 4
 * --header-timeout 2s}: connections over the cap are refused at once while the others keep working, and a client
 * that sends a request head slowly is cut at the deadline, while one idle between requests or sending a body
 * slowly is not.
 */
class S3ConnectionLimitsIT {
    private static final int CAP = 4;
    private static final int HEADER_SECONDS = 2;
    private static final String PATH = "/limits/small";

    @TempDir
    static Path tmp;

    private static NodeProcess node;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start(tmp.resolve("node"), "256m", "--max-connections", String.valueOf(CAP),
                "--header-timeout", HEADER_SECONDS + "s");
        endpoint = node.endpoint();
        // Raw requests that close their connections, so that none is left open in the node's count.
        assertThat(RawHttp.signed(endpoint, "PUT", "/limits", Map.of(), new byte[0], java.time.Clock.systemUTC())
                .status()).isEqualTo(200);
        assertThat(RawHttp.signed(endpoint, "PUT", PATH, Map.of(), "hello".getBytes(StandardCharsets.US_ASCII),
                java.time.Clock.systemUTC()).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    private static Socket connect() throws IOException {
        return RawHttp.connect(endpoint, Duration.ofMillis(10_000));
    }

    /** Sends a keep-alive GET on {@code socket} and reads its whole answer. */
    private static RawHttp.Message get(Socket socket) throws IOException {
        socket.getOutputStream().write(RawHttp.keepAlive(endpoint, "GET", PATH, Map.of(), new byte[0]));
        socket.getOutputStream().flush();
        return RawHttp.readMessage(new BufferedInputStream(socket.getInputStream()), false);
    }

    @Test
    void connectionsOverTheCap_refusedAtOnce_whileTheOthersWork_closingOneLetsANewOneIn() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                // Retried only while the node is still closing connections of earlier tests.
                Socket s = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                    Socket candidate = connect();
                    if (get(candidate).status() == 200) {
                        return candidate;
                    }
                    candidate.close();
                    return null;
                }, java.util.Objects::nonNull);
                open.add(s);
            }
            for (int i = 0; i < 3; i++) {
                try (Socket extra = connect()) {
                    long started = System.nanoTime();
                    // Nothing sent: the refusal is written without reading.
                    RawHttp.Message refused = RawHttp.readMessage(new BufferedInputStream(extra.getInputStream()),
                            false);
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.text()).contains("<Code>SlowDown</Code>");
                    assertThat(refused.header("retry-after")).isEqualTo("1");
                    assertThat(refused.header("connection")).isEqualToIgnoringCase("close");
                    RawHttp.awaitClosed(extra.getInputStream());
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                }
            }
            for (Socket s : open) {
                assertThat(get(s).status()).as("a connection within the cap still works").isEqualTo(200);
            }
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (Socket again = connect()) {
                    assertThat(get(again).status()).isEqualTo(200);
                }
            });
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        assertThat(node.log()).contains("refusing a connection").doesNotContain("\tat ");
    }

    @Test
    void headSentOneByteAtATime_cutAtTheHeaderDeadline() throws Exception {
        try (Socket socket = connect()) {
            byte[] head = RawHttp.keepAlive(endpoint, "GET", PATH, Map.of(), new byte[0]);
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            CompletableFuture<Void> dribble = CompletableFuture.runAsync(() -> {
                try {
                    // A byte every 200 ms: the whole head would take over a minute.
                    for (byte b : head) {
                        out.write(b);
                        out.flush();
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the node closed the connection
                }
            });
            RawHttp.awaitClosed(socket.getInputStream());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(seconds).isBetween(HEADER_SECONDS * 0.9, HEADER_SECONDS * 3.0);
            dribble.cancel(true);
        }
        assertThat(node.log()).contains("request head not complete within 2000 ms");
    }

    @Test
    void idleBetweenRequests_andSlowBody_notCutByTheHeaderDeadline() throws Exception {
        try (Socket socket = connect()) {
            assertThat(get(socket).status()).isEqualTo(200);
            // Idle keep-alive for twice the header deadline: the idle timeout (120 s) governs it.
            TimeUnit.SECONDS.sleep(2L * HEADER_SECONDS);
            assertThat(get(socket).status()).isEqualTo(200);

            // A head sent in pieces within the deadline, then a body sent slowly for longer than it.
            byte[] body = "slow body".getBytes(StandardCharsets.US_ASCII);
            byte[] head = RawHttp.keepAliveHead(endpoint, "PUT", "/limits/slow", Map.of(), RawHttp.sha256Hex(body),
                    body.length, NodeProcess.SECRET_KEY);
            OutputStream out = socket.getOutputStream();
            int half = head.length / 2;
            out.write(head, 0, half);
            out.flush();
            // The sleeps are the point: a client this slow takes longer than the header deadline in all.
            TimeUnit.MILLISECONDS.sleep(500);
            out.write(head, half, head.length - half);
            out.flush();
            for (byte b : body) {
                TimeUnit.MILLISECONDS.sleep(500);
                out.write(b);
                out.flush();
            }
            RawHttp.Message answer = RawHttp.readMessage(new BufferedInputStream(socket.getInputStream()), false);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }
}
