package io.predastore.node.store.meta;

import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The bucket record of every backend, the value under the bucket name (UTF-8) in the {@code BUCKETS} table.
 *
 * <pre>version=1 | created (long epoch ms) | region (string)</pre>
 *
 * Stateless and thread-safe; a value that does not decode is an {@link IOException}.
 */
public final class BucketCodec {
    public static final int VERSION = 1;

    private BucketCodec() {
    }

    public static byte[] encode(BucketInfo bucket) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, bucket.created());
            RecordIo.writeString(out, bucket.region());
        });
    }

    public static BucketInfo decode(String name, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "bucket");
        return new BucketInfo(name, RecordIo.readInstant(in), RecordIo.readString(in));
    }
}
