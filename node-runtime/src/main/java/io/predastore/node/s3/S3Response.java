package io.predastore.node.s3;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predastore.node.store.ObjectBody;

/**
 * What an operation answers: a status, headers, and either a small in-memory body (XML), an object body to
 * stream, or nothing. For HEAD, {@code Content-Length} is set by the operation and no body is sent.
 */
final class S3Response {
    private final HttpResponseStatus status;
    private final HttpHeaders headers = new DefaultHttpHeaders();
    private byte[] bytes;
    private ObjectBody objectBody;
    private String operation = "UNKNOWN";

    S3Response(HttpResponseStatus status) {
        this.status = status;
    }

    static S3Response ok() {
        return new S3Response(HttpResponseStatus.OK);
    }

    static S3Response noContent() {
        return new S3Response(HttpResponseStatus.NO_CONTENT);
    }

    static S3Response xml(HttpResponseStatus status, XmlWriter xml) {
        S3Response r = new S3Response(status);
        r.bytes = xml.toBytes();
        r.headers.set(HttpHeaderNames.CONTENT_TYPE, "application/xml");
        return r;
    }

    static S3Response xml(XmlWriter xml) {
        return xml(HttpResponseStatus.OK, xml);
    }

    S3Response header(CharSequence name, Object value) {
        if (value != null) {
            headers.set(name, value);
        }
        return this;
    }

    S3Response body(ObjectBody body) {
        this.objectBody = body;
        return this;
    }

    S3Response operation(String name) {
        this.operation = name;
        return this;
    }

    String operation() {
        return operation;
    }

    HttpResponseStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    byte[] bytes() {
        return bytes;
    }

    ObjectBody objectBody() {
        return objectBody;
    }
}
