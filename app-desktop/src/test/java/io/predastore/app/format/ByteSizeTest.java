package io.predastore.app.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void format_belowOneKibibyte_isWholeBytes() {
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(10)).isEqualTo("10 B");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
    }

    @Test
    void format_eachUnit_hasOneDecimal() {
        assertThat(ByteSize.format(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.format(3L << 20)).isEqualTo("3.0 MiB");
        assertThat(ByteSize.format(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(ByteSize.format(2L << 40)).isEqualTo("2.0 TiB");
    }

    @Test
    void format_beyondTebibytes_staysInTebibytes() {
        assertThat(ByteSize.format(3L << 50)).isEqualTo("3072.0 TiB");
    }

    @Test
    void format_justBelowTheNextUnit_roundsWithoutSwitchingUnit() {
        assertThat(ByteSize.format((1L << 20) - 1)).isEqualTo("1024.0 KiB");
    }

    @Test
    void format_negative_keepsTheSign() {
        assertThat(ByteSize.format(-10)).isEqualTo("-10 B");
        assertThat(ByteSize.format(-1536)).isEqualTo("-1.5 KiB");
    }

    @Test
    void format_anyLocale_usesAPoint() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void perSecond_appendsTheUnit() {
        assertThat(ByteSize.perSecond(6L << 20)).isEqualTo("6.0 MiB/s");
    }
}
