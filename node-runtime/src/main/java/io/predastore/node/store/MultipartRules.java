package io.predastore.node.store;

import java.util.List;

/** The S3 rules a CompleteMultipartUpload must satisfy, shared by every backend. */
public final class MultipartRules {
    /** Every part but the last must be at least this large. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** The most parts an upload has: part numbers are 1 to this. */
    public static final int MAX_PARTS = 10_000;

    private MultipartRules() {
    }

    /** At least one part, in strictly ascending part-number order: MalformedXML, InvalidPartOrder. */
    public static void checkOrder(List<CompletedPart> listed) {
        if (listed.isEmpty()) {
            throw new StorageException(StorageError.MALFORMED_PART_LIST, 
                    "CompleteMultipartUpload lists no parts; list at least one uploaded part.");
        }
        for (int i = 1; i < listed.size(); i++) {
            if (listed.get(i).partNumber() <= listed.get(i - 1).partNumber()) {
                throw new StorageException(StorageError.INVALID_PART_ORDER,
                        "Part " + listed.get(i).partNumber() + " follows part "
                        + listed.get(i - 1).partNumber() + "; list parts in strictly ascending order.");
            }
        }
    }

    /**
     * One listed part against what was uploaded: InvalidPart if absent or its ETag differs, EntityTooSmall if it
     * is not the last and under 5 MiB.
     *
     * @param storedEtag the uploaded part's ETag (hex, no quotes), or null if no such part was uploaded
     */
    public static void checkPart(String uploadId, CompletedPart listed, String storedEtag, long storedSize,
            boolean last) {
        String given = listed.etag() == null ? null : unquote(listed.etag());
        if (storedEtag == null || given == null || !given.equalsIgnoreCase(storedEtag)) {
            throw new StorageException(StorageError.INVALID_PART, "Part " + listed.partNumber() + (storedEtag == null
                    ? " was not uploaded to upload " + uploadId
                    : " has ETag " + storedEtag + ", not " + listed.etag())
                    + "; list only uploaded parts with the ETags UploadPart returned.");
        }
        if (!last && storedSize < MIN_PART_SIZE) {
            throw new StorageException(StorageError.PART_TOO_SMALL, "Part " + listed.partNumber() + " is " + storedSize
                    + " bytes; every part but the last must be at least 5 MiB.");
        }
    }

    private static String unquote(String etag) {
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
