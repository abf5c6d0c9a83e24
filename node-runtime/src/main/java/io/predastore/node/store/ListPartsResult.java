package io.predastore.node.store;

import java.util.List;

/** A page of an upload's parts; {@code nextPartNumberMarker} is the last part number of the page. */
public record ListPartsResult(UploadInfo upload, List<PartInfo> parts, boolean truncated, int nextPartNumberMarker) {
    public ListPartsResult {
        parts = List.copyOf(parts);
    }
}
