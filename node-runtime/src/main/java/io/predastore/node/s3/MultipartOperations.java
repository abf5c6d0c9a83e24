package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.predastore.node.store.Backend;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.UploadInfo;
import io.predastore.node.store.UploadPartRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, Abort, ListParts, ListUploads. */
final class MultipartOperations {
    private static final int MAX_PARTS = 10_000;

    private final Backend backend;
    private final String owner;

    MultipartOperations(Backend backend, String owner) {
        this.backend = backend;
        this.owner = owner;
    }

    S3Response create(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        String uploadId = backend.createMultipartUpload(r.bucket(), r.key(), ObjectHeaders.metadata(r.headers()));
        XmlWriter xml = new XmlWriter().root("InitiateMultipartUploadResult")
                .element("Bucket", r.bucket()).element("Key", r.key()).element("UploadId", uploadId);
        S3Response out = S3Response.xml(xml);
        String algorithm = r.header("x-amz-checksum-algorithm");
        if (algorithm != null) {
            out.header("x-amz-checksum-algorithm", algorithm);
        }
        return out;
    }

    S3Response uploadPart(S3Request r, RequestBodies.Body body) throws IOException {
        BucketNames.validate(r.bucket());
        int part = partNumber(r);
        PartInfo info = backend.uploadPart(new UploadPartRequest(r.bucket(), r.key(), uploadId(r), part,
                body.contentLength(), body.expectedMd5(), body.checksum()), body.stream());
        S3Response out = S3Response.ok().header(HttpHeaderNames.ETAG, ObjectHeaders.quote(info.etag()));
        ObjectHeaders.checksum(out, info.checksum());
        return out;
    }

    S3Response uploadPartCopy(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        int part = partNumber(r);
        String uploadId = uploadId(r);
        ObjectOperations.CopySource source = ObjectOperations.CopySource.parse(r.header("x-amz-copy-source"));
        try (ObjectHandle handle = backend.getObject(source.bucket(), source.key())) {
            ObjectInfo src = handle.info();
            ReadConditions.checkCopySource(r, src);
            ByteRange range = copyRange(r.header("x-amz-copy-source-range"), src.size());
            long start = range == null ? 0 : range.start();
            long length = range == null ? src.size() : range.length();
            if (length > RequestBodies.MAX_OBJECT_BODY) {
                throw S3Error.INVALID_REQUEST.exception("A copied part is at most 5 GiB; use x-amz-copy-source-range.");
            }
            PartInfo info;
            try (ObjectBody body = handle.open(start, length); InputStream in = body.openStream()) {
                info = backend.uploadPart(new UploadPartRequest(r.bucket(), r.key(), uploadId, part, length, null,
                        () -> (ChecksumValue) null), in);
            }
            XmlWriter xml = new XmlWriter().root("CopyPartResult")
                    .element("LastModified", Dates.iso(info.lastModified()))
                    .element("ETag", ObjectHeaders.quote(info.etag()));
            return S3Response.xml(xml);
        }
    }

