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
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.store.fs.FilesystemBackend;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The router's table: request head in, operation and (bucket, key) out, path-style and virtual-host-style; and what
 * it refuses, with the S3 error and status a client gets for it.
 */
class S3RouterTest {
    private static final S3Router ROUTER = new S3Router(List.of("localhost", "s3.example.test"));
    private static final Credentials KEYS = new Credentials("AKROUTER", "secret-router-0123456789");

    /**
     * Every bucket and object request the router knows, written once after the bucket: {@code method | rest |
     * operation | key}, where {@code rest} follows {@code /bucket} in path-style and is the whole target in
     * virtual-host-style. Each operation of {@link S3Operation} appears at least once (checked below).
     */
    private static final List<String> BUCKET_AND_OBJECT_ROUTES = List.of(
            // bucket
            "PUT | / | CREATE_BUCKET | -",
            "HEAD | / | HEAD_BUCKET | -",
            "HEAD | /?location | HEAD_BUCKET | -",
            "DELETE | / | DELETE_BUCKET | -",
            "GET | /?location | GET_BUCKET_LOCATION | -",
            "GET | /?versioning | GET_BUCKET_VERSIONING | -",
            "GET | / | LIST_OBJECTS | -",
            "GET | /?prefix=a&delimiter=%2F&marker=m | LIST_OBJECTS | -",
            "GET | /?list-type=1 | LIST_OBJECTS | -",
            "GET | /?list-type=2 | LIST_OBJECTS_V2 | -",
            "GET | /?list-type=2&continuation-token=t&start-after=s | LIST_OBJECTS_V2 | -",
            "GET | /?uploads | LIST_MULTIPART_UPLOADS | -",
            "GET | /?uploads&prefix=p | LIST_MULTIPART_UPLOADS | -",
            "GET | /?unknown-parameter=1 | LIST_OBJECTS | -",
            "POST | /?delete | DELETE_OBJECTS | -",
            "GET | /?acl | GET_BUCKET_ACL | -",
            "PUT | /?acl | PUT_BUCKET_ACL | -",
            "HEAD | /?acl | NOT_IMPLEMENTED | -",
            // bucket requests the router refuses: a method the bucket does not take, or parameters on a write
            "POST | / | NOT_IMPLEMENTED | -",
            "POST | /?uploads | NOT_IMPLEMENTED | -",
            "PATCH | / | METHOD_NOT_ALLOWED | -",
            "OPTIONS | / | NOT_IMPLEMENTED | -",
            "PUT | /?versioning | NOT_IMPLEMENTED | -",
            "PUT | /?unknown-parameter | NOT_IMPLEMENTED | -",
            "DELETE | /?unknown-parameter | NOT_IMPLEMENTED | -",
            // object
            "PUT | /key | PUT_OBJECT | key",
            "PUT | /dir/sub/key.txt | PUT_OBJECT | dir/sub/key.txt",
            "PUT | /key?partNumber=1&uploadId=u | UPLOAD_PART | key",
            "PUT | /key?uploadId=u | UPLOAD_PART | key",
            "PUT | /key?partNumber=1 | UPLOAD_PART | key",
            "GET | /key | GET_OBJECT | key",
            // partNumber on a read is not implemented (docs/s3-compatibility.md): the whole object is answered
            "GET | /key?partNumber=1 | GET_OBJECT | key",
            "GET | /key?response-content-type=text%2Fplain | GET_OBJECT | key",
            "GET | /key?uploadId=u | LIST_PARTS | key",
            "GET | /key?uploadId=u&max-parts=10&part-number-marker=2 | LIST_PARTS | key",
            "HEAD | /key | HEAD_OBJECT | key",
            "HEAD | /key?partNumber=1 | HEAD_OBJECT | key",
            "DELETE | /key | DELETE_OBJECT | key",
            "DELETE | /key?uploadId=u | ABORT_MULTIPART_UPLOAD | key",
            "POST | /key?uploads | CREATE_MULTIPART_UPLOAD | key",
            "POST | /key?uploadId=u | COMPLETE_MULTIPART_UPLOAD | key",
            "GET | /key?acl | GET_OBJECT_ACL | key",
            "PUT | /key?acl | PUT_OBJECT_ACL | key",
            "DELETE | /key?acl | NOT_IMPLEMENTED | key",
            "HEAD | /key?acl | NOT_IMPLEMENTED | key",
            // object requests the router refuses: a method the object does not take
            "POST | /key | METHOD_NOT_ALLOWED | key",
            "PATCH | /key | METHOD_NOT_ALLOWED | key",
            "OPTIONS | /key | NOT_IMPLEMENTED | key");

