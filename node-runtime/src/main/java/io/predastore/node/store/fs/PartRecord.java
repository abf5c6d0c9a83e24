package io.predastore.node.store.fs;

import io.predastore.node.store.RecordIo;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.PartInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * A stored part of a multipart upload and the blob holding its bytes. Keyed by {@code uploadId} (32 ASCII
 * bytes) followed by the big-endian 4-byte part number in the {@code parts} column family.
 *
 * <pre>version=1 | size (long) | md5 (16 bytes) | lastModified (long epoch ms) | checksum | blob id (16 bytes)</pre>
 */
record PartRecord(int partNumber, long size, byte[] md5, Instant lastModified, ChecksumValue checksum,
        String blobId) {
    static final int VERSION = 1;

    PartInfo info() {
        return new PartInfo(partNumber, RecordIo.hex(md5), size, lastModified, checksum);
    }

    byte[] encode() {
        return RecordIo.encode(VERSION, out -> {
            out.writeLong(size);
            out.write(md5);
            RecordIo.writeInstant(out, lastModified);
            RecordIo.writeChecksum(out, checksum);
            BlobStore.writeId(out, blobId);
        });
    }

    static PartRecord decode(int partNumber, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "part");
        long size = in.readLong();
        byte[] md5 = new byte[16];
        in.readFully(md5);
        Instant lastModified = RecordIo.readInstant(in);
        ChecksumValue checksum = RecordIo.readChecksum(in);
        return new PartRecord(partNumber, size, md5, lastModified, checksum, BlobStore.readId(in));
    }
}
