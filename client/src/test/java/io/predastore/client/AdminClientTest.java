package io.predastore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.protocol.admin.LeaderInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin client against a stub node (the JDK's HTTP server): signing, decoding, and errors. */
class AdminClientTest {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private HttpServer server;
    private final AtomicReference<HttpExchange> seen = new AtomicReference<>();
    private volatile int status;
    private volatile String body;
    private AdminClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.set(exchange);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        Clock clock = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);
        client = new AdminClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                new SigV4Signer(new Credentials("ADMINKEY", "admin-secret"), "us-east-1", clock),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void leader_okAnswer_parsedFromSignedRequest() throws IOException {
        status = 200;
        body = "{\"leaderId\":\"node-2\",\"address\":\"10.0.0.2:9300\"}";

        assertThat(client.leader()).isEqualTo(new LeaderInfo("node-2", "10.0.0.2:9300"));

        HttpExchange exchange = seen.get();
        assertThat(exchange.getRequestURI().getRawPath()).isEqualTo("/v1/leader");
        assertThat(exchange.getRequestHeaders().getFirst("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=ADMINKEY/20260115/us-east-1/s3/aws4_request, ")
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date");
        assertThat(exchange.getRequestHeaders().getFirst("x-amz-date")).isEqualTo("20260115T100000Z");
        assertThat(exchange.getRequestHeaders().getFirst("x-amz-content-sha256")).isEqualTo(EMPTY_SHA256);
    }

    @Test
    void metaScan_hexAndBase64Entries_decodedToBytes_tableNameLowerCased() throws IOException {
        status = 200;
        body = "[{\"key\":\"0102\",\"value\":\"AAE=\"},{\"key\":\"ff\",\"value\":\"\"}]";

        List<MetadataEntry> entries = client.metaScan("OBJECTS", new byte[] {0x01}, 10);

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).key()).containsExactly(0x01, 0x02);
        assertThat(entries.get(0).value()).containsExactly(0x00, 0x01);
        assertThat(entries.get(1).key()).containsExactly(0xFF);
        assertThat(entries.get(1).value()).isEmpty();
        assertThat(seen.get().getRequestURI().getRawPath()).isEqualTo("/v1/scan/objects");
        assertThat(seen.get().getRequestURI().getRawQuery()).isEqualTo("prefix=01&limit=10");
    }

    @Test
    void status_errorAnswer_adminExceptionWithStatusAndCode() {
        status = 403;
        body = "{\"code\":\"SignatureDoesNotMatch\",\"message\":\"check the admin secret\"}";

        assertThatThrownBy(client::status).isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(e.getMessage()).contains("GET /admin/v1/status").contains("403")
                    .contains("check the admin secret");
        });
    }

    @Test
    void placement_notFound_empty() throws IOException {
        status = 404;
        body = "";

        assertThat(client.placement("bucket", "a key")).isEmpty();
        assertThat(seen.get().getRequestURI().getRawQuery()).isEqualTo("bucket=bucket&key=a%20key");
    }
}