    /** With the copy-source header, the same table gives the copy operations. */
    private static final List<String> COPY_ROUTES = List.of(
            "PUT | /key | COPY_OBJECT | key",
            "PUT | /key?partNumber=2&uploadId=u | UPLOAD_PART_COPY | key",
            "PUT | /key?uploadId=u | UPLOAD_PART_COPY | key");

    /** The sub-resources that are refused as not implemented, whatever the method and the addressing. */
    private static final List<String> UNSUPPORTED_SUBRESOURCES = List.of(
            "accelerate", "analytics", "attributes", "cors", "encryption", "intelligent-tiering",
            "inventory", "legal-hold", "lifecycle", "logging", "metadataTable", "metrics", "notification",
            "object-lock", "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication",
            "requestPayment", "restore", "retention", "select", "tagging", "torrent", "versionId", "versions",
            "website", "renameObject", "session");

    @TempDir
    static Path dir;
    private static FilesystemBackend backend;
    private static S3Service service;

    @BeforeAll
    static void openBackend() throws Exception {
        backend = FilesystemBackend.open(dir, Clock.systemUTC());
        service = new S3Service(backend, new SigV4Verifier(CredentialStore.of(KEYS), "us-east-1", Clock.systemUTC()),
                "us-east-1", List.of("localhost"), KEYS.accessKey(), RequestObserver.NONE);
    }

    @AfterAll
    static void closeBackend() throws Exception {
        backend.close();
    }

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
        "PUT | / | localhost:9000 | METHOD_NOT_ALLOWED | - | -",
        "PUT | /bucket | localhost:9000 | CREATE_BUCKET | bucket | -",
        "PUT | /bucket/ | localhost:9000 | CREATE_BUCKET | bucket | -",
        "GET | /bucket?list-type=2&prefix=a+b | localhost:9000 | LIST_OBJECTS_V2 | bucket | -",
        "GET | /bucket?location | localhost:9000 | GET_BUCKET_LOCATION | bucket | -",
        "GET | /bucket?acl | localhost:9000 | GET_BUCKET_ACL | bucket | -",
        "PUT | /bucket?acl | localhost:9000 | PUT_BUCKET_ACL | bucket | -",
        "GET | /bucket/key?acl | localhost:9000 | GET_OBJECT_ACL | bucket | key",
        "PUT | /bucket/key?acl | localhost:9000 | PUT_OBJECT_ACL | bucket | key",
        "DELETE | /bucket?acl | localhost:9000 | NOT_IMPLEMENTED | bucket | -",
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

    private static String[] cells(String row) {
        return Arrays.stream(row.split("\\|")).map(String::trim).toArray(String[]::new);
    }

    /** Each row of {@link #BUCKET_AND_OBJECT_ROUTES} in both addressing styles, and on both configured domains. */
    static Stream<Arguments> bucketAndObjectRoutes() {
        return BUCKET_AND_OBJECT_ROUTES.stream().map(S3RouterTest::cells).flatMap(c -> {
            String rest = c[1];
            String pathStyle = rest.startsWith("/?") ? "/bucket" + rest.substring(1) : "/bucket" + rest;
            String key = c[3].equals("-") ? null : c[3];
            S3Operation op = S3Operation.valueOf(c[2]);
            return Stream.of(
                    Arguments.of(c[0], pathStyle, "localhost:9000", op, key),
                    Arguments.of(c[0], pathStyle, "s3.example.test", op, key),
                    Arguments.of(c[0], rest, "bucket.localhost:9000", op, key),
                    Arguments.of(c[0], rest, "bucket.s3.example.test", op, key),
                    Arguments.of(c[0], rest, "BUCKET.S3.Example.Test:443", op, key));
        });
    }

