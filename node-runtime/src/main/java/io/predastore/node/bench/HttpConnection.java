package io.predastore.node.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One blocking HTTP/1.1 keep-alive connection, used by one worker thread. It writes a prepared request head and
 * a body taken (cyclically) from a shared read-only payload buffer, parses the status line and the framing
 * headers, and reads the response body into a reusable buffer: nothing is allocated per request except for
 * error bodies, which are kept (up to 8 KiB) so the S3 error code can be shown. The connection reopens itself
 * after {@code Connection: close} or an I/O error.
 */
final class HttpConnection implements Closeable {
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_ERROR_BODY = 8 * 1024;
    /** Bodies up to this size are copied behind the head and sent with one write. */
    private static final int COALESCE = 64 * 1024;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final byte[] rbuf = new byte[BUFFER];
    private final byte[] line = new byte[MAX_LINE];
    private final byte[] sendBuf = new byte[COALESCE + MAX_LINE];
    private int rpos;
    private int rlim;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean reused;

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

    HttpConnection(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        rpos = 0;
        rlim = 0;
        reused = false;
    }

    /**
     * Sends one request and reads the whole response. A request on a reused connection that fails before any
     * response byte arrived (the server closed an idle connection) is retried once on a fresh one.
     *
     * @param head the request head, ending with the blank line
     * @param payload the body source, repeated cyclically; may be null when {@code bodyLength} is 0
     * @param headRequest true for HEAD, whose response has no body
     * @param keepBody keep a 2xx body (up to 8 KiB) in {@link Response#keptBody}
     */
    Response exchange(byte[] head, byte[] payload, long bodyLength, boolean headRequest, boolean keepBody)
            throws IOException {
        boolean retry = socket != null && reused;
        try {
            return exchangeOnce(head, payload, bodyLength, headRequest, keepBody);
        } catch (StaleConnectionException e) {
            close();
            if (!retry) {
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        try {
            return exchangeOnce(head, payload, bodyLength, headRequest, keepBody);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Nothing at all came back on a connection: the request may be retried. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Response exchangeOnce(byte[] head, byte[] payload, long bodyLength, boolean headRequest,
            boolean keepBody) throws IOException {
        if (socket == null) {
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

    private void writeRequest(byte[] head, byte[] payload, long bodyLength) throws IOException {
        if (bodyLength <= COALESCE && head.length <= MAX_LINE) {
            System.arraycopy(head, 0, sendBuf, 0, head.length);
            int n = head.length;
            long left = bodyLength;
            while (left > 0) {
                int chunk = (int) Math.min(left, payload.length);
                System.arraycopy(payload, 0, sendBuf, n, chunk);
                n += chunk;
                left -= chunk;
            }
            out.write(sendBuf, 0, n);
        } else {
            out.write(head);
            long left = bodyLength;
            while (left > 0) {
                int chunk = (int) Math.min(left, payload.length);
                out.write(payload, 0, chunk);
                left -= chunk;
            }
        }
        out.flush();
    }

    /** Reads more bytes into the buffer if it is empty; false at end of stream. */
    private boolean fill() throws IOException {
        if (rpos < rlim) {
            return true;
        }
        int n = in.read(rbuf, 0, rbuf.length);
        if (n < 0) {
            return false;
        }
        rpos = 0;
        rlim = n;
        return true;
    }

    /** Reads one CRLF-terminated line into {@link #line}; returns its length without the CRLF. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            if (!fill()) {
                throw new EOFException("connection closed in the middle of a response");
            }
            byte b = rbuf[rpos++];
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
        int status;
        do {
            int n = readLine();
            if (n < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P') {
                throw new IOException("malformed status line: " + new String(line, 0, n, StandardCharsets.ISO_8859_1));
            }
            status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            long contentLength = -1;
            boolean chunked = false;
            boolean close = line[7] == '0';
            while ((n = readLine()) > 0) {
                if (startsWithIgnoreCase(n, "content-length:")) {
                    contentLength = Long.parseLong(value(n, "content-length:".length()));
                } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
                    chunked = value(n, "transfer-encoding:".length()).toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (startsWithIgnoreCase(n, "connection:")) {
                    String v = value(n, "connection:".length()).toLowerCase(java.util.Locale.ROOT);
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
        } while (true);
    }

    private long discard(long length, ByteSink sink) throws IOException {
        long left = length;
        while (left > 0) {
            if (rpos < rlim) {
                int n = (int) Math.min(left, rlim - rpos);
                if (sink != null) {
                    sink.add(rbuf, rpos, n);
                }
                rpos += n;
                left -= n;
                continue;
            }
            int n = in.read(rbuf, 0, (int) Math.min(rbuf.length, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " body bytes outstanding");
            }
            if (sink != null) {
                sink.add(rbuf, 0, n);
            }
            left -= n;
            rpos = 0;
            rlim = 0;
        }
        return length;
    }

    private long discardToEnd(ByteSink sink) throws IOException {
        long total = 0;
        while (fill()) {
            int n = rlim - rpos;
            if (sink != null) {
                sink.add(rbuf, rpos, n);
            }
            total += n;
            rpos = rlim;
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

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            socket = null;
            in = null;
            out = null;
        }
    }

    /** Collects up to a limit of bytes. */
    private static final class ByteSink {
        private final byte[] data;
        private int size;

        ByteSink(int limit) {
            data = new byte[limit];
        }

        void add(byte[] b, int off, int len) {
            int n = Math.min(len, data.length - size);
            System.arraycopy(b, off, data, size, n);
            size += n;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
