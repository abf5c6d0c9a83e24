package io.predastore.chaos.report;

import io.predastore.chaos.check.CheckResult;
import io.predastore.chaos.check.Finding;
import io.predastore.chaos.check.FindingType;

/**
 * The verdict of a run in one line, and the exit code that goes with it.
 *
 * @param ops        operations in the history (load and final reads)
 * @param faults     faults injected
 * @param lost       {@link FindingType#LOST_WRITE} findings
 * @param corrupt    {@link FindingType#CORRUPT_READ} findings
 * @param violations every finding that proves a violation (all but {@link FindingType#UNDECIDED})
 * @param undecided  {@link FindingType#UNDECIDED} findings
 */
public record Summary(long ops, int faults, int lost, int corrupt, int violations, int undecided) {
    /** No violation and nothing undecided. */
    public static final int VALID = 0;
    /** At least one violation. */
    public static final int VIOLATION = 1;
    /** No violation, but some key could not be decided within the checker's budget. */
    public static final int UNDECIDED = 2;
    /** The run itself could not be done (e.g. the cluster did not start); nothing was proven either way. */
    public static final int NOT_RUN = 3;

    /** The summary of a checked history with {@code faults} faults. */
    public static Summary of(CheckResult result, int faults) {
        int violations = (int) result.findings().stream().map(Finding::type).filter(FindingType::violation).count();
        return new Summary(result.operations(), faults, result.findings(FindingType.LOST_WRITE).size(),
                result.findings(FindingType.CORRUPT_READ).size(), violations,
                result.findings(FindingType.UNDECIDED).size());
    }

    /** {@code chaos: O ops, F faults, L lost, C corrupt, V violations}: the last line a run prints. */
    public String line() {
        return "chaos: " + ops + " ops, " + faults + " faults, " + lost + " lost, " + corrupt + " corrupt, "
                + violations + " violations";
    }

    /** {@link #VIOLATION} if any, else {@link #UNDECIDED} if any key is undecided, else {@link #VALID}. */
    public int exitCode() {
        return violations > 0 ? VIOLATION : undecided > 0 ? UNDECIDED : VALID;
    }
}
