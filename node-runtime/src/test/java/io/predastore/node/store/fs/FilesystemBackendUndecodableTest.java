package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.WritePrecondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filesystem backend with records it cannot decode in its database (put there while it was closed, as a disk
 * fault or another release would leave them): each fails only its own key.
 */
class FilesystemBackendUndecodableTest {
    @TempDir
    Path dir;

    @Test
    void undecodableRecords_listingsSkipThem_readsOfTheirKeyFail_othersServed() throws Exception {
        try (FilesystemBackend backend = FilesystemBackend.open(dir, Clock.systemUTC())) {
            backend.createBucket("photos", "us-east-1");
            backend.createBucket("zeta", "us-east-1");
            put(backend, "a");
            put(backend, "c");
        }
        putRaw(MetaTable.OBJECTS, MetaKeys.object("photos", "b"), new byte[] {99, 0, 0});
        putRaw(MetaTable.BUCKETS, MetaKeys.utf8("broken"), new byte[] {99});

        try (FilesystemBackend backend = FilesystemBackend.open(dir, Clock.systemUTC())) {
            assertThat(backend.listObjects(new ListObjectsRequest("photos", "", null, null, 1000)).objects())
                    .extracting(ObjectInfo::key).containsExactly("a", "c");
            assertThat(backend.listBuckets()).extracting(BucketInfo::name).containsExactly("photos", "zeta");
            assertThat(backend.headObject("photos", "c").size()).isEqualTo(1);
            assertThatThrownBy(() -> backend.headObject("photos", "b"))
                    .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("object photos/b");
            assertThatThrownBy(() -> backend.headBucket("broken"))
                    .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("bucket broken");
        }
    }

    private static void put(FilesystemBackend backend, String key) throws IOException {
        backend.putObject(new PutObjectRequest("photos", key, 1, ObjectMetadata.EMPTY, null, () -> null,
                WritePrecondition.NONE), new ByteArrayInputStream(new byte[] {7}));
    }

    /** Writes into the closed backend's metadata store directly. */
    private void putRaw(MetaTable table, byte[] key, byte[] value) throws Exception {
        try (LocalMetadataStore meta = LocalMetadataStore.open(dir.resolve("meta"))) {
            meta.apply(MetaBatch.of(new MetaBatch.Put(table, key, value)));
        }
    }
}
