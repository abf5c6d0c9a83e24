package io.predastore.node.store;

import java.util.List;

/**
 * A page of a listing.
 *
 * @param objects the keys of the page, in order
 * @param commonPrefixes the rolled-up prefixes of the page, in order
 * @param truncated whether more entries follow
 * @param lastEntry the last key or common prefix of the page (the next page starts after it), or null if empty
 */
public record ListObjectsResult(
        List<ObjectInfo> objects, List<String> commonPrefixes, boolean truncated, String lastEntry) {
    public ListObjectsResult {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
