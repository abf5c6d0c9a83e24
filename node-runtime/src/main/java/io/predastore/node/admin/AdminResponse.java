package io.predastore.node.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** A complete admin API answer: status, content type, body and extra headers. */
record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    AdminResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }
}
