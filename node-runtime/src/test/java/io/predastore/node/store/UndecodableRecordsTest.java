package io.predastore.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.MetaTable;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UndecodableRecordsTest {
    private final UndecodableRecords records = new UndecodableRecords(Clock.fixed(Instant.parse(
            "2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void report_sameKeyTwice_rememberedOnceWithItsCount_andTheExceptionNamesIt() {
        byte[] key = MetaKeys.object("b", "k");
        UndecodableRecordException e = records.report(MetaTable.OBJECTS, key, "object b/k", new IOException("bad v"));
        records.report(MetaTable.OBJECTS, key, "object b/k", new IOException("bad v"));

        assertThat(e.getMessage()).contains("object b/k", "cannot be read", "bad v", "/v1/repair/remove-undecodable");
        assertThat(records.seen()).singleElement().satisfies(s -> {
            assertThat(s.table()).isEqualTo("objects");
            assertThat(s.keyHex()).isEqualTo("62006b");
            assertThat(s.times()).isEqualTo(2);
            assertThat(s.firstSeen()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        });
        assertThat(records.total()).isEqualTo(2);
        records.forget(MetaTable.OBJECTS, key);
        assertThat(records.seen()).isEmpty();
    }

    @Test
    void report_moreKeysThanRemembered_onlyCountedBeyondTheBound() {
        for (int i = 0; i < UndecodableRecords.MAX_REMEMBERED + 50; i++) {
            records.report(MetaTable.BUCKETS, MetaKeys.utf8("b" + i), "bucket b" + i, new IOException("x"));
        }
        assertThat(records.seen()).hasSize(UndecodableRecords.MAX_REMEMBERED);
        assertThat(records.total()).isEqualTo(UndecodableRecords.MAX_REMEMBERED + 50);
    }
}
