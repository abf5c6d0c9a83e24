package io.predastore.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour every {@link ShardStore} must have, local or remote. An implementation's test extends this class and
 * supplies {@link #newStore(Path)}; the store is opened on a fresh directory before each test and closed after.
 */
public abstract class ShardStoreContractTest {

    @TempDir
    protected Path dir;

    protected ShardStore store;

    /** Opens the store under test on {@code dir}; opening it again on the same directory must keep its shards. */
    protected abstract ShardStore newStore(Path dir) throws IOException;

    /** The implementation's chunk size, if any: sizes around it are exercised. */
    protected int chunkSize() {
        return 64 << 10;
    }

    @BeforeEach
    void openStore() throws IOException {
        store = newStore(dir);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    protected static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static int crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    /** Writes {@code bytes} in pieces of varying size (1..maxPiece) and commits. */
    protected static ShardInfo put(ShardStore s, ShardId id, byte[] bytes, int maxPiece) throws IOException {
        Random r = new Random(bytes.length * 31L + id.index());
        try (ShardWriter w = s.create(id)) {
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + r.nextInt(maxPiece));
                w.write(ByteBuffer.wrap(bytes, at, n));
                at += n;
            }
            return w.commit();
        }
    }

    protected static ShardInfo put(ShardStore s, ShardId id, byte[] bytes) throws IOException {
        return put(s, id, bytes, 100_000);
    }

    protected static byte[] read(ShardStore s, ShardId id, long offset, long length) throws IOException {
        try (InputStream in = s.open(id, offset, length)) {
            return in.readAllBytes();
        }
    }

    protected static byte[] readAll(ShardStore s, ShardId id) throws IOException {
        long length = s.stat(id).orElseThrow().length();
        return read(s, id, 0, length);
    }

    protected static ShardId id(String objectId, int index) {
        return new ShardId(objectId, index);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void commit_sizesAroundTheChunkSize_readBackByteExact() throws IOException {
        int c = chunkSize();
        int[] sizes = {0, 1, c - 1, c, c + 1, 3 << 20};
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = randomBytes(i, sizes[i]);
            ShardId id = id("size-" + sizes[i], i);
            ShardInfo info = put(store, id, bytes);
            assertThat(info).isEqualTo(new ShardInfo(id, sizes[i], crc32c(bytes)));
            assertThat(store.stat(id)).contains(info);
            assertThat(readAll(store, id)).as("size %d", sizes[i]).isEqualTo(bytes);
        }
    }

    @Test
    void open_rangesAnywhere_returnExactlyThoseBytes() throws IOException {
        int c = chunkSize();
        byte[] bytes = randomBytes(7, 3 * c + c / 2);
        ShardId id = id("ranges", 0);
        put(store, id, bytes, 999);
        List<long[]> ranges = new ArrayList<>(List.of(new long[] {0, 0}, new long[] {bytes.length, 0},
                new long[] {0, 1}, new long[] {bytes.length - 1, 1}, new long[] {c - 1, 2}, new long[] {c, c},
                new long[] {c - 5, c + 10}, new long[] {1, bytes.length - 2}, new long[] {0, bytes.length}));
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            int off = r.nextInt(bytes.length + 1);
            ranges.add(new long[] {off, r.nextInt(bytes.length - off + 1)});
        }
        for (long[] range : ranges) {
            byte[] expected = Arrays.copyOfRange(bytes, (int) range[0], (int) (range[0] + range[1]));
            assertThat(read(store, id, range[0], range[1])).as("range %d+%d", range[0], range[1])
                    .isEqualTo(expected);
        }
    }

    @Test
    void open_singleByteReads_matchBulkReads() throws IOException {
        byte[] bytes = randomBytes(8, chunkSize() + 17);
        ShardId id = id("bytewise", 1);
        put(store, id, bytes);
        try (InputStream in = store.open(id, 5, bytes.length - 5)) {
            for (int i = 5; i < bytes.length; i++) {
                assertThat(in.read()).isEqualTo(bytes[i] & 0xff);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void absentShard_statOpenDelete_reportAbsence() throws IOException {
        ShardId id = id("missing", 3);
        assertThat(store.stat(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThatThrownBy(() -> store.open(id, 0, 0)).isInstanceOf(NoSuchShardException.class);
    }

    @Test
    void create_existingId_isRefusedAndTheShardKept() throws IOException {
        ShardId id = id("existing", 0);
        byte[] first = randomBytes(1, 5000);
        ShardInfo info = put(store, id, first);
        assertThatThrownBy(() -> store.create(id)).isInstanceOf(ShardExistsException.class)
                .hasMessageContaining("never rewritten");
        assertThat(store.stat(id)).contains(info);
        assertThat(readAll(store, id)).isEqualTo(first);
    }

    @Test
    void commit_ofAnIdCommittedMeanwhile_isRefusedAndTheFirstKept() throws IOException {
        for (int size : new int[] {300, chunkSize() * 3 + 7}) { // a small shard and a streamed one
            ShardId id = id("race-" + size, 1);
            byte[] first = randomBytes(1, size);
            byte[] second = randomBytes(2, size + 11);
            try (ShardWriter a = store.create(id); ShardWriter b = store.create(id)) {
                a.write(ByteBuffer.wrap(first));
                b.write(ByteBuffer.wrap(second));
                ShardInfo info = a.commit();
                assertThatThrownBy(b::commit).isInstanceOf(ShardExistsException.class);
                assertThat(store.stat(id)).contains(info);
            }
            assertThat(readAll(store, id)).isEqualTo(first);
        }
        // Nothing of the refused writes is left behind: the store still takes and reads new shards.
        byte[] after = randomBytes(3, chunkSize() + 1);
        put(store, id("after-race", 0), after);
        assertThat(readAll(store, id("after-race", 0))).isEqualTo(after);
    }

    @Test
    void create_afterDelete_writesTheIdAgain() throws IOException {
        ShardId id = id("again", 2);
        put(store, id, randomBytes(1, 700));
        assertThat(store.delete(id)).isTrue();
        byte[] second = randomBytes(2, 300);
        ShardInfo info = put(store, id, second);
        assertThat(store.stat(id)).contains(info);
        assertThat(readAll(store, id)).isEqualTo(second);
    }

    @Test
    void delete_committedShard_makesItAbsent() throws IOException {
        ShardId id = id("deleted", 0);
        ShardId other = id("deleted", 1);
        put(store, id, randomBytes(1, 1000));
        byte[] kept = randomBytes(2, 1000);
        put(store, other, kept);
        assertThat(store.delete(id)).isTrue();
        assertThat(store.stat(id)).isEmpty();
        assertThatThrownBy(() -> store.open(id, 0, 1)).isInstanceOf(NoSuchShardException.class);
        assertThat(store.delete(id)).isFalse();
        assertThat(readAll(store, other)).isEqualTo(kept);
    }

    @Test
    void writer_beforeCommit_nothingIsVisible() throws IOException {
        ShardId id = id("pending", 0);
        try (ShardWriter w = store.create(id)) {
            w.write(ByteBuffer.wrap(randomBytes(1, chunkSize() * 2 + 3)));
            assertThat(store.stat(id)).isEmpty();
            w.commit();
        }
        assertThat(store.stat(id)).isPresent();
    }

    @Test
    void abort_orCloseWithoutCommit_leavesNothingVisible() throws IOException {
        ShardId aborted = id("aborted", 0);
        ShardWriter w = store.create(aborted);
        w.write(ByteBuffer.wrap(randomBytes(1, chunkSize() + 5)));
        w.abort();
        w.abort();
        assertThat(store.stat(aborted)).isEmpty();

        ShardId closed = id("closed", 0);
        try (ShardWriter w2 = store.create(closed)) {
            w2.write(ByteBuffer.wrap(randomBytes(2, 10)));
        }
        assertThat(store.stat(closed)).isEmpty();

        byte[] after = randomBytes(3, chunkSize() + 9);
        put(store, id("after-abort", 0), after);
        assertThat(readAll(store, id("after-abort", 0))).isEqualTo(after);
    }

    @Test
    void abort_ofASecondWriterOfAnId_keepsTheFirstShard() throws IOException {
        ShardId id = id("keep", 4);
        byte[] first = randomBytes(1, 2000);
        try (ShardWriter a = store.create(id); ShardWriter b = store.create(id)) {
            a.write(ByteBuffer.wrap(first));
            a.commit();
            b.write(ByteBuffer.wrap(randomBytes(2, 3000)));
        }
        assertThat(readAll(store, id)).isEqualTo(first);
    }

    @Test
    void abort_afterCommit_isANoOp() throws IOException {
        ShardId id = id("committed", 0);
        ShardWriter w = store.create(id);
        w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit();
        w.abort();
        w.close();
        assertThat(readAll(store, id)).containsExactly(1, 2, 3);
    }

    @Test
    void concurrentWriters_manyShardsEach_allReadBack() throws Exception {
        int threads = 8;
        int perThread = 40;
        Map<ShardId, byte[]> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random r = new Random(thread);
                    for (int i = 0; i < perThread; i++) {
                        ShardId id = id("t" + thread + "-o" + i, i % 6);
                        byte[] bytes = randomBytes(thread * 1000L + i, r.nextInt(3 * chunkSize()));
                        put(store, id, bytes, 1 + r.nextInt(20_000));
                        written.put(id, bytes);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(written).hasSize(threads * perThread);
        for (Map.Entry<ShardId, byte[]> e : written.entrySet()) {
            assertThat(readAll(store, e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void reopen_afterClose_keepsEveryCommittedShard() throws Exception {
        Map<ShardId, byte[]> written = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            byte[] bytes = randomBytes(i, i * 5000);
            put(store, id("restart-" + i, i), bytes);
            written.put(id("restart-" + i, i), bytes);
        }
        store.delete(id("restart-0", 0));
        put(store, id("restart-0", 0), randomBytes(99, 10));
        written.put(id("restart-0", 0), randomBytes(99, 10));
        store.delete(id("restart-1", 1));
        written.remove(id("restart-1", 1));
        store.close();
        store = null;
        store = newStore(dir);
        for (Map.Entry<ShardId, byte[]> e : written.entrySet()) {
            assertThat(readAll(store, e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(store.stat(id("restart-1", 1))).isEmpty();
    }
}
