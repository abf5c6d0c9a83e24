package io.predastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodiesTest {
    @TempDir
    Path dir;

    @Test
    void parse_madeBody_namesItsWriteAndIsIntact() {
        byte[] body = Bodies.make("k/1", "w3-17", 4096);

        assertThat(Bodies.parse("k/1", body)).isEqualTo(new Bodies.Parsed("w3-17", true));
    }

    @Test
    void parse_flippedByteCutBodyOrOtherKey_notIntact() {
        byte[] body = Bodies.make("k/1", "w3-17", 4096);
        byte[] flipped = body.clone();
        flipped[2000] ^= 0x10;

        assertThat(Bodies.parse("k/1", flipped).intact()).isFalse();
        assertThat(Bodies.parse("k/1", flipped).writeId()).isEqualTo("w3-17");
        assertThat(Bodies.parse("k/1", Arrays.copyOf(body, 4000)).intact()).isFalse();
        assertThat(Bodies.parse("k/2", body).intact()).isFalse();
        assertThat(Bodies.parse("k/1", new byte[] {1, 2, 3})).isEqualTo(new Bodies.Parsed(null, false));
    }

    @Test
    void make_smallestSize_fits() {
        int min = Bodies.minSize("key", "w1-1");
        assertThat(Bodies.parse("key", Bodies.make("key", "w1-1", min)).intact()).isTrue();
    }

    @Test
    void historyFile_roundTrip() throws Exception {
        Path file = dir.resolve("history.jsonl");
        Op put = new Op(1, 0, "n1", OpType.PUT, "k", "w0-1", null, 10, 20, Outcome.OK, null, false, null, null);
        Op list = new Op(2, 1, "n2", OpType.LIST, "", null, null, 15, 30, Outcome.OK, null, false, List.of("k"), null);
        try (HistoryFile h = HistoryFile.create(file)) {
            h.append(put);
            h.append(list);
        }
        assertThat(HistoryFile.read(file)).containsExactly(put, list);
    }
}
