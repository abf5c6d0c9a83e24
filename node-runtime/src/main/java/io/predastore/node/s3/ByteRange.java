package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;

/**
 * A resolved {@code Range: bytes=...} request against an object of known size. Syntactically invalid or
 * multi-range headers are ignored (the whole object is sent), as S3 does; a range that starts past the end
 * is InvalidRange (416), answered with {@code Content-Range: bytes *}{@code /size}.
 */
record ByteRange(long start, long length) {

    /** The range to send, or null for the whole object. */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                long n = Math.min(suffix, size);
                return new ByteRange(size - n, n);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (end < start) {
                return null;
            }
            if (start >= size) {
                throw unsatisfiable(size);
            }
            end = Math.min(end, size - 1);
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static S3Exception unsatisfiable(long size) {
        return S3Error.INVALID_RANGE.exception("The requested range is not satisfiable: the object is " + size
                + " bytes long.");
    }

    /** The {@code Content-Range} of a 416 answer: no range of an object of {@code size} bytes. */
    static String unsatisfied(long size) {
        return "bytes */" + size;
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
