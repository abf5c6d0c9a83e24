package io.predastore.node.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking HTTP/1.1 keep-alive connection, used by one worker thread. It writes a prepared request head and
 * a body taken (cyclically) from a shared read-only direct payload buffer, parses the status line and the
 * framing headers, and reads the response body into a reusable direct buffer. Using a {@link SocketChannel} with
 * direct buffers saves the extra copy the socket streams make through a temporary direct buffer, which matters
 * for large objects. Nothing is allocated per request except for error bodies, kept (up to 8 KiB) so the S3
 * error code can be shown. The connection reopens itself after {@code Connection: close} or an I/O error; a
 * shared watchdog closes connections whose request has run longer than the timeout.
 *
 * <p>With a TLS context the bytes go through the JDK's {@link SSLSocket} instead (its streams copy through heap
 * arrays, and the JDK's TLS costs more CPU than OpenSSL: an https run measures that too), checking the server's
 * certificate chain and host name.
 */
final class HttpConnection implements Closeable {
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_ERROR_BODY = 8 * 1024;
    /** Bodies up to this size are copied behind the head and sent with one write. */
    private static final int COALESCE = 64 * 1024;

    private static final Set<HttpConnection> BUSY = ConcurrentHashMap.newKeySet();
    private static Thread watchdog;

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final long timeoutNanos;
    private final ByteBuffer rbuf = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer sendBuf = ByteBuffer.allocateDirect(COALESCE + MAX_LINE);
    private final byte[] line = new byte[MAX_LINE];
    private volatile ByteChannel channel;
    private boolean reused;
    private volatile long requestStart;
    private volatile boolean timedOut;

    /** The outcome of the last exchange; overwritten by the next one. */
    static final class Response {
        int status;
        long bodyBytes;
        /** The body of a non-2xx response (truncated), else null. */
        byte[] errorBody;
        /** The body of a 2xx response when asked to keep it, else null. */
        byte[] keptBody;
    }

    private final Response response = new Response();

