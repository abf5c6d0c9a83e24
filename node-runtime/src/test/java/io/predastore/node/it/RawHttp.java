package io.predastore.node.it;

import io.predastore.node.auth.Credentials;
import io.predastore.node.auth.SigV4Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no SDK would send: bad XML, lying lengths, truncated bodies,
 * skewed clocks. One request per connection ({@code Connection: close}).
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
}
