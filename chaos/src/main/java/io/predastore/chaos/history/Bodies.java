package io.predastore.chaos.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Object bodies that verify themselves: a text header naming the key, the write id and the length, then bytes drawn
 * from a generator seeded by the write id, then the CRC32C of everything before it. A read can thus say which write
 * it returns, and whether the bytes are exactly what that write sent (not another key's, not cut, not flipped),
 * without the reader keeping any copy.
 *
 * <pre>chaos1 key=&lt;key&gt; write=&lt;id&gt; len=&lt;n&gt;\n | filler | crc32c (4 bytes, big-endian)</pre>
 */
public final class Bodies {
    private static final String MAGIC = "chaos1";
    private static final Pattern HEADER = Pattern.compile("chaos1 key=(.*) write=(\\S+) len=(\\d{1,10})");
    private static final int MAX_HEADER = 2048;

    private Bodies() {
    }

    /** What a read found in a body. */
    public record Parsed(String writeId, boolean intact) {
    }

    /** A body of exactly {@code size} bytes for {@code key} written as {@code writeId}. */
    public static byte[] make(String key, String writeId, int size) {
        byte[] header = (MAGIC + " key=" + key + " write=" + writeId + " len=" + size + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if (size < header.length + 4) {
            throw new IllegalArgumentException("a body for " + key + " needs at least " + (header.length + 4)
                    + " bytes, not " + size);
        }
        byte[] body = new byte[size];
        System.arraycopy(header, 0, body, 0, header.length);
        SplittableRandom random = new SplittableRandom(writeId.hashCode() * 0x9E3779B97F4A7C15L + size);
        for (int i = header.length; i < size - 4; i++) {
            body[i] = (byte) random.nextInt(256);
        }
        CRC32C crc = new CRC32C();
        crc.update(body, 0, size - 4);
        ByteBuffer.wrap(body, size - 4, 4).putInt((int) crc.getValue());
        return body;
    }

    /** The smallest body {@link #make} can build for this key and write id. */
    public static int minSize(String key, String writeId) {
        return (MAGIC + " key=" + key + " write=" + writeId + " len=0000000000\n")
                .getBytes(StandardCharsets.UTF_8).length + 4;
    }

    /**
     * Reads a body back: the write id it names, and whether it is intact (it names {@code key}, its length and
     * checksum match, and it is byte for byte what {@link #make} builds for that write). A body without a readable
     * header is not intact and names no write.
     */
    public static Parsed parse(String key, byte[] body) {
        int end = -1;
        for (int i = 0; i < Math.min(body.length, MAX_HEADER); i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return new Parsed(null, false);
        }
        Matcher m = HEADER.matcher(new String(body, 0, end, StandardCharsets.UTF_8));
        if (!m.matches()) {
            return new Parsed(null, false);
        }
        String writeId = m.group(2);
        long len = Long.parseLong(m.group(3));
        boolean intact = m.group(1).equals(key) && len == body.length
                && Arrays.equals(body, make(m.group(1), writeId, body.length));
        return new Parsed(writeId, intact);
    }
}
