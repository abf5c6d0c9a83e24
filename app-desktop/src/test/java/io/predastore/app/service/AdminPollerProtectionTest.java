package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.predastore.client.sigv4.Credentials;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the poller reads the protection report from real local HTTP servers standing in for nodes' admin APIs. */
class AdminPollerProtectionTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A node whose admin API answers every request with {@code status} and {@code body}, counting the requests. */
    private URI node(int status, String body, AtomicInteger hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static AdminPoller poller(Map<Integer, URI> nodes) {
        return new AdminPoller(nodes, new Credentials("admin", "secret"), "us-east-1", null, s -> { },
                Clock.systemUTC());
    }

    private static String report() {
        return AdminJson.write(new ProtectionReport(1_000, 10, 3, 2, ProtectionCounts.empty(5), List.of(), List.of(),
                RepairQueue.IDLE, List.of(), List.of()));
    }

    @Test
    void protection_firstNodeFails_readFromTheNext_andAskedFirstNextTime() throws IOException {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger serving = new AtomicInteger();
        Map<Integer, URI> nodes = new LinkedHashMap<>();
        nodes.put(1, node(503, "{\"code\":\"NotLeader\",\"message\":\"ask again\"}", failing));
        nodes.put(2, node(200, report(), serving));
        try (AdminPoller poller = poller(nodes)) {
            ProtectionFetch first = poller.protection();
            ProtectionFetch second = poller.protection();

            assertThat(first.report()).isNotNull();
            assertThat(first.report().computedAtMillis()).isEqualTo(1_000);
            assertThat(second.report()).isNotNull();
            assertThat(failing.get()).as("the node that failed is not asked again while another answers").isEqualTo(1);
            assertThat(serving.get()).isEqualTo(2);
        }
    }

    @Test
    void protection_onlyErrors_saysWhatTheNodeAnswered() throws IOException {
        try (AdminPoller poller = poller(Map.of(1, node(503, "busy rebuilding", new AtomicInteger())))) {
            ProtectionFetch fetch = poller.protection();

            assertThat(fetch.report()).isNull();
            assertThat(fetch.unsupported()).isFalse();
            assertThat(fetch.error()).contains("GET /admin/v1/protection", "answered 503", "busy rebuilding");
        }
    }

    @Test
    void protection_unreadableReport_saysSo() throws IOException {
        try (AdminPoller poller = poller(Map.of(1, node(200, "{\"computedAtMillis\":\"soon\"}",
                new AtomicInteger())))) {
            assertThat(poller.protection().error()).contains("sent a protection report this app cannot read");
        }
    }

    @Test
    void protection_oneNodeOld_oneDown_unsupported() throws IOException {
        Map<Integer, URI> nodes = new LinkedHashMap<>();
        nodes.put(1, node(404, "", new AtomicInteger()));
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        nodes.put(2, URI.create("http://127.0.0.1:" + closed));
        try (AdminPoller poller = poller(nodes)) {
            assertThat(poller.protection().unsupported()).isTrue();
        }
    }
}