    @ParameterizedTest(name = "{0} {1} Host: {2} -> {3}")
    @MethodSource("bucketAndObjectRoutes")
    void route_everyOperation_bothAddressingStyles(String method, String target, String host, S3Operation operation,
            String key) {
        S3Router.Route r = route(method, target, host);

        assertThat(r.operation()).isEqualTo(operation);
        assertThat(r.request().bucket()).isEqualToIgnoringCase("bucket");
        assertThat(r.request().key()).isEqualTo(key);
        assertThat(r.request().method()).isEqualTo(HttpMethod.valueOf(method));
    }

    static Stream<Arguments> copyRoutes() {
        return COPY_ROUTES.stream().map(S3RouterTest::cells).flatMap(c -> Stream.of(
                Arguments.of(c[0], "/bucket" + c[1], "localhost:9000", S3Operation.valueOf(c[2])),
                Arguments.of(c[0], c[1], "bucket.s3.example.test", S3Operation.valueOf(c[2]))));
    }

    @ParameterizedTest(name = "{0} {1} Host: {2} -> {3}")
    @MethodSource("copyRoutes")
    void route_copySource_bothAddressingStyles(String method, String target, String host, S3Operation operation) {
        S3Router.Route r = route(method, target, host, "x-amz-copy-source", "/src/a%20b");
        S3Router.Route bare = route(method, target, host, "x-amz-copy-source", "src/key");

        assertThat(r.operation()).isEqualTo(operation);
        assertThat(bare.operation()).as("a copy source without a leading slash").isEqualTo(operation);
        assertThat(r.request().bucket()).isEqualTo("bucket");
        assertThat(r.request().key()).isEqualTo("key");
    }

