package io.predastore.node.store.fs;

import io.predastore.node.store.RecordIo;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.meta.ObjectHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed object version: its S3-visible header and where its bytes are, either inline or as an ordered
 * list of blob segments (one for a plain PUT, one per part for a completed multipart upload). Keyed by
 * {@code bucket 0x00 key} (UTF-8) in the {@code objects} column family.
 *
 * <pre>
 * version=1 | headerLength (int) | header | data
 * header = {@link ObjectHeader}, as every backend's object record starts
 * data   = 0 (byte) | length (int) | bytes                      -- inline
 *        | 1 (byte) | count (int) | (blob id (16 bytes) | length (long)) * count
 * </pre>
 *
 * The header length lets a listing decode the header from the first few KiB of the value without copying
 * inline data or a 10,000-entry segment list.
 */
record ObjectRecord(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
        ChecksumValue checksum, byte[] inline, List<Segment> segments) {
    static final int VERSION = 1;
    /** Version byte plus the header length. */
    static final int PREAMBLE = 5;
    private static final int INLINE = 0;
    private static final int BLOBS = 1;

    /** One blob file and how many of its bytes belong to the object. */
    record Segment(String blobId, long length) {
    }

    ObjectRecord {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    boolean isInline() {
        return inline != null;
    }

    ObjectInfo info(String bucket, String key) {
        return new ObjectInfo(bucket, key, size, etag, lastModified, metadata, partsCount, checksum);
    }

    byte[] encode() {
        ByteArrayOutputStream header = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(header)) {
            new ObjectHeader(size, etag, lastModified, metadata, partsCount, checksum).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] h = header.toByteArray();
        return RecordIo.encode(VERSION, out -> {
            out.writeInt(h.length);
            out.write(h);
            if (inline != null) {
                out.writeByte(INLINE);
                out.writeInt(inline.length);
                out.write(inline);
            } else {
                out.writeByte(BLOBS);
                out.writeInt(segments.size());
                for (Segment s : segments) {
                    BlobStore.writeId(out, s.blobId());
                    out.writeLong(s.length());
                }
            }
        });
    }

    /**
     * Decodes only the header from the first {@code available} bytes of a value, or returns null when they do
     * not hold the whole header (the caller then reads the full value).
     */
    static ObjectInfo decodeInfo(String bucket, String key, byte[] prefix, int available) throws IOException {
        if (available < PREAMBLE) {
            return null;
        }
        DataInputStream in = RecordIo.decoder(prefix, available, VERSION, "object");
        int headerLength = in.readInt();
        if (PREAMBLE + headerLength > available) {
            return null;
        }
        return readHeader(in, null, null).info(bucket, key);
    }

    static ObjectRecord decode(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "object");
        in.readInt();
        ObjectRecord header = readHeader(in, null, null);
        int kind = in.readUnsignedByte();
        if (kind == INLINE) {
            byte[] data = new byte[RecordIo.readCount(in, 1, "inline object bytes")];
            in.readFully(data);
            return header.with(data, null);
        }
        if (kind != BLOBS) {
            throw new IOException("Unknown object data kind " + kind + "; the metadata is corrupt");
        }
        int n = RecordIo.readCount(in, 8, "blob segments");
        List<Segment> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(new Segment(BlobStore.readId(in), in.readLong()));
        }
        return header.with(null, segments);
    }

    private ObjectRecord with(byte[] data, List<Segment> segs) {
        return new ObjectRecord(size, etag, lastModified, metadata, partsCount, checksum, data, segs);
    }

    private static ObjectRecord readHeader(DataInputStream in, byte[] data, List<Segment> segs) throws IOException {
        ObjectHeader h = ObjectHeader.read(in);
        return new ObjectRecord(h.size(), h.etag(), h.lastModified(), h.metadata(), h.partsCount(), h.checksum(), data,
                segs);
    }
}
