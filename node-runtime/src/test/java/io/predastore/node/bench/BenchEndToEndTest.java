package io.predastore.node.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.runtime.NodeOptions;
import io.predastore.node.runtime.NodeRuntime;
import io.predastore.node.supervisor.DevCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchEndToEndTest {

    static Map<String, String> resultOf(String out) {
        List<String> lines = out.lines().filter(l -> l.startsWith("RESULT ")).toList();
        assertThat(lines).as("one RESULT line in:%n%s", out).hasSize(1);
        assertThat(out.strip()).as("RESULT is the last line").endsWith(lines.get(0));
        Map<String, String> fields = new HashMap<>();
        for (String pair : lines.get(0).substring("RESULT ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return fields;
    }

    @Test
    void bench_putThenGetAgainstRealNode_reportsOpsWithoutErrors(@TempDir Path dataDir) throws Exception {
        try (NodeRuntime node = NodeRuntime.start(new NodeOptions(dataDir, "127.0.0.1", 0, "AK", "SK", "us-east-1",
                List.of("localhost"), null, null, 64))) {
            for (String op : List.of("put", "get", "mixed", "list")) {
                BenchCommandTest.Run run = BenchCommandTest.bench("--endpoint", node.endpoint(), "--access-key", "AK",
                        "--secret-key", "SK", "--op", op, "--size", "4KiB", "--concurrency", "2", "--duration",
                        "1s", "--warmup", "200ms", "--objects", "20");
                assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
                Map<String, String> result = resultOf(run.out());
                assertThat(result.get("op")).isEqualTo(op);
                assertThat(Long.parseLong(result.get("ops"))).as(run.out()).isPositive();
                assertThat(result.get("errors")).as(run.out()).isEqualTo("0");
                assertThat(result.get("size")).isEqualTo("4096");
                assertThat(Double.parseDouble(result.get("p99_ms"))).isPositive();
                if (!op.equals("list")) {
                    assertThat(Double.parseDouble(result.get("mib_per_s"))).isPositive();
                }
            }
        }
    }

    @Test
    void bench_httpsEndpointWithItsCa_runs_andWithoutTheCaSaysWhy(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("bench test CA", now);
        DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca, new NodeIdentity("dev", 1), "127.0.0.1",
                now);
        Path caPem = Files.writeString(dir.resolve("ca.pem"), DevCertificates.certificatePem(ca.certificate()));
        Path certPem = Files.writeString(dir.resolve("node.pem"), DevCertificates.certificatePem(cert.certificate()));
        Path keyPem = Files.writeString(dir.resolve("node.key"), DevCertificates.privateKeyPem(cert.privateKey()));
        try (NodeRuntime node = NodeRuntime.start(new NodeOptions(dir.resolve("data"), "127.0.0.1", 0, "AK", "SK",
                "us-east-1", List.of("localhost"), certPem, keyPem, 64))) {
            assertThat(node.endpoint()).startsWith("https://");
            BenchCommandTest.Run run = BenchCommandTest.bench("--endpoint", node.endpoint(), "--ca-cert",
                    caPem.toString(), "--access-key", "AK", "--secret-key", "SK", "--op", "mixed", "--size", "4KiB",
                    "--concurrency", "2", "--duration", "1s", "--warmup", "200ms", "--objects", "10");
            assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
            assertThat(resultOf(run.out()).get("errors")).as(run.out()).isEqualTo("0");

            BenchCommandTest.Run untrusting = BenchCommandTest.bench("--endpoint", node.endpoint(), "--access-key",
                    "AK", "--secret-key", "SK", "--op", "put", "--duration", "300ms", "--warmup", "0s");
            assertThat(untrusting.exitCode()).isEqualTo(1);
            assertThat(untrusting.err()).contains("TLS with 127.0.0.1:", "give its certificate with --ca-cert");
        }
    }

    @Test
    void bench_wrongSecret_countsErrorsAndExitsOne(@TempDir Path dataDir) throws Exception {
        try (NodeRuntime node = NodeRuntime.start(new NodeOptions(dataDir, "127.0.0.1", 0, "AK", "SK", "us-east-1",
                List.of("localhost"), null, null, 64))) {
            BenchCommandTest.Run run = BenchCommandTest.bench("--endpoint", node.endpoint(), "--access-key", "AK",
                    "--secret-key", "wrong", "--op", "put", "--duration", "300ms", "--warmup", "0s");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("403");
        }
    }
}
