package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a signature binds, through a real node and raw sockets: a signed or presigned request acts on exactly the
 * resource it was signed for, whatever form its request-target is sent in; keys that are not UTF-8 are refused,
 * never aliased; malformed heads get a 400 XML error; and a flood of them costs the log a bounded number of lines.
 */
class S3RequestTargetIT {
    private static final String BUCKET = "targets";

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static S3Client s3;
    /** {@code 127.0.0.1:port}: the Host of path-style requests. */
    static String authority;
    /** {@code targets.localhost:port}: the Host of virtual-host-style requests. */
    static String bucketHost;
    static SigV4Signer signer;

    @BeforeAll
    static void start() throws IOException {
        node = NodeProcess.start(tmp.resolve("node"), "256m");
        s3 = Clients.s3(node.endpoint());
        s3.createBucket(b -> b.bucket(BUCKET));
        authority = node.endpoint().getAuthority();
        bucketHost = BUCKET + ".localhost:" + node.endpoint().getPort();
        signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY), "us-east-1",
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** A request as raw bytes: request line, the headers given, Content-Length, Connection: close, body. */
    private static RawHttp.Response send(String method, String target, Map<String, String> headers, String body)
            throws IOException {
        StringBuilder h = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        h.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return RawHttp.exchange(node.endpoint(), all);
    }

    /** Headers signed by our signer for {@code method} on {@code http://host path}, Host included. */
    private static Map<String, String> signed(String method, String host, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        headers.putAll(signer.signHeaders(method, URI.create("http://" + host + path), Map.of(), null));
        return headers;
    }

