package io.predastore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;

class NodeDiskTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void writeBuffers_anEighthOfTheReserve_between1And64MiB() throws Exception {
        assertThat(disk(24 * MIB).writeBufferBytes()).isEqualTo(3 * MIB);
        assertThat(disk(4 * MIB).writeBufferBytes()).isEqualTo(MIB);
        assertThat(disk(1024 * MIB).writeBufferBytes()).isEqualTo(64 * MIB);
        // No reserve: RocksDB's own default.
        assertThat(disk(0).writeBufferBytes()).isEqualTo(64 * MIB);
    }

    @Test
    void configure_setsTheFileManagerAndBuffers() throws Exception {
        try (NodeDisk disk = disk(24 * MIB); Options options = new Options();
                ColumnFamilyOptions table = new ColumnFamilyOptions()) {
            disk.configureDatabase(options);
            disk.configureTable(table);
            assertThat(options.dbWriteBufferSize()).isEqualTo(3 * MIB);
            assertThat(options.maxTotalWalSize()).isEqualTo(12 * MIB);
            assertThat(options.maxLogFileSize()).as("RocksDB's info log is bounded").isEqualTo(4 * MIB);
            assertThat(table.writeBufferSize()).isEqualTo(3 * MIB);
        }
    }

    @Test
    void health_aWritableDatabase_hasNoProblem_andAFailureNeedsARestart() throws Exception {
        try (NodeDisk disk = disk(10 * MIB); Options options = disk.configureTable(disk.configureDatabase(
                new Options().setCreateIfMissing(true))); RocksDB db = RocksDB.open(options, dir.resolve("db")
                        .toString())) {
            NodeDisk.Watch watch = disk.watch("test", db);
            disk.check();
            DiskHealth healthy = disk.health();
            assertThat(healthy.problems()).isEmpty();
            assertThat(healthy.restartNeeded()).isFalse();
            assertThat(healthy.belowReserve()).isFalse();
            assertThat(healthy.reserveBytes()).isEqualTo(10 * MIB);

            disk.reportFailure("Raft log", "could not append; restart the node");
            disk.reportFailure("Raft log", "reported once");
            DiskHealth failed = disk.health();
            assertThat(failed.problems()).containsExactly("Raft log failed: could not append; restart the node");
            assertThat(failed.restartNeeded()).isTrue();
            watch.close();
        }
    }

    @Test
    void awaitNextCheck_returnsOnceARoundFinished() throws Exception {
        try (NodeDisk disk = disk(MIB)) {
            assertThat(disk.awaitNextCheck(1)).isFalse();
            Thread checker = new Thread(() -> {
                try {
                    while (!disk.awaitNextCheck(10)) {
                        // keep waiting for the round below
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            checker.start();
            while (checker.isAlive()) {
                disk.check();
                checker.join(20);
            }
        }
    }

    /**
     * A database whose flushes never run (as when every background thread of the process is busy elsewhere) must
     * not hold its writer: the write is refused as busy after its patience, or at once as a full disk while the
     * disk is short of room, the health says so once the stall lasts, and writes go on once flushes run again.
     */
    @Test
    void aDatabaseWhoseFlushesNeverRun_refusesWritesInsteadOfHoldingTheWriter_andHealthSaysSoOnceItLasts()
            throws Exception {
        AtomicLong skew = new AtomicLong();
        AtomicLong free = new AtomicLong(1024 * MIB);
        try (NodeDisk disk = new NodeDisk(new DiskReserve(dir.toString(), 8 * MIB, free::get, System::nanoTime),
                () -> System.nanoTime() + skew.get());
                Options options = disk.configureTable(disk.configureDatabase(new Options().setCreateIfMissing(true)));
                RocksDB db = RocksDB.open(options, dir.resolve("db").toString())) {
            NodeDisk.Watch watch = disk.watch("test", db);
            db.pauseBackgroundWork();
            long patience = TimeUnit.MILLISECONDS.toNanos(300);
            DiskBusyException busy = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                // Two write buffers of 1 MiB fill, then RocksDB would wait for a flush that never runs.
                for (int i = 0; i < 100; i++) {
                    try {
                        write(disk, db, i, patience);
                    } catch (DiskBusyException e) {
                        return e;
                    }
                }
                throw new AssertionError("100 writes of 64 KiB went through with flushes paused");
            });
            assertThat(busy).hasMessageContaining("Could not write the test").hasMessageContaining("held writes back")
                    .hasMessageEndingWith("if it persists, see the node's disk health.");

            disk.check();
            assertThat(disk.health().problems()).as("a short stall is load, not a problem").isEmpty();
            skew.addAndGet(NodeDisk.STALL_REPORT_NANOS);
            disk.check();
            assertThat(disk.health().problems()).singleElement().asString()
                    .startsWith("the test database refuses writes").contains("flushes are not finishing");
            assertThat(disk.atRisk()).isTrue();
            assertThatThrownBy(() -> write(disk, db, 100, patience)).as("at risk: refused at once")
                    .isInstanceOf(StorageFullException.class);

            db.continueBackgroundWork();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (true) {
                    try {
                        write(disk, db, 101, patience);
                        return;
                    } catch (StorageFullException | DiskBusyException e) {
                        disk.check();
                    }
                }
            });
            disk.check();
            assertThat(disk.health().problems()).isEmpty();
            watch.close();
        }
    }

    private static void write(NodeDisk disk, RocksDB db, int i, long patience) throws Exception {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(("k" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[64 * 1024]);
            disk.write(db, NodeDisk.Durability.LAZY, batch, "write the test", patience);
        }
    }

    private NodeDisk disk(long reserve) throws Exception {
        return new NodeDisk(new DiskReserve(dir.toString(), reserve, () -> 1024 * MIB, System::nanoTime),
                System::nanoTime);
    }
}
