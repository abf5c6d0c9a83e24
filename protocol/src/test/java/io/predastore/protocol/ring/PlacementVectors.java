package io.predastore.protocol.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Produces the fixed placement vector checked in as {@code src/test/resources/ring/placement-vectors.tsv}.
 *
 * <p>Regenerating the file is a deliberate compatibility break: stored objects record their placement, but any
 * change here means new writes land elsewhere. Run the {@link #main} method with the output path as argument.
 */
final class PlacementVectors {

    static final String RESOURCE = "/ring/placement-vectors.tsv";
    static final int MEMBERS = 8;
    static final int COUNT = 6;

    private PlacementVectors() {
    }

    static Ring ring() {
        return Ring.of(RingFigures.members(MEMBERS), RingConfig.defaults());
    }

    /** One row: identity ("-" for a raw hash), hash as unsigned hex, partition, comma-separated placement. */
    static String row(Ring ring, String identity, long hash) {
        String placement = ring.placement(hash, COUNT).stream().map(Member::id).collect(Collectors.joining(","));
        return identity + "\t" + Long.toHexString(hash) + "\t" + ring.partitionOf(hash) + "\t" + placement;
    }

    static List<String> rows() {
        Ring ring = ring();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String key = "photos/img-" + i + ".jpg";
            rows.add(row(ring, key, Ring.hashObject("photos", "img-" + i + ".jpg")));
        }
        for (long hash : new long[] {0L, 1L, 270L, 271L, -1L, Long.MIN_VALUE, Long.MAX_VALUE}) {
            rows.add(row(ring, "-", hash));
        }
        return rows;
    }

    static String header() {
        return "# members node-0..node-" + (MEMBERS - 1) + ", partitions 271, replicationFactor 20, loadFactor 1.25,"
                + " count " + COUNT + "\n# identity\thash(hex)\tpartition\tplacement\n";
    }

    public static void main(String[] args) throws IOException {
        String text = header() + String.join("\n", rows()) + "\n";
        Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
    }
}
