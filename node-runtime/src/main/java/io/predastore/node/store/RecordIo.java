package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Shared primitives of the record encodings: strings are a big-endian int byte count (-1 for null) followed by
 * UTF-8 bytes (not Java's modified UTF-8, so any key round-trips), instants are epoch milliseconds. Used by
 * every backend's versioned record codecs.
 */
public final class RecordIo {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RecordIo() {
    }

    /** Builds a record: the callback writes fields after the caller-chosen leading version byte. */
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    public static byte[] encode(int version, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    public static DataInputStream decoder(byte[] bytes, int length, int expectedVersion, String kind) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length));
        int version = in.readUnsignedByte();
        if (version != expectedVersion) {
            throw new IOException("Unsupported " + kind + " record version " + version + " (this build reads "
                    + expectedVersion + "); the metadata was written by a newer release");
        }
        return in;
    }

    public static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        requireRemaining(in, n, "string");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Reads a count of items each encoded in at least {@code minBytesEach} bytes, refusing one that the rest of the
     * record cannot hold: a damaged length must fail the decode, not size an allocation.
     *
     * @throws IOException if the count is negative or larger than the remaining bytes allow
     */
    public static int readCount(DataInputStream in, int minBytesEach, String what) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("damaged record: negative count of " + what + " (" + n + ")");
        }
        requireRemaining(in, (long) n * minBytesEach, what);
        return n;
    }

    /**
     * Fails unless the record still holds {@code bytes} bytes. The decoders read from byte arrays, whose
     * {@code available()} is exactly what is left.
     */
    public static void requireRemaining(DataInputStream in, long bytes, String what) throws IOException {
        int left = in.available();
        if (bytes > left) {
            throw new IOException("damaged record: " + what + " needs " + bytes + " bytes but only " + left
                    + " are left");
        }
    }

    public static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.toEpochMilli());
    }

    public static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochMilli(in.readLong());
    }

    public static void writeMetadata(DataOutputStream out, ObjectMetadata m) throws IOException {
        writeString(out, m.contentType());
        writeString(out, m.cacheControl());
        writeString(out, m.contentDisposition());
        writeString(out, m.contentEncoding());
        writeString(out, m.contentLanguage());
        writeString(out, m.expires());
        Map<String, String> user = m.sortedUserMetadata();
        out.writeInt(user.size());
        for (Map.Entry<String, String> e : user.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    public static ObjectMetadata readMetadata(DataInputStream in) throws IOException {
        String contentType = readString(in);
        String cacheControl = readString(in);
        String contentDisposition = readString(in);
        String contentEncoding = readString(in);
        String contentLanguage = readString(in);
        String expires = readString(in);
        int n = readCount(in, 8, "user metadata entries");
        Map<String, String> user = new HashMap<>();
        for (int i = 0; i < n; i++) {
            user.put(readString(in), readString(in));
        }
        return new ObjectMetadata(contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage,
                expires, user);
    }

    public static void writeChecksum(DataOutputStream out, ChecksumValue c) throws IOException {
        out.writeBoolean(c != null);
        if (c != null) {
            writeString(out, c.algorithm());
            writeString(out, c.value());
            writeString(out, c.type());
        }
    }

    public static ChecksumValue readChecksum(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new ChecksumValue(readString(in), readString(in), readString(in));
    }


    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    public static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd-length hex string: " + s);
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex string: " + s);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
