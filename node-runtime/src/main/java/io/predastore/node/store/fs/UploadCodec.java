package io.predastore.node.store.fs;

import io.predastore.node.store.RecordIo;
import io.predastore.node.store.UploadInfo;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Multipart upload record, keyed by {@code bucket 0x00 key 0x00 uploadId} in the {@code uploads} column family
 * (bucket, key and id come from the key).
 *
 * <pre>version=1 | initiated (long epoch ms) | metadata</pre>
 */
final class UploadCodec {
    static final int VERSION = 1;

    private UploadCodec() {
    }

    static byte[] encode(UploadInfo upload) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, upload.initiated());
            RecordIo.writeMetadata(out, upload.metadata());
        });
    }

    static UploadInfo decode(String bucket, String key, String uploadId, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "upload");
        return new UploadInfo(bucket, key, uploadId, RecordIo.readInstant(in), RecordIo.readMetadata(in));
    }
}
