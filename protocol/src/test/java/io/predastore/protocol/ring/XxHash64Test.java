package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XxHash64Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|ef46db3751d8e999",
        "a|d24ec4f1a98c6e5b",
        "abc|44bc2cf5ad770999",
        "Nobody inspects the spammish repetition|fbcea83c8a378bf1",
        "0123456789abcdef0123456789abcdef0123456789|a76190c3acf08a1c",
    })
    void hash_knownVectorSeedZero_matchesReference(String input, String expectedHex) {
        long hash = XxHash64.hash(input.getBytes(StandardCharsets.US_ASCII));

        assertThat(Long.toHexString(hash)).isEqualTo(expectedHex);
    }

    @Test
    void hash_emptyInputSeedZero_matchesSpecificationVector() {
        assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
    }

    @Test
    void hash_nonZeroSeed_matchesReference() {
        assertThat(XxHash64.hash("a".getBytes(StandardCharsets.US_ASCII), 1L)).isEqualTo(0xDEC2BC81C3CD46C6L);
    }

    @Test
    void hashLongLittleEndian_zero_matchesHashOfEightZeroBytes() {
        assertThat(XxHash64.hashLongLittleEndian(0)).isEqualTo(0x34C96ACDCADB1BBBL);
        assertThat(XxHash64.hashLongLittleEndian(0)).isEqualTo(XxHash64.hash(new byte[8]));
    }

    @Test
    void hashLongLittleEndian_value_encodesLeastSignificantByteFirst() {
        byte[] bytes = {0x0E, 0x01, 0, 0, 0, 0, 0, 0};

        assertThat(XxHash64.hashLongLittleEndian(270)).isEqualTo(XxHash64.hash(bytes));
    }

    @Test
    void hash_sliceOfLargerArray_equalsHashOfCopy() {
        byte[] data = new byte[200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        for (int length = 0; length <= 100; length++) {
            byte[] copy = Arrays.copyOfRange(data, 13, 13 + length);

            assertThat(XxHash64.hash(data, 13, length, 99L)).isEqualTo(XxHash64.hash(copy, 99L));
        }
    }

    @Test
    void hash_rangeOutsideArray_throwsIndexOutOfBounds() {
        assertThatThrownBy(() -> XxHash64.hash(new byte[4], 2, 3, 0L))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
