package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementVectorTest {

    @Test
    void placement_fixedMembersAndHashes_matchesCheckedInVector() throws IOException {
        List<String> expected = readResource().lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());

        assertThat(PlacementVectors.rows()).containsExactlyElementsOf(expected);
    }

    @Test
    void placementVector_checkedIn_coversHashesAndObjectKeys() throws IOException {
        List<String> rows = readResource().lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());

        assertThat(rows).hasSize(107);
        assertThat(rows).allSatisfy(row ->
                assertThat(row.split("\t")[3].split(",")).hasSize(6).doesNotHaveDuplicates());
    }

    private static String readResource() throws IOException {
        try (InputStream in = PlacementVectorTest.class.getResourceAsStream(PlacementVectors.RESOURCE)) {
            assertThat(in).as("resource %s", PlacementVectors.RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
