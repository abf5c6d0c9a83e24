package io.predastore.node.store;

import java.util.List;

/** A page of uploads in progress with the markers to continue from. */
public record ListUploadsResult(
        List<UploadInfo> uploads,
        List<String> commonPrefixes,
        boolean truncated,
        String nextKeyMarker,
        String nextUploadIdMarker) {
    public ListUploadsResult {
        uploads = List.copyOf(uploads);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
