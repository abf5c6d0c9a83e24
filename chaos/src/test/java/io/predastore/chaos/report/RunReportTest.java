package io.predastore.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.predastore.chaos.check.CheckResult;
import io.predastore.chaos.check.Checker;
import io.predastore.chaos.check.FindingType;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The report's numbers from a small hand-made history and fault list, and the files it writes. */
class RunReportTest {
    private static final long S = 1_000_000_000L;

    /** An operation on key {@code k} invoked at {@code at} seconds, lasting 100 ms. */
    private static Op op(long id, OpType type, double at, Outcome outcome, String value, String observed) {
        long invoked = (long) (at * S);
        return new Op(id, 0, "n1", type, "k", value, null, invoked, invoked + S / 10, outcome, observed, false,
                List.of(), outcome == Outcome.OK ? null : "503 SlowDown");
    }

    /**
     * Faults: a kill over [10 s, 20 s], a pause over [30 s, 35 s], a second kill over [40 s, 42 s]. Operations
     * invoked: 2 outside before, 3 in the first kill (1 answered), 2 in the pause (both answered: OK and REFUSED),
     * 1 in the second kill (failed), 2 outside after (1 answered).
     */
    private static final List<FaultEvent> FAULTS = List.of(new FaultEvent(FaultKind.KILL, List.of(2), 10 * S, 20 * S),
            new FaultEvent(FaultKind.PAUSE, List.of(1, 3), 30 * S, 35 * S),
            new FaultEvent(FaultKind.KILL, List.of(4), 40 * S, 42 * S));

    private static List<Op> history() {
        List<Op> ops = new ArrayList<>();
        ops.add(op(1, OpType.PUT, 1, Outcome.OK, "w1", null));
        ops.add(op(2, OpType.GET, 2, Outcome.OK, null, "w1"));
        ops.add(op(3, OpType.PUT, 10, Outcome.OK, "w2", null));
        ops.add(op(4, OpType.GET, 12, Outcome.UNKNOWN, null, null));
        ops.add(op(5, OpType.HEAD, 19.95, Outcome.FAILED, null, null));
        ops.add(op(6, OpType.GET, 31, Outcome.OK, null, "w2"));
        ops.add(new Op(7, 1, "n2", OpType.CREATE, "k", "w3", null, 32 * S, 33 * S, Outcome.REFUSED, null, false,
                List.of(), "412 PreconditionFailed"));
        ops.add(op(8, OpType.DELETE, 41, Outcome.FAILED, null, null));
        ops.add(op(9, OpType.GET, 50, Outcome.OK, null, "w2"));
        ops.add(op(10, OpType.HEAD, 51, Outcome.UNKNOWN, null, null));
        return ops;
    }

    @Test
    void availability_handMadeHistory_countsOperationsByTheWindowTheyWereInvokedIn() {
        Availability a = Availability.of(history(), FAULTS);

        assertThat(a.during()).containsOnlyKeys(FaultKind.KILL, FaultKind.PAUSE);
        assertThat(a.during().get(FaultKind.KILL)).isEqualTo(new Share(1, 4));
        assertThat(a.during().get(FaultKind.PAUSE)).isEqualTo(new Share(2, 2));
        assertThat(a.outside()).isEqualTo(new Share(3, 4));
        assertThat(a.outside().ratio()).isCloseTo(0.75, within(1e-9));
        assertThat(a.outside().text()).isEqualTo("75.0 % (3 of 4)");
        assertThat(new Share(0, 0).text()).isEqualTo("- (no operations)");
    }

    @Test
    void faultTotals_handMadeFaults_countAndSumTheirWindowsPerKind() {
        assertThat(FaultTotal.of(FAULTS)).containsExactly(new FaultTotal(FaultKind.KILL, 2, 12 * S),
                new FaultTotal(FaultKind.PAUSE, 1, 5 * S));
    }

