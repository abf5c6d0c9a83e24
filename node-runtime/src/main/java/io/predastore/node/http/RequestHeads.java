package io.predastore.node.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;

/** Takes a Netty request head apart into its {@link RequestTarget}, the one parse both endpoints read. */
public final class RequestHeads {
    private RequestHeads() {
    }

    /**
     * The target of {@code request}: its request-target parsed and its Host header checked (see
     * {@link RequestTarget#of(String, java.util.List, boolean)}); only an HTTP/1.0 request may come without a Host.
     *
     * @throws MalformedRequestException if the request-target or the Host header is malformed, or they disagree
     */
    public static RequestTarget target(HttpRequest request) {
        return RequestTarget.of(request.uri(), request.headers().getAll(HttpHeaderNames.HOST),
                !HttpVersion.HTTP_1_0.equals(request.protocolVersion()));
    }
}