    /** A connection to {@code host:port}, over TLS with {@code tls} or plain when it is null. */
    HttpConnection(String host, int port, long timeoutMillis, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        rbuf.limit(0);
        startWatchdog();
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (HttpConnection c : BUSY) {
                    long start = c.requestStart;
                    if (start != 0 && now - start > c.timeoutNanos) {
                        c.timedOut = true;
                        c.abort();
                    }
                }
            }
        }, "bench-timeout-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void connect() throws IOException {
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000L);
        if (tls != null) {
            channel = connectTls(connectMillis);
        } else {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.socket().setTcpNoDelay(true);
                ch.socket().connect(new InetSocketAddress(host, port), connectMillis);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            channel = ch;
        }
        rbuf.clear().limit(0);
        reused = false;
    }

    private ByteChannel connectTls(int connectMillis) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(host, port), connectMillis);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new TlsChannel(socket);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** TLS over a socket as a byte channel, so reading and writing look the same as over plain TCP. */
    private static final class TlsChannel implements ByteChannel {
        private final SSLSocket socket;
        private final ReadableByteChannel in;
        private final WritableByteChannel out;

        TlsChannel(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = Channels.newChannel(socket.getInputStream());
            this.out = Channels.newChannel(socket.getOutputStream());
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return !socket.isClosed();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Sends one request and reads the whole response. A request on a reused connection that fails before any
     * response byte arrived (the server closed an idle connection) is retried once on a fresh one.
     *
     * @param head the request head, ending with the blank line
     * @param payload the body source, repeated cyclically (position 0 to limit); may be null when
     *     {@code bodyLength} is 0; only duplicates of it are read, so it may be shared
     * @param headRequest true for HEAD, whose response has no body
     * @param keepBody keep a 2xx body (up to 8 KiB) in {@link Response#keptBody}
     */
    Response exchange(byte[] head, ByteBuffer payload, long bodyLength, boolean headRequest, boolean keepBody)
            throws IOException {
        timedOut = false;
        requestStart = System.nanoTime();
        BUSY.add(this);
        try {
            boolean retry = channel != null && reused;
            try {
                return exchangeOnce(head, payload, bodyLength, headRequest, keepBody);
            } catch (StaleConnectionException e) {
                close();
                if (!retry || timedOut) {
                    throw failure(e);
                }
            } catch (IOException e) {
                close();
                throw failure(e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            try {
                return exchangeOnce(head, payload, bodyLength, headRequest, keepBody);
            } catch (IOException e) {
                close();
                throw failure(e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        } finally {
            requestStart = 0;
            BUSY.remove(this);
        }
    }

    private IOException failure(IOException e) {
        return timedOut ? timeout() : e;
    }

    private SocketTimeoutException timeout() {
        return new SocketTimeoutException("no complete response within " + timeoutNanos / 1_000_000L + " ms");
    }

    /** Nothing at all came back on a connection: the request may be retried. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Response exchangeOnce(byte[] head, ByteBuffer payload, long bodyLength, boolean headRequest,
            boolean keepBody) throws IOException {
        if (channel == null) {
            connect();
        }
        try {
            writeRequest(head, payload, bodyLength);
            if (!fill()) {
                throw new StaleConnectionException("connection closed before the response", null);
            }
        } catch (StaleConnectionException e) {
            throw e;
        } catch (IOException e) {
            throw new StaleConnectionException("connection failed: " + e.getMessage(), e);
        }
        readResponse(headRequest, keepBody);
        reused = true;
        return response;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void writeRequest(byte[] head, ByteBuffer payload, long bodyLength) throws IOException {
        if (bodyLength <= COALESCE && head.length <= MAX_LINE) {
            sendBuf.clear();
            sendBuf.put(head);
            long left = bodyLength;
            while (left > 0) {
                ByteBuffer p = payload.duplicate();
                p.limit((int) Math.min(left, p.limit()));
                left -= p.remaining();
                sendBuf.put(p);
            }
            sendBuf.flip();
            writeFully(sendBuf);
            return;
        }
        writeFully(ByteBuffer.wrap(head));
        long left = bodyLength;
        while (left > 0) {
            ByteBuffer p = payload.duplicate();
            p.limit((int) Math.min(left, p.limit()));
            left -= p.remaining();
            writeFully(p);
        }
    }

    /** Reads more bytes into the buffer if it is empty; false at end of stream. */
    private boolean fill() throws IOException {
        if (rbuf.hasRemaining()) {
            return true;
        }
        rbuf.clear();
        int n = channel.read(rbuf);
        rbuf.flip();
        return n > 0;
    }

    /** Reads one CRLF-terminated line into {@link #line}; returns its length without the CRLF. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            if (!fill()) {
                throw new EOFException("connection closed in the middle of a response");
            }
            byte b = rbuf.get();
            if (b == '\n') {
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                return n;
            }
            if (n == MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = b;
        }
    }

    private void readResponse(boolean headRequest, boolean keepBody) throws IOException {
        while (true) {
            int n = readLine();
            if (n < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P') {
                throw new IOException("malformed status line: "
                        + new String(line, 0, n, StandardCharsets.ISO_8859_1));
            }
            int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            long contentLength = -1;
            boolean chunked = false;
            boolean close = line[7] == '0';
            while ((n = readLine()) > 0) {
                if (startsWithIgnoreCase(n, "content-length:")) {
                    contentLength = Long.parseLong(value(n, "content-length:".length()));
                } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
                    chunked = value(n, "transfer-encoding:".length()).toLowerCase(Locale.ROOT).contains("chunked");
                } else if (startsWithIgnoreCase(n, "connection:")) {
                    String v = value(n, "connection:".length()).toLowerCase(Locale.ROOT);
                    close = v.contains("close") || (close && !v.contains("keep-alive"));
                }
            }
            if (status == 100) {
                continue;
            }
            response.status = status;
            response.errorBody = null;
            response.keptBody = null;
            boolean keep = status >= 300 || keepBody;
            ByteSink sink = keep ? new ByteSink(MAX_ERROR_BODY) : null;
            long read;
            if (headRequest || status == 204 || status == 304) {
                read = 0;
            } else if (chunked) {
                read = readChunked(sink);
            } else if (contentLength >= 0) {
                read = discard(contentLength, sink);
            } else {
                read = discardToEnd(sink);
                close = true;
            }
            response.bodyBytes = read;
            if (sink != null) {
                if (status >= 300) {
                    response.errorBody = sink.bytes();
                } else {
                    response.keptBody = sink.bytes();
                }
            }
            if (close) {
                close();
            }
            return;
        }
    }

    private long discard(long length, ByteSink sink) throws IOException {
        long left = length;
        while (left > 0) {
            if (!rbuf.hasRemaining()) {
                rbuf.clear();
                if (left < rbuf.capacity()) {
                    rbuf.limit((int) left);
                }
                int n = channel.read(rbuf);
                rbuf.flip();
                if (n < 0) {
                    throw new EOFException("connection closed with " + left + " body bytes outstanding");
                }
            }
            int n = (int) Math.min(left, rbuf.remaining());
            if (sink != null) {
                sink.add(rbuf, n);
            }
            rbuf.position(rbuf.position() + n);
            left -= n;
        }
        return length;
    }

    private long discardToEnd(ByteSink sink) throws IOException {
        long total = 0;
        while (fill()) {
            int n = rbuf.remaining();
            if (sink != null) {
                sink.add(rbuf, n);
            }
            total += n;
            rbuf.position(rbuf.limit());
        }
        return total;
    }

    private long readChunked(ByteSink sink) throws IOException {
        long total = 0;
        while (true) {
            int n = readLine();
            String sizeText = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            int semi = sizeText.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (readLine() > 0) {
                    // trailers
                }
                return total;
            }
            discard(size, sink);
            total += size;
            readLine();
        }
    }

    private boolean startsWithIgnoreCase(int n, String prefix) {
        if (n < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            int c = line[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int n, int from) {
        return new String(line, from, n - from, StandardCharsets.ISO_8859_1).trim();
    }

    /** Closes the channel from another thread, which makes a blocked read or write fail. */
    private void abort() {
        ByteChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            channel = null;
        }
        rbuf.clear().limit(0);
    }

    /** Collects up to a limit of bytes. */
    private static final class ByteSink {
        private final byte[] data;
        private int size;

        ByteSink(int limit) {
            data = new byte[limit];
        }

        /** Copies up to {@code len} bytes at the buffer's position without moving it. */
        void add(ByteBuffer b, int len) {
            int n = Math.min(len, data.length - size);
            b.get(b.position(), data, size, n);
            size += n;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
