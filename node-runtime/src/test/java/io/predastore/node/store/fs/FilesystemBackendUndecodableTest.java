package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

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
        putRaw("objects", MetaKeys.object("photos", "b"), new byte[] {99, 0, 0});
        putRaw("buckets", MetaKeys.utf8("broken"), new byte[] {99});

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

    /** Writes into the closed backend's database directly. */
    private void putRaw(String table, byte[] key, byte[] value) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        List<String> names = List.of("buckets", "objects", "uploads", "parts", "intents", "garbage");
        for (String name : names) {
            descriptors.add(new ColumnFamilyDescriptor(MetaKeys.utf8(name)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, dir.resolve("meta").toString(), descriptors, handles)) {
            db.put(handles.get(1 + names.indexOf(table)), key, value);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
