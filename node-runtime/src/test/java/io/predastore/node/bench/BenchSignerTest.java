package io.predastore.node.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bench's cached per-thread signer must produce exactly what the node's shared signer produces. */
class BenchSignerTest {

    @ParameterizedTest
    @CsvSource({
        "PUT, /bench/bench/1a2b3c4d/w0/17, ''",
        "GET, /bench/bench/1a2b3c4d/pool/3, ''",
        "DELETE, /bench/k, ''",
        "HEAD, /bench, ''",
        "GET, /bench, list-type=2&max-keys=100&prefix=bench%2F1a2b3c4d%2Fpool%2F"
    })
    void sign_sameRequest_matchesSharedSigner(String method, String path, String query) {
        Instant now = Instant.parse("2026-11-26T12:34:56Z");
        BenchSigner bench = new BenchSigner("AK", "SK", "us-east-1");
        SigV4Signer shared = new SigV4Signer(new Credentials("AK", "SK"), "us-east-1",
                Clock.fixed(now, ZoneOffset.UTC));
        URI uri = URI.create("http://127.0.0.1:9100" + path + (query.isEmpty() ? "" : "?" + query));

        BenchSigner.Signed signed = bench.sign(method, path, query, "127.0.0.1:9100", now);
        Map<String, String> expected = shared.signHeaders(method, uri, Map.of(), null);

        assertThat(signed.authorization()).isEqualTo(expected.get("Authorization"));
        assertThat(signed.amzDate()).isEqualTo(expected.get("x-amz-date"));
    }

    @ParameterizedTest
    @CsvSource({"2026-11-26T23:59:59Z, 2026-11-27T00:00:01Z"})
    void sign_acrossMidnight_rederivesTheKey(String before, String after) {
        BenchSigner bench = new BenchSigner("AK", "SK", "eu-west-1");
        bench.sign("GET", "/b/k", "", "h:1", Instant.parse(before));
        Instant later = Instant.parse(after);
        SigV4Signer shared = new SigV4Signer(new Credentials("AK", "SK"), "eu-west-1",
                Clock.fixed(later, ZoneOffset.UTC));
        assertThat(bench.sign("GET", "/b/k", "", "h:1", later).authorization())
                .isEqualTo(shared.signHeaders("GET", URI.create("http://h:1/b/k"), Map.of(), null)
                        .get("Authorization"));
    }
}
