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
 * <pre>size (long) | etag (string) | lastModified (long epoch ms) | metadata | partsCount (int) | checksum
 *     [| 1 (byte) | uploadId (string)]</pre>
 *
 * The upload id follows only for an object completed from a multipart upload, and only where the header's length
 * is known ({@link #read(DataInputStream, int)}): it lets a completion retried after its answer was lost be
 * recognised.
 *
 * @param partsCount number of parts for a multipart object, 0 otherwise
 * @param checksum the stored flexible checksum, or null
 * @param uploadId the multipart upload this version was completed from, or null
 */
public record ObjectHeader(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
        ChecksumValue checksum, String uploadId) {
    private static final int UPLOAD_ID_FIELD = 1;

    /** A header of a version not completed from a multipart upload (or whose upload is not recorded). */
    public ObjectHeader(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
            ChecksumValue checksum) {
        this(size, etag, lastModified, metadata, partsCount, checksum, null);
    }

    /** The header's fields, without a version byte (the enclosing record has one). */
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(size);
        RecordIo.writeString(out, etag);
        RecordIo.writeInstant(out, lastModified);
        RecordIo.writeMetadata(out, metadata);
        out.writeInt(partsCount);
        RecordIo.writeChecksum(out, checksum);
        if (uploadId != null) {
            out.writeByte(UPLOAD_ID_FIELD);
            RecordIo.writeString(out, uploadId);
        }
    }

    /**
     * Reads the fields {@link #write} wrote before the upload id (the header of records that never hold one); an
     * {@link IOException} if they are cut short or damaged.
     */
    public static ObjectHeader read(DataInputStream in) throws IOException {
        long size = in.readLong();
        String etag = RecordIo.readString(in);
        Instant lastModified = RecordIo.readInstant(in);
        ObjectMetadata metadata = RecordIo.readMetadata(in);
        int partsCount = in.readInt();
        return new ObjectHeader(size, etag, lastModified, metadata, partsCount, RecordIo.readChecksum(in));
    }

    /**
     * Reads a header of exactly {@code length} bytes, with its upload id when it has one; an {@link IOException} if it
     * is cut short, damaged, or does not take exactly {@code length} bytes.
     */
    public static ObjectHeader read(DataInputStream in, int length) throws IOException {
        int before = in.available();
        ObjectHeader header = read(in);
        int read = before - in.available();
        if (read < length) {
            int field = in.readUnsignedByte();
            if (field != UPLOAD_ID_FIELD) {
                throw new IOException("damaged object record: unknown header field " + field);
            }
            header = new ObjectHeader(header.size, header.etag, header.lastModified, header.metadata,
                    header.partsCount, header.checksum, RecordIo.readString(in));
            read = before - in.available();
        }
        if (read != length) {
            throw new IOException("damaged object record: the header took " + read + " bytes, not the " + length
                    + " its length says");
        }
        return header;
    }

    /** The S3 view of this version of {@code bucket/key}. */
    public ObjectInfo info(String bucket, String key) {
        return new ObjectInfo(bucket, key, size, etag, lastModified, metadata, partsCount, checksum);
    }
}
