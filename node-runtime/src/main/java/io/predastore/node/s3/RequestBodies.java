package io.predastore.node.s3;

import io.predastore.node.error.S3Exception;
import io.predastore.node.error.S3Error;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.predastore.node.auth.AuthContext;
import io.predastore.node.auth.DecodedBody;
import io.predastore.node.checksum.ChecksumValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Turns a request's raw body into what operations consume: a verified, decoded stream of a known length for
 * object data, or a bounded, fully read XML document for the few operations that take one.
 */
final class RequestBodies {
    /** Largest single PutObject/UploadPart body, as in S3. */
    static final long MAX_OBJECT_BODY = 5L * 1024 * 1024 * 1024;
    /** Largest XML request body (a CompleteMultipartUpload of 10,000 parts fits). */
    static final int MAX_XML_BODY = 2 * 1024 * 1024;

    private RequestBodies() {
    }

    /** An object body ready for the backend. */
    record Body(InputStream stream, long contentLength, byte[] expectedMd5, Supplier<ChecksumValue> checksum) {
    }

    static Body stream(S3Request r, AuthContext auth, BodyPipe pipe) {
        long length = auth.decodedContentLength(r.headers());
        if (length > MAX_OBJECT_BODY) {
            throw S3Error.ENTITY_TOO_LARGE.exception("The body is " + length
                    + " bytes; a single upload is at most 5 GiB. Use a multipart upload for larger objects.");
        }
        byte[] md5 = contentMd5(r);
        DecodedBody decoded = auth.decodeBody(pipe, r.headers());
        return new Body(decoded, length, md5, decoded::checksum);
    }

    /** The decoded Content-MD5 header, or null; a value that is not 16 bytes of base64 is InvalidDigest. */
    static byte[] contentMd5(S3Request r) {
        String value = r.header(HttpHeaderNames.CONTENT_MD5);
        if (value == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(value.trim());
            if (md5.length != 16) {
                throw S3Error.INVALID_DIGEST.exception("Content-MD5 must be the base64 of a 16-byte MD5 digest.");
            }
            return md5;
        } catch (IllegalArgumentException e) {
            throw S3Error.INVALID_DIGEST.exception("Content-MD5 is not valid base64.");
        }
    }

    /**
     * Reads a small XML body, verified like any other body, bounded in size; null when empty and allowed.
     */
    static XmlReader.Node readXml(S3Request r, AuthContext auth, BodyPipe pipe, boolean allowEmpty)
            throws IOException {
        String declared = r.header(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_XML_BODY * 2L) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw S3Error.INVALID_ARGUMENT.exception("Content-Length is not a number.");
            }
        }
        // decodeBody verifies Content-MD5, signatures and checksums as the last byte is read.
        DecodedBody decoded = auth.decodeBody(pipe, r.headers());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = decoded.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_XML_BODY) {
                throw tooLarge();
            }
        }
        byte[] body = out.toByteArray();
        if (body.length == 0) {
            if (allowEmpty) {
                return null;
            }
            throw S3Error.MALFORMED_XML.exception("This request needs an XML body and the body was empty.");
        }
        return XmlReader.parse(body);
    }

    private static S3Exception tooLarge() {
        return S3Error.MAX_MESSAGE_LENGTH_EXCEEDED.exception(
                "The XML body is larger than " + MAX_XML_BODY + " bytes.");
    }

}
