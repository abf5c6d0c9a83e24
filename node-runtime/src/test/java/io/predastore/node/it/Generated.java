package io.predastore.node.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Deterministic pseudo-random object contents: block {@code b} (64 KiB) of the object with seed {@code s} is always
 * the same bytes, so any range of a large object can be streamed, uploaded as a part or checked again without
 * ever holding the object in memory.
 */
final class Generated {
    static final int BLOCK = 64 * 1024;

    private Generated() {
    }

    private static void fill(long seed, long block, byte[] into) {
        new Random(seed * 1_000_003L + block).nextBytes(into);
    }

    /** Bytes {@code [offset, offset + length)} of the object with this seed. */
    static InputStream stream(long seed, long offset, long length) {
        return new InputStream() {
            private final byte[] buffer = new byte[BLOCK];
            private long bufferBlock = -1;
            private long position = offset;
            private final long end = offset + length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= end) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                long block = position / BLOCK;
                if (block != bufferBlock) {
                    fill(seed, block, buffer);
                    bufferBlock = block;
                }
                int inBlock = (int) (position % BLOCK);
                int n = (int) Math.min(Math.min(len, BLOCK - inBlock), end - position);
                System.arraycopy(buffer, inBlock, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** A request body streaming {@code [offset, offset + length)}; the SDK may open it again for a retry. */
    static RequestBody body(long seed, long offset, long length) {
        return RequestBody.fromContentProvider(() -> stream(seed, offset, length), length,
                "application/octet-stream");
    }

    /** The whole object as a request body. */
    static RequestBody body(long seed, long size) {
        return body(seed, 0, size);
    }

    /** Hex MD5 of {@code [offset, offset + length)}. */
    static String md5(long seed, long offset, long length) {
        return md5(stream(seed, offset, length));
    }

    /** Hex MD5 of everything {@code in} yields; closes it. */
    static String md5(InputStream in) {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[BLOCK];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
