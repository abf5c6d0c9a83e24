package io.predastore.node.store;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a client stores beside the bytes: the standard content headers (null when not given) and the
 * {@code x-amz-meta-*} user metadata (names lower-case, without the prefix).
 */
public record ObjectMetadata(
        String contentType,
        String cacheControl,
        String contentDisposition,
        String contentEncoding,
        String contentLanguage,
        String expires,
        Map<String, String> userMetadata) {

    /** No content headers and no user metadata. */
    public static final ObjectMetadata EMPTY = new ObjectMetadata(null, null, null, null, null, null, Map.of());

    public ObjectMetadata {
        Objects.requireNonNull(userMetadata, "userMetadata");
        userMetadata = Map.copyOf(userMetadata);
    }

    /** The user metadata sorted by name, as S3 returns it. */
    public TreeMap<String, String> sortedUserMetadata() {
        return new TreeMap<>(userMetadata);
    }
}
