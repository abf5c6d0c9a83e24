package io.predastore.node.store.meta;

import io.predastore.node.store.RecordIo;
import io.predastore.node.store.UploadInfo;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The multipart upload record of every backend, the value under {@code bucket 0x00 key 0x00 uploadId} in the
 * {@code UPLOADS} table (bucket, key and id come from the key).
 *
 * <pre>version=1 | initiated (long epoch ms) | metadata</pre>
 *
 * Stateless and thread-safe; a value that does not decode is an {@link IOException}.
 */
public final class UploadCodec {
    public static final int VERSION = 1;

    private UploadCodec() {
    }

    public static byte[] encode(UploadInfo upload) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, upload.initiated());
            RecordIo.writeMetadata(out, upload.metadata());
        });
    }

    public static UploadInfo decode(String bucket, String key, String uploadId, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "upload");
        return new UploadInfo(bucket, key, uploadId, RecordIo.readInstant(in), RecordIo.readMetadata(in));
    }
}
