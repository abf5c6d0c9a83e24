package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.MetaKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCursorTest {
    @TempDir
    Path dir;

    @Test
    void walk_acrossPageBoundariesAndSeeks_visitsEveryKeyWithThePrefixOnce() throws IOException {
        try (LocalMetadataStore meta = LocalMetadataStore.open(dir)) {
            for (String k : List.of("a1", "a2", "a3", "a4", "a5", "b1")) {
                meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, MetaKeys.utf8(k), MetaKeys.utf8(k))));
            }

            List<String> walked = new ArrayList<>();
            try (ScanCursor c = new ScanCursor(meta, MetaTable.OBJECTS, MetaKeys.utf8("a"), 2)) {
                for (c.seek(MetaKeys.utf8("a")); c.valid(); c.next()) {
                    walked.add(MetaKeys.string(c.key(), 0, c.key().length) + "=" + new String(c.value()));
                }
                c.seek(MetaKeys.utf8("a4"));
                assertThat(c.valid()).isTrue();
                assertThat(new String(c.key())).isEqualTo("a4");
                byte[] head = new byte[1];
                assertThat(c.valueHead(head)).isEqualTo(1);
                assertThat(head).containsExactly('a');
                c.seek(MetaKeys.utf8("a6"));
                assertThat(c.valid()).isFalse();
            }

            assertThat(walked).containsExactly("a1=a1", "a2=a2", "a3=a3", "a4=a4", "a5=a5");
        }
    }
}
