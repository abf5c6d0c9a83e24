package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.predastore.node.disk.DiskHealth;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.TmpfsMount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metadata peer whose disk fills under it (a 48 MiB tmpfs nearly filled by something else) while the other two
 * keep committing: its Raft log or its database runs out of space. It must say so (disk health) rather than go
 * on applying later entries without the one it could not write; the other two must not notice; and once space is
 * freed and the peer restarted, it must catch up and hold exactly what the others hold.
 */
class RaftMetadataFullDiskTest {
    private static final int ENTRIES = 1200;
    private static final int VALUE = 8 * 1024;

    @TempDir
    Path root;

    @Test
    void aPeerWhoseDiskFills_saysSoAndNeverDiverges_andCatchesUpAfterSpaceIsFreedAndARestart() throws Exception {
        // Small log segments and no snapshot during the test, so the log keeps growing on every peer.
        MetadataOptions.LogOptions log = new MetadataOptions.LogOptions(1_000_000, 256 * 1024);
        try (TmpfsMount mount = TmpfsMount.mount(root.resolve("n3"), "48m");
                MetaTestCluster c = new MetaTestCluster(root, 3, log, (id, peers) -> null)) {
            c.start(0);
            c.start(1);
            c.awaitLeaderAmong(0, 1);
            NodeDisk disk = NodeDisk.open(mount.dir(), 4L << 20);
            try {
                c.start(2, disk);
                c.stores[0].apply(MetaBatch.of(put(-1)));
                await().atMost(Duration.ofSeconds(20)).until(() -> c.status(2).lastAppliedIndex() > 0);

                // Something else takes all but 2 MiB of the peer's disk.
                Path ballast = mount.dir().resolve("ballast");
                try (OutputStream out = Files.newOutputStream(ballast)) {
                    byte[] block = new byte[1 << 20];
                    for (long left = mount.usableBytes() - (2L << 20); left > 0; left -= block.length) {
                        out.write(block, 0, (int) Math.min(block.length, left));
                    }
                }
                // The majority keeps committing 9 MiB of metadata.
                for (int i = 0; i < ENTRIES; i++) {
                    assertThat(c.stores[0].apply(MetaBatch.of(put(i)))).isTrue();
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    disk.check();
                    return !disk.health().problems().isEmpty();
                });
                DiskHealth full = disk.health();
                System.out.println("full metadata peer: " + full.problems());
                assertThat(full.problems()).anySatisfy(p -> assertThat(p).containsAnyOf("Raft log failed",
                        "metadata database refuses writes", "metadata state machine failed"));

                Files.delete(ballast);
                // Stopping must not wait on a database write held back by the full disk.
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> c.stop(2));
            } finally {
                disk.close();
            }
            try (NodeDisk again = NodeDisk.open(mount.dir(), 4L << 20)) {
                c.start(2, again);
                long committed = c.status(0).commitIndex();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> c.status(2).lastAppliedIndex() >= committed);
                again.check();
                assertThat(again.health().problems()).isEmpty();
                c.stopAll();
            }
            List<List<MetaEntry>> tables = new ArrayList<>();
            try (NodeDisk plain = NodeDisk.unguarded(root)) {
                for (MetaPeerConfig peer : c.peers) {
                    try (RocksMetaDb db = RocksMetaDb.open(root.resolve(peer.id()).resolve("db"),
                            RocksMetaDb.Recovery.REPLAYED_RAFT_LOG, plain)) {
                        tables.add(db.scan(MetaTable.OBJECTS, new byte[0], null, ENTRIES + 10));
                    }
                }
            }
            assertThat(tables.get(0)).hasSize(ENTRIES + 1);
            for (int p = 1; p < tables.size(); p++) {
                assertThat(same(tables.get(p), tables.get(0))).as("peer %d holds what peer 1 holds", p + 1).isTrue();
            }
        }
    }

    private static MetaBatch.Put put(int i) {
        byte[] value = new byte[VALUE];
        Arrays.fill(value, (byte) i);
        return new MetaBatch.Put(MetaTable.OBJECTS, ByteBuffer.allocate(4).putInt(i).array(), value);
    }

    private static boolean same(List<MetaEntry> a, List<MetaEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).key(), b.get(i).key()) || !Arrays.equals(a.get(i).value(), b.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    static {
        // Keep the peer's expected failures from flooding the test output.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ratis"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
    }
}
