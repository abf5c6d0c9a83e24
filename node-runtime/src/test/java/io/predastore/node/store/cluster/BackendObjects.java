package io.predastore.node.store.cluster;

import io.predastore.node.store.Backend;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.WritePrecondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/** Whole-object writes and reads through a backend, and seeded test bytes, for the cluster backend tests. */
final class BackendObjects {
    private BackendObjects() {
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void put(Backend backend, String bucket, String key, byte[] data) throws IOException {
        backend.putObject(new PutObjectRequest(bucket, key, data.length, ObjectMetadata.EMPTY, null, () -> null,
                WritePrecondition.NONE), new ByteArrayInputStream(data));
    }

    static byte[] read(Backend backend, String bucket, String key) throws IOException {
        try (ObjectHandle h = backend.getObject(bucket, key);
                ObjectBody body = h.open(0, h.info().size());
                InputStream in = body.openStream()) {
            return in.readAllBytes();
        }
    }
}
