package io.predastore.node.store.fs;

import io.predastore.node.store.RecordIo;
import io.predastore.node.store.BucketInfo;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Bucket record, keyed by the bucket name (UTF-8) in the {@code buckets} column family.
 *
 * <pre>version=1 | created (long epoch ms) | region (string)</pre>
 */
final class BucketCodec {
    static final int VERSION = 1;

    private BucketCodec() {
    }

    static byte[] encode(BucketInfo bucket) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, bucket.created());
            RecordIo.writeString(out, bucket.region());
        });
    }

    static BucketInfo decode(String name, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "bucket");
        return new BucketInfo(name, RecordIo.readInstant(in), RecordIo.readString(in));
    }
}
