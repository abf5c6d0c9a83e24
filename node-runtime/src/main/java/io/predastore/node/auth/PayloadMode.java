package io.predastore.node.auth;

/** How the request body is protected, as declared by {@code x-amz-content-sha256}. */
public enum PayloadMode {
    /** The header holds the hex SHA-256 of the whole body, checked when the body ends. */
    SIGNED_SHA256,
    /** {@code UNSIGNED-PAYLOAD}: the body is not covered by the signature. */
    UNSIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked body, every chunk signed. */
    STREAMING_SIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks followed by signed trailers. */
    STREAMING_SIGNED_TRAILER,
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked body without signatures, with trailers. */
    STREAMING_UNSIGNED_TRAILER;

    /** True when the body is aws-chunked encoded. */
    public boolean streaming() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /** True when the aws-chunked body carries trailers. */
    public boolean trailers() {
        return this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /** True when every chunk (and trailer) carries a signature. */
    public boolean chunkSignatures() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }
}
