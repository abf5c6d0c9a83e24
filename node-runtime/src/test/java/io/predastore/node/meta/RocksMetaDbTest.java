package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.disk.NodeDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several batches applied as one log entry: in order, each on the state the previous ones left, atomically; and what
 * a crash leaves on disk with and without RocksDB's own write-ahead log.
 */
class RocksMetaDbTest {
    @TempDir
    Path dir;
    NodeDisk disk;

    @BeforeEach
    void openDisk() throws IOException {
        disk = NodeDisk.unguarded(dir);
    }

    @AfterEach
    void closeDisk() {
        disk.close();
    }

    @Test
    void applyAll_laterBatchesSeeEarlierOnesAndFailuresStayLocal() throws IOException {
        try (RocksMetaDb db = RocksMetaDb.open(dir, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            MetaBatch createIfAbsent = new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("b"), null)),
                    List.of(new MetaBatch.Put(MetaTable.BUCKETS, b("b"), b("1"))));
            MetaBatch replaceInBucket = new MetaBatch(
                    List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("b"), b("1"))),
                    List.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("k"), b("first"), MetaTable.TOMBSTONES,
                            b("t1"))));
            MetaBatch replaceAgain = MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("k"), b("second"),
                    MetaTable.TOMBSTONES, b("t2")));
            MetaBatch deleteThenExpect = new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.OBJECTS, b("k"),
                    b("first"))), List.of(new MetaBatch.Delete(MetaTable.OBJECTS, b("k"))));

            List<ApplyOutcome> outcomes = db.applyAll(
                    List.of(createIfAbsent, createIfAbsent, replaceInBucket, replaceAgain, deleteThenExpect),
                    new RocksMetaDb.Applied(1, 7));

            assertThat(outcomes).containsExactly(ApplyOutcome.APPLIED, ApplyOutcome.NOT_APPLIED,
                    ApplyOutcome.APPLIED, ApplyOutcome.APPLIED_KEPT_PREVIOUS, ApplyOutcome.NOT_APPLIED);
            assertThat(db.get(MetaTable.OBJECTS, b("k"))).isEqualTo(b("second"));
            assertThat(db.get(MetaTable.TOMBSTONES, b("t1"))).isNull();
            assertThat(db.get(MetaTable.TOMBSTONES, b("t2"))).isEqualTo(b("first"));
            assertThat(db.applied()).isEqualTo(new RocksMetaDb.Applied(1, 7));
        }
    }

    @Test
    void longProperty_afterWrites_summedOverTablesAndCachesCounted() throws IOException {
        try (RocksMetaDb db = RocksMetaDb.open(dir, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            long empty = db.longProperty("rocksdb.cur-size-all-mem-tables").orElseThrow();
            db.applyAll(List.of(MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, b("b"), b("1"))),
                    MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("k"), new byte[4000]))),
                    new RocksMetaDb.Applied(1, 1));
            // Both tables' memtables grow; only the default column family's would be read without the sum.
            assertThat(db.longProperty("rocksdb.cur-size-all-mem-tables").orElseThrow()).isGreaterThan(empty);
            assertThat(db.longProperty("rocksdb.estimate-live-data-size")).isPresent();
            assertThat(db.longProperty("rocksdb.estimate-pending-compaction-bytes")).isPresent();
            assertThat(db.longProperty("rocksdb.block-cache-usage").orElseThrow()).isNotNegative();
            assertThat(db.longProperty("rocksdb.no-such-property")).isEmpty();
        }
    }

    @Test
    void sealedLog_isRecordedWithTheFirstSealedEntryAndSurvivesReopening() throws IOException {
        MetaBatch put = MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, b("b"), b("1")));
        try (RocksMetaDb db = RocksMetaDb.open(dir, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            db.applyAll(List.of(put), new RocksMetaDb.Applied(1, 1));
            db.markApplied(new RocksMetaDb.Applied(1, 2));
            assertThat(db.sealedLog()).as("entries written before nodes sealed them").isFalse();
            db.applyAll(List.of(put), new RocksMetaDb.Applied(1, 3), true);
            assertThat(db.sealedLog()).isTrue();
        }
        try (RocksMetaDb db = RocksMetaDb.open(dir, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            assertThat(db.sealedLog()).isTrue();
            assertThat(db.applied()).isEqualTo(new RocksMetaDb.Applied(1, 3));
        }
    }

    /**
     * Without its own log the database on disk after a crash is the last flush: a consistent earlier state, with the
     * applied index matching the data, from which the Raft log is replayed. A checkpoint (a snapshot) flushes, so it
     * never falls behind the snapshots. A copy of the directory taken while the database is open is what a
     * {@code kill -9} leaves.
     */
    @Test
    void withoutItsOwnLog_aCrashLeavesTheLastFlushWithItsAppliedIndex() throws IOException {
        byte[] inline = new byte[4096];
        Arrays.fill(inline, (byte) 7);
        Path live = dir.resolve("live");
        try (RocksMetaDb db = RocksMetaDb.open(live, RocksMetaDb.Recovery.REPLAYED_RAFT_LOG, disk)) {
            db.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("k1"), inline)),
                    new RocksMetaDb.Applied(1, 1));
            db.checkpoint(dir.resolve("snapshot"));
            db.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("k2"), b("small"))),
                    new RocksMetaDb.Applied(1, 2));
            copyTree(live, dir.resolve("crashed"));
        }
        try (RocksMetaDb crashed = RocksMetaDb.open(dir.resolve("crashed"), RocksMetaDb.Recovery.REPLAYED_RAFT_LOG,
                disk)) {
            assertThat(crashed.applied()).isEqualTo(new RocksMetaDb.Applied(1, 1));
            assertThat(crashed.get(MetaTable.OBJECTS, b("k1"))).isEqualTo(inline);
            assertThat(crashed.get(MetaTable.OBJECTS, b("k2"))).isNull();
        }
        // The snapshot (what a lagging peer installs) carries the blob file holding the inline object.
        try (RocksMetaDb snapshot = RocksMetaDb.open(dir.resolve("snapshot"), RocksMetaDb.Recovery.REPLAYED_RAFT_LOG,
                disk)) {
            assertThat(snapshot.applied()).isEqualTo(new RocksMetaDb.Applied(1, 1));
            assertThat(snapshot.get(MetaTable.OBJECTS, b("k1"))).isEqualTo(inline);
        }
        // A clean close flushes: nothing is lost.
        try (RocksMetaDb reopened = RocksMetaDb.open(live, RocksMetaDb.Recovery.REPLAYED_RAFT_LOG, disk)) {
            assertThat(reopened.applied()).isEqualTo(new RocksMetaDb.Applied(1, 2));
            assertThat(reopened.get(MetaTable.OBJECTS, b("k2"))).isEqualTo(b("small"));
        }
    }

    @Test
    void withItsOwnLog_aCrashLosesNothingApplied() throws IOException {
        Path live = dir.resolve("live");
        try (RocksMetaDb db = RocksMetaDb.open(live, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            db.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("k1"), b("v1"))),
                    new RocksMetaDb.Applied(1, 1));
            copyTree(live, dir.resolve("crashed"));
        }
        try (RocksMetaDb crashed = RocksMetaDb.open(dir.resolve("crashed"), RocksMetaDb.Recovery.OWN_LOG,
                disk)) {
            assertThat(crashed.applied()).isEqualTo(new RocksMetaDb.Applied(1, 1));
            assertThat(crashed.get(MetaTable.OBJECTS, b("k1"))).isEqualTo(b("v1"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
