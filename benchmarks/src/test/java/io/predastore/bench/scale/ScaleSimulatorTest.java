package io.predastore.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScaleSimulatorTest {

    @Test
    void call_smallRun_printsEverySection() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        int status = ScaleSimulator.commandLine(out).execute("--members", "8,12", "--objects", "1e6,10^9",
                "--sample", "2000", "--changes", "2", "--cost-partitions", "271", "--put-rates", "1000");

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(report).contains("## Balance", "## One member joins", "## One member leaves",
                "## Repair and join time at 64MiB/s", "## Metadata per object", "## Raft log", "## Ring cost",
                "| 271 | 8 -> 9 |", "| 12 | 1.00e+09 |");
    }

    @Test
    void call_tooFewMembersForAWidth_isRefusedNamingTheOption() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StringWriter errors = new StringWriter();
        CommandLine cli = ScaleSimulator.commandLine(out);
        cli.setErr(new PrintWriter(errors));

        int status = cli.execute("--members", "5", "--sections", "balance");

        assertThat(status).isEqualTo(2);
        assertThat(errors.toString()).contains("--members 5 is too few for RS 3+2", "at least 6");
        assertThat(bytes.size()).isZero();
    }
}
