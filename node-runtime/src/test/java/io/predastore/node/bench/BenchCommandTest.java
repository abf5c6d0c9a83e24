package io.predastore.node.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--size|4XB|unknown unit",
        "--size|lots|not a size",
        "--duration|ten|not a duration",
        "--duration|0s|--duration must be positive",
        "--warmup|2parsecs|unknown unit",
        "--concurrency|0|--concurrency must be",
        "--concurrency|many|--concurrency",
        "--op|delete|--op",
        "--endpoint|ftp://127.0.0.1:1|http://host:port or https://host:port",
        "--ca-cert|/no/such/ca.pem|--ca-cert is for an https endpoint",
        "--endpoint|not a url|--endpoint",
        "--objects|0|--objects must be at least 1",
        "--bucket|Bad_Bucket|not a valid bucket name"
    })
    void execute_badValue_exitsTwoWithMessage(String option, String value, String message) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "http://127.0.0.1:1", "--access-key", "AK",
                "--secret-key", "SK", "--op", "get"));
        int at = args.indexOf(option);
        if (at >= 0) {
            args.set(at + 1, value);
        } else {
            args.add(option);
            args.add(value);
        }
        Run run = bench(args.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    @Test
    void execute_missingCredentials_exitsTwo() {
        Run run = bench("--endpoint", "http://127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--access-key");
    }

    @Test
    void execute_unreachableEndpoint_exitsOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run run = bench("--endpoint", "http://127.0.0.1:" + port, "--access-key", "AK", "--secret-key", "SK",
                "--duration", "1s", "--warmup", "0s", "--timeout", "2s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot connect");
    }

    @Test
    void execute_endpointNeverAnswers_timesOutAndExitsOne() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            Run run = bench("--endpoint", "http://127.0.0.1:" + silent.getLocalPort(), "--access-key", "AK",
                    "--secret-key", "SK", "--duration", "1s", "--warmup", "0s", "--timeout", "500ms");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("no complete response within 500 ms");
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        }
    }

    @Test
    void execute_help_exitsZero() {
        Run run = bench("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--concurrency", "--objects", "--warmup");
    }
}
