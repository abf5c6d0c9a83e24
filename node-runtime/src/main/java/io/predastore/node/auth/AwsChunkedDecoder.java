package io.predastore.node.auth;

import io.predastore.client.sigv4.SigV4;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes an aws-chunked body ({@code hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;...]\r\n [trailers]
 * \r\n}), verifying each chunk signature and the trailer signature in the signed modes. Lines and chunk sizes
 * are bounded so a client cannot make the server buffer or wait for absurd amounts.
 */
final class AwsChunkedDecoder extends InputStream {
    /** The longest chunk header line accepted. */
    static final int MAX_CHUNK_HEADER = 4096;
    /** The most trailer bytes accepted, all lines together. */
    static final int MAX_TRAILERS = 16 * 1024;
    /** The largest chunk accepted; clients use 8 KiB to a few MiB. */
    static final long MAX_CHUNK_SIZE = 64L * 1024 * 1024;

    private static final String CHUNK_SIGNATURE = "chunk-signature";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private final InputStream in;
    private final boolean signed;
    private final boolean withTrailers;
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final Set<String> allowedTrailers;
    private final MessageDigest chunkDigest = SigV4.sha256();
    private final Map<String, String> trailers = new LinkedHashMap<>();

    private String previousSignature;
    private String chunkSignature;
    private long remaining;
    private long chunkIndex;
    private boolean done;

    AwsChunkedDecoder(InputStream raw, PayloadMode mode, byte[] signingKey, String amzDate, String scope,
            String seedSignature, Set<String> allowedTrailers) {
        this.in = new BufferedInputStream(Objects.requireNonNull(raw, "raw"), 8192);
        this.signed = mode.chunkSignatures();
        this.withTrailers = mode.trailers();
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previousSignature = seedSignature;
        this.allowedTrailers = allowedTrailers;
    }

