package io.predastore.node.s3;

import io.predastore.node.error.S3Exception;
import io.predastore.node.error.S3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text a client sends outside the request-target (the copy source header, XML bodies, continuation tokens) is
 * decoded strictly too: bad escapes and bytes that are not UTF-8 are refused, never turned into a near-miss key.
 */
class RequestTextTest {
    private static void assertError(Runnable call, S3Error error) {
        assertThatThrownBy(call::run).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).error()).isEqualTo(error));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bucket/key | bucket | key",
        "/bucket/key | bucket | key",
        "/bucket/a+b | bucket | a+b",
        "/bucket/a%2Bb | bucket | a+b",
        "/bucket/a%20b | bucket | a b",
        "/bucket/dir%2Fkey | bucket | dir/key",
        "bucket%2Fkey | bucket | key",
        "/bucket/caf%C3%A9 | bucket | café",
        "/bucket/key?versionId=null | bucket | key",
    })
    void copySource_urlEncoded_decodesOnce(String header, String bucket, String key) {
        assertThat(ObjectOperations.CopySource.parse(header)).isEqualTo(new ObjectOperations.CopySource(bucket, key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bucket/%FF", "/bucket/%FE", "/bucket/100%", "/bucket/%zz", "/bucket/%C3",
        "/bucket/caf\u00c3\u00a9", "/bucket/a\u0001b", "bucket", "/bucket/"})
    void copySource_badEscapeNotUtf8OrNoKey_isInvalidArgument(String header) {
        assertError(() -> ObjectOperations.CopySource.parse(header), S3Error.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<Delete><Object><Key>\u00ff</Key></Object></Delete>",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Delete><Object><Key>\u00ff</Key></Object></Delete>",
    })
    void xml_bodyNotUtf8_isMalformedXml(String latin1) {
        assertError(() -> XmlReader.parse(latin1.getBytes(StandardCharsets.ISO_8859_1)), S3Error.MALFORMED_XML);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<Delete><Object><Key>&#xD800;</Key></Object></Delete>",
        "<Delete><Object><Key>&#x0;</Key></Object></Delete>"})
    void xml_characterReferenceToNoCharacter_isMalformedXml(String xml) {
        assertError(() -> XmlReader.parse(xml.getBytes(StandardCharsets.UTF_8)), S3Error.MALFORMED_XML);
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "\ufffd", "\ud83d\ude00", "a\tb"})
    void xml_utf8Key_isReadExactly(String key) {
        String xml = "\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Object><Key>" + key
                + "</Key></Object></Delete>";

        XmlReader.Node doc = XmlReader.parse(xml.getBytes(StandardCharsets.UTF_8));

        assertThat(doc.all("Object").get(0).childText("Key")).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1:\u00ff", "v1:\u00c0\u00af"})
    void continuationToken_notUtf8_isInvalidArgument(String latin1) {
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(latin1.getBytes(StandardCharsets.ISO_8859_1));

        assertError(() -> ListOperations.decodeToken(token), S3Error.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"key", "caf\u00e9/\ud83d\ude00"})
    void continuationToken_ours_decodesToTheLastKey(String key) {
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + key).getBytes(StandardCharsets.UTF_8));

        assertThat(ListOperations.decodeToken(token)).isEqualTo(key);
    }
}
