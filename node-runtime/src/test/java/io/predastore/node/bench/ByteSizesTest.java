package io.predastore.node.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "512, 512", "100B, 100", "4KiB, 4096", "4k, 4096", "4KB, 4000", "1MiB, 1048576",
        "1M, 1048576", "64MiB, 67108864", "1MB, 1000000", "1GiB, 1073741824", "1.5KiB, 1536", "' 2 MiB ', 2097152"
    })
    void parse_validSize_returnsBytes(String text, long expected) {
        assertThat(ByteSizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "KiB", "4XB", "-1", "abc", "1.3B", "4 KiBs"})
    void parse_malformedSize_throwsWithReadableMessage(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("NumberFormatException");
    }

    @Test
    void format_powersOfTwo_useBinaryUnits() {
        assertThat(ByteSizes.format(4096)).isEqualTo("4KiB");
        assertThat(ByteSizes.format(64L << 20)).isEqualTo("64MiB");
        assertThat(ByteSizes.format(100)).isEqualTo("100B");
        assertThat(ByteSizes.format(1536)).isEqualTo("1.50KiB");
    }
}
