package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Stalled and slow connections against a node process whose idle timeout is 2 s: a download slower than the
 * timeout but steady is never cut, an upload that stops sending and a download nobody reads are closed.
 */
class S3IdleConnectionIT {
    private static final int IDLE_SECONDS = 2;
    private static final int SIZE = 24 << 20;

    @TempDir
    static Path tmp;

    private static NodeProcess node;
    private static S3Client s3;
    private static byte[] object;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start(tmp.resolve("node"), "256m",
                List.of("-Dpredastore.s3.idleTimeoutSeconds=" + IDLE_SECONDS));
        s3 = Clients.s3(node.endpoint());
        s3.createBucket(b -> b.bucket("idle"));
        object = new byte[SIZE];
        new Random(3).nextBytes(object);
        s3.putObject(b -> b.bucket("idle").key("big"), RequestBody.fromBytes(object));
    }

    @AfterAll
    static void stop() throws IOException {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** A socket with a small receive buffer, so the node can only send as fast as this test reads. */
    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress(node.endpoint().getHost(), node.endpoint().getPort()), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void sendSignedHead(Socket socket, String method, String path, long contentLength)
            throws IOException {
        URI uri = URI.create(node.endpoint() + path);
        SigV4Signer signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                "us-east-1", Clock.systemUTC());
        Map<String, String> headers = signer.signHeaders(method, uri, Map.of(), null);
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.head(node.endpoint(), method, path, headers, contentLength));
        out.flush();
    }

    /** Reads up to the end of the response head; returns the status code. */
    private static int readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection ended inside the response head: " + head);
            }
            head.append((char) c);
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    @Test
    void aSlowButSteadyDownload_longerThanTheIdleTimeout_isServedWhole() throws Exception {
        try (Socket socket = connect()) {
            sendSignedHead(socket, "GET", "/idle/big", 0);
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).isEqualTo(200);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[256 * 1024];
            long received = 0;
            long started = System.nanoTime();
            int n;
            // About 2.5 MiB/s: the whole body takes about 10 s, five idle timeouts, while this side sends nothing.
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                md5.update(buf, 0, n);
                received += n;
                // The pause is the point: a reader this slow keeps the download going past the idle timeout.
                Thread.sleep(100);
            }
            assertThat(received).isEqualTo(SIZE);
            assertThat(md5.digest()).isEqualTo(MessageDigest.getInstance("MD5").digest(object));
            assertThat((System.nanoTime() - started) / 1_000_000_000.0).isGreaterThan(3.0 * IDLE_SECONDS);
        }
    }

    @Test
    void anUploadThatStopsSending_isClosedAndStoresNothing() throws Exception {
        try (Socket socket = connect()) {
            sendSignedHead(socket, "PUT", "/idle/stalled", 1 << 20);
            socket.getOutputStream().write("only the start of the body".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the node answers, it must then close
                }
            } catch (SocketException reset) {
                // closed with a reset: also a close
            }
            double waited = (System.nanoTime() - started) / 1_000_000_000.0;
            assertThat(waited).isBetween(IDLE_SECONDS * 0.5, IDLE_SECONDS * 6.0);
        }
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("idle").key("stalled")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aDownloadNobodyReads_isClosed() throws Exception {
        long received = 0;
        try (Socket socket = connect()) {
            sendSignedHead(socket, "GET", "/idle/big", 0);
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).isEqualTo(200);
            received += in.readNBytes(64 * 1024).length;
            // Read nothing for three idle timeouts: the node stops waiting and closes. The sleep is the point (a
            // client that stays silent); there is no condition to poll from this side.
            Thread.sleep(3_000L * IDLE_SECONDS);
            byte[] buf = new byte[256 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received += n;
                }
            } catch (SocketException reset) {
                // closed with a reset: also a close
            }
        }
        assertThat(received).as("bytes received before the node closed").isLessThan(SIZE);
        // The node is healthy afterwards.
        assertThat(s3.getObjectAsBytes(b -> b.bucket("idle").key("big")).asByteArray()).isEqualTo(object);
        assertThat(node.log()).contains("read nothing of its response");
    }
}
