package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.MultipartRules;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartAssemblyTest {
    private static final String MD5_A = "0cc175b9c0f1b6a831c399e269772661";
    private static final String MD5_B = "92eb5ffee6ae2fec3ad71c777531578f";
    private static final String MD5_C = "4a8a08f09d37b73795649038408b5f33";

    private static final Map<Integer, MultipartAssembly.Part<String>> STORED = Map.of(
            1, new MultipartAssembly.Part<>(MultipartRules.MIN_PART_SIZE, MD5_A, null, "blob-1"),
            2, new MultipartAssembly.Part<>(MultipartRules.MIN_PART_SIZE, MD5_B, null, "blob-2"),
            3, new MultipartAssembly.Part<>(7, MD5_C, null, "blob-3"));

    @Test
    void assemble_listedSubset_segmentsInOrderAndUnusedPartsLeft() throws Exception {
        MultipartAssembly.Assembled<String> a = MultipartAssembly.assemble("u",
                List.of(new CompletedPart(1, "\"" + MD5_A + "\""), new CompletedPart(3, MD5_C)), STORED);

        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(HexFormat.of().parseHex(MD5_A));
        md5.update(HexFormat.of().parseHex(MD5_C));
        assertThat(a.etag()).isEqualTo(HexFormat.of().formatHex(md5.digest()) + "-2");
        assertThat(a.size()).isEqualTo(MultipartRules.MIN_PART_SIZE + 7);
        assertThat(a.segments()).containsExactly("blob-1", "blob-3");
        assertThat(a.unused()).containsExactly(Map.entry(2, "blob-2"));
        assertThat(a.checksum()).isNull();
    }

    @Test
    void assemble_wrongEtag_invalidPart() {
        assertThatThrownBy(() -> MultipartAssembly.assemble("u", List.of(new CompletedPart(2, MD5_A)), STORED))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.error()).isEqualTo(StorageError.INVALID_PART));
    }

    @Test
    void assemble_smallPartBeforeTheLast_entityTooSmall() {
        assertThatThrownBy(() -> MultipartAssembly.assemble("u",
                List.of(new CompletedPart(3, MD5_C), new CompletedPart(4, MD5_A)), Map.of(
                        3, STORED.get(3), 4, STORED.get(1))))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.error()).isEqualTo(StorageError.PART_TOO_SMALL));
    }
}
