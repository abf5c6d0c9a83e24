package io.predastore.chaos.report;

import io.predastore.chaos.check.CheckResult;
import io.predastore.chaos.check.Finding;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything a chaos run reports, and its rendering as {@code report.md} beside {@code timeline.svg}. Immutable.
 *
 * @param seed         the run's seed
 * @param command      the command line that repeats the run
 * @param settings     the run's settings in a few words (duration, faults, workers, tolerance)
 * @param started      when the load began (wall clock)
 * @param result       the checker's verdict on the history
 * @param faults       the faults injected, as the fault log holds them
 * @param availability answered shares during each kind of fault and outside any (load operations only)
 * @param atStart      the machine when the run began
 * @param atEnd        the machine when it ended
 * @param problems     what went wrong with the run itself (e.g. a node that did not come back), empty if nothing
 */
public record RunReport(long seed, String command, String settings, Instant started, CheckResult result,
        List<FaultEvent> faults, Availability availability, Machine atStart, Machine atEnd, List<String> problems) {
    public RunReport {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(result, "result");
        faults = List.copyOf(faults);
        problems = List.copyOf(problems);
    }

    /** The run's one-line verdict. */
    public Summary summary() {
        return Summary.of(result, faults.size());
    }

    /**
     * Writes {@code report.md} and {@code timeline.svg} (of {@code history}) into {@code dir}.
     *
     * @return the report's path
     */
    public Path write(Path dir, List<Op> history) throws IOException {
        Files.writeString(dir.resolve("timeline.svg"), TimelineSvg.render(history, faults), StandardCharsets.UTF_8);
        Path report = dir.resolve("report.md");
        Files.writeString(report, markdown(), StandardCharsets.UTF_8);
        return report;
    }

    /** The report as Markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        Summary s = summary();
        String verdict = s.violations() > 0 ? "VIOLATED" : s.undecided() > 0 ? "UNDECIDED" : "no violation";
        md.append("# Chaos run ").append(seed).append("\n\n");
        md.append("**").append(verdict).append("** - `").append(s.line()).append("`\n\n");
        md.append("- Seed: `").append(seed).append("`\n");
        md.append("- Reproduce: `").append(command).append("`\n");
        md.append("- Settings: ").append(settings).append('\n');
        md.append("- Started: ").append(started).append("\n\n");
        if (!problems.isEmpty()) {
            md.append("## Problems with the run itself\n\n");
            problems.forEach(p -> md.append("- ").append(p.replace("\n", " ")).append('\n'));
            md.append('\n');
        }
        operations(md);
        faultTable(md);
        availabilityTable(md);
        violations(md);
        md.append("## Timeline\n\n![operations per second and fault windows](timeline.svg)\n\n");
        md.append("## Machine\n\n");
        md.append("- Cores: ").append(atStart.cores()).append('\n');
        md.append("- CPU: ").append(atStart.cpuModel()).append('\n');
        md.append("- Load average (1, 5, 15 min): ").append(atStart.loadAverage()).append(" at start, ")
                .append(atEnd.loadAverage()).append(" at end\n");
        return md.toString();
    }

    private void operations(StringBuilder md) {
        md.append("## Operations\n\n").append(result.operations()).append(" operations on ").append(result.keys())
                .append(" keys (the load, then the final reads of every key through every node).\n\n");
        md.append("| type |");
        for (Outcome o : Outcome.values()) {
            md.append(' ').append(o).append(" |");
        }
        md.append("\n|---|");
        md.append("---:|".repeat(Outcome.values().length)).append('\n');
        for (Map.Entry<OpType, Map<Outcome, Integer>> e : result.counts().entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (Outcome o : Outcome.values()) {
                md.append(' ').append(e.getValue().getOrDefault(o, 0)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void faultTable(StringBuilder md) {
        md.append("## Faults\n\n");
        if (faults.isEmpty()) {
            md.append("None injected.\n\n");
            return;
        }
        md.append("| kind | count | total time |\n|---|---:|---:|\n");
        for (FaultTotal t : FaultTotal.of(faults)) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f s |%n", name(t.kind()), t.count(), t.nanos() / 1e9));
        }
        md.append('\n');
        List<FaultEvent> detailed = faults.stream().filter(f -> f.detail() != null).toList();
        if (!detailed.isEmpty()) {
            md.append("What they did: ").append(detailed.stream().map(f -> name(f.kind()) + " " + f.nodes().stream()
                    .map(n -> "n" + n).collect(Collectors.joining(",")) + " at " + String.format(Locale.ROOT,
                    "%.0f s", f.start() / 1e9) + ": " + f.detail()).collect(Collectors.joining("; "))).append(".\n\n");
        }
    }

    private void availabilityTable(StringBuilder md) {
        md.append("## Availability\n\nOf the load's operations invoked in each window, the share that ended OK or "
                + "REFUSED (the rest FAILED or UNKNOWN).\n\n| window | answered |\n|---|---:|\n");
        availability.during().forEach((kind, share) -> md.append("| during ").append(name(kind)).append(" | ")
                .append(share.text()).append(" |\n"));
        md.append("| outside any fault | ").append(availability.outside().text()).append(" |\n\n");
    }

    private void violations(StringBuilder md) {
        Summary s = summary();
        md.append("## Violations\n\n").append(s.violations()).append(" violation(s) (zero expected): ")
                .append(s.lost()).append(" lost write(s), ").append(s.corrupt()).append(" corrupt read(s); ")
                .append(s.undecided()).append(" undecided key(s).\n\n");
        for (Finding f : result.findings()) {
            md.append("```\n").append(f.render()).append("```\n\n");
        }
    }

    private static String name(FaultKind kind) {
        return kind.cliName();
    }
}
