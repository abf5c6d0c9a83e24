package io.predastore.node.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.net.ssl.SSLContext;

/** The S3 requests of one worker thread over its own keep-alive connection. Not thread-safe. */
final class S3Worker implements Closeable {
    private final BenchConfig config;
    private final String hostHeader;
    private final BenchSigner signer;
    private final HttpConnection connection;
    private final StringBuilder sb = new StringBuilder(512);

    /** A worker for {@code config}; {@code tls} is its TLS context ({@link HttpsTrust#of}), null for HTTP. */
    S3Worker(BenchConfig config, SSLContext tls) {
        this.config = config;
        this.hostHeader = config.hostHeader();
        this.signer = new BenchSigner(config.accessKey(), config.secretKey(), config.region());
        this.connection = new HttpConnection(config.host(), config.port(), config.timeout().toMillis(), tls);
    }

    HttpConnection.Response put(String key, ByteBuffer payload, long size) throws IOException {
        String path = objectPath(key);
        return connection.exchange(head("PUT", path, "", size), payload, size, false, false);
    }

    HttpConnection.Response get(String key) throws IOException {
        return connection.exchange(head("GET", objectPath(key), "", -1), null, 0, false, false);
    }

    HttpConnection.Response delete(String key) throws IOException {
        return connection.exchange(head("DELETE", objectPath(key), "", -1), null, 0, false, false);
    }

    /** ListObjectsV2 of up to {@code maxKeys} keys under {@code prefix} (which must be URL-safe apart from '/'). */
    HttpConnection.Response list(String prefix, int maxKeys) throws IOException {
        String query = "list-type=2&max-keys=" + maxKeys + "&prefix=" + prefix.replace("/", "%2F");
        return connection.exchange(head("GET", "/" + config.bucket(), query, -1), null, 0, false, false);
    }

    HttpConnection.Response headBucket() throws IOException {
        return connection.exchange(head("HEAD", "/" + config.bucket(), "", -1), null, 0, true, false);
    }

    HttpConnection.Response createBucket() throws IOException {
        return connection.exchange(head("PUT", "/" + config.bucket(), "", 0), null, 0, false, false);
    }

    private String objectPath(String key) {
        return "/" + config.bucket() + "/" + key;
    }

    private byte[] head(String method, String path, String query, long contentLength) {
        BenchSigner.Signed signed = signer.sign(method, path, query, hostHeader, Instant.now());
        sb.setLength(0);
        sb.append(method).append(' ').append(path);
        if (!query.isEmpty()) {
            sb.append('?').append(query);
        }
        sb.append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nx-amz-date: ").append(signed.amzDate())
                .append("\r\nx-amz-content-sha256: ").append(BenchSigner.UNSIGNED_PAYLOAD)
                .append("\r\nAuthorization: ").append(signed.authorization());
        if (contentLength >= 0) {
            sb.append("\r\nContent-Length: ").append(contentLength);
        }
        sb.append("\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        connection.close();
    }
}
