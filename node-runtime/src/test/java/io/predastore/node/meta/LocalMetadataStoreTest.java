package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetadataStoreTest {
    @TempDir
    Path dir;

    private LocalMetadataStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalMetadataStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static MetaBatch.Put put(MetaTable t, String k, String v) {
        return new MetaBatch.Put(t, b(k), b(v));
    }

    @Test
    void apply_absentConditionOnMissingKey_writes() throws IOException {
        boolean applied = store.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("b1"), null)),
                List.of(put(MetaTable.BUCKETS, "b1", "v1"))));

        assertThat(applied).isTrue();
        assertThat(store.get(MetaTable.BUCKETS, b("b1"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("v1"));
    }

    @Test
    void apply_absentConditionOnExistingKey_writesNothing() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.BUCKETS, "b1", "v1")));

        boolean applied = store.apply(new MetaBatch(
                List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("b1"), null)),
                List.of(put(MetaTable.BUCKETS, "b1", "v2"), put(MetaTable.OBJECTS, "o", "x"))));

        assertThat(applied).isFalse();
        assertThat(s(store.get(MetaTable.BUCKETS, b("b1")).orElseThrow())).isEqualTo("v1");
        assertThat(store.get(MetaTable.OBJECTS, b("o"))).isEmpty();
    }

    @Test
    void apply_replaceOfMissingKey_writesValueAndKeepsNothing() throws IOException {
        assertThat(store.applyBatch(MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("o"), b("v1"),
                MetaTable.TOMBSTONES, b("t1"))))).isEqualTo(ApplyOutcome.APPLIED);

        assertThat(s(store.get(MetaTable.OBJECTS, b("o")).orElseThrow())).isEqualTo("v1");
        assertThat(store.get(MetaTable.TOMBSTONES, b("t1"))).isEmpty();
    }

    @Test
    void apply_replaceOfExistingKey_keepsPreviousValue() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "o", "v1")));

        assertThat(store.applyBatch(MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("o"), b("v2"),
                MetaTable.TOMBSTONES, b("t2"))))).isEqualTo(ApplyOutcome.APPLIED_KEPT_PREVIOUS);

        assertThat(s(store.get(MetaTable.OBJECTS, b("o")).orElseThrow())).isEqualTo("v2");
        assertThat(s(store.get(MetaTable.TOMBSTONES, b("t2")).orElseThrow())).isEqualTo("v1");
    }

    @Test
    void apply_sameReplaceTwice_keepsNothingTheSecondTime() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "o", "v1")));
        MetaBatch replace = MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("o"), b("v2"),
                MetaTable.TOMBSTONES, b("t")));

        assertThat(store.applyBatch(replace)).isEqualTo(ApplyOutcome.APPLIED_KEPT_PREVIOUS);
        assertThat(store.applyBatch(replace)).isEqualTo(ApplyOutcome.APPLIED);

        assertThat(s(store.get(MetaTable.OBJECTS, b("o")).orElseThrow())).isEqualTo("v2");
        assertThat(s(store.get(MetaTable.TOMBSTONES, b("t")).orElseThrow())).isEqualTo("v1");
    }

    @Test
    void apply_replaceWithFailedCondition_writesNothing() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "o", "v1")));

        assertThat(store.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("b"), b("x"))),
                List.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("o"), b("v2"), MetaTable.TOMBSTONES,
                        b("t")))))).isFalse();

        assertThat(s(store.get(MetaTable.OBJECTS, b("o")).orElseThrow())).isEqualTo("v1");
        assertThat(store.get(MetaTable.TOMBSTONES, b("t"))).isEmpty();
    }

    @Test
    void apply_equalCondition_swapsValue() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.TOMBSTONES, "n", "1")));

        boolean applied = store.apply(new MetaBatch(
                List.of(new MetaBatch.Condition(MetaTable.TOMBSTONES, b("n"), b("1"))),
                List.of(put(MetaTable.TOMBSTONES, "n", "2"))));

        assertThat(applied).isTrue();
        assertThat(s(store.get(MetaTable.TOMBSTONES, b("n")).orElseThrow())).isEqualTo("2");
    }

    @Test
    void apply_oneMismatchedConditionAmongMany_writesNothingAtAll() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "a", "1"), put(MetaTable.OBJECTS, "b", "2")));

        boolean applied = store.apply(new MetaBatch(
                List.of(new MetaBatch.Condition(MetaTable.OBJECTS, b("a"), b("1")),
                        new MetaBatch.Condition(MetaTable.OBJECTS, b("b"), b("other")),
                        new MetaBatch.Condition(MetaTable.OBJECTS, b("c"), null)),
                List.of(put(MetaTable.OBJECTS, "a", "9"), new MetaBatch.Delete(MetaTable.OBJECTS, b("b")),
                        put(MetaTable.PARTS, "p", "x"))));

        assertThat(applied).isFalse();
        assertThat(s(store.get(MetaTable.OBJECTS, b("a")).orElseThrow())).isEqualTo("1");
        assertThat(s(store.get(MetaTable.OBJECTS, b("b")).orElseThrow())).isEqualTo("2");
        assertThat(store.get(MetaTable.PARTS, b("p"))).isEmpty();
    }

    @Test
    void apply_conditionOnMissingKeyExpectingValue_failsAndDeleteOfMissingIsNoop() throws IOException {
        assertThat(store.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.NODES, b("x"), b("v"))),
                List.of(put(MetaTable.NODES, "x", "w"))))).isFalse();
        assertThat(store.apply(MetaBatch.of(new MetaBatch.Delete(MetaTable.NODES, b("x"))))).isTrue();
        assertThat(store.get(MetaTable.NODES, b("x"))).isEmpty();
    }

    @Test
    void apply_sameKeyInDifferentTables_keepsTablesSeparate() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.BUCKETS, "k", "bucket"), put(MetaTable.UPLOADS, "k", "upload")));

        assertThat(s(store.get(MetaTable.BUCKETS, b("k")).orElseThrow())).isEqualTo("bucket");
        assertThat(s(store.get(MetaTable.UPLOADS, b("k")).orElseThrow())).isEqualTo("upload");
        assertThat(store.get(MetaTable.PARTS, b("k"))).isEmpty();
    }

    @Test
    void scan_prefixFromLimit_returnsUnsignedOrderWithinPrefix() throws IOException {
        store.apply(MetaBatch.of(
                new MetaBatch.Put(MetaTable.OBJECTS, new byte[] {1, (byte) 0x80}, b("hi")),
                new MetaBatch.Put(MetaTable.OBJECTS, new byte[] {1, 0x7f}, b("lo")),
                new MetaBatch.Put(MetaTable.OBJECTS, new byte[] {1, 0x01}, b("first")),
                new MetaBatch.Put(MetaTable.OBJECTS, new byte[] {2, 0x00}, b("other prefix")),
                new MetaBatch.Put(MetaTable.OBJECTS, new byte[] {0, 0x00}, b("before"))));

        List<MetaEntry> all = store.scan(MetaTable.OBJECTS, new byte[] {1}, null, 10);
        List<MetaEntry> from = store.scan(MetaTable.OBJECTS, new byte[] {1}, new byte[] {1, 0x7f}, 10);
        List<MetaEntry> limited = store.scan(MetaTable.OBJECTS, new byte[] {1}, null, 2);
        List<MetaEntry> fromBelowPrefix = store.scan(MetaTable.OBJECTS, new byte[] {1}, new byte[] {0}, 1);

        assertThat(all).extracting(e -> s(e.value())).containsExactly("first", "lo", "hi");
        assertThat(from).extracting(e -> s(e.value())).containsExactly("lo", "hi");
        assertThat(limited).extracting(e -> s(e.value())).containsExactly("first", "lo");
        assertThat(fromBelowPrefix).extracting(e -> s(e.value())).containsExactly("first");
        assertThat(store.scan(MetaTable.OBJECTS, new byte[0], null, 100)).hasSize(5);
        assertThat(store.scan(MetaTable.OBJECTS, new byte[] {3}, null, 100)).isEmpty();
    }

    @Test
    void get_afterClose_failsWithIoException() {
        store.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.get(MetaTable.BUCKETS, b("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void open_afterClose_keepsDataAndAppliedPosition() throws IOException {
        store.apply(MetaBatch.of(put(MetaTable.BUCKETS, "b", "1")));
        store.apply(MetaBatch.of(put(MetaTable.BUCKETS, "c", "2")));
        store.close();

        store = LocalMetadataStore.open(dir);

        assertThat(s(store.get(MetaTable.BUCKETS, b("c")).orElseThrow())).isEqualTo("2");
        try (io.predastore.node.disk.NodeDisk disk = io.predastore.node.disk.NodeDisk.unguarded(dir);
                RocksMetaDb db = RocksMetaDb.open(dir.resolve("other"), RocksMetaDb.Recovery.OWN_LOG, disk)) {
            assertThat(db.applied()).isEqualTo(RocksMetaDb.Applied.NONE);
        }
    }

    @Test
    void openDurable_concurrentCompareAndSetOnOneKeyAndWritesOfOthers_noUpdateLostAndAllKept() throws Exception {
        Path durableDir = dir.resolve("durable");
        io.predastore.node.disk.OwnerOnly.createDirectories(durableDir);
        int threads = 8;
        int rounds = 40;
        try (io.predastore.node.disk.NodeDisk disk = io.predastore.node.disk.NodeDisk.unguarded(durableDir)) {
            try (LocalMetadataStore durable = LocalMetadataStore.openDurable(durableDir.resolve("meta"), disk)) {
                durable.apply(MetaBatch.of(put(MetaTable.OBJECTS, "counter", "0")));
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                try {
                    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        done.add(pool.submit(() -> {
                            for (int r = 0; r < rounds; r++) {
                                durable.apply(MetaBatch.of(put(MetaTable.PARTS, thread + "/" + r, "x")));
                                while (true) {
                                    byte[] seen = durable.get(MetaTable.OBJECTS, b("counter")).orElseThrow();
                                    String next = Integer.toString(Integer.parseInt(s(seen)) + 1);
                                    if (durable.apply(new MetaBatch(
                                            List.of(new MetaBatch.Condition(MetaTable.OBJECTS, b("counter"), seen)),
                                            List.of(put(MetaTable.OBJECTS, "counter", next))))) {
                                        break;
                                    }
                                }
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            try (LocalMetadataStore reopened = LocalMetadataStore.openDurable(durableDir.resolve("meta"), disk)) {
                assertThat(s(reopened.get(MetaTable.OBJECTS, b("counter")).orElseThrow()))
                        .isEqualTo(Integer.toString(threads * rounds));
                assertThat(reopened.scan(MetaTable.PARTS, new byte[0], null, 10_000)).hasSize(threads * rounds);
            }
        }
    }

    @Test
    void cursor_walksThePrefixOnlyFromASeek_andReadsASnapshot() throws Exception {
        store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "a/1", "one"), put(MetaTable.OBJECTS, "a/2", "two"),
                put(MetaTable.OBJECTS, "a/3", "three"), put(MetaTable.OBJECTS, "b/1", "other")));

        try (MetaCursor c = store.cursor(MetaTable.OBJECTS, b("a/"))) {
            store.apply(MetaBatch.of(put(MetaTable.OBJECTS, "a/25", "after the cursor opened")));
            c.seek(b("a/2"));
            List<String> seen = new java.util.ArrayList<>();
            for (; c.valid(); c.next()) {
                seen.add(s(c.key()) + "=" + s(c.value()));
            }
            assertThat(seen).containsExactly("a/2=two", "a/3=three");

            c.seek(b(""));
            byte[] head = new byte[2];
            assertThat(c.valid()).isTrue();
            assertThat(c.valueHead(head)).isEqualTo(2);
            assertThat(s(head)).isEqualTo("on");
        }
    }

    @Test
    void close_withACursorOpen_closesItAndItsStepsFail() throws Exception {
        store.apply(MetaBatch.of(put(MetaTable.UPLOADS, "k", "v")));
        MetaCursor c = store.cursor(MetaTable.UPLOADS, b(""));
        c.seek(b(""));

        store.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(c::next).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        c.close(); // closing again is harmless
    }

    @Test
    void applyLazily_durableStore_appliesLikeApplyAndSurvivesAReopen() throws Exception {
        Path durableDir = dir.resolve("lazy");
        try (io.predastore.node.disk.NodeDisk disk = io.predastore.node.disk.NodeDisk.unguarded(durableDir)) {
            try (LocalMetadataStore durable = LocalMetadataStore.openDurable(durableDir.resolve("meta"), disk)) {
                durable.apply(MetaBatch.of(put(MetaTable.GARBAGE, "blob", "")));
                assertThat(durable.applyLazily(new MetaBatch(
                        List.of(new MetaBatch.Condition(MetaTable.GARBAGE, b("blob"), b(""))),
                        List.of(new MetaBatch.Delete(MetaTable.GARBAGE, b("blob")), put(MetaTable.INTENTS, "x", "y")))))
                        .isEqualTo(ApplyOutcome.APPLIED);
            }
            try (LocalMetadataStore reopened = LocalMetadataStore.openDurable(durableDir.resolve("meta"), disk)) {
                assertThat(reopened.get(MetaTable.GARBAGE, b("blob"))).isEmpty();
                assertThat(reopened.get(MetaTable.INTENTS, b("x")).map(LocalMetadataStoreTest::s)).contains("y");
            }
        }
    }
}
