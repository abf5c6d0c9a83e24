package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.erasure.ReedSolomon;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.shard.ShardWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a shard set writer leaves the nodes when one shard of the set fails to commit. */
class ShardSetWriterTest {
    private static final int CHUNK = 1024;

    private final ExecutorService executor = Executors.newFixedThreadPool(5);

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    @Test
    void commitFailingOnOneNode_waitsForTheOtherCommitsThenAbortLeavesNoShardAnywhere() throws Exception {
        Map<Integer, RecordingStore> stores = new TreeMap<>();
        for (int node = 1; node <= 5; node++) {
            stores.put(node, new RecordingStore());
        }
        stores.get(2).failCommits = true;
        // Node 4 commits slowly: it finishes after node 2 has failed, unless an abort cuts in while it runs.
        stores.get(4).slowCommit = new CountDownLatch(1);
        byte[] body = new byte[10 * CHUNK + 123];
        new Random(1).nextBytes(body);

        try (ShardSetWriter writer = new ShardSetWriter(new Router(stores), ReedSolomon.create(3, 2), CHUNK,
                "set-1", new int[] {1, 2, 3, 4, 5}, executor)) {
            writer.write(new ByteArrayInputStream(body), body.length, MessageDigest.getInstance("MD5"));
            assertThatThrownBy(() -> writer.commit(body.length)).isInstanceOf(NodeUnavailableException.class)
                    .hasMessageContaining("node 2");
        }

        for (Map.Entry<Integer, RecordingStore> e : stores.entrySet()) {
            RecordingStore store = e.getValue();
            assertThat(store.misuse).as("node %d", e.getKey()).isEmpty();
            assertThat(store.shards).as("shards left on node %d", e.getKey()).isEmpty();
            assertThat(store.openWriters.get()).as("writers left open on node %d", e.getKey()).isZero();
        }
        assertThat(stores.get(4).deletes.get()).isEqualTo(1);
        assertThat(stores.get(2).deletes.get()).isZero();
    }

    private record Router(Map<Integer, RecordingStore> stores) implements ShardRouter {
        @Override
        public ShardStore store(int nodeId) {
            return stores.get(nodeId);
        }

        @Override
        public int localNode() {
            return 1; // the gateway of these tests
        }

        @Override
        public List<Integer> liveNodes() {
            return new ArrayList<>(stores.keySet());
        }

        @Override
        public void reportFailure(int nodeId, IOException cause) {
            // not needed here
        }
    }

    /**
     * Keeps shards in memory and records misuse of its writers: one is not thread-safe, so an abort while its
     * commit runs, or a commit after its abort, is a bug of the caller.
     */
    private static final class RecordingStore implements ShardStore {
        final Map<ShardId, byte[]> shards = new ConcurrentHashMap<>();
        final List<String> misuse = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger openWriters = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        volatile boolean failCommits;
        volatile CountDownLatch slowCommit;

        @Override
        public ShardWriter create(ShardId id) {
            openWriters.incrementAndGet();
            return new ShardWriter() {
                private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                private volatile boolean committing;
                private volatile boolean done;

                @Override
                public void write(ByteBuffer b) {
                    byte[] copy = new byte[b.remaining()];
                    b.get(copy);
                    bytes.writeBytes(copy);
                }

                @Override
                public ShardInfo commit() throws IOException {
                    if (done) {
                        misuse.add("commit of " + id + " after it was aborted");
                        throw new IllegalStateException("aborted");
                    }
                    committing = true;
                    try {
                        if (failCommits) {
                            throw new IOException("the disk is full");
                        }
                        CountDownLatch slow = slowCommit;
                        if (slow != null) {
                            slow.await(1, TimeUnit.SECONDS);
                        }
                        byte[] b = bytes.toByteArray();
                        shards.put(id, b);
                        CRC32C crc = new CRC32C();
                        crc.update(b);
                        return new ShardInfo(id, b.length, (int) crc.getValue());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    } finally {
                        committing = false;
                        done = true;
                        openWriters.decrementAndGet();
                    }
                }

                @Override
                public void abort() {
                    if (committing) {
                        misuse.add("abort of " + id + " while its commit runs");
                        CountDownLatch slow = slowCommit;
                        if (slow != null) {
                            slow.countDown();
                        }
                        return;
                    }
                    if (!done) {
                        done = true;
                        openWriters.decrementAndGet();
                    }
                }
            };
        }

        @Override
        public InputStream open(ShardId id, long offset, long length) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Optional<ShardInfo> stat(ShardId id) {
            return Optional.empty();
        }

        @Override
        public boolean delete(ShardId id) {
            deletes.incrementAndGet();
            return shards.remove(id) != null;
        }

        @Override
        public void close() {
        }
    }
}
