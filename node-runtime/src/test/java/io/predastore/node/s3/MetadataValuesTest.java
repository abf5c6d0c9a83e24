package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** User metadata values: RFC 2047 encoded-words decoded on the way in, non-ASCII encoded on the way out. */
class MetadataValuesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "=?UTF-8?B?R3LDvMOfZSDml6XmnKw=?= | Grüße 日本",
        "=?utf-8?q?caf=C3=A9_au_lait?= | café au lait",
        "=?UTF-8?B?R3LDvA==?= =?UTF-8?B?w59l?= | Grüße",
        "=?ISO-8859-1?Q?caf=E9?= | café",
        "plain ascii | plain ascii",
        "=?UTF-8?B?not base64!?= | =?UTF-8?B?not base64!?=",
        "=?KOI8-R?B?5-I=?= | =?KOI8-R?B?5-I=?=",
        "=?UTF-8?B?YQ==?= and text | =?UTF-8?B?YQ==?= and text",
        "=?UTF-8?Q?a=ZZ?= | =?UTF-8?Q?a=ZZ?=",
        "=?UTF-8?Q?a=C?= | =?UTF-8?Q?a=C?=",
    })
    void decode_encodedWordsOnly_areDecodedElseKept(String sent, String stored) {
        assertThat(MetadataValues.decode(sent)).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain ascii | plain ascii",
        "Grüße 日本 | =?UTF-8?B?R3LDvMOfZSDml6XmnKw=?=",
        "café | =?UTF-8?B?Y2Fmw6k=?=",
    })
    void encode_nonAscii_isOneBase64EncodedWord(String stored, String answered) {
        assertThat(MetadataValues.encode(stored)).isEqualTo(answered);
        assertThat(MetadataValues.decode(MetadataValues.encode(stored))).isEqualTo(stored);
    }
}
