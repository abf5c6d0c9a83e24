package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.UploadPartRequest;
import io.predastore.node.store.WritePrecondition;
import io.predastore.node.testing.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit whose outcome the writer cannot know: the metadata store fails the call (a timeout, a lost leader) while
 * the entry is, or is later, applied, as when a Raft client resends it. The writer must not delete the shards such
 * a record may refer to: the object (or part) stays readable whole if the commit applied, and the shards are
 * reclaimed by the repair engine after the unreferenced grace if it did not.
 */
class UncertainCommitTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path dir;
    private LocalRouter stores;
    private LocalMetadataStore local;
    private FlakyMeta meta;
    private TestClock clock;
    private DistributedBackend backend;

    @BeforeEach
    void open() throws IOException {
        stores = new LocalRouter(dir.resolve("shards"), 5);
        local = LocalMetadataStore.open(dir.resolve("meta"));
        meta = new FlakyMeta(local);
        clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        backend = new DistributedBackend(meta, stores, Runnable::run, clock, 3, 2, 64 * 1024);
        backend.createBucket("b", "us-east-1");
    }

    @AfterEach
    void close() throws Exception {
        backend.close();
        local.close();
        stores.close();
    }

    @Test
    void put_commitAppliedButReportedFailed_objectStaysReadableWhole() throws IOException {
        byte[] data = BackendObjects.random(SIZE, 1);
        meta.failAfterApplying = MetaTable.OBJECTS;

        assertThatThrownBy(() -> BackendObjects.put(backend, "b", "k", data)).hasMessageContaining("timed out");

        settle();
        assertThat(BackendObjects.read(backend, "b", "k")).isEqualTo(data);
        assertThat(stores.totalShards()).isEqualTo(5);
        assertThat(local.scan(MetaTable.REPAIRS, new byte[0], null, 10)).as("the parked set, resolved").isEmpty();
    }

    @Test
    void put_commitNeverApplied_shardsReclaimedAfterTheGrace() throws IOException {
        meta.failWithoutApplying = MetaTable.OBJECTS;

        assertThatThrownBy(() -> BackendObjects.put(backend, "b", "k", BackendObjects.random(SIZE, 2)))
                .hasMessageContaining("timed out");

        settle();
        assertThat(stores.totalShards()).as("kept while a late commit could still use them").isEqualTo(5);
        clock.advance(Duration.ofMinutes(11));
        settle();
        assertThat(stores.totalShards()).isZero();
        assertThat(local.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
    }

    @Test
    void put_refusedByItsPrecondition_shardsDeletedAtOnce() throws IOException {
        BackendObjects.put(backend, "b", "k", BackendObjects.random(SIZE, 3));
        long before = stores.totalShards();

        assertThatThrownBy(() -> backend.putObject(new io.predastore.node.store.PutObjectRequest("b", "k", SIZE,
                ObjectMetadata.EMPTY, null, () -> null, new WritePrecondition(null, true)),
                new ByteArrayInputStream(BackendObjects.random(SIZE, 4))))
                .isInstanceOf(io.predastore.node.store.StorageException.class);

        settle();
        assertThat(stores.totalShards()).isEqualTo(before);
    }

    @Test
    void uploadPart_commitAppliedButReportedFailed_completedObjectReadsWhole() throws IOException {
        String upload = backend.createMultipartUpload("b", "m", ObjectMetadata.EMPTY);
        byte[] part = BackendObjects.random(SIZE, 5);
        meta.failAfterApplying = MetaTable.PARTS;

        assertThatThrownBy(() -> backend.uploadPart(new UploadPartRequest("b", "m", upload, 1, SIZE, null,
                () -> null), new ByteArrayInputStream(part))).hasMessageContaining("timed out");

        settle();
        PartInfo stored = backend.listParts("b", "m", upload, 0, 10).parts().get(0);
        backend.completeMultipartUpload(new CompleteMultipartUploadRequest("b", "m", upload,
                List.of(new CompletedPart(1, stored.etag())), WritePrecondition.NONE));
        settle();
        assertThat(BackendObjects.read(backend, "b", "m")).isEqualTo(part);
    }

    /** Runs what the node runs in the background: tombstone sweeps and a repair round. */
    private void settle() {
        backend.sweepTombstones();
        backend.repairShards();
        backend.sweepTombstones();
    }

    /** A metadata store whose next batch writing a chosen table fails, after or instead of applying it. */
    private static final class FlakyMeta implements MetadataStore {
        private final MetadataStore inner;
        MetaTable failAfterApplying;
        MetaTable failWithoutApplying;

        FlakyMeta(MetadataStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
            return inner.get(table, key);
        }

        @Override
        public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
            if (writes(batch, failWithoutApplying)) {
                failWithoutApplying = null;
                throw new IOException("the metadata write timed out");
            }
            ApplyOutcome outcome = inner.applyBatch(batch);
            if (writes(batch, failAfterApplying)) {
                failAfterApplying = null;
                throw new IOException("the metadata write timed out");
            }
            return outcome;
        }

        private static boolean writes(MetaBatch batch, MetaTable table) {
            return table != null && batch.ops().stream().anyMatch(op -> op.table() == table);
        }

        @Override
        public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
            return inner.scan(table, prefix, from, limit);
        }

        @Override
        public void close() {
        }
    }
}
