package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.shard.ShardWriter;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write whose commit fails on one node after others committed: nodes delete shards only under a tombstone that
 * lists them, so the writer commits one for the set before it takes back what it committed, and every delete it
 * sends names that tombstone.
 */
class FailedCommitTest {
    @TempDir
    Path dir;
    private LocalRouter stores;
    private LocalMetadataStore meta;
    private DistributedBackend backend;
    /** Each delete sent, with the tombstone record its warrant named as it was when the delete arrived. */
    private final List<String> deletes = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() throws IOException {
        stores = new LocalRouter(dir.resolve("shards"), 5);
        meta = LocalMetadataStore.open(dir.resolve("meta"));
        backend = new DistributedBackend(meta, new Router(), Runnable::run,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC), 3, 2, 5, 64 * 1024);
        backend.createBucket("b", "us-east-1");
    }

    @AfterEach
    void close() throws Exception {
        backend.close();
        meta.close();
        stores.close();
    }

    @Test
    void aCommitFailingHalfWay_tombstonesTheSet_andTakesItsShardsBackUnderThatTombstone() throws IOException {
        assertThatThrownBy(() -> BackendObjects.put(backend, "b", "k", BackendObjects.random(700_000, 1)))
                .hasMessageContaining("could not be written to node 3");
        assertThat(stores.totalShards()).as("shards left on the nodes").isZero();
        assertThat(deletes).hasSize(4).allSatisfy(d -> assertThat(d).startsWith("TOMBSTONE listing"));

        List<MetaEntry> tombstones = meta.scan(MetaTable.TOMBSTONES, new byte[0], null, 10);
        assertThat(tombstones).hasSize(1);
        ShardSet set = ClusterRecords.decodeTombstone(tombstones.get(0).value()).get(0);
        assertThat(set.nodes()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        // The sweep finds nothing left to delete and drops the tombstone.
        backend.sweepTombstones();
        assertThat(meta.scan(MetaTable.TOMBSTONES, new byte[0], null, 10)).isEmpty();
    }

    /** The test's nodes, with node 3 failing every commit and every delete checked against its warrant. */
    private final class Router implements ShardRouter {
        @Override
        public ShardStore store(int nodeId) throws IOException {
            ShardStore store = stores.store(nodeId);
            return new ShardStore() {
                @Override
                public ShardWriter create(ShardId id) throws IOException {
                    ShardWriter w = store.create(id);
                    if (nodeId != 3) {
                        return w;
                    }
                    return new ShardWriter() {
                        @Override
                        public void write(ByteBuffer bytes) throws IOException {
                            w.write(bytes);
                        }

                        @Override
                        public ShardInfo commit() throws IOException {
                            w.abort();
                            throw new IOException("disk error on node 3");
                        }

                        @Override
                        public void abort() {
                            w.abort();
                        }
                    };
                }

                @Override
                public InputStream open(ShardId id, long offset, long length) throws IOException {
                    return store.open(id, offset, length);
                }

                @Override
                public Optional<ShardInfo> stat(ShardId id) throws IOException {
                    return store.stat(id);
                }

                @Override
                public boolean delete(ShardId id) throws IOException {
                    throw new AssertionError("a delete without a warrant");
                }

                @Override
                public boolean delete(ShardId id, ShardWarrant warrant) throws IOException {
                    Optional<byte[]> tombstone = warrant.kind() == ShardWarrant.Kind.TOMBSTONE
                            ? meta.get(MetaTable.TOMBSTONES, warrant.key()) : Optional.empty();
                    boolean lists = tombstone.isPresent() && ClusterRecords.decodeTombstone(tombstone.get()).stream()
                            .anyMatch(s -> s.objectId().equals(id.objectId()) && s.node(id.index()) == nodeId);
                    deletes.add(warrant.kind() + (lists ? " listing" : " not listing") + " shard " + id.index());
                    return store.delete(id);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public int localNode() {
            return 1;
        }

        @Override
        public List<Integer> liveNodes() {
            return stores.liveNodes();
        }

        @Override
        public void reportFailure(int nodeId, IOException cause) {
        }
    }
}
