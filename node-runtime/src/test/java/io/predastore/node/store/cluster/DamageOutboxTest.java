package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
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

class DamageOutboxTest {
    @TempDir
    Path dir;
    private LocalMetadataStore meta;
    private boolean available = true;

    /** The real store behind a switch that refuses writes, as a cluster without a metadata leader does. */
    private final MetadataStore switchable = new MetadataStore() {
        @Override
        public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
            return meta.get(table, key);
        }

        @Override
        public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
            if (!available) {
                throw new IOException("no metadata leader (test)");
            }
            return meta.applyBatch(batch);
        }

        @Override
        public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
            return meta.scan(table, prefix, from, limit);
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void open() throws IOException {
        meta = LocalMetadataStore.open(dir);
    }

    @AfterEach
    void close() {
        meta.close();
    }

    private static DamageReport report(int set, String detail) {
        return new DamageReport("n1-s" + set, 0, 2, DamageReport.Cause.CORRUPT, Instant.ofEpochMilli(set), detail);
    }

    @Test
    void add_full_refusesNewShardsButReplacesQueuedOnes() {
        DamageOutbox outbox = new DamageOutbox(switchable, List.of(), Duration.ofSeconds(30));
        for (int i = 0; i < ScrubState.MAX_PENDING; i++) {
            assertThat(outbox.add(report(i, "x"))).isTrue();
        }

        assertThat(outbox.add(report(ScrubState.MAX_PENDING, "x"))).isFalse();
        assertThat(outbox.add(report(7, "again"))).isTrue();

        assertThat(outbox.size()).isEqualTo(ScrubState.MAX_PENDING);
        assertThat(outbox.pending()).filteredOn(r -> r.setId().equals("n1-s7")).singleElement()
                .extracting(DamageReport::detail).isEqualTo("again");
    }

    @Test
    void flush_unavailableThenAvailable_keepsThenWritesEveryReportInBatches() throws IOException {
        DamageOutbox outbox = new DamageOutbox(switchable, List.of(report(0, "saved")), Duration.ofSeconds(30));
        for (int i = 1; i < 250; i++) {
            outbox.add(report(i, "found"));
        }
        available = false;

        assertThat(outbox.flush()).isFalse();
        assertThat(outbox.size()).isEqualTo(250);

        available = true;
        assertThat(outbox.flush()).isTrue();
        assertThat(outbox.size()).isZero();
        List<MetaEntry> written = meta.scan(MetaTable.DAMAGE, new byte[0], null, 1000);
        assertThat(written).hasSize(250);
        assertThat(DamageReport.decode(written.get(0).key(), written.get(0).value()).detail()).isEqualTo("saved");
    }
}
