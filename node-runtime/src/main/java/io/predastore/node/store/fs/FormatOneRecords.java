package io.predastore.node.store.fs;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.RecordIo;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers of the object and part records of data directory format 1, the single node's own encodings before every
 * backend shared one ({@link io.predastore.node.store.meta.RecordCodec}). Only {@link DataDirFormat} uses them, to
 * rewrite such records in the shared encoding when it migrates a directory.
 *
 * <pre>
 * object = 1 | headerLength (int) | header ({@link ObjectHeader}) | data
 * data   = 0 (byte) | length (int) | bytes                                       -- inline
 *        | 1 (byte) | count (int) | (blob id (16 bytes) | length (long)) * count  -- blob segments
 * part   = 1 | size (long) | md5 (16 bytes) | lastModified (long epoch ms) | checksum | blob id (16 bytes)
 * </pre>
 */
final class FormatOneRecords {
    static final int VERSION = 1;
    private static final int INLINE = 0;
    private static final int BLOBS = 1;

    private FormatOneRecords() {
    }

    /** Whether a value of the objects or parts table is a format-1 record (by its version byte). */
    static boolean isFormatOne(byte[] record) {
        return record.length > 0 && (record[0] & 0xFF) == VERSION;
    }

    static ObjectRecord<BlobSegment> decodeObject(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "object");
        in.readInt(); // the header length, which only a listing reading a value's first bytes needs
        ObjectHeader header = ObjectHeader.read(in);
        int kind = in.readUnsignedByte();
        try {
            if (kind == INLINE) {
                byte[] data = new byte[RecordIo.readCount(in, 1, "inline object bytes")];
                in.readFully(data);
                return ObjectRecord.inline(header, data);
            }
            if (kind != BLOBS) {
                throw new IOException("Unknown object data kind " + kind + "; the metadata is corrupt");
            }
            int n = RecordIo.readCount(in, BlobSegment.CODEC.minBytes(), "blob segments");
            List<BlobSegment> segments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                segments.add(BlobSegment.CODEC.read(in));
            }
            return ObjectRecord.stored(header, segments);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged object record: " + e.getMessage(), e);
        }
    }

    static PartRecord<BlobSegment> decodePart(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "part");
        long size = in.readLong();
        byte[] md5 = new byte[16];
        in.readFully(md5);
        Instant lastModified = RecordIo.readInstant(in);
        ChecksumValue checksum = RecordIo.readChecksum(in);
        try {
            return new PartRecord<>(RecordIo.hex(md5), size, lastModified, checksum,
                    new BlobSegment(BlobStore.readId(in), size));
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged part record: " + e.getMessage(), e);
        }
    }
}
