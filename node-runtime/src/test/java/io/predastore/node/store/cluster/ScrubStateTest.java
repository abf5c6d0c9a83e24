package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.shard.ShardId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubStateTest {
    @TempDir
    Path dir;

    private static final DamageReport REPORT = new DamageReport("n1-x", 2, 3, DamageReport.Cause.MISSING,
            Instant.ofEpochMilli(1234), "segment gone");

    @Test
    void encode_stateWithCursorAndReport_writesTheDocumentedBytes() {
        ScrubState state = new ScrubState(true, new ShardId("ab", 7), 5, 100, 200, 1000, 900, 4, List.of(REPORT));

        byte[] key = REPORT.key();
        byte[] value = REPORT.encode();
        ByteBuffer expected = ByteBuffer.allocate(200);
        expected.put("PSCS".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 3)
                .putShort((short) 2).put("ab".getBytes(StandardCharsets.US_ASCII)).put((byte) 7)
                .putLong(5).putLong(100).putLong(200).putLong(1000).putLong(900).putLong(4)
                .putInt(1).putShort((short) key.length).put(key).putInt(value.length).put(value);
        CRC32C crc = new CRC32C();
        crc.update(expected.array(), 0, expected.position());
        expected.putInt((int) crc.getValue());

        assertThat(state.encode()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
    }

    @Test
    void decode_encodedStates_giveThemBack() throws IOException {
        ScrubState full = new ScrubState(true, new ShardId("n2-set", 255), 1, 2, 3, 4, 5, 6, List.of(REPORT));
        ScrubState waiting = new ScrubState(false, null, 9, 0, 0, -1, 77, 0, List.of());

        assertThat(ScrubState.decode(full.encode())).isEqualTo(full);
        assertThat(ScrubState.decode(waiting.encode())).isEqualTo(waiting);
        assertThat(ScrubState.decode(ScrubState.fresh().encode())).isEqualTo(ScrubState.fresh());
    }

    @Test
    void decode_anyFlippedByteOrCutEnd_isRefusedWithAReason() {
        byte[] good = new ScrubState(true, new ShardId("ab", 7), 5, 100, 200, 1000, 900, 4, List.of(REPORT))
                .encode();
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> ScrubState.decode(bad)).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> ScrubState.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("CRC32C");
    }

    @Test
    void load_noFileThenSaved_freshThenTheSavedState() throws IOException {
        Path file = dir.resolve("scrub-state");
        assertThat(ScrubState.load(file)).isEqualTo(ScrubState.fresh());
        ScrubState state = new ScrubState(false, null, 3, 0, 0, 10, 20, 1, List.of(REPORT));

        state.save(file);

        assertThat(ScrubState.load(file)).isEqualTo(state);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
