package io.predastore.node.s3;

/** Told about every answered request, e.g. to count requests and bytes for the admin API. Must be thread-safe. */
@FunctionalInterface
public interface RequestObserver {
    /** Ignores everything. */
    RequestObserver NONE = (operation, status, bytesIn, bytesOut) -> { };

    /**
     * @param operation the S3 operation name, e.g. {@code GET_OBJECT}, or {@code UNKNOWN} if routing failed
     * @param bytesIn the request body length as declared
     * @param bytesOut the response body length
     */
    void requestDone(String operation, int status, long bytesIn, long bytesOut);
}
