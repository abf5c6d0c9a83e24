package io.predastore.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.chaos.nemesis.FaultKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of a chaos run: parsing, the reproduce command, and the last line when the run cannot start. */
class RunOptionsTest {
    @Test
    void parse_everyOption_isRead() {
        RunOptions o = RunOptions.parse("--duration", "150s", "--faults", "kill,partition", "--seed", "17",
                "--workers", "3", "--nodes", "6", "--beyond-tolerance", "--out", "/tmp/x", "--node-jar", "n.jar", "--gap", "1s-4s",
                "--fault-time", "500ms-2s");

        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(150));
        assertThat(o.faults()).containsExactlyInAnyOrder(FaultKind.KILL, FaultKind.PARTITION);
        assertThat(o.seed()).isEqualTo(17);
        assertThat(o.workers()).isEqualTo(3);
        assertThat(o.nodes()).isEqualTo(6);
        assertThat(o.beyondTolerance()).isTrue();
        assertThat(o.out()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.nodeJar()).isEqualTo(Path.of("n.jar"));
        assertThat(o.nemesisOptions().minGap()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.nemesisOptions().maxDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.nemesisOptions().beyondTolerance()).isTrue();
        assertThat(o.command()).isEqualTo("scripts/chaos.sh --duration 150s --faults kill,partition --seed 17 "
                + "--workers 3 --nodes 6 --beyond-tolerance --gap 1s-4s --fault-time 500ms-2s");
    }

    @Test
    void parse_nothing_givesDefaultsAndARandomSeedInTheDefaultDirectory() {
        RunOptions o = RunOptions.parse();

        assertThat(o.faults()).isEqualTo(EnumSet.allOf(FaultKind.class));
        assertThat(o.workers()).isEqualTo(6);
        assertThat(o.nodes()).isEqualTo(5);
        assertThat(o.seed()).isPositive();
        assertThat(o.out()).isEqualTo(Path.of("chaos", "target", "chaos-" + o.seed()));
        assertThat(o.command()).isEqualTo("scripts/chaos.sh --duration 5m --faults all --seed " + o.seed()
                + " --workers 6");
        assertThat(RunOptions.parse("--faults", "none").faults()).isEqualTo(Set.of());
        assertThat(RunOptions.parse("--faults", "none").faultsText()).isEqualTo("none");
        assertThat(RunOptions.parse("--duration", "30m").duration()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void parse_badArguments_sayWhatIsWrong() {
        assertThatThrownBy(() -> RunOptions.parse("--duration", "ten")).hasMessageContaining("'ten' is not a "
                + "duration");
        assertThatThrownBy(() -> RunOptions.parse("--faults", "kill,flood")).hasMessageContaining("unknown fault "
                + "'flood'");
        assertThatThrownBy(() -> RunOptions.parse("--seed")).hasMessageContaining("--seed needs a value");
        assertThatThrownBy(() -> RunOptions.parse("--colour", "red")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> RunOptions.parse("--workers", "0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RunOptions.parse("--nodes", "4")).hasMessageContaining("--nodes must be 5 to 9");
        assertThatThrownBy(() -> RunOptions.parse("--gap", "8s-3s")).hasMessageContaining("min <= max");
    }

    @Test
    void run_help_printsUsageAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ChaosRun.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--duration", "--beyond-tolerance", "root");
    }

    @Test
    void run_missingNodeJar_exitsThreeWithTheSummaryAsLastLine(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ChaosRun.run(new String[] {"--duration", "1s", "--seed", "5", "--out", dir.resolve("run")
                .toString(), "--node-jar", dir.resolve("missing.jar").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                        StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(3);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("chaos: 0 ops, 0 faults, 0 lost, 0 corrupt, 0 violations");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not be started");
    }

    @Test
    void freeDirectory_existingRun_picksTheNextSuffix(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("chaos-7");
        assertThat(ChaosRun.freeDirectory(run)).isEqualTo(run);
        Files.createDirectories(run);
        assertThat(ChaosRun.freeDirectory(run)).isEqualTo(dir.resolve("chaos-7-2"));
    }
}
