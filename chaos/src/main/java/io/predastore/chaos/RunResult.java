package io.predastore.chaos;

import io.predastore.chaos.report.RunReport;
import io.predastore.chaos.report.Summary;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a chaos run ended. Immutable.
 *
 * @param exitCode what the command exits with: {@link Summary#VALID}, {@link Summary#VIOLATION},
 *                 {@link Summary#UNDECIDED} or {@link Summary#NOT_RUN}
 * @param summary  the one-line verdict ({@link Summary#line()} is the command's last line)
 * @param out      the run's directory
 * @param report   what {@code report.md} says; null when the run could not be done at all
 * @param problems what went wrong with the run itself; empty when it ran as planned
 */
public record RunResult(int exitCode, Summary summary, Path out, RunReport report, List<String> problems) {
    public RunResult {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(out, "out");
        problems = List.copyOf(problems);
    }

    /** A run that could not be done, for {@code reason}. */
    static RunResult notRun(Path out, String reason) {
        return new RunResult(Summary.NOT_RUN, new Summary(0, 0, 0, 0, 0, 0), out, null, List.of(reason));
    }

    /** The report's path. */
    public Path reportFile() {
        return out.resolve("report.md");
    }
}
