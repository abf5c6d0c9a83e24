package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GetObject and HeadObject of one part ({@code ?partNumber=}), and DeleteObjects, over a backend held in memory. */
class ObjectOperationsTest {
    /** Three parts of 5, 3 and 2 bytes. */
    private static final byte[] MULTIPART = "aaaaabbbcc".getBytes(StandardCharsets.US_ASCII);
    private static final long[] PART_SIZES = {5, 3, 2};
    private static final byte[] PLAIN = "plain".getBytes(StandardCharsets.US_ASCII);

    private static final List<String> DELETED = new CopyOnWriteArrayList<>();
    private static final List<DeletePrecondition> CONDITIONS = new CopyOnWriteArrayList<>();
    private final ObjectOperations operations = new ObjectOperations(backend());

    @ParameterizedTest
    @CsvSource({
        "GET, 1, 0, 4, aaaaa",
        "GET, 2, 5, 7, bbb",
        "GET, 3, 8, 9, cc",
        "HEAD, 2, 5, 7, ''",
    })
    void getObject_partOfMultipart_is206WithThePartAsARange(String method, String part, long first, long last,
            String body) throws IOException {
        S3Response r = get(method, "mp", Map.of("partNumber", part), Map.of());

        assertThat(r.status().code()).isEqualTo(206);
        assertThat(r.headers().get("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/10");
        assertThat(r.headers().get("x-amz-mp-parts-count")).isEqualTo("3");
        assertThat(r.headers().get("ETag")).isEqualTo("\"etag-3\"");
        assertThat(bodyOrLength(r)).isEqualTo(method.equals("GET") ? body : String.valueOf(last - first + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD"})
    void getObject_partOneOfPlainObject_isTheWholeObjectAs206(String method) throws IOException {
        S3Response r = get(method, "plain", Map.of("partNumber", "1"), Map.of());

        assertThat(r.status().code()).isEqualTo(206);
        assertThat(r.headers().get("Content-Range")).isEqualTo("bytes 0-4/5");
        assertThat(r.headers().contains("x-amz-mp-parts-count")).isFalse();
        assertThat(bodyOrLength(r)).isEqualTo(method.equals("GET") ? "plain" : "5");
    }

    @ParameterizedTest
    @CsvSource({"mp, 4", "mp, 10000", "plain, 2"})
    void getObject_partPastTheLast_isInvalidPartNumber416(String key, String part) {
        for (String method : List.of("GET", "HEAD")) {
            assertS3Error(() -> get(method, key, Map.of("partNumber", part), Map.of()), S3Error.INVALID_PART_NUMBER);
        }
        assertThat(S3Error.INVALID_PART_NUMBER.httpStatus()).isEqualTo(416);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "-1", "one", "", "1.0", "2147483648"})
    void getObject_partNumberNotIn1To10000_isInvalidArgument(String part) {
        assertS3Error(() -> get("GET", "mp", Map.of("partNumber", part), Map.of()), S3Error.TOO_MANY_PARTS);
        assertThat(S3Error.TOO_MANY_PARTS.code()).isEqualTo("InvalidArgument");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD"})
    void getObject_partNumberWithRange_isInvalidRequest(String method) {
        assertS3Error(() -> get(method, "mp", Map.of("partNumber", "1"), Map.of("Range", "bytes=0-1")),
                S3Error.INVALID_REQUEST);
    }

    @ParameterizedTest
    @CsvSource({"If-Match, \"other\", 412", "If-None-Match, \"etag-3\", 304", "If-Match, \"etag-3\", 206"})
    void getObject_partWithPrecondition_appliesAsToTheWholeObject(String header, String value, int status)
            throws IOException {
        S3Response r;
        try {
            r = get("GET", "mp", Map.of("partNumber", "2"), Map.of(header, value));
        } catch (S3Exception e) {
            assertThat(e.error().httpStatus()).isEqualTo(status);
            return;
        }
        assertThat(r.status().code()).isEqualTo(status);
    }

    @Test
    void deleteObjects_entryNamingAVersion_failsAloneAndDeletesNothingOfIt() throws IOException {
        DELETED.clear();
        String doc = "<Delete><Object><Key>plain</Key></Object>"
                + "<Object><Key>versioned</Key><VersionId>3HL4kqtJlcpXroDTDmJ</VersionId></Object>"
                + "<Object><Key>unversioned</Key><VersionId>null</VersionId></Object></Delete>";

        S3Response r = operations.deleteObjects(request("POST", null, Map.of("delete", ""), Map.of()),
                XmlReader.parse(doc.getBytes(StandardCharsets.UTF_8)));

        assertThat(DELETED).containsExactly("plain", "unversioned");
        assertThat(new String(r.bytes(), StandardCharsets.UTF_8))
                .contains("<Key>versioned</Key><Code>NotImplemented</Code>");
    }

    @Test
    void deleteObjects_entryConditions_reachTheBackendAndBadOnesFailAlone() throws IOException {
        DELETED.clear();
        CONDITIONS.clear();
        String doc = "<Delete><Object><Key>if-etag</Key><ETag>\"abc\"</ETag></Object>"
                + "<Object><Key>if-all</Key><ETag>*</ETag><LastModifiedTime>2025-01-02T03:04:05.000Z"
                + "</LastModifiedTime><Size>10</Size></Object>"
                + "<Object><Key>bad-size</Key><Size>ten</Size></Object>"
                + "<Object><Key>bad-time</Key><LastModifiedTime>yesterday</LastModifiedTime></Object></Delete>";

        S3Response r = operations.deleteObjects(request("POST", null, Map.of("delete", ""), Map.of()),
                XmlReader.parse(doc.getBytes(StandardCharsets.UTF_8)));

        assertThat(DELETED).containsExactly("if-etag", "if-all");
        assertThat(CONDITIONS).containsExactly(new DeletePrecondition("abc", null, null),
                new DeletePrecondition("*", Instant.parse("2025-01-02T03:04:05Z"), 10L));
        assertThat(new String(r.bytes(), StandardCharsets.UTF_8))
                .contains("<Key>bad-size</Key><Code>InvalidArgument</Code>")
                .contains("<Key>bad-time</Key><Code>InvalidArgument</Code>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "\"abc\" | - | - | abc | - | -",
        "* | 'Thu, 02 Jan 2025 03:04:05 GMT' | 7 | * | 2025-01-02T03:04:05Z | 7",
        "- | - | 0 | - | - | 0",
    })
    void deleteObject_conditionHeaders_reachTheBackend(String ifMatch, String time, String size, String etag,
            String at, Long bytes) throws IOException {
        CONDITIONS.clear();
        Map<String, String> headers = new HashMap<>();
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        if (time != null) {
            headers.put("x-amz-if-match-last-modified-time", time);
        }
        if (size != null) {
            headers.put("x-amz-if-match-size", size);
        }

        assertThat(operations.deleteObject(request("DELETE", "k", Map.of(), headers)).status().code())
                .isEqualTo(204);
        assertThat(CONDITIONS).containsExactly(new DeletePrecondition(etag, at == null ? null : Instant.parse(at),
                bytes));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x-amz-if-match-size | -1",
        "x-amz-if-match-size | ten",
        "x-amz-if-match-last-modified-time | 2025-01-02",
        "If-Match | '\"\"'",
    })
    void deleteObject_conditionThatDoesNotParse_isInvalidArgument(String header, String value) {
        assertS3Error(() -> operations.deleteObject(request("DELETE", "k", Map.of(), Map.of(header, value))),
                S3Error.INVALID_ARGUMENT);
    }

    private static S3Request request(String method, String key, Map<String, String> params,
            Map<String, String> headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        headers.forEach(h::add);
        Map<String, List<String>> query = new HashMap<>();
        params.forEach((k, v) -> query.put(k, List.of(v)));
        return new S3Request(HttpMethod.valueOf(method), "bucket", key, query, h, "req");
    }

    private S3Response get(String method, String key, Map<String, String> params, Map<String, String> headers)
            throws IOException {
        return operations.getObject(request(method, key, params, headers), method.equals("HEAD"));
    }

    private static String bodyOrLength(S3Response r) throws IOException {
        if (r.objectBody() == null) {
            return r.headers().get("Content-Length");
        }
        try (ObjectBody body = r.objectBody(); InputStream in = body.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void assertS3Error(ThrowingCallable call, S3Error error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private static Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("headBucket")) {
                        return null;
                    }
                    if (method.getName().equals("deleteObject")) {
                        DELETED.add((String) args[1]);
                        CONDITIONS.add(args.length > 2 ? (DeletePrecondition) args[2] : DeletePrecondition.NONE);
                        return null;
                    }
                    if (!method.getName().equals("getObject")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String key = (String) args[1];
                    return key.equals("mp")
                            ? handle(new ObjectInfo("bucket", "mp", MULTIPART.length, "etag-3", Instant.EPOCH,
                                    ObjectMetadata.EMPTY, PART_SIZES.length, null), MULTIPART, PART_SIZES)
                            : handle(new ObjectInfo("bucket", key, PLAIN.length, "etag", Instant.EPOCH,
                                    ObjectMetadata.EMPTY, 0, null), PLAIN, new long[0]);
                });
    }

    private static ObjectHandle handle(ObjectInfo info, byte[] bytes, long[] partSizes) {
        return new ObjectHandle() {
            @Override
            public ObjectInfo info() {
                return info;
            }

            @Override
            public ObjectBody open(long offset, long length) {
                return new ObjectBody() {
                    @Override
                    public long length() {
                        return length;
                    }

                    @Override
                    public List<FileSlice> fileSlices() {
                        return List.of();
                    }

                    @Override
                    public InputStream openStream() {
                        return new ByteArrayInputStream(bytes, (int) offset, (int) length);
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public Optional<Span> part(int partNumber) throws IOException {
                return Span.ofPart(info, partNumber, partSizes.length, i -> partSizes[i]);
            }

            @Override
            public void close() {
            }
        };
    }
}
