package io.predastore.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrubber's view of the store: paging through the index, and verifying one shard. */
class SegmentShardStoreScrubTest {
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;
    private SegmentShardStore store;

    @BeforeEach
    void open() throws IOException {
        store = SegmentShardStore.open(dir, new SegmentShardStore.Config(256 << 10, CHUNK, 0.5));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private void put(ShardId id, int length) throws IOException {
        ShardWriter w = store.create(id);
        w.write(ByteBuffer.wrap(new byte[length]));
        w.commit();
    }

    @Test
    void scrubPage_pagesFromCursor_listEveryShardOnceInKeyOrderWithRecordSizes() throws IOException {
        List<ShardId> ids = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            for (int index = 0; index < 3; index++) {
                ShardId id = new ShardId("obj-" + i, index);
                put(id, 100 * i + index);
                ids.add(id);
            }
        }
        List<SegmentShardStore.ScrubItem> seen = new ArrayList<>();
        ShardId cursor = null;
        List<SegmentShardStore.ScrubItem> page;
        while (!(page = store.scrubPage(cursor, 4)).isEmpty()) {
            assertThat(page.size()).isLessThanOrEqualTo(4);
            seen.addAll(page);
            cursor = page.get(page.size() - 1).id();
        }

        assertThat(seen).extracting(SegmentShardStore.ScrubItem::id).containsExactlyElementsOf(ids.stream()
                .sorted((a, b) -> a.objectId().equals(b.objectId()) ? Integer.compare(a.index(), b.index())
                        : a.objectId().compareTo(b.objectId())).toList());
        assertThat(seen.stream().mapToLong(SegmentShardStore.ScrubItem::recordSize).sum()).isEqualTo(
                store.liveBytes());
        assertThat(seen).allSatisfy(item -> assertThat(item.segment()).isNotNegative());
    }

    @Test
    void scrubPage_cursorShardDeleted_goesOnAfterIt() throws IOException {
        put(new ShardId("a", 0), 10);
        put(new ShardId("b", 0), 10);
        put(new ShardId("c", 0), 10);
        assertThat(store.delete(new ShardId("b", 0))).isTrue();

        assertThat(store.scrubPage(new ShardId("b", 0), 10)).extracting(SegmentShardStore.ScrubItem::id)
                .containsExactly(new ShardId("c", 0));
    }

    @Test
    void verify_goodDeletedAndCutShards_passNoSuchShardAndMissing() throws IOException {
        ShardId good = new ShardId("good", 0);
        put(good, 3 * CHUNK);
        store.verify(good);
        assertThatThrownBy(() -> store.verify(new ShardId("never", 0))).isInstanceOf(NoSuchShardException.class);

        // Bigger than a segment, so it is the last record of its own sealed segment: cut that file short.
        ShardId cut = new ShardId("cut", 1);
        put(cut, 300 << 10);
        store.close();
        Path file;
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            file = s.filter(p -> {
                try {
                    return Files.size(p) > (256 << 10);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(file) - 10);
        }
        store = SegmentShardStore.open(dir, new SegmentShardStore.Config(256 << 10, CHUNK, 0.5));

        assertThatThrownBy(() -> store.verify(cut)).isInstanceOfSatisfying(ShardCorruptException.class,
                e -> assertThat(e.missing()).as(e.getMessage()).isTrue());
        store.verify(good);
    }
}