    @Test
    void summary_lineAndExitCode_followTheFindings() {
        Summary clean = new Summary(1234, 7, 0, 0, 0, 0);
        assertThat(clean.line()).isEqualTo("chaos: 1234 ops, 7 faults, 0 lost, 0 corrupt, 0 violations");
        assertThat(clean.exitCode()).isEqualTo(0);
        assertThat(new Summary(10, 1, 1, 0, 2, 1).exitCode()).isEqualTo(1);
        assertThat(new Summary(10, 1, 0, 0, 0, 1).exitCode()).isEqualTo(2);
    }

    @Test
    void summary_ofALostWrite_countsItAsLostAndAsAViolation() {
        // A PUT completed, then a read found the key absent with nothing that could delete it.
        List<Op> ops = List.of(op(1, OpType.PUT, 1, Outcome.OK, "w1", null), op(2, OpType.GET, 5, Outcome.OK, null,
                null));
        CheckResult result = new Checker().check(ops);
        assertThat(result.findings(FindingType.LOST_WRITE)).hasSize(1);

        Summary s = Summary.of(result, 3);
        assertThat(s.line()).isEqualTo("chaos: 2 ops, 3 faults, 1 lost, 0 corrupt, 1 violations");
        assertThat(s.exitCode()).isEqualTo(Summary.VIOLATION);
    }

    @Test
    void timeline_handMadeRun_isWellFormedSvgWithTwoLinesAndAShadedLabelledWindowPerFault() throws Exception {
        String svg = TimelineSvg.render(history(), FAULTS);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        // 3 fault windows plus a legend swatch per kind of fault plus the background.
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(3 + FaultKind.values().length + 1);
        assertThat(svg).contains(">kill n2<", ">pause n1,n3<", ">kill n4<");
        // One point per second up to the last second anything happened in (51 s): 52 seconds.
        String points = doc.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points")
                .getNodeValue();
        assertThat(points.split(" ")).hasSize(52);
    }

    @Test
    void timeline_emptyRun_isStillWellFormed() throws Exception {
        String svg = TimelineSvg.render(List.of(), List.of());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    }

    @Test
    void niceCeilingAndTickStep_giveRoundNumbers() {
        assertThat(TimelineSvg.niceCeiling(1)).isEqualTo(1);
        assertThat(TimelineSvg.niceCeiling(3)).isEqualTo(5);
        assertThat(TimelineSvg.niceCeiling(37)).isEqualTo(50);
        assertThat(TimelineSvg.niceCeiling(101)).isEqualTo(200);
        assertThat(TimelineSvg.tickStep(52)).isEqualTo(5);
        assertThat(TimelineSvg.tickStep(1800)).isEqualTo(300);
    }

    @Test
    void write_handMadeRun_writesReportAndTimelineWithTheNumbers(@TempDir Path dir) throws Exception {
        List<Op> ops = history();
        CheckResult result = new Checker().check(ops);
        Machine machine = new Machine(2, "Test CPU", "0.50 0.40 0.30");
        RunReport report = new RunReport(42, "scripts/chaos.sh --duration 1m --faults all --seed 42", "1m of load",
                Instant.parse("2026-01-01T00:00:00Z"), result, FAULTS, Availability.of(ops, FAULTS), machine,
                machine, List.of());

        Path file = report.write(dir, ops);

        String md = Files.readString(file);
        assertThat(md).contains("`scripts/chaos.sh --duration 1m --faults all --seed 42`")
                .contains("| kill | 2 | 12.0 s |", "| pause | 1 | 5.0 s |")
                .contains("| during kill | 25.0 % (1 of 4) |", "| during pause | 100.0 % (2 of 2) |",
                        "| outside any fault | 75.0 % (3 of 4) |")
                .contains("| GET | 3 | 0 | 0 | 1 |")
                .contains("Cores: 2", "Test CPU", "0.50 0.40 0.30")
                .contains("0 violation(s)");
        assertThat(md.lines().filter(l -> l.startsWith("**")).findFirst().orElseThrow())
                .endsWith("`chaos: 10 ops, 3 faults, 0 lost, 0 corrupt, 0 violations`");
        assertThat(dir.resolve("timeline.svg")).exists();
    }
}
