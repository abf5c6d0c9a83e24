package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.WritePrecondition;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads object metadata and write conditions from request headers, and writes an object's headers back. */
final class ObjectHeaders {
    static final String META_PREFIX = "x-amz-meta-";
    /** S3's limit on user metadata: 2 KB of names and values. */
    static final int MAX_USER_METADATA = 2048;

    private ObjectHeaders() {
    }

    static ObjectMetadata metadata(HttpHeaders h) {
        Map<String, String> user = new TreeMap<>();
        int size = 0;
        for (Map.Entry<String, String> e : h) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX)) {
                String key = name.substring(META_PREFIX.length());
                String value = MetadataValues.decode(e.getValue());
                size += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
                user.merge(key, value, (a, b) -> a + "," + b);
            }
        }
        if (size > MAX_USER_METADATA) {
            throw S3Error.METADATA_TOO_LARGE.exception("User metadata is " + size
                    + " bytes; S3 allows at most 2048 bytes of x-amz-meta-* names and values.");
        }
        return new ObjectMetadata(
                h.get(HttpHeaderNames.CONTENT_TYPE),
                h.get(HttpHeaderNames.CACHE_CONTROL),
                h.get(HttpHeaderNames.CONTENT_DISPOSITION),
                contentEncoding(h.get(HttpHeaderNames.CONTENT_ENCODING)),
                h.get(HttpHeaderNames.CONTENT_LANGUAGE),
                h.get(HttpHeaderNames.EXPIRES),
                user);
    }

    /** Drops {@code aws-chunked}, which describes the transfer, not the object. */
    private static String contentEncoding(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (!p.isEmpty() && !p.equalsIgnoreCase("aws-chunked")) {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(p);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** If-Match / If-None-Match of a write. Only {@code *} is meaningful for If-None-Match on writes. */
    static WritePrecondition writePrecondition(HttpHeaders h) {
        String ifMatch = h.get(HttpHeaderNames.IF_MATCH);
        String ifNoneMatch = h.get(HttpHeaderNames.IF_NONE_MATCH);
        boolean star = false;
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw S3Error.NOT_IMPLEMENTED.exception(
                        "If-None-Match on a write only supports '*' (create only if the key is absent).");
            }
            star = true;
        }
        return new WritePrecondition(ifMatch == null ? null : unquote(ifMatch), star);
    }

    static String unquote(String etag) {
        String t = etag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    /** Writes the headers GetObject and HeadObject answer with (not Content-Length or Content-Range). */
    static void write(S3Response r, ObjectInfo info, boolean withChecksum) {
        ObjectMetadata m = info.metadata();
        r.header(HttpHeaderNames.ETAG, quote(info.etag()))
                .header(HttpHeaderNames.LAST_MODIFIED, Dates.http(info.lastModified()))
                .header(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .header(HttpHeaderNames.CONTENT_TYPE, m.contentType() == null ? "binary/octet-stream" : m.contentType())
                .header(HttpHeaderNames.CACHE_CONTROL, m.cacheControl())
                .header(HttpHeaderNames.CONTENT_DISPOSITION, m.contentDisposition())
                .header(HttpHeaderNames.CONTENT_ENCODING, m.contentEncoding())
                .header(HttpHeaderNames.CONTENT_LANGUAGE, m.contentLanguage())
                .header(HttpHeaderNames.EXPIRES, m.expires());
        for (Map.Entry<String, String> e : m.sortedUserMetadata().entrySet()) {
            r.header(META_PREFIX + e.getKey(), MetadataValues.encode(e.getValue()));
        }
        if (info.partsCount() > 0) {
            r.header("x-amz-mp-parts-count", info.partsCount());
        }
        if (withChecksum) {
            checksum(r, info.checksum());
        }
    }

    static void checksum(S3Response r, ChecksumValue c) {
        if (c != null) {
            r.header("x-amz-checksum-" + c.algorithm().toLowerCase(Locale.ROOT), c.value());
            r.header("x-amz-checksum-type", c.type());
        }
    }
}