    @Test
    void table_coversEveryOperation() {
        Set<S3Operation> covered = EnumSet.noneOf(S3Operation.class);
        Stream.concat(BUCKET_AND_OBJECT_ROUTES.stream(), COPY_ROUTES.stream())
                .forEach(row -> covered.add(S3Operation.valueOf(cells(row)[2])));
        covered.add(S3Operation.LIST_BUCKETS);

        assertThat(covered).as("an operation without a row in the routing table")
                .containsExactlyInAnyOrder(S3Operation.values());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET | /",
        "GET | /?prefix=a",
        "GET | /?list-type=2",
        "GET | http://localhost:9000/",
    })
    void route_serviceLevelGet_isListBuckets(String method, String target) {
        S3Router.Route r = route(method, target, "localhost:9000");

        assertThat(r.operation()).isEqualTo(S3Operation.LIST_BUCKETS);
        assertThat(r.request().bucket()).isNull();
        assertThat(r.request().key()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"HEAD", "PUT", "POST", "DELETE", "PATCH"})
    void route_serviceLevelOtherMethod_isMethodNotAllowed(String method) {
        assertThat(route(method, "/", "localhost:9000").operation()).isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
    }

    static Stream<Arguments> unsupportedSubresources() {
        return UNSUPPORTED_SUBRESOURCES.stream().flatMap(sub -> Stream.of(
                Arguments.of("GET", "/?" + sub, "localhost:9000"),
                Arguments.of("GET", "/bucket?" + sub, "localhost:9000"),
                Arguments.of("PUT", "/bucket?" + sub + "=", "localhost:9000"),
                Arguments.of("DELETE", "/bucket?" + sub, "localhost:9000"),
                Arguments.of("GET", "/bucket/key?" + sub + "=v1", "localhost:9000"),
                Arguments.of("PUT", "/bucket/key?" + sub, "localhost:9000"),
                Arguments.of("POST", "/bucket/key?" + sub, "localhost:9000"),
                Arguments.of("HEAD", "/key?" + sub, "bucket.localhost:9000"),
                Arguments.of("GET", "/?list-type=2&" + sub, "bucket.s3.example.test")));
    }

    @ParameterizedTest(name = "{0} {1} Host: {2}")
    @MethodSource("unsupportedSubresources")
    void route_unsupportedSubresource_isNotImplemented(String method, String target, String host) {
        assertThat(route(method, target, host).operation()).isEqualTo(S3Operation.NOT_IMPLEMENTED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/bucket?prefix=a&prefix=b | prefix",
        "/bucket/key?uploadId=u&uploadId=v | uploadId",
        "/bucket?list-type=2&list-type=1 | list-type",
        "/bucket?acl&acl | acl",
    })
    void route_parameterGivenTwice_isInvalidArgument(String target, String name) {
        assertThatThrownBy(() -> route("GET", target, "localhost"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("'" + name + "'").contains("2 times");
                });
    }

    @Test
    void route_keyOf1024Bytes_isAccepted() {
        String key = "k".repeat(S3Router.MAX_KEY_BYTES);

        assertThat(route("PUT", "/bucket/" + key, "localhost").request().key()).isEqualTo(key);
        assertThat(route("GET", "/" + key, "bucket.localhost").request().key()).isEqualTo(key);
    }

    @Test
    void route_keyOver1024Bytes_virtualHostStyle_isKeyTooLong() {
        assertThatThrownBy(() -> route("GET", "/" + "k".repeat(S3Router.MAX_KEY_BYTES + 1), "bucket.localhost"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.KEY_TOO_LONG);
                    assertThat(e.resource()).startsWith("/bucket/kkk");
                });
    }

    /**
     * What a client gets for a request the router refuses: the S3 error code and HTTP status, rendered by the
     * service over a real backend, for a correctly signed request. A method S3 never takes on a resource is
     * MethodNotAllowed (405), as S3 answers it; an S3 operation this server does not implement (a CORS preflight,
     * a browser POST upload, a sub-resource) is NotImplemented (501; see docs/s3-compatibility.md).
     */
    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "PATCH | /bucket/key | 405 | MethodNotAllowed",
        "POST | /bucket/key | 405 | MethodNotAllowed",
        "OPTIONS | /bucket/key | 501 | NotImplemented",
        "POST | /bucket | 501 | NotImplemented",
        "DELETE | / | 405 | MethodNotAllowed",
        "PATCH | /bucket | 405 | MethodNotAllowed",
        "PUT | /bucket?versioning | 501 | NotImplemented",
        "DELETE | /bucket?acl | 501 | NotImplemented",
        "PUT | /bucket/key?tagging | 501 | NotImplemented",
        "GET | /bucket/key?versionId=v1 | 501 | NotImplemented",
        "GET | /bucket?prefix=a&prefix=b | 400 | InvalidArgument",
    })
    void service_refusedRoute_answersTheS3ErrorAndStatus(String method, String target, int status, String code) {
        S3Response r = answer(method, target);

        assertThat(r.status().code()).isEqualTo(status);
        assertThat(new String(r.bytes(), StandardCharsets.UTF_8)).contains("<Code>" + code + "</Code>");
    }

    @Test
    void service_keyOver1024Bytes_answers400KeyTooLongError() {
        S3Response r = answer("PUT", "/bucket/" + "%C3%A9".repeat(513));

        assertThat(r.status().code()).isEqualTo(400);
        assertThat(new String(r.bytes(), StandardCharsets.UTF_8)).contains("<Code>KeyTooLongError</Code>");
    }

    /** Signs {@code method target} for {@code localhost:9000} and has the service over a real backend answer it. */
    private static S3Response answer(String method, String target) {
        HttpRequest http = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        http.headers().set("Host", "localhost:9000");
        Map<String, String> signed = new SigV4Signer(KEYS, "us-east-1", Clock.systemUTC())
                .signHeaders(method, URI.create("http://localhost:9000" + target), Map.of(), null);
        signed.forEach((k, v) -> http.headers().add(k, v));
        return service.handle(http, S3ServiceTest.finishedPipe(), service.newRequestId(),
                new InetSocketAddress("127.0.0.1", 40000));
    }
}
