package io.predastore.node.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.predastore.node.auth.AuthContext;
import io.predastore.node.auth.PayloadMode;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.error.S3Error;
import io.predastore.node.http.HeaderValues;
import io.predastore.node.http.RequestHeads;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import io.predastore.protocol.admin.AdminErrorCode;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Decides from a request head alone, before any body byte is read, whether the admin endpoint takes the request:
 * the head is well formed, its SigV4 signature verifies with the admin credential, and a body, if any, is covered
 * by the signature (its SHA-256 signed, at most {@link AdminServer#MAX_BODY} bytes, with a Content-Length). A
 * write (any method but GET and HEAD) must moreover be signed in the {@code Authorization} header, for this
 * node's admin host and port, and be new: its signature is remembered by a {@link ReplayGuard} so the same signed
 * request is carried out once. Thread-safe.
 */
final class AdminAdmission {
    private final SigV4Verifier verifier;
    private final String host;
    private final IntSupplier port;
    private final boolean tls;
    private final ReplayGuard replays;

    /**
     * @param host the host this node's admin API is known by (the cluster file's), which a write must be signed for
     * @param port the port it listens on, once bound
     * @param tls whether it serves HTTPS (the port a Host header without one stands for)
     */
    AdminAdmission(SigV4Verifier verifier, String host, IntSupplier port, boolean tls, ReplayGuard replays) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
        this.port = Objects.requireNonNull(port, "port");
        this.tls = tls;
        this.replays = Objects.requireNonNull(replays, "replays");
    }

    /**
     * A request whose head has been accepted.
     *
     * @param contentLength the body's length, 0 when it has none
     * @param client the client's address, for the log and the record of repairs
     */
    record Admitted(HttpMethod method, RequestTarget target, HttpHeaders headers, AuthContext auth,
            long contentLength, String client) {
        boolean write() {
            return isWrite(method);
        }
    }

    static boolean isWrite(HttpMethod method) {
        return !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD);
    }

    /**
     * Checks a request head.
     *
     * @throws AdminRefusal or {@link io.predastore.node.error.S3Exception} with the answer when refused
     */
    Admitted admit(HttpRequest head, String client) {
        RequestTarget target;
        try {
            HeaderValues.check(head.headers());
            target = RequestHeads.target(head);
        } catch (MalformedRequestException e) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, e.getMessage());
        }
        AuthContext auth = verifier.verify(head.method(), target, head.headers());
        long length = contentLength(head);
        boolean write = isWrite(head.method());
        if (auth.payloadMode() != PayloadMode.SIGNED_SHA256 && (write || length > 0
                || auth.payloadMode() != PayloadMode.UNSIGNED)) {
            throw S3Error.INVALID_REQUEST.exception("The admin API takes only bodies covered by the signature: "
                    + "sign the hex SHA-256 of the body in x-amz-content-sha256 (UNSIGNED-PAYLOAD and STREAMING-* "
                    + "are refused for writes and for any request with a body).");
        }
        if (write) {
            if (auth.presigned()) {
                throw S3Error.ACCESS_DENIED.exception("Admin writes must be signed in the Authorization header; "
                        + "presigned URLs are for reads only.");
            }
            checkHost(head.headers().get(HttpHeaderNames.HOST));
            switch (replays.admit(auth.signature(), auth.requestTime())) {
                case ACCEPTED -> {
                }
                case REPLAYED -> throw S3Error.ACCESS_DENIED.exception("This signed admin write has been received "
                        + "before, and each is carried out once: sign every request anew.");
                case FULL -> throw S3Error.SLOW_DOWN.exception("The admin API is taking more writes than it can "
                        + "remember for replay protection; retry in a few minutes.");
                default -> throw new IllegalStateException();
            }
        }
        return new Admitted(head.method(), target, head.headers(), auth, length, client);
    }

    private static long contentLength(HttpRequest head) {
        if (HttpUtil.isTransferEncodingChunked(head)) {
            throw new AdminRefusal(AdminErrorCode.MISSING_CONTENT_LENGTH,
                    "Send the admin API a body with a Content-Length, not chunked.");
        }
        long length;
        try {
            length = HttpUtil.getContentLength(head, 0L);
        } catch (NumberFormatException e) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "The Content-Length is not a number.");
        }
        if (length > AdminServer.MAX_BODY) {
            throw new AdminRefusal(AdminErrorCode.ENTITY_TOO_LARGE, "The admin API takes bodies of at most "
                    + AdminServer.MAX_BODY + " bytes, not " + length + ".");
        }
        return length;
    }

    /** A write is bound to the node it was signed for: the signed Host must be this node's admin host and port. */
    private void checkHost(String given) {
        String expected = authority(host, port.getAsInt());
        String actual = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
        if (!actual.equals(expected) && !actual.equals(authorityWithoutDefaultPort(expected))) {
            throw S3Error.ACCESS_DENIED.exception("This admin write was signed for host '"
                    + (actual.length() > 100 ? actual.substring(0, 100) + "..." : actual) + "', but this node's admin "
                    + "API is " + expected + ": sign it for the node that is to carry it out.");
        }
    }

    static String authority(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private String authorityWithoutDefaultPort(String expected) {
        String suffix = tls ? ":443" : ":80";
        return expected.endsWith(suffix) ? expected.substring(0, expected.length() - suffix.length()) : expected;
    }
}