    /** The trailers received (lower-case name to value), complete once end of stream was returned. */
    Map<String, String> trailers() {
        return Collections.unmodifiableMap(trailers);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (remaining > 0) {
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended inside chunk " + chunkIndex
                            + ": " + remaining + " bytes of it are missing.");
                }
                if (signed) {
                    chunkDigest.update(b, off, n);
                }
                remaining -= n;
                if (remaining == 0) {
                    endChunk();
                }
                return n;
            }
            readChunkHeader();
        }
        return -1;
    }

    private void readChunkHeader() throws IOException {
        String line = readLine(MAX_CHUNK_HEADER, false, "chunk header");
        int semicolon = line.indexOf(';');
        String sizeText = semicolon < 0 ? line : line.substring(0, semicolon);
        long size = parseSize(sizeText.trim());
        String signature = null;
        if (semicolon >= 0) {
            for (String extension : line.substring(semicolon + 1).split(";")) {
                int eq = extension.indexOf('=');
                String name = (eq < 0 ? extension : extension.substring(0, eq)).trim();
                if (name.equals(CHUNK_SIGNATURE)) {
                    signature = eq < 0 ? "" : extension.substring(eq + 1).trim();
                }
            }
        }
        if (signed) {
            if (signature == null) {
                throw framing("chunk " + chunkIndex + " has no chunk-signature; every chunk of a "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD body must be signed");
            }
            if (!SigV4.isLowerHex(signature, 64)) {
                throw framing("the chunk-signature of chunk " + chunkIndex + " is not 64 lower-case hex digits");
            }
        }
        chunkSignature = signature;
        chunkDigest.reset();
        if (size > 0) {
            remaining = size;
            return;
        }
        verifyChunk();
        if (withTrailers) {
            readTrailers();
        } else {
            String end = readLine(MAX_CHUNK_HEADER, true, "end of the body");
            if (end != null && !end.isEmpty()) {
                throw framing("the final zero-length chunk must be followed by an empty line, not trailers; "
                        + "declare trailers with a *-TRAILER x-amz-content-sha256");
            }
        }
        done = true;
    }

    private long parseSize(String hex) {
        if (hex.isEmpty() || hex.length() > 15) {
            throw framing("the size of chunk " + chunkIndex + " is not a hex number");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw framing("the size of chunk " + chunkIndex + " is not a hex number");
            }
            size = size * 16 + d;
        }
        if (size > MAX_CHUNK_SIZE) {
            throw framing("chunk " + chunkIndex + " declares " + size + " bytes; chunks may hold at most "
                    + MAX_CHUNK_SIZE + " bytes");
        }
        return size;
    }

    private void endChunk() throws IOException {
        int cr = in.read();
        int lf = cr < 0 ? -1 : in.read();
        if (cr < 0 || lf < 0) {
            throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended after the data of chunk "
                    + chunkIndex + ", before its closing CRLF.");
        }
        if (cr != '\r' || lf != '\n') {
            throw framing("the data of chunk " + chunkIndex + " is not followed by CRLF; the chunk size does not "
                    + "match its data");
        }
        verifyChunk();
    }

    private void verifyChunk() {
        if (signed) {
            String expected = SigV4.sign(signingKey, SigV4.chunkStringToSign(amzDate, scope, previousSignature,
                    SigV4.hex(chunkDigest.digest())));
            if (!SigV4.constantTimeEquals(expected, chunkSignature)) {
                throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The chunk-signature of chunk " + chunkIndex
                        + " does not match the chunk data: the data was altered or signed with another key or "
                        + "seed signature.");
            }
            previousSignature = chunkSignature;
        }
        chunkIndex++;
    }

    private void readTrailers() throws IOException {
        int budget = MAX_TRAILERS;
        StringBuilder canonical = new StringBuilder();
        boolean signatureSeen = false;
        while (true) {
            String line = readLine(budget, true, "trailer");
            if (line == null || line.isEmpty()) {
                break;
            }
            budget -= line.length() + 2;
            if (signatureSeen) {
                throw framing("nothing may follow x-amz-trailer-signature except the final empty line");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw framing("the trailer line '" + abbreviate(line) + "' is not name:value");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals(TRAILER_SIGNATURE)) {
                if (!signed) {
                    throw framing("x-amz-trailer-signature is only allowed with "
                            + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
                }
                verifyTrailer(canonical.toString(), value);
                signatureSeen = true;
                continue;
            }
            if (!allowedTrailers.contains(name)) {
                throw framing("the trailer '" + abbreviate(name) + "' was not declared in x-amz-trailer");
            }
            if (trailers.putIfAbsent(name, value) != null) {
                throw framing("the trailer '" + name + "' is sent twice");
            }
            canonical.append(name).append(':').append(value).append('\n');
        }
        if (signed && !signatureSeen) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The trailers of a "
                    + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER body must end with x-amz-trailer-signature.");
        }
    }

    private void verifyTrailer(String canonicalTrailers, String signature) {
        if (!SigV4.isLowerHex(signature, 64)) {
            throw framing("x-amz-trailer-signature is not 64 lower-case hex digits");
        }
        String expected = SigV4.sign(signingKey, SigV4.trailerStringToSign(amzDate, scope, previousSignature,
                SigV4.sha256Hex(canonicalTrailers)));
        if (!SigV4.constantTimeEquals(expected, signature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The x-amz-trailer-signature does not match the "
                    + "trailers sent: they were altered or signed with another key.");
        }
        previousSignature = signature;
    }

    /**
     * Reads one CRLF-terminated line of at most {@code max} bytes (without the CRLF). Returns null at end of
     * stream before any byte when {@code eofAllowed}.
     */
    private String readLine(int max, boolean eofAllowed, String what) throws IOException {
        StringBuilder sb = new StringBuilder(80);
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (eofAllowed && sb.length() == 0) {
                    return null;
                }
                throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended in the middle of a " + what
                        + " line.");
            }
            if (c == '\r') {
                int lf = in.read();
                if (lf < 0) {
                    throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended in the middle of a " + what
                            + " line.");
                }
                if (lf != '\n') {
                    throw framing("a " + what + " line has a CR not followed by LF");
                }
                return sb.toString();
            }
            if (c == '\n' || c < 0x20 && c != '\t' || c == 0x7F) {
                throw framing("a " + what + " line contains a control character; lines must end with CRLF");
            }
            if (sb.length() >= max) {
                throw framing("a " + what + " line is longer than " + max + " bytes");
            }
            sb.append((char) c);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static S3Exception framing(String why) {
        return S3Error.INVALID_REQUEST.exception("Malformed aws-chunked body: " + why + ".");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
