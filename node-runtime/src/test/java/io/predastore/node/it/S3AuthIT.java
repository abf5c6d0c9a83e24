package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Authentication, presigned URLs, hostile bodies and addressing styles against a real node process. */
class S3AuthIT extends SharedNode {
    static final String BUCKET = "auth-it";

    @BeforeAll
    static void createBucket() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("doc.txt"), RequestBody.fromString("secret document"));
    }

    @Test
    void wrongAccessKey_isInvalidAccessKeyId() {
        try (S3Client bad = client("NOSUCHKEY", NodeProcess.SECRET_KEY)) {
            assertThatThrownBy(() -> bad.listBuckets()).satisfies(t -> {
                assertThat(((S3Exception) t).statusCode()).isEqualTo(403);
                assertThat(code(t)).isEqualTo("InvalidAccessKeyId");
            });
        }
    }

    @Test
    void wrongSecret_isSignatureDoesNotMatch() {
        try (S3Client bad = client(NodeProcess.ACCESS_KEY, "wrong-secret")) {
            assertThatThrownBy(() -> bad.getObjectAsBytes(b -> b.bucket(BUCKET).key("doc.txt")))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("SignatureDoesNotMatch"));
            assertThatThrownBy(() -> bad.putObject(b -> b.bucket(BUCKET).key("forged"),
                    RequestBody.fromString("forged"))).satisfies(t -> assertThat(code(t))
                    .isEqualTo("SignatureDoesNotMatch"));
        }
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("forged")))
                .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(404));
    }

    @Test
    void anonymousRequest_isAccessDenied() {
        try (S3Client anon = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true).build()) {
            assertThatThrownBy(() -> anon.getObjectAsBytes(b -> b.bucket(BUCKET).key("doc.txt")))
                    .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
        }
    }

    @Test
    void skewedClock_isRequestTimeTooSkewed() throws Exception {
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-16));
        RawHttp.Response r = RawHttp.signed(endpoint(), "GET", "/" + BUCKET + "/doc.txt", Map.of(),
                new byte[0], skewed);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>RequestTimeTooSkewed</Code>");
        RawHttp.Response ok = RawHttp.signed(endpoint(), "GET", "/" + BUCKET + "/doc.txt", Map.of(),
                new byte[0], Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-14)));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("secret document");
    }

    @Test
    void presignedUrls_getAndPutWork_expiredIsAccessDenied() throws Exception {
        try (S3Presigner presigner = Clients.presigner(endpoint())) {
            URL get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(BUCKET).key("doc.txt"))).url();
            HttpURLConnection c = (HttpURLConnection) get.openConnection();
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("secret document");

            URL put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(p -> p.bucket(BUCKET).key("presigned upload"))).url();
            HttpURLConnection pc = (HttpURLConnection) put.openConnection();
            pc.setDoOutput(true);
            pc.setRequestMethod("PUT");
            pc.getOutputStream().write("uploaded via URL".getBytes(StandardCharsets.UTF_8));
            assertThat(pc.getResponseCode()).isEqualTo(200);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("presigned upload")).asUtf8String())
                    .isEqualTo("uploaded via URL");
        }
        io.predastore.client.sigv4.SigV4Signer old = new io.predastore.client.sigv4.SigV4Signer(
                new io.predastore.client.sigv4.Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY), "us-east-1",
                Clock.fixed(Instant.now().minusSeconds(120), ZoneOffset.UTC));
        URI expired = old.presign("GET", URI.create(endpoint() + "/" + BUCKET + "/doc.txt"),
                Duration.ofSeconds(60));
        HttpURLConnection c = (HttpURLConnection) expired.toURL().openConnection();
        assertThat(c.getResponseCode()).isEqualTo(403);
        assertThat(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("<Code>AccessDenied</Code>");
        String tooLong = endpoint() + "/" + BUCKET + "/doc.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=" + NodeProcess.ACCESS_KEY + "%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        HttpURLConnection t = (HttpURLConnection) URI.create(tooLong).toURL().openConnection();
        assertThat(t.getResponseCode()).isEqualTo(400);
        assertThat(new String(t.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("AuthorizationQueryParametersError");
    }

    @Test
    void unknownOperation_isNotImplemented() {
        assertThatThrownBy(() -> s3.getBucketPolicy(b -> b.bucket(BUCKET))).satisfies(t -> {
            assertThat(((S3Exception) t).statusCode()).isEqualTo(501);
            assertThat(code(t)).isEqualTo("NotImplemented");
        });
        assertThatThrownBy(() -> s3.getObjectTagging(b -> b.bucket(BUCKET).key("doc.txt")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NotImplemented"));
    }

    @Test
    void entityExpansionBomb_isMalformedXmlAndNothingExpanded() throws Exception {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE bomb [<!ENTITY a \"aaaaaaaaaa\">");
        String prev = "a";
        for (int i = 0; i < 9; i++) {
            String name = "e" + i;
            xml.append("<!ENTITY ").append(name).append(" \"").append(("&" + prev + ";").repeat(10)).append("\">");
            prev = name;
        }
        xml.append("]><Delete><Object><Key>&").append(prev).append(";</Key></Object></Delete>");
        RawHttp.Response r = RawHttp.signed(endpoint(), "POST", "/" + BUCKET + "?delete",
                Map.of("Content-Type", "application/xml"), xml.toString().getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>MalformedXML</Code>");
    }

    @Test
    void externalEntity_isMalformedXmlAndNothingFetched() throws Exception {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>";
        RawHttp.Response r = RawHttp.signed(endpoint(), "POST", "/" + BUCKET + "?delete",
                Map.of(), xml.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>MalformedXML</Code>");
        String hostname = InetAddress.getLocalHost().getHostName();
        assertThat(r.body()).doesNotContain("<Key>" + hostname);
    }

    @Test
    void oversizedXml_isRejected() throws Exception {
        StringBuilder xml = new StringBuilder("<Delete>");
        while (xml.length() < 3 * 1024 * 1024) {
            xml.append("<Object><Key>").append("k".repeat(1000)).append("</Key></Object>");
        }
        xml.append("</Delete>");
        RawHttp.Response r = RawHttp.signed(endpoint(), "POST", "/" + BUCKET + "?delete",
                Map.of(), xml.toString().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).containsAnyOf("MaxMessageLengthExceeded", "MalformedXML");
    }

    @Test
    void malformedXml_isMalformedXml() throws Exception {
        RawHttp.Response r = RawHttp.signed(endpoint(), "POST", "/" + BUCKET + "/k?uploadId=nope",
                Map.of(), "<CompleteMultipartUpload><Part>".getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>MalformedXML</Code>").contains("<RequestId>");
        assertThat(r.head()).containsIgnoringCase("x-amz-request-id");
    }

    /** Resolves every host name (such as {@code auth-it.localhost}) to the loopback address. */
    static final class LoopbackResolver extends org.apache.hc.client5.http.SystemDefaultDnsResolver {
        @Override
        public InetAddress[] resolve(String host) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }
    }

    @Test
    void virtualHostStyle_addressesTheBucketByHostName() {
        URI endpoint = URI.create("http://localhost:" + endpoint().getPort());
        try (S3Client vhost = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY)))
                .forcePathStyle(false)
                .httpClientBuilder(Apache5HttpClient.builder().dnsResolver(new LoopbackResolver()))
                .build()) {
            vhost.putObject(b -> b.bucket(BUCKET).key("vhost/key"), RequestBody.fromString("via host name"));
            assertThat(vhost.getObjectAsBytes(b -> b.bucket(BUCKET).key("vhost/key")).asUtf8String())
                    .isEqualTo("via host name");
            assertThat(vhost.listObjectsV2(b -> b.bucket(BUCKET).prefix("vhost/")).contents()).hasSize(1);
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("vhost/key")).asUtf8String())
                .isEqualTo("via host name");
    }
}
