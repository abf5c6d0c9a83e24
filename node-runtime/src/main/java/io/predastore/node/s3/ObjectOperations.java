package io.predastore.node.s3;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.WritePrecondition;
import io.predastore.protocol.http.ClientFaultLog;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.StrictDecoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects and CopyObject. */
final class ObjectOperations {
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");
    private static final int MAX_DELETE_KEYS = 1000;

    private final Backend backend;

    ObjectOperations(Backend backend) {
        this.backend = backend;
    }

    S3Response putObject(S3Request r, RequestBodies.Body body) throws IOException {
        BucketNames.validate(r.bucket());
        ObjectMetadata metadata = ObjectHeaders.metadata(r.headers());
        WritePrecondition condition = ObjectHeaders.writePrecondition(r.headers());
        ObjectInfo info = backend.putObject(new PutObjectRequest(r.bucket(), r.key(), body.contentLength(),
                metadata, body.expectedMd5(), body.checksum(), condition), body.stream());
        S3Response out = S3Response.ok().header(HttpHeaderNames.ETAG, ObjectHeaders.quote(info.etag()));
        ObjectHeaders.checksum(out, info.checksum());
        return out;
    }

    S3Response getObject(S3Request r, boolean head) throws IOException {
        BucketNames.validate(r.bucket());
        Integer partNumber = r.param("partNumber") == null ? null : MultipartOperations.partNumber(r);
        if (partNumber != null && r.header(HttpHeaderNames.RANGE) != null) {
            throw S3Error.INVALID_REQUEST.exception("Cannot specify both Range header and partNumber query "
                    + "parameter; ask for a part or for a range.");
        }
        ObjectHandle handle = backend.getObject(r.bucket(), r.key());
        try {
            ObjectInfo info = handle.info();
            try {
                ReadConditions.check(r, info);
            } catch (S3Exception e) {
                if (e.error() == S3Error.NOT_MODIFIED) {
                    S3Response notModified = new S3Response(HttpResponseStatus.NOT_MODIFIED);
                    notModified.header(HttpHeaderNames.ETAG, ObjectHeaders.quote(info.etag()))
                            .header(HttpHeaderNames.LAST_MODIFIED, Dates.http(info.lastModified()));
                    return notModified;
                }
                throw e;
            }
            ByteRange range;
            if (partNumber != null) {
                range = part(handle, partNumber);
            } else {
                try {
                    range = ByteRange.parse(r.header(HttpHeaderNames.RANGE), info.size());
                } catch (S3Exception e) {
                    if (e.error() != S3Error.INVALID_RANGE) {
                        throw e;
                    }
                    // RFC 9110 §15.5.17: a 416 says how long the representation is, so the client can ask again.
                    return S3Service.error(e, r.resource(), r.requestId())
                            .header(HttpHeaderNames.CONTENT_RANGE, ByteRange.unsatisfied(info.size()));
                }
            }
            // Part 1 of an object not uploaded in parts is the whole object, with its checksum; a part of a multipart
            // object has a checksum of its own, which the object's record does not keep.
            boolean wholeBytes = range == null || partNumber != null && info.partsCount() == 0;
            boolean checksumMode = "ENABLED".equalsIgnoreCase(r.header("x-amz-checksum-mode"));
            // An empty part cannot be named by a Content-Range (RFC 9110 §14.4), so it is answered as a whole.
            boolean partial = range != null && range.length() > 0;
            S3Response out = new S3Response(partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
            ObjectHeaders.write(out, info, checksumMode && wholeBytes);
            for (Map.Entry<String, String> o : RESPONSE_OVERRIDES.entrySet()) {
                String v = r.param(o.getKey());
                if (v != null) {
                    out.header(o.getValue(), v);
                }
            }
            long start = range == null ? 0 : range.start();
            long length = range == null ? info.size() : range.length();
            if (partial) {
                out.header(HttpHeaderNames.CONTENT_RANGE, range.contentRange(info.size()));
            }
            if (head) {
                out.header(HttpHeaderNames.CONTENT_LENGTH, length);
                return out;
            }
            ObjectBody body = handle.open(start, length);
            return out.body(body);
        } finally {
            // The body, if any, stays readable after its handle is closed.
            handle.close();
        }
    }

    /**
     * Part {@code partNumber} as a range (S3 reads a part like a range of the object): InvalidPartNumber past the
     * object's last part; a version not uploaded in parts has only part 1, the whole object.
     */
    private static ByteRange part(ObjectHandle handle, int partNumber) throws IOException {
        ObjectInfo info = handle.info();
        ObjectHandle.Span span = handle.part(partNumber).orElseThrow(() -> S3Error.INVALID_PART_NUMBER.exception(
                "The requested partnumber is not satisfiable: the object has "
                        + Math.max(1, info.partsCount()) + (info.partsCount() > 1 ? " parts." : " part.")));
        return new ByteRange(span.offset(), span.length());
    }

    S3Response deleteObject(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        DeletePrecondition condition = deletePrecondition(r.header(HttpHeaderNames.IF_MATCH),
                r.header("x-amz-if-match-last-modified-time"), r.header("x-amz-if-match-size"), false);
        backend.deleteObject(r.bucket(), r.key(), condition);
        return S3Response.noContent();
    }

    /**
     * The conditions of a delete: an ETag ({@code *} for any version), a last-modified time (an HTTP date in a
     * header, ISO-8601 in a DeleteObjects document) and a size. A time or size that does not parse is
     * InvalidArgument, never a condition silently dropped.
     */
    static DeletePrecondition deletePrecondition(String etag, String lastModified, String size, boolean xml) {
        Instant time = null;
        if (lastModified != null) {
            // Each form is tried in turn: SDKs differ in how they write a time in a header.
            time = xml ? Dates.parseIso(lastModified) : Dates.parseHttp(lastModified);
            if (time == null) {
                time = xml ? Dates.parseHttp(lastModified) : Dates.parseIso(lastModified);
            }
            if (time == null) {
                throw S3Error.INVALID_ARGUMENT.exception("The last-modified time '" + ClientFaultLog.sanitize(
                        lastModified) + "' is neither an HTTP date nor an ISO-8601 timestamp.");
            }
        }
        Long bytes = null;
        if (size != null) {
            try {
                bytes = Long.parseLong(size.trim());
            } catch (NumberFormatException e) {
                bytes = -1L;
            }
            if (bytes < 0) {
                throw S3Error.INVALID_ARGUMENT.exception("The size '" + ClientFaultLog.sanitize(size)
                        + "' is not a number of bytes.");
            }
        }
        String match = etag == null ? null : ObjectHeaders.unquote(etag);
        if (match != null && match.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception("If-Match is empty; name an ETag or '*'.");
        }
        return new DeletePrecondition(match, time, bytes);
    }

    S3Response deleteObjects(S3Request r, XmlReader.Node doc) throws IOException {
        BucketNames.validate(r.bucket());
        if (!doc.name().equals("Delete")) {
            throw S3Error.MALFORMED_XML.exception("Expected a Delete document.");
        }
        List<XmlReader.Node> objects = doc.all("Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
            throw S3Error.MALFORMED_XML.exception("A Delete request names 1 to 1000 objects; this one names "
                    + objects.size() + ".");
        }
        boolean quiet = "true".equalsIgnoreCase(doc.childText("Quiet"));
        backend.headBucket(r.bucket());
        XmlWriter xml = new XmlWriter().root("DeleteResult");
        for (XmlReader.Node o : objects) {
            String key = o.childText("Key");
            if (key == null || key.isEmpty()) {
                throw S3Error.MALFORMED_XML.exception("Every Object in a Delete request needs a Key.");
            }
            try {
                if (key.getBytes(StandardCharsets.UTF_8).length > S3Router.MAX_KEY_BYTES) {
                    throw S3Error.KEY_TOO_LONG.exception();
                }
                refuseVersions(o);
                backend.deleteObject(r.bucket(), key, deletePrecondition(o.childText("ETag"),
                        o.childText("LastModifiedTime"), o.childText("Size"), true));
                if (!quiet) {
                    xml.start("Deleted").element("Key", key).end();
                }
            } catch (S3Exception e) {
                xml.start("Error").element("Key", key).element("Code", e.error().code())
                        .element("Message", e.getMessage()).end();
            } catch (StorageException e) {
                xml.start("Error").element("Key", key).element("Code", StorageErrors.s3Error(e.error()).code())
                        .element("Message", e.getMessage()).end();
            }
        }
        return S3Response.xml(xml);
    }

    /**
     * An Object of a Delete document may name a version; deleting the current object regardless would delete what
     * the client meant to keep, so such an entry fails on its own.
     */
    private static void refuseVersions(XmlReader.Node object) {
        String version = object.childText("VersionId");
        if (version != null && !version.equals("null")) {
            throw S3Error.NOT_IMPLEMENTED.exception("Object versions are not supported; name no VersionId.");
        }
    }

    S3Response copyObject(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        CopySource source = CopySource.parse(r.header("x-amz-copy-source"));
        String directive = r.header("x-amz-metadata-directive");
        boolean replace = "REPLACE".equalsIgnoreCase(directive);
        if (directive != null && !replace && !"COPY".equalsIgnoreCase(directive)) {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-metadata-directive must be COPY or REPLACE.");
        }
        if (source.bucket().equals(r.bucket()) && source.key().equals(r.key()) && !replace) {
            throw S3Error.INVALID_REQUEST.exception("This copy request is illegal because it is trying to copy an "
                    + "object to itself without changing the object's metadata, storage class, website redirect "
                    + "location or encryption attributes.");
        }
        WritePrecondition condition = ObjectHeaders.writePrecondition(r.headers());
        try (ObjectHandle handle = backend.getObject(source.bucket(), source.key())) {
            ObjectInfo src = handle.info();
            ReadConditions.checkCopySource(r, src);
            if (src.size() > RequestBodies.MAX_OBJECT_BODY) {
                throw S3Error.INVALID_REQUEST.exception("The source is larger than 5 GiB; copy it with "
                        + "UploadPartCopy in a multipart upload.");
            }
            ObjectMetadata metadata = replace ? ObjectHeaders.metadata(r.headers()) : src.metadata();
            ChecksumValue checksum = src.partsCount() == 0 ? src.checksum() : null;
            ObjectInfo copied;
            try (ObjectBody body = handle.open(0, src.size()); InputStream in = body.openStream()) {
                copied = backend.putObject(new PutObjectRequest(r.bucket(), r.key(), src.size(), metadata, null,
                        () -> checksum, condition), in);
            }
            XmlWriter xml = new XmlWriter().root("CopyObjectResult")
                    .element("LastModified", Dates.iso(copied.lastModified()))
                    .element("ETag", ObjectHeaders.quote(copied.etag()));
            return S3Response.xml(xml);
        }
    }

    /**
     * The parsed {@code x-amz-copy-source} header: {@code [/]bucket/key[?versionId=null]}, percent-encoded like a
     * path ({@code +} is a plus, {@code %2F} a slash), decoded strictly: a bad escape or a key that is not UTF-8 is
     * InvalidArgument, never a near-miss key.
     */
    record CopySource(String bucket, String key) {
        static CopySource parse(String header) {
            if (header == null || header.isBlank()) {
                throw S3Error.INVALID_ARGUMENT.exception("x-amz-copy-source is required.");
            }
            String h = header.trim();
            int q = h.indexOf('?');
            if (q >= 0) {
                if (!h.substring(q + 1).equals("versionId=null")) {
                    throw S3Error.NOT_IMPLEMENTED.exception("Object versions are not supported; "
                            + "x-amz-copy-source must not name a versionId.");
                }
                h = h.substring(0, q);
            }
            String decoded;
            try {
                decoded = StrictDecoding.percent(h, false, "the x-amz-copy-source header");
            } catch (MalformedRequestException e) {
                throw S3Error.INVALID_ARGUMENT.exception(e.getMessage()
                        + " Send x-amz-copy-source as bucket/key, URL-encoded UTF-8.");
            }
            if (decoded.startsWith("/")) {
                decoded = decoded.substring(1);
            }
            int slash = decoded.indexOf('/');
            if (slash <= 0 || slash == decoded.length() - 1) {
                throw S3Error.INVALID_ARGUMENT.exception("x-amz-copy-source must be of the form bucket/key.");
            }
            String bucket = decoded.substring(0, slash);
            BucketNames.validate(bucket);
            String key = decoded.substring(slash + 1);
            if (key.getBytes(StandardCharsets.UTF_8).length > S3Router.MAX_KEY_BYTES) {
                throw S3Error.KEY_TOO_LONG.exception();
            }
            return new CopySource(bucket, key);
        }
    }
}
