package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.store.Backend;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ObjectInfo;
import io.predastore.protocol.http.StrictDecoding;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjects (v1) and ListObjectsV2, each one ordered backend scan per page. */
final class ListOperations {
    private final Backend backend;
    private final String owner;

    ListOperations(Backend backend, String owner) {
        this.backend = backend;
        this.owner = owner;
    }

    S3Response listObjectsV1(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        String prefix = nonNull(r.param("prefix"));
        String delimiter = emptyToNull(r.param("delimiter"));
        String marker = emptyToNull(r.param("marker"));
        int max = MultipartOperations.intParam(r, "max-keys", 1000, 0, 1000);
        boolean url = encodingType(r);
        ListObjectsResult page = backend.listObjects(new ListObjectsRequest(r.bucket(), prefix, delimiter, marker,
                max));
        XmlWriter xml = new XmlWriter().root("ListBucketResult")
                .element("Name", r.bucket())
                .element("Prefix", encode(prefix, url))
                .element("Marker", encode(marker == null ? "" : marker, url))
                .element("MaxKeys", max)
                .element("Delimiter", encode(delimiter, url))
                .element("IsTruncated", page.truncated());
        if (page.truncated() && delimiter != null) {
            xml.element("NextMarker", encode(page.lastEntry(), url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        contents(xml, page, url, true);
        return S3Response.xml(xml);
    }

    S3Response listObjectsV2(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        String prefix = nonNull(r.param("prefix"));
        String delimiter = emptyToNull(r.param("delimiter"));
        String token = emptyToNull(r.param("continuation-token"));
        String startAfter = emptyToNull(r.param("start-after"));
        int max = MultipartOperations.intParam(r, "max-keys", 1000, 0, 1000);
        boolean url = encodingType(r);
        boolean fetchOwner = "true".equalsIgnoreCase(r.param("fetch-owner"));
        String after = token != null ? decodeToken(token) : startAfter;
        if (token != null && startAfter != null && startAfter.compareTo(after) > 0) {
            after = startAfter;
        }
        ListObjectsResult page = backend.listObjects(new ListObjectsRequest(r.bucket(), prefix, delimiter, after,
                max));
        XmlWriter xml = new XmlWriter().root("ListBucketResult")
                .element("Name", r.bucket())
                .element("Prefix", encode(prefix, url))
                .element("MaxKeys", max)
                .element("Delimiter", encode(delimiter, url))
                .element("IsTruncated", page.truncated())
                .element("KeyCount", page.objects().size() + page.commonPrefixes().size())
                .element("ContinuationToken", token)
                .element("StartAfter", encode(startAfter, url));
        if (page.truncated()) {
            xml.element("NextContinuationToken", encodeToken(page.lastEntry()));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        contents(xml, page, url, fetchOwner);
        return S3Response.xml(xml);
    }

    private void contents(XmlWriter xml, ListObjectsResult page, boolean url, boolean withOwner) {
        for (ObjectInfo o : page.objects()) {
            xml.start("Contents")
                    .element("Key", encode(o.key(), url))
                    .element("LastModified", Dates.iso(o.lastModified()))
                    .element("ETag", ObjectHeaders.quote(o.etag()))
                    .element("Size", o.size());
            if (o.checksum() != null) {
                xml.element("ChecksumAlgorithm", o.checksum().algorithm());
                xml.element("ChecksumType", o.checksum().type());
            }
            xml.element("StorageClass", "STANDARD");
            if (withOwner) {
                xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
            }
            xml.end();
        }
        for (String p : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", encode(p, url)).end();
        }
    }

    /** The {@code encoding-type} parameter: absent, or {@code url}; anything else is InvalidArgument. */
    static boolean encodingType(S3Request r) {
        String type = r.param("encoding-type");
        if (type != null && !type.isEmpty() && !type.equals("url")) {
            throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request; only 'url' "
                    + "is supported.");
        }
        return "url".equals(type);
    }

    /** URL-encodes a key for {@code encoding-type=url} as S3 does (space as %20, '/' kept). */
    static String encode(String s, boolean url) {
        if (s == null || !url) {
            return s;
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
                .replace("*", "%2A").replace("%7E", "~");
    }

    private static String encodeToken(String lastEntry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + lastEntry)
                .getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            // Strict: a token whose bytes are not UTF-8 was not made by us, and must not resume at a near-miss key.
            String s = StrictDecoding.utf8(Base64.getUrlDecoder().decode(token));
            if (s.startsWith("v1:")) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // reported below
        }
        throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect.");
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
