package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.pki.ClusterSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevFaultsTest {
    private static final int SEGMENT_BYTES = 4096;

    /** A node data directory as a node leaves it: secret, two segments, an index file, metadata. */
    private static Path dataDir(Path root) throws IOException {
        Path dir = root.resolve("node-1");
        Files.createDirectories(DevFaults.segmentsDir(dir));
        Files.createDirectories(dir.resolve("shards").resolve("index"));
        Files.createDirectories(dir.resolve("meta").resolve("raft"));
        ClusterSecret.generate(new SecureRandom()).write(ClusterSecret.fileIn(dir));
        Files.write(DevFaults.segmentsDir(dir).resolve("0000000000000000.seg"), pattern(SEGMENT_BYTES, 1));
        Files.write(DevFaults.segmentsDir(dir).resolve("0000000000000001.seg"), pattern(SEGMENT_BYTES, 2));
        Files.write(dir.resolve("shards").resolve("index").resolve("000001.log"), pattern(SEGMENT_BYTES, 3));
        Files.write(dir.resolve("meta").resolve("raft").resolve("log"), pattern(100, 4));
        Files.writeString(dir.resolve("FORMAT"), "format=2\n");
        return dir;
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every regular file under {@code root} with its bytes. */
    private static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void corruptRandomShard_flipsSixteenBytesInTheMiddleOfOneSegment_andNothingElse(@TempDir Path root)
            throws IOException {
        Path dir = dataDir(root);
        Path outside = root.resolve("neighbour.seg");
        Files.write(outside, pattern(SEGMENT_BYTES, 5));
        Map<Path, byte[]> before = snapshot(root);

        DevFaults.Corruption c = DevFaults.corruptRandomShard(dir, new Random(42));

        assertThat(c.segment().getFileName().toString()).endsWith(".seg");
        assertThat(c.segment()).startsWith(dir.toRealPath());
        assertThat(c.length()).isEqualTo(DevFaults.FLIPPED_BYTES);
        assertThat(c.offset()).isBetween((long) SEGMENT_BYTES / 4, 3L * SEGMENT_BYTES / 4 - DevFaults.FLIPPED_BYTES);
        Map<Path, byte[]> after = snapshot(root);
        Path changed = root.toRealPath().relativize(c.segment());
        for (Map.Entry<Path, byte[]> e : before.entrySet()) {
            if (!e.getKey().equals(changed)) {
                assertThat(after.get(e.getKey())).as("%s untouched", e.getKey()).isEqualTo(e.getValue());
            }
        }
        byte[] was = before.get(changed);
        byte[] now = after.get(changed);
        assertThat(now).hasSameSizeAs(was);
        for (int i = 0; i < was.length; i++) {
            boolean inside = i >= c.offset() && i < c.offset() + c.length();
            assertThat(now[i]).as("byte %d", i).isEqualTo(inside ? (byte) ~was[i] : was[i]);
        }
    }

    @Test
    void corruptRandomShard_sameSeed_picksTheSamePlace(@TempDir Path root) throws IOException {
        Path dir = dataDir(root);
        DevFaults.Corruption first = DevFaults.corruptRandomShard(dir, new Random(7));
        DevFaults.Corruption second = DevFaults.corruptRandomShard(dir, new Random(7));
        assertThat(second).isEqualTo(first);
        // Flipping twice restores the bytes: proof that exactly these bytes were inverted each time.
        assertThat(Files.readAllBytes(first.segment())).isEqualTo(pattern(SEGMENT_BYTES,
                first.segment().getFileName().toString().startsWith("0000000000000000") ? 1 : 2));
    }

    @Test
    void corruptRandomShard_noSegmentYet_saysToUploadFirst(@TempDir Path root) throws IOException {
        Path dir = root.resolve("fresh");
        Files.createDirectories(dir);
        ClusterSecret.generate(new SecureRandom()).write(ClusterSecret.fileIn(dir));
        assertThatThrownBy(() -> DevFaults.corruptRandomShard(dir, new Random(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("upload some objects first");
    }

    @Test
    void faults_directoryWithoutClusterSecret_refusedAndUntouched(@TempDir Path root) throws IOException {
        Path dir = dataDir(root);
        Files.delete(ClusterSecret.fileIn(dir));
        Map<Path, byte[]> before = snapshot(root);

        assertThatThrownBy(() -> DevFaults.corruptRandomShard(dir, new Random(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a node data directory");
        assertThatThrownBy(() -> DevFaults.wipe(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a node data directory");
        assertThatThrownBy(() -> DevFaults.wipe(root.resolve("absent")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a node data directory");

        Map<Path, byte[]> after = snapshot(root);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).isEqualTo(bytes));
    }

    @Test
    void wipe_deletesShardsAndMeta_keepsSecretAndOtherFiles(@TempDir Path root) throws IOException {
        Path dir = dataDir(root);
        Path outside = root.resolve("keep.txt");
        Files.writeString(outside, "not the node's");
        byte[] secret = Files.readAllBytes(ClusterSecret.fileIn(dir));

        List<Path> deleted = DevFaults.wipe(dir);

        assertThat(deleted).containsExactly(dir.toRealPath().resolve("shards"), dir.toRealPath().resolve("meta"));
        assertThat(dir.resolve("shards")).doesNotExist();
        assertThat(dir.resolve("meta")).doesNotExist();
        assertThat(Files.readAllBytes(ClusterSecret.fileIn(dir))).isEqualTo(secret);
        assertThat(dir.resolve("FORMAT")).hasContent("format=2");
        assertThat(outside).hasContent("not the node's");
        assertThat(DevFaults.wipe(dir)).as("a second wipe finds nothing to delete").isEmpty();
    }

    @Test
    void wipe_linkInsideShards_deletesTheLinkNotItsTarget(@TempDir Path root) throws IOException {
        Path dir = dataDir(root);
        Path elsewhere = root.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("precious"), "keep");
        Files.createSymbolicLink(dir.resolve("shards").resolve("link"), elsewhere);

        DevFaults.wipe(dir);

        assertThat(dir.resolve("shards")).doesNotExist();
        assertThat(elsewhere.resolve("precious")).hasContent("keep");
    }
}
