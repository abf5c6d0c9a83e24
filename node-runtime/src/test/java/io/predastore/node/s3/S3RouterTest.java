package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.http.RequestHeads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The router's table: request head in, operation and (bucket, key) out, path-style and virtual-host-style. */
class S3RouterTest {
    private static final S3Router ROUTER = new S3Router(List.of("localhost", "s3.example.test"));

    static S3Router.Route route(String method, String target, String host, String... headers) {
        HttpRequest http = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        http.headers().set("Host", host);
        for (int i = 0; i < headers.length; i += 2) {
            http.headers().add(headers[i], headers[i + 1]);
        }
        return ROUTER.route(http.method(), RequestHeads.target(http), http.headers(), "REQ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // method | target | host | operation | bucket | key
        "GET | / | localhost:9000 | LIST_BUCKETS | - | -",
        "PUT | / | localhost:9000 | NOT_IMPLEMENTED | - | -",
        "PUT | /bucket | localhost:9000 | CREATE_BUCKET | bucket | -",
        "PUT | /bucket/ | localhost:9000 | CREATE_BUCKET | bucket | -",
        "GET | /bucket?list-type=2&prefix=a+b | localhost:9000 | LIST_OBJECTS_V2 | bucket | -",
        "GET | /bucket?location | localhost:9000 | GET_BUCKET_LOCATION | bucket | -",
        "GET | /bucket?acl | localhost:9000 | NOT_IMPLEMENTED | bucket | -",
        "POST | /bucket?delete | localhost:9000 | DELETE_OBJECTS | bucket | -",
        "PUT | /bucket/key | localhost:9000 | PUT_OBJECT | bucket | key",
        "PUT | /bucket/a+b | localhost:9000 | PUT_OBJECT | bucket | a+b",
        "PUT | /bucket/a%2Bb | localhost:9000 | PUT_OBJECT | bucket | a+b",
        "PUT | /bucket/a%20b | localhost:9000 | PUT_OBJECT | bucket | a b",
        "PUT | /bucket/a%2Fb | localhost:9000 | PUT_OBJECT | bucket | a/b",
        "PUT | /bucket%2Fa | localhost:9000 | PUT_OBJECT | bucket | a",
        "PUT | /bucket/a//b/./../c | localhost:9000 | PUT_OBJECT | bucket | a//b/./../c",
        "PUT | /bucket// | localhost:9000 | PUT_OBJECT | bucket | /",
        "PUT | /bucket/caf%C3%A9 | localhost:9000 | PUT_OBJECT | bucket | café",
        "PUT | /bucket/key?partNumber=1&uploadId=u | localhost:9000 | UPLOAD_PART | bucket | key",
        "PUT | /bucket/key?x=1;uploadId=u | localhost:9000 | PUT_OBJECT | bucket | key",
        "POST | /bucket/key?uploads | localhost:9000 | CREATE_MULTIPART_UPLOAD | bucket | key",
        "GET | /bucket/key?uploadId=u | localhost:9000 | LIST_PARTS | bucket | key",
        "DELETE | /bucket/key?uploadId=u | localhost:9000 | ABORT_MULTIPART_UPLOAD | bucket | key",
        "HEAD | /bucket/key | localhost:9000 | HEAD_OBJECT | bucket | key",
        "PUT | HTTP://localhost:9000/bucket/key | localhost:9000 | PUT_OBJECT | bucket | key",
        "PUT | hTtP://LOCALHOST:9000/bucket/key | localhost:9000 | PUT_OBJECT | bucket | key",
        "GET | http://localhost:9000?location | localhost:9000 | LIST_BUCKETS | - | -",
        // virtual-host-style
        "GET | / | bucket.localhost:9000 | LIST_OBJECTS | bucket | -",
        "PUT | / | bucket.localhost | CREATE_BUCKET | bucket | -",
        "PUT | /key | bucket.localhost:9000 | PUT_OBJECT | bucket | key",
        "PUT | /dir/key | my.bucket.s3.example.test | PUT_OBJECT | my.bucket | dir/key",
        "PUT | //key | bucket.localhost:9000 | PUT_OBJECT | bucket | /key",
        "PUT | /a%2Fb | bucket.localhost:9000 | PUT_OBJECT | bucket | a/b",
        "PUT | HTTP://bucket.localhost:9000/key | bucket.localhost:9000 | PUT_OBJECT | bucket | key",
        "PUT | HTTP://BUCKET.localhost:9000/key | bucket.localhost:9000 | PUT_OBJECT | bucket | key",
        "PUT | /bucket/key | other.example:9000 | PUT_OBJECT | bucket | key",
        "PUT | /bucket/key | [::1]:9000 | PUT_OBJECT | bucket | key",
    })
    void route_table_givesOperationBucketAndKey(String method, String target, String host, S3Operation operation,
            String bucket, String key) {
        S3Router.Route r = route(method, target, host);

        assertThat(r.operation()).isEqualTo(operation);
        assertThat(r.request().bucket()).isEqualTo(bucket);
        assertThat(r.request().key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PUT | /bucket/key | bucket/key | COPY_OBJECT",
        "PUT | /bucket/key?partNumber=2&uploadId=u | /src/a%20b | UPLOAD_PART_COPY",
    })
    void route_copySourceHeader_givesCopyOperations(String method, String target, String source, S3Operation op) {
        assertThat(route(method, target, "localhost", "x-amz-copy-source", source).operation()).isEqualTo(op);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // An authority other than the Host, escapes that are malformed or not UTF-8, a fragment, other forms.
        "PUT | HTTP://bucket.localhost:9000/b | localhost:9000",
        "PUT | HTTP://evil.localhost:9000/b   | bucket.localhost:9000",
        "PUT | http://other/bucket/b          | localhost:9000",
        "PUT | /bucket/%FF                    | localhost:9000",
        "PUT | /bucket/%FE                    | localhost:9000",
        "PUT | /bucket/100%                   | localhost:9000",
        "GET | /bucket?prefix=%E2%82          | localhost:9000",
        "PUT | /bucket/a#b                    | localhost:9000",
        "OPTIONS | *                          | localhost:9000",
        "CONNECT | localhost:9000             | localhost:9000",
    })
    void route_malformedOrMismatchedTarget_neverReachesTheRouter(String method, String target, String host) {
        assertThatThrownBy(() -> route(method, target, host)).isInstanceOf(MalformedRequestException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/bucket/k%C3%A9y?x=1 | /bucket/kéy", "/bucket/k | /bucket/k"})
    void route_resource_isTheDecodedPath(String target, String resource) {
        assertThat(route("GET", target, "localhost").request().resource()).isEqualTo(resource);
    }

    @Test
    void route_keyOver1024Bytes_isKeyTooLong() {
        String key = "%C3%A9".repeat(513);

        assertThatThrownBy(() -> route("PUT", "/bucket/" + key, "localhost"))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).error()).isEqualTo(S3Error.KEY_TOO_LONG));
    }
}
