package io.predastore.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.disk.DiskReserve;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.disk.TmpfsMount;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment store when the file system really runs out while shards stream in (a 16 MiB tmpfs, and a reserve
 * blind to it, as when another process fills the disk): the shard that meets ENOSPC fails with
 * {@link StorageFullException} and its partial record is truncated away, every committed shard reads back, and once
 * space is freed new shards are stored again without reopening the store.
 */
class SegmentShardStoreOutOfSpaceTest {
    private static final long MIB = 1024 * 1024;
    private static final int SHARD = 256 * 1024;

    @TempDir
    Path tmp;

    @Test
    void fileSystemRunsOutMidShard_storageFullTruncated_thenStoresAgainOnceSpaceIsFreed() throws Exception {
        try (TmpfsMount mount = TmpfsMount.mount(tmp.resolve("disk"), "16m");
                NodeDisk disk = new NodeDisk(new DiskReserve(mount.dir().toString(), 4 * MIB, () -> 1L << 40,
                        System::nanoTime), System::nanoTime)) {
            Path ballast = mount.dir().resolve("ballast");
            try (OutputStream out = Files.newOutputStream(ballast)) {
                out.write(new byte[(int) (4 * MIB)]);
            }
            try (SegmentShardStore store = SegmentShardStore.open(mount.dir().resolve("shards"),
                    new SegmentShardStore.Config(64L << 20, 64 << 10, 0.5), disk)) {
                List<ShardId> stored = new ArrayList<>();
                StorageFullException refused = null;
                for (int i = 0; i < 200 && refused == null; i++) {
                    ShardId id = new ShardId("obj-" + i, 0);
                    try {
                        write(store, id, i);
                        stored.add(id);
                    } catch (StorageFullException e) {
                        refused = e;
                    }
                }
                assertThat(refused).as("a shard refused by the full file system").isNotNull()
                        .hasMessageEndingWith(StorageFullException.WHAT_TO_DO);
                assertThat(stored).hasSizeGreaterThan(10);
                // Only whole committed records are left in the segment files.
                assertThat(segmentBytes(mount.dir().resolve("shards/segments"))).isEqualTo(store.liveBytes());
                for (int i = 0; i < stored.size(); i++) {
                    assertThat(read(store, stored.get(i))).isEqualTo(bytes(i));
                }

                Files.delete(ballast);
                write(store, new ShardId("after", 0), 999);
                assertThat(read(store, new ShardId("after", 0))).isEqualTo(bytes(999));
                assertThatThrownBy(() -> read(store, new ShardId("obj-" + stored.size(), 0)))
                        .isInstanceOf(NoSuchShardException.class);
            }
        }
    }

    private static byte[] bytes(int seed) {
        byte[] b = new byte[SHARD];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(SegmentShardStore store, ShardId id, int seed) throws IOException {
        byte[] b = bytes(seed);
        try (ShardWriter w = store.create(id)) {
            for (int at = 0; at < b.length; at += 10_000) {
                w.write(ByteBuffer.wrap(b, at, Math.min(10_000, b.length - at)));
            }
            w.commit();
        }
    }

    private static byte[] read(SegmentShardStore store, ShardId id) throws IOException {
        try (InputStream in = store.open(id, 0, SHARD)) {
            return in.readAllBytes();
        }
    }

    private static long segmentBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long sum = 0;
            for (Path f : files.toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }
}
