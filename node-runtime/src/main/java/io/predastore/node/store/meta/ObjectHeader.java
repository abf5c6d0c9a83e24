package io.predastore.node.store.meta;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * What every backend's object record starts with: the fields S3 reports about a version, without where its bytes
 * are. Backends write it at the start of their object records and follow it with their own byte locations (blob
 * segments, shard sets or inline bytes), so listing and HEAD read the same header everywhere.
 *
 * <pre>size (long) | etag (string) | lastModified (long epoch ms) | metadata | partsCount (int) | checksum</pre>
 *
 * @param partsCount number of parts for a multipart object, 0 otherwise
 * @param checksum the stored flexible checksum, or null
 */
public record ObjectHeader(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
        ChecksumValue checksum) {

    /** The header's fields, without a version byte (the enclosing record has one). */
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(size);
        RecordIo.writeString(out, etag);
        RecordIo.writeInstant(out, lastModified);
        RecordIo.writeMetadata(out, metadata);
        out.writeInt(partsCount);
        RecordIo.writeChecksum(out, checksum);
    }

    /** Reads the fields {@link #write} wrote; an {@link IOException} if they are cut short or damaged. */
    public static ObjectHeader read(DataInputStream in) throws IOException {
        long size = in.readLong();
        String etag = RecordIo.readString(in);
        Instant lastModified = RecordIo.readInstant(in);
        ObjectMetadata metadata = RecordIo.readMetadata(in);
        int partsCount = in.readInt();
        return new ObjectHeader(size, etag, lastModified, metadata, partsCount, RecordIo.readChecksum(in));
    }

    /** The S3 view of this version of {@code bucket/key}. */
    public ObjectInfo info(String bucket, String key) {
        return new ObjectInfo(bucket, key, size, etag, lastModified, metadata, partsCount, checksum);
    }
}
