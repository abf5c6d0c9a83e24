package io.predastore.node.store.meta;

import io.predastore.node.store.RecordIo;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one encoding of object and part records, for every backend; only where the bytes are is the backend's own
 * ({@link LocationCodec}). Records start with a version byte. The versions are numbered above every version a
 * backend wrote before this encoding was shared, so a backend still recognises its own older records by their
 * version byte and reads them with its own legacy decoder ({@link #isCurrentObject}, {@link #isCurrentPart}).
 *
 * <pre>
 * object = {@value #OBJECT_VERSION} | headerLength (int) | header | kind (byte) | data
 * header = {@link ObjectHeader}
 * data   = 0 | length (int) | bytes                        -- kept inline
 *        | 1 | count (int) | location * count              -- segments, in order
 * part   = {@value #PART_VERSION} | etag (string) | size (long) | lastModified (long epoch ms) | checksum | location
 * </pre>
 *
 * The header length lets a listing decode the header from the first few KiB of a value
 * ({@link #decodeHeader}) without copying inline bytes or a 10,000-segment list. Lengths and counts read from a
 * record are checked against the bytes left before anything is allocated for them, so a damaged record fails its
 * decode with an {@link IOException} rather than exhausting memory. Thread-safe.
 *
 * @param <L> where a backend keeps a stretch of bytes
 */
public final class RecordCodec<L> {
    /** The version byte of object records in this encoding. */
    public static final int OBJECT_VERSION = 4;
    /** The version byte of part records in this encoding. */
    public static final int PART_VERSION = 3;
    /** Version byte plus header length: the bytes before the header. */
    private static final int PREAMBLE = 5;
    private static final int INLINE = 0;
    private static final int SEGMENTS = 1;

    private final LocationCodec<L> locations;

    /** A codec writing locations with {@code locations}. */
    public RecordCodec(LocationCodec<L> locations) {
        this.locations = locations;
    }

    /** Whether {@code record} is an object record in this encoding (else an older one of its backend, or damaged). */
    public static boolean isCurrentObject(byte[] record) {
        return record.length > 0 && (record[0] & 0xFF) == OBJECT_VERSION;
    }

    /** Whether {@code record} is a part record in this encoding (else an older one of its backend, or damaged). */
    public static boolean isCurrentPart(byte[] record) {
        return record.length > 0 && (record[0] & 0xFF) == PART_VERSION;
    }

    /** The bytes of {@code o} in this encoding. */
    public byte[] encodeObject(ObjectRecord<L> o) {
        byte[] header = header(o.header());
        return RecordIo.encode(OBJECT_VERSION, out -> {
            out.writeInt(header.length);
            out.write(header);
            if (o.isInline()) {
                out.writeByte(INLINE);
                out.writeInt(o.inline().length);
                out.write(o.inline());
            } else {
                out.writeByte(SEGMENTS);
                out.writeInt(o.segments().size());
                for (L l : o.segments()) {
                    locations.write(out, l);
                }
            }
        });
    }

    private static byte[] header(ObjectHeader h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            h.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes an object record in this encoding.
     *
     * @throws IOException if it is of another version, cut short or damaged (never another exception, and nothing is
     *     allocated for a length or count the record cannot hold)
     */
    public ObjectRecord<L> decodeObject(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, OBJECT_VERSION, "object");
        try {
            ObjectHeader header = readHeader(in);
            int kind = in.readUnsignedByte();
            if (kind == INLINE) {
                int length = in.readInt();
                if (length < 0 || length != header.size()) {
                    throw new IOException("damaged object record: " + length + " inline bytes for an object of "
                            + header.size());
                }
                RecordIo.requireRemaining(in, length, "inline object bytes");
                return ObjectRecord.inline(header, in.readNBytes(length));
            }
            if (kind != SEGMENTS) {
                throw new IOException("damaged object record: unknown data kind " + kind);
            }
            int n = RecordIo.readCount(in, locations.minBytes(), "segments");
            List<L> segments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                segments.add(locations.read(in));
            }
            return ObjectRecord.stored(header, segments);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("damaged object record: " + e.getMessage(), e);
        }
    }

    /** Reads the header length and the header, which must take exactly that many bytes. */
    private static ObjectHeader readHeader(DataInputStream in) throws IOException {
        int headerLength = in.readInt();
        if (headerLength < 0) {
            throw new IOException("damaged object record: negative header length " + headerLength);
        }
        RecordIo.requireRemaining(in, headerLength, "object header");
        return ObjectHeader.read(in, headerLength);
    }

    /**
     * Decodes only the header from the first {@code available} bytes of an object record in this encoding, or returns
     * null when they do not hold all of it (the caller then decodes the whole value).
     *
     * @throws IOException if the record is of another version or its header is damaged
     */
    public static ObjectHeader decodeHeader(byte[] prefix, int available) throws IOException {
        if (available < PREAMBLE) {
            return null;
        }
        DataInputStream in = RecordIo.decoder(prefix, available, OBJECT_VERSION, "object");
        in.mark(PREAMBLE);
        int headerLength = in.readInt();
        if (headerLength >= 0 && (long) PREAMBLE + headerLength > available) {
            return null;
        }
        in.reset();
        try {
            return readHeader(in);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("damaged object record: " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code p} in this encoding. */
    public byte[] encodePart(PartRecord<L> p) {
        return RecordIo.encode(PART_VERSION, out -> {
            RecordIo.writeString(out, p.etag());
            out.writeLong(p.size());
            RecordIo.writeInstant(out, p.lastModified());
            RecordIo.writeChecksum(out, p.checksum());
            locations.write(out, p.location());
        });
    }

    /**
     * Decodes a part record in this encoding.
     *
     * @throws IOException if it is of another version, cut short or damaged (never another exception)
     */
    public PartRecord<L> decodePart(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, PART_VERSION, "part");
        try {
            String etag = RecordIo.readString(in);
            long size = in.readLong();
            return new PartRecord<>(etag, size, RecordIo.readInstant(in), RecordIo.readChecksum(in),
                    locations.read(in));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("damaged part record: " + e.getMessage(), e);
        }
    }
}
