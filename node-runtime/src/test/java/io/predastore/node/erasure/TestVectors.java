package io.predastore.node.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads the shared Reed-Solomon cross-implementation vectors (shared/testdata/rs-vectors.json beside the repo). */
final class TestVectors {

    /** One case: shard counts, the generated data shards, the expected parity rows and parity shards. */
    record Case(int data, int parity, int shardSize, int[][] parityMatrixRows, byte[][] dataShards,
            byte[][] parityShards) {

        @Override
        public String toString() {
            return "RS(" + data + "," + parity + ") x " + shardSize + " bytes";
        }
    }

    static final Path FILE = Path.of(System.getProperty("basedir", "."))
            .resolve("../../shared/testdata/rs-vectors.json").normalize();

    private TestVectors() {
    }

    static List<Case> load() throws IOException {
        if (!Files.isRegularFile(FILE)) {
            throw new IllegalStateException("Reed-Solomon test vectors not found at " + FILE.toAbsolutePath());
        }
        JsonNode root = new ObjectMapper().readTree(FILE.toFile());
        HexFormat hex = HexFormat.of();
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : root.get("cases")) {
            int data = node.get("data").asInt();
            int parity = node.get("parity").asInt();
            int[][] rows = new int[parity][data];
            for (int p = 0; p < parity; p++) {
                for (int d = 0; d < data; d++) {
                    rows[p][d] = node.get("parity_matrix_rows").get(p).get(d).asInt();
                }
            }
            byte[][] dataShards = new byte[data][];
            for (int d = 0; d < data; d++) {
                dataShards[d] = hex.parseHex(node.get("data_shards_hex").get(d).asText());
            }
            byte[][] parityShards = new byte[parity][];
            for (int p = 0; p < parity; p++) {
                parityShards[p] = hex.parseHex(node.get("parity_shards_hex").get(p).asText());
            }
            cases.add(new Case(data, parity, node.get("shard_size").asInt(), rows, dataShards, parityShards));
        }
        return cases;
    }
}