    private static ByteRange copyRange(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf('-') < 0 || h.indexOf(',') >= 0) {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-copy-source-range must be bytes=first-last.");
        }
        try {
            long first = Long.parseLong(h.substring(6, h.indexOf('-')).trim());
            long last = Long.parseLong(h.substring(h.indexOf('-') + 1).trim());
            if (first < 0 || last < first || last >= size) {
                throw S3Error.INVALID_RANGE.exception("x-amz-copy-source-range " + h + " is outside the "
                        + size + "-byte source.");
            }
            return new ByteRange(first, last - first + 1);
        } catch (NumberFormatException e) {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-copy-source-range must be bytes=first-last.");
        }
    }

    S3Response complete(S3Request r, XmlReader.Node doc) throws IOException {
        BucketNames.validate(r.bucket());
        if (!doc.name().equals("CompleteMultipartUpload")) {
            throw S3Error.MALFORMED_XML.exception("Expected a CompleteMultipartUpload document.");
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (XmlReader.Node p : doc.all("Part")) {
            String number = p.childText("PartNumber");
            String etag = p.childText("ETag");
            if (number == null || etag == null) {
                throw S3Error.MALFORMED_XML.exception("Every Part needs a PartNumber and an ETag.");
            }
            try {
                parts.add(new CompletedPart(Integer.parseInt(number), ObjectHeaders.unquote(etag)));
            } catch (NumberFormatException e) {
                throw S3Error.MALFORMED_XML.exception("PartNumber '" + number + "' is not a number.");
            }
        }
        if (parts.isEmpty()) {
            throw S3Error.MALFORMED_XML.exception("A CompleteMultipartUpload must list at least one part.");
        }
        if (parts.size() > MAX_PARTS) {
            throw S3Error.MALFORMED_XML.exception("A multipart upload has at most 10000 parts.");
        }
        ObjectInfo info = backend.completeMultipartUpload(new CompleteMultipartUploadRequest(r.bucket(), r.key(),
                uploadId(r), parts, ObjectHeaders.writePrecondition(r.headers())));
        XmlWriter xml = new XmlWriter().root("CompleteMultipartUploadResult")
                .element("Location", "/" + r.bucket() + "/" + r.key())
                .element("Bucket", r.bucket()).element("Key", r.key())
                .element("ETag", ObjectHeaders.quote(info.etag()));
        ChecksumValue c = info.checksum();
        if (c != null) {
            xml.element("Checksum" + checksumElement(c.algorithm()), c.value()).element("ChecksumType", c.type());
        }
        S3Response out = S3Response.xml(xml);
        ObjectHeaders.checksum(out, c);
        return out;
    }

    private static String checksumElement(String algorithm) {
        return switch (algorithm) {
            case "CRC32" -> "CRC32";
            case "CRC32C" -> "CRC32C";
            case "CRC64NVME" -> "CRC64NVME";
            case "SHA1" -> "SHA1";
            default -> "SHA256";
        };
    }

    S3Response abort(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        backend.abortMultipartUpload(r.bucket(), r.key(), uploadId(r));
        return S3Response.noContent();
    }

    S3Response listParts(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        int marker = intParam(r, "part-number-marker", 0, 0, MAX_PARTS);
        int max = intParam(r, "max-parts", 1000, 0, 1000);
        ListPartsResult result = backend.listParts(r.bucket(), r.key(), uploadId(r), marker, max);
        XmlWriter xml = new XmlWriter().root("ListPartsResult")
                .element("Bucket", r.bucket()).element("Key", r.key()).element("UploadId", uploadId(r));
        xml.start("Initiator").element("ID", owner).element("DisplayName", owner).end();
        xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
        xml.element("StorageClass", "STANDARD")
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", result.nextPartNumberMarker())
                .element("MaxParts", max)
                .element("IsTruncated", result.truncated());
        for (PartInfo p : result.parts()) {
            xml.start("Part").element("PartNumber", p.partNumber())
                    .element("LastModified", Dates.iso(p.lastModified()))
                    .element("ETag", ObjectHeaders.quote(p.etag())).element("Size", p.size());
            if (p.checksum() != null) {
                xml.element("Checksum" + checksumElement(p.checksum().algorithm()), p.checksum().value());
            }
            xml.end();
        }
        return S3Response.xml(xml);
    }

    S3Response listUploads(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        String delimiter = r.param("delimiter");
        int max = intParam(r, "max-uploads", 1000, 0, 1000);
        boolean url = ListOperations.encodingType(r);
        ListUploadsResult result = backend.listMultipartUploads(new ListUploadsRequest(r.bucket(), prefix,
                delimiter == null || delimiter.isEmpty() ? null : delimiter, r.param("key-marker"),
                r.param("upload-id-marker"), max));
        XmlWriter xml = new XmlWriter().root("ListMultipartUploadsResult")
                .element("Bucket", r.bucket())
                .element("KeyMarker", ListOperations.encode(r.param("key-marker") == null ? "" : r.param("key-marker"),
                        url))
                .element("UploadIdMarker", r.param("upload-id-marker") == null ? "" : r.param("upload-id-marker"))
                .element("NextKeyMarker", ListOperations.encode(result.nextKeyMarker(), url))
                .element("NextUploadIdMarker", result.nextUploadIdMarker())
                .element("Prefix", ListOperations.encode(prefix, url))
                .element("Delimiter", ListOperations.encode(delimiter, url))
                .element("MaxUploads", max)
                .element("IsTruncated", result.truncated());
        if (url) {
            xml.element("EncodingType", "url");
        }
        for (UploadInfo u : result.uploads()) {
            xml.start("Upload").element("Key", ListOperations.encode(u.key(), url)).element("UploadId", u.uploadId());
            xml.start("Initiator").element("ID", owner).element("DisplayName", owner).end();
            xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
            xml.element("StorageClass", "STANDARD").element("Initiated", Dates.iso(u.initiated())).end();
        }
        for (String p : result.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", ListOperations.encode(p, url)).end();
        }
        return S3Response.xml(xml);
    }

    private static String uploadId(S3Request r) {
        String id = r.param("uploadId");
        if (id == null || id.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception("uploadId is required.");
        }
        return id;
    }

    /** The {@code partNumber} parameter: an integer in 1..10000, else InvalidArgument. */
    static int partNumber(S3Request r) {
        String v = r.param("partNumber");
        try {
            int n = Integer.parseInt(v == null ? "" : v);
            if (n >= 1 && n <= MAX_PARTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw S3Error.TOO_MANY_PARTS.exception("Part number must be an integer between 1 and 10000, inclusive; got '"
                + v + "'.");
    }

    static int intParam(S3Request r, String name, int dflt, int min, int max) {
        String v = r.param(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw S3Error.INVALID_ARGUMENT.exception(name + " must be at least " + min + "; got " + n + ".");
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw S3Error.INVALID_ARGUMENT.exception(name + " must be an integer; got '" + v + "'.");
        }
    }
}
