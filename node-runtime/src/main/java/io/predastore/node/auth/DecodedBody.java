package io.predastore.node.auth;

import io.predastore.client.sigv4.SigV4;
import io.predastore.node.checksum.ChecksumAlgorithm;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.checksum.StreamingChecksum;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The decoded object bytes of a request body. Everything the request promised about the body (SHA-256,
 * signatures, checksums, length) is checked by the time {@code read} reports end of stream; a failure is thrown
 * as {@link S3Exception} instead, and again on every later read.
 */
public final class DecodedBody extends InputStream {
    private final InputStream source;
    private final AwsChunkedDecoder decoder;
    private final String expectedSha256;
    private final MessageDigest sha256;
    private final StreamingChecksum checksum;
    private final byte[] expectedChecksum;
    private final String checksumTrailer;
    private final MessageDigest md5;
    private final byte[] expectedMd5;
    private final long declaredLength;

    private long count;
    private boolean finished;
    private S3Exception failure;
    private ChecksumValue result;

    DecodedBody(InputStream source, AwsChunkedDecoder decoder, String expectedSha256, ChecksumAlgorithm algorithm,
            byte[] expectedChecksum, String checksumTrailer, byte[] expectedMd5, long declaredLength) {
        this.source = Objects.requireNonNull(source, "source");
        this.decoder = decoder;
        this.expectedSha256 = expectedSha256;
        this.sha256 = expectedSha256 == null ? null : SigV4.sha256();
        this.checksum = algorithm == null ? null : algorithm.newChecksum();
        this.expectedChecksum = expectedChecksum;
        this.checksumTrailer = checksumTrailer;
        this.expectedMd5 = expectedMd5;
        this.md5 = expectedMd5 == null ? null : newMd5();
        this.declaredLength = declaredLength;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is unavailable", e);
        }
    }

    /**
     * The flexible checksum of the decoded bytes (verified against the one sent, if any), once end of stream has
     * been reached; null before that or when the request named no checksum algorithm.
     */
    public ChecksumValue checksum() {
        return result;
    }

    /** The number of decoded bytes returned so far. */
    public long bytesRead() {
        return count;
    }

    /** True once end of stream has been reached and everything verified. */
    public boolean verified() {
        return finished && failure == null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            int n = source.read(b, off, len);
            if (n < 0) {
                finish();
                return -1;
            }
            if (n > 0) {
                count += n;
                if (declaredLength >= 0 && count > declaredLength) {
                    throw S3Error.INVALID_REQUEST.exception("The aws-chunked body holds more than the "
                            + declaredLength + " bytes declared by x-amz-decoded-content-length.");
                }
                if (sha256 != null) {
                    sha256.update(b, off, n);
                }
                if (checksum != null) {
                    checksum.update(b, off, n);
                }
                if (md5 != null) {
                    md5.update(b, off, n);
                }
            }
            return n;
        } catch (S3Exception e) {
            failure = e;
            throw e;
        }
    }

    private void finish() {
        if (sha256 != null) {
            String actual = SigV4.hex(sha256.digest());
            if (!actual.equals(expectedSha256)) {
                throw S3Error.CONTENT_SHA256_MISMATCH.exception("The provided 'x-amz-content-sha256' header "
                        + "does not match what was computed: the header says " + expectedSha256
                        + " but the body's SHA-256 is " + actual + ".");
            }
        }
        if (declaredLength >= 0 && count != declaredLength) {
            throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body holds " + count + " bytes but "
                    + "x-amz-decoded-content-length declares " + declaredLength + ".");
        }
        if (checksum != null) {
            byte[] expected = expectedChecksum;
            if (checksumTrailer != null) {
                String sent = decoder == null ? null : decoder.trailers().get(checksumTrailer);
                if (sent == null) {
                    throw S3Error.INVALID_REQUEST.exception("The trailer " + checksumTrailer + " declared in "
                            + "x-amz-trailer was not sent after the last chunk.");
                }
                expected = AuthContext.decodeChecksum(checksum.algorithm(), sent, "trailer");
            }
            byte[] actual = checksum.digest();
            if (expected != null && !MessageDigest.isEqual(expected, actual)) {
                throw S3Error.BAD_DIGEST.exception("The " + checksum.algorithm()
                        + " you specified did not match the calculated checksum.");
            }
            result = new ChecksumValue(checksum.algorithm().name(), checksum.base64(), "FULL_OBJECT");
        }
        if (md5 != null && !Arrays.equals(expectedMd5, md5.digest())) {
            throw S3Error.BAD_DIGEST.exception("The Content-MD5 you specified did not match what we received.");
        }
        finished = true;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
