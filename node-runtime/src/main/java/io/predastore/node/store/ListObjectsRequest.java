package io.predastore.node.store;

import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param prefix only keys starting with it ("" for all)
 * @param delimiter groups keys sharing the part up to the first delimiter after the prefix, or null
 * @param after return only keys (and common prefixes) strictly after this one in UTF-8 binary order, or null
 * @param maxKeys 0..1000 entries (keys plus common prefixes) per page
 */
public record ListObjectsRequest(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    public ListObjectsRequest {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        if (maxKeys < 0) {
            throw new IllegalArgumentException("maxKeys must be >= 0: " + maxKeys);
        }
    }
}
