package io.predastore.node.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

class ChecksumAlgorithmTest {
    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "CRC32, cbf43926",
        "CRC32C, e3069283",
        "CRC64NVME, ae8b14860a799888",
        "SHA1, f7c3bc1d808e04732adf679965ccc34ca7ae3441",
        "SHA256, 15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
    })
    void newChecksum_checkInput_matchesCatalogueValue(ChecksumAlgorithm algorithm, String hex) {
        StreamingChecksum c = algorithm.newChecksum();
        c.update(CHECK_INPUT);

        byte[] expected = HexFormat.of().parseHex(hex);
        assertThat(c.digest()).isEqualTo(expected);
        assertThat(c.base64()).isEqualTo(Base64.getEncoder().encodeToString(expected));
        assertThat(expected).hasSize(algorithm.length());
    }

    @Test
    void crc64Nvme_checkInput_matchesCheckValue() {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);
        assertThat(crc.getValue()).isEqualTo(0xAE8B14860A799888L);

        crc.reset();
        for (byte b : CHECK_INPUT) {
            crc.update(b);
        }
        assertThat(crc.getValue()).isEqualTo(0xAE8B14860A799888L);
    }

    @Test
    void crc64Nvme_emptyInput_isZero() {
        assertThat(new Crc64Nvme().getValue()).isZero();
        assertThat(ChecksumAlgorithm.CRC64NVME.newChecksum().base64()).isEqualTo("AAAAAAAAAAA=");
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void newChecksum_randomDataInUnevenPieces_matchesSdk(ChecksumAlgorithm algorithm) {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            byte[] data = new byte[random.nextInt(5000)];
            random.nextBytes(data);
            StreamingChecksum ours = algorithm.newChecksum();
            int off = 0;
            while (off < data.length) {
                int n = Math.min(data.length - off, random.nextInt(37));
                if (n == 1) {
                    ours.update(data[off] & 0xFF);
                } else {
                    ours.update(data, off, n);
                }
                off += n;
            }
            if (algorithm == ChecksumAlgorithm.CRC64NVME) {
                // The SDK computes CRC64NVME only with the native CRT, which is not on the test classpath: compare
                // with an independent bit-at-a-time implementation instead (and with the SDK when it can).
                assertThat(ours.digest()).as("%s of %d bytes", algorithm, data.length)
                        .isEqualTo(longBytes(bitwiseCrc64Nvme(data)));
                if (!crtAvailable()) {
                    continue;
                }
            }
            SdkChecksum sdk = SdkChecksum.forAlgorithm(sdkAlgorithm(algorithm));
            sdk.update(data, 0, data.length);

            assertThat(ours.digest()).as("%s of %d bytes", algorithm, data.length).isEqualTo(sdk.getChecksumBytes());
        }
    }

    @Test
    void crc64Nvme_sliceBy8_matchesBitwiseDefinitionOnLargeInput() {
        byte[] data = new byte[1 << 16];
        new Random(7).nextBytes(data);
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(data, 0, 12345);
        crc.update(data, 12345, data.length - 12345);
        assertThat(crc.getValue()).isEqualTo(bitwiseCrc64Nvme(data));
    }

    /**
     * CRC-64/NVME straight from its definition, MSB-first with the unreflected polynomial: each input byte and the
     * result are bit-reversed (refin/refout), init and xorout are all ones.
     */
    private static long bitwiseCrc64Nvme(byte[] data) {
        long poly = 0xAD93D23594C93659L;
        long crc = -1L;
        for (byte b : data) {
            int in = Integer.reverse(b & 0xFF) >>> 24;
            crc ^= (long) in << 56;
            for (int bit = 0; bit < 8; bit++) {
                crc = crc < 0 ? (crc << 1) ^ poly : crc << 1;
            }
        }
        return Long.reverse(crc) ^ -1L;
    }

    private static byte[] longBytes(long v) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    private static boolean crtAvailable() {
        try {
            Class.forName("software.amazon.awssdk.crt.checksums.CRC64NVME");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void digest_calledTwice_returnsSameValueAndRefusesUpdates() {
        StreamingChecksum c = ChecksumAlgorithm.CRC32.newChecksum();
        c.update(CHECK_INPUT);
        assertThat(c.digest()).isEqualTo(c.digest());
        assertThatThrownBy(() -> c.update(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fromHeader_knownAndUnknownNames_resolvesCaseInsensitively() {
        assertThat(ChecksumAlgorithm.fromHeader("X-Amz-Checksum-CRC64NVME")).contains(ChecksumAlgorithm.CRC64NVME);
        assertThat(ChecksumAlgorithm.fromHeader("x-amz-checksum-sha256")).contains(ChecksumAlgorithm.SHA256);
        assertThat(ChecksumAlgorithm.fromHeader("x-amz-checksum-md5")).isEmpty();
        assertThat(ChecksumAlgorithm.fromHeader(null)).isEmpty();
        assertThat(ChecksumAlgorithm.CRC32C.headerName()).isEqualTo("x-amz-checksum-crc32c");
    }

    @Test
    void fromName_sdkAlgorithmValues_resolves() {
        assertThat(ChecksumAlgorithm.fromName("crc32")).contains(ChecksumAlgorithm.CRC32);
        assertThat(ChecksumAlgorithm.fromName("SHA1")).contains(ChecksumAlgorithm.SHA1);
        assertThat(ChecksumAlgorithm.fromName("MD5")).isEmpty();
    }

    private static software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdkAlgorithm(ChecksumAlgorithm a) {
        switch (a) {
            case CRC32:
                return DefaultChecksumAlgorithm.CRC32;
            case CRC32C:
                return DefaultChecksumAlgorithm.CRC32C;
            case CRC64NVME:
                return DefaultChecksumAlgorithm.CRC64NVME;
            case SHA1:
                return DefaultChecksumAlgorithm.SHA1;
            case SHA256:
                return DefaultChecksumAlgorithm.SHA256;
            default:
                throw new AssertionError(a);
        }
    }
}
