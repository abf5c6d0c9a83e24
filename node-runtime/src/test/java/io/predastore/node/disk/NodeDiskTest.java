package io.predastore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

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

    private NodeDisk disk(long reserve) throws Exception {
        return new NodeDisk(new DiskReserve(dir.toString(), reserve, () -> 1024 * MIB, System::nanoTime),
                System::nanoTime);
    }
}
