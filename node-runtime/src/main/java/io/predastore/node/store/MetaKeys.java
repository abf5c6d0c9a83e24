package io.predastore.node.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Metadata key layouts, shared by the backends. RocksDB orders keys by unsigned bytes, which for UTF-8 is the S3 listing order.
 * Bucket names never contain 0x00, so {@code bucket 0x00} is a prefix holding exactly that bucket's keys.
 */
public final class MetaKeys {
    public static final int UPLOAD_ID_LENGTH = 32;

    private MetaKeys() {
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** {@code bucket 0x00}: the prefix of the bucket's objects and uploads. */
    public static byte[] bucketPrefix(String bucket) {
        byte[] b = utf8(bucket);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** {@code bucket 0x00 key}: an object. */
    public static byte[] object(String bucket, String key) {
        return concat(bucketPrefix(bucket), utf8(key));
    }

    /** {@code bucket 0x00 key 0x00 uploadId}: an upload; ids are fixed-length and sort by initiation time. */
    public static byte[] upload(String bucket, String key, String uploadId) {
        return concat(object(bucket, key), new byte[] {0}, utf8(uploadId));
    }

    /** {@code uploadId} then the big-endian part number: all parts of an upload, in part order. */
    public static byte[] part(String uploadId, int partNumber) {
        byte[] id = utf8(uploadId);
        byte[] k = Arrays.copyOf(id, id.length + 4);
        k[id.length] = (byte) (partNumber >>> 24);
        k[id.length + 1] = (byte) (partNumber >>> 16);
        k[id.length + 2] = (byte) (partNumber >>> 8);
        k[id.length + 3] = (byte) partNumber;
        return k;
    }

    public static int partNumber(byte[] partKey) {
        int n = partKey.length;
        return (partKey[n - 4] & 0xFF) << 24 | (partKey[n - 3] & 0xFF) << 16 | (partKey[n - 2] & 0xFF) << 8
                | (partKey[n - 1] & 0xFF);
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The smallest key greater than every key starting with {@code prefix}: the prefix with its last byte that
     * is not 0xFF incremented and the rest dropped; null if the prefix is all 0xFF (no such key).
     */
    public static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] s = Arrays.copyOf(prefix, i + 1);
                s[i]++;
                return s;
            }
        }
        return null;
    }

    public static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Index of {@code needle} in {@code b} at or after {@code from}, or -1. */
    public static int indexOf(byte[] b, byte[] needle, int from) {
        outer:
        for (int i = from; i <= b.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static byte[] max(byte[] a, byte[] b) {
        return compare(a, b) >= 0 ? a : b;
    }
}
