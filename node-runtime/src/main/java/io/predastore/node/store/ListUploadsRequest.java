package io.predastore.node.store;

/**
 * A page of ListMultipartUploads: uploads whose key starts with {@code prefix}, after ({@code keyMarker},
 * {@code uploadIdMarker}), rolled up by {@code delimiter} (or null), at most {@code maxUploads} entries.
 */
public record ListUploadsRequest(
        String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
}
