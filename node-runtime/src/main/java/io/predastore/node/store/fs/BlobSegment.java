package io.predastore.node.store.fs;

import io.predastore.node.store.meta.LocationCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Where a stretch of an object's bytes lives on a single node: one blob file and how many of its bytes belong to the
 * object (all of them). An object stored as blobs has one segment per PUT, or one per part once a multipart upload
 * completes; a part has exactly one.
 *
 * <pre>blob id (16 bytes) | length (long)</pre>
 */
record BlobSegment(String blobId, long length) {
    /** How a segment is written in the shared object and part records. */
    static final LocationCodec<BlobSegment> CODEC = new LocationCodec<>() {
        @Override
        public void write(DataOutputStream out, BlobSegment s) throws IOException {
            BlobStore.writeId(out, s.blobId());
            out.writeLong(s.length());
        }

        @Override
        public BlobSegment read(DataInputStream in) throws IOException {
            String id = BlobStore.readId(in);
            long length = in.readLong();
            if (length < 0) {
                throw new IOException("damaged record: blob " + id + " has a negative length " + length);
            }
            return new BlobSegment(id, length);
        }

        @Override
        public int minBytes() {
            return BlobStore.ID_BYTES + Long.BYTES;
        }
    };
}