    private static List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2(b -> b.bucket(bucket)).contents()) {
            keys.add(o.key());
        }
        return keys;
    }

    @Test
    void signedPut_virtualHostInAbsoluteForm_storesExactlyTheSignedKey() throws IOException {
        String bucket = "absolute-vhost";
        s3.createBucket(b -> b.bucket(bucket));
        String host = bucket + ".localhost:" + node.endpoint().getPort();
        Map<String, String> headers = signed("PUT", host, "/v");

        // The router once took everything after "H" of the absolute URI as the key: "TTP://host/v".
        assertThat(send("PUT", "HTTP://" + host + "/v", headers, "V").status()).isEqualTo(200);
        assertThat(send("PUT", "hTTp://" + host.toUpperCase() + "/w", headers, "W").status()).isEqualTo(403);

        assertThat(keys(bucket)).containsExactly("v");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("v")).asUtf8String()).isEqualTo("V");
    }

    @Test
    void signedPut_pathStyleInAbsoluteForm_actsOnExactlyTheSignedKey() throws IOException {
        String bucket = "absolute-path";
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> headers = signed("PUT", authority, "/" + bucket + "/a");

        // The signed key, in absolute-form naming the Host in any letter case: stored as a.
        assertThat(send("PUT", "hTtP://" + authority.toUpperCase() + "/" + bucket + "/a", headers, "A").status())
                .isEqualTo(200);
        // Another key, in each casing of the scheme: refused, never stored as b.
        for (String scheme : List.of("http", "HTTP", "Http", "hTTpS")) {
            assertThat(send("PUT", scheme + "://" + authority + "/" + bucket + "/b", headers, "B").status())
                    .as(scheme).isEqualTo(403);
        }
        // An authority other than the signed Host: refused before the signature is even looked at.
        RawHttp.Response other = send("PUT", "HTTP://other.example:1/" + bucket + "/a", headers, "A");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body()).contains("<Code>InvalidRequest</Code>");

        assertThat(keys(bucket)).containsExactly("a");
    }

    @Test
    void presignedGet_sentInAbsoluteForm_readsExactlyTheSignedKey() throws IOException {
        s3.putObject(b -> b.bucket(BUCKET).key("p"), RequestBody.fromString("presigned"));
        URI url = signer.presign("GET", URI.create("http://" + bucketHost + "/p"), Duration.ofMinutes(5));
        String pathAndQuery = url.getRawPath() + "?" + url.getRawQuery();
        Map<String, String> host = Map.of("Host", bucketHost);

        RawHttp.Response same = send("GET", "HTTPS://" + bucketHost + pathAndQuery, host, "");
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body()).isEqualTo("presigned");
        assertThat(send("GET", "http://" + bucketHost + pathAndQuery.replace("/p?", "/q?"), host, "").status())
                .isEqualTo(403);
        assertThat(send("GET", "http://evil.localhost:1" + pathAndQuery, host, "").status()).isEqualTo(400);
    }

    @Test
    void keysThatAreNotUtf8_areRefusedNeverAliased() throws IOException {
        for (String raw : List.of("%FF", "%FE", "%C3", "%ED%A0%80")) {
            // Signed over the raw path as an SDK would: the verifier once accepted it, the router made it U+FFFD.
            RawHttp.Response r = send("PUT", "/" + BUCKET + "/" + raw, sdkSigned("PUT", "/" + BUCKET + "/" + raw),
                    "x");
            assertThat(r.status()).as(raw).isEqualTo(400);
            assertThat(r.body()).as(raw).contains("<Code>InvalidURI</Code>");
        }
        assertThat(keys(BUCKET)).noneMatch(k -> k.contains("\ufffd"));
    }

    @Test
    void malformedHeads_get400XmlErrors() throws IOException {
        Map<String, String> host = Map.of("Host", authority);
        for (String target : List.of("/" + BUCKET + "/100%", "/" + BUCKET + "?prefix=%zz", "/" + BUCKET + "/a#b",
                "*", authority)) {
            RawHttp.Response r = send("GET", target, host, "");
            assertThat(r.status()).as(target).isEqualTo(400);
            assertThat(r.body()).as(target).contains("<Code>InvalidURI</Code>").contains("<RequestId>");
        }
        for (String value : List.of("a\rInjected: 1", "a\u0000b", "a\u0001b")) {
            RawHttp.Response r = send("GET", "/" + BUCKET + "/k", Map.of("Host", authority, "x-amz-meta-a", value),
                    "");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("<Code>InvalidRequest</Code>");
        }
        RawHttp.Response twoHosts = RawHttp.exchange(node.endpoint(), ("GET /" + BUCKET + " HTTP/1.1\r\nHost: "
                + authority + "\r\nHost: " + bucketHost + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(twoHosts.status()).isEqualTo(400);
        assertThat(twoHosts.body()).contains("<Code>InvalidRequest</Code>");
    }

    @Test
    void floodOfMalformedRequests_growsTheLogByABoundedNumberOfShortLines() throws Exception {
        List<String> before = node.log().lines().toList();
        List<String> targets = List.of("/" + BUCKET + "/100%", "/" + BUCKET + "?x=%", "/" + BUCKET + "/%FF",
                "HTTP://other:1/" + BUCKET + "/k", "/" + BUCKET + "/a#b");
        Map<Integer, Integer> statuses = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            RawHttp.Response r = i % 6 == 5
                    ? send("GET", "/" + BUCKET + "/k", Map.of("Host", authority, "x-amz-meta-a", "a\rb" + i), "")
                    : send("GET", targets.get(i % 6) + "&" + "y".repeat(i % 300), Map.of("Host", authority), "");
            statuses.merge(r.status(), 1, Integer::sum);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> after = node.log().lines().toList();

        List<String> added = after.subList(before.size(), after.size());
        // The client-fault log allows a burst of 20 lines, then 5 a second; a few more for anything else.
        assertThat(added.size()).as("lines added, starting %s", added.subList(0, Math.min(3, added.size())))
                .isLessThanOrEqualTo(30 + (int) (5 * seconds));
        assertThat(added).allSatisfy(line -> {
            assertThat(line).hasSizeLessThan(500);
            assertThat(line).doesNotStartWith("\tat ").doesNotStartWith("Caused by");
        });
        assertThat(statuses).containsExactly(Map.entry(400, 5_000));
    }

    /** Headers the AWS SDK's own signer makes for a path exactly as given (no re-encoding, no normalisation). */
    private static Map<String, String> sdkSigned(String method, String rawPath) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(node.endpoint() + rawPath)).build();
        Map<String, String> headers = new LinkedHashMap<>();
        AwsV4HttpSigner.create().sign(b -> b
                .identity(AwsCredentialsIdentity.create(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY))
                .request(request)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false))
                .request().forEachHeader((name, values) -> headers.put(name, values.get(0)));
        headers.putIfAbsent("Host", authority);
        return headers;
    }
}
