package io.predastore.node.it;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no SDK would send: bad XML, lying lengths, truncated bodies,
 * skewed clocks. One request per connection ({@code Connection: close}), or, with {@link #keepAliveHead} and
 * {@link #readMessage}, many requests pipelined on one connection.
 */
final class RawHttp {
    private RawHttp() {
    }

    record Response(int status, String head, String body) {
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with the test credentials and the given clock, and sends the whole body. */
    static Response signed(URI endpoint, String method, String pathAndQuery, Map<String, String> headers,
            byte[] body, Clock clock) throws IOException {
        URI uri = URI.create(endpoint + pathAndQuery);
        SigV4Signer signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                "us-east-1", clock);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(signer.signHeaders(method, uri, headers, sha256Hex(body)));
        return send(endpoint, method, pathAndQuery, all, body, body.length);
    }

    /**
     * Sends a request head (with {@code Content-Length: declaredLength}) and the given body bytes, then reads
     * the response until the server closes the connection.
     */
    static Response send(URI endpoint, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            long declaredLength) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(endpoint, method, pathAndQuery, headers, declaredLength));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code request} exactly as given (request line, headers, blank line and body, nothing added: it should
     * say {@code Connection: close}), then reads the response until the server closes the connection.
     */
    static Response exchange(URI endpoint, byte[] request) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Sends the head and a prefix of the body, then closes the socket abruptly without reading. */
    static void sendAndHangUp(URI endpoint, String method, String pathAndQuery, Map<String, String> headers,
            byte[] partialBody, long declaredLength) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(head(endpoint, method, pathAndQuery, headers, declaredLength));
            out.write(partialBody);
            out.flush();
        }
    }

    static byte[] head(URI endpoint, String method, String pathAndQuery, Map<String, String> headers,
            long declaredLength) {
        StringBuilder h = new StringBuilder();
        h.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        for (Map.Entry<String, String> e : headers.entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        h.append("Content-Length: ").append(declaredLength).append("\r\n");
        h.append("Connection: close\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        int status = Integer.parseInt(head.substring(9, 12));
        return new Response(status, head, body);
    }

    /** One response read off a connection that stays open: its status, headers (lower-case names) and body. */
    record Message(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * A signed keep-alive request head for a body of {@code contentLength} bytes whose SHA-256 is
     * {@code payloadSha256} (null for an unsigned payload), signed with {@code secretKey} for the test access key.
     */
    static byte[] keepAliveHead(URI endpoint, String method, String pathAndQuery, Map<String, String> headers,
            String payloadSha256, long contentLength, String secretKey) {
        SigV4Signer signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, secretKey), "us-east-1",
                Clock.systemUTC());
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(signer.signHeaders(method, URI.create(endpoint + pathAndQuery), headers, payloadSha256));
        StringBuilder h = new StringBuilder();
        h.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        for (Map.Entry<String, String> e : all.entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        h.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A whole signed keep-alive request: head and body. */
    static byte[] keepAlive(URI endpoint, String method, String pathAndQuery, Map<String, String> headers,
            byte[] body) {
        byte[] head = keepAliveHead(endpoint, method, pathAndQuery, headers, sha256Hex(body), body.length,
                NodeProcess.SECRET_KEY);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /**
     * Reads exactly one response (an interim 1xx one too) off {@code in}: the head up to its empty line, then as
     * many body bytes as its Content-Length says, none for an answer to HEAD or a 1xx, 204 or 304.
     *
     * @throws IOException if the connection ends inside the response
     */
    static Message readMessage(InputStream in, boolean answersHead) throws IOException {
        String statusLine = readLine(in);
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        boolean noBody = answersHead || status / 100 == 1 || status == 204 || status == 304;
        int length = noBody ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("the connection ended after " + body.length + " of " + length + " body bytes");
        }
        return new Message(status, headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the connection ended inside a response head: " + line);
            }
            line.write(c);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** A plain socket to {@code endpoint}, connected within 5 s, whose reads time out after {@code readTimeout}. */
    static Socket connect(URI endpoint, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        return socket;
    }

    /** Reads until the peer closes the connection (a reset counts as a close); returns how long that took. */
    static Duration awaitClosed(InputStream in) throws IOException {
        long started = System.nanoTime();
        try {
            while (in.read() >= 0) {
                // whatever comes before the end
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
