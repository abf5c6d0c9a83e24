package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several batches applied as one log entry: in order, each on the state the previous ones left, atomically. */
class RocksMetaDbTest {
    @TempDir
    Path dir;

    @Test
    void applyAll_laterBatchesSeeEarlierOnesAndFailuresStayLocal() throws IOException {
        try (RocksMetaDb db = RocksMetaDb.open(dir)) {
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
}
