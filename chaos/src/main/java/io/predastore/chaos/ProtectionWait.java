package io.predastore.chaos;

import io.predastore.chaos.check.Finding;
import io.predastore.chaos.check.FindingType;
import io.predastore.chaos.cluster.ChaosCluster;
import io.predastore.protocol.admin.ProtectionReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The run's last check: once every fault is healed, the cluster must bring every object back to full protection
 * (every shard of every set healthy: rebuilt where it was skipped, rotted, wiped or on a lost node). It asks the
 * nodes' admin API for the protection report until one computed after the faults were healed says so, or the wait
 * runs out; then the last report it saw is the finding.
 */
final class ProtectionWait {
    private static final Duration POLL = Duration.ofSeconds(2);

    private ProtectionWait() {
    }

    /**
     * Waits up to {@code timeout} for full protection as of a pass that ended after {@code healed}.
     *
     * @return no finding when it came; otherwise one {@link FindingType#UNDER_PROTECTED} finding with the last
     *     report seen (or why none could be read)
     */
    static List<Finding> await(ChaosCluster cluster, Instant healed, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProtectionReport last = null;
        String lastError = "no node answered";
        while (true) {
            for (int node : cluster.nodeIds()) {
                Optional<ProtectionReport> report = read(cluster, node);
                if (report.isEmpty()) {
                    lastError = "node " + node + " did not answer";
                    continue;
                }
                ProtectionReport r = report.get();
                if (r.computedAtMillis() >= healed.toEpochMilli()) {
                    last = r;
                    if (full(r)) {
                        return List.of();
                    }
                }
                break;
            }
            if (System.nanoTime() > deadline) {
                String explanation = last == null
                        ? "no protection report computed after the faults were healed within " + timeout + " ("
                                + lastError + ")"
                        : "not every object back at full protection " + timeout + " after the faults were healed: "
                                + last.summaryLine() + "; repair queue " + last.repairs().queuedSets() + " sets "
                                + last.repairs().queuedByCause() + (last.atRisk().isEmpty() ? ""
                                        : "; e.g. " + last.atRisk().get(0).key() + " has "
                                                + last.atRisk().get(0).healthyShards() + " of "
                                                + last.atRisk().get(0).totalShards() + " shards healthy");
                return List.of(new Finding(FindingType.UNDER_PROTECTED, "", explanation, List.of()));
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }

    /** Whether every object counted has every shard healthy. */
    static boolean full(ProtectionReport r) {
        return r.cluster().full() == r.cluster().objects();
    }

    private static Optional<ProtectionReport> read(ChaosCluster cluster, int node) {
        try {
            return Optional.of(cluster.admin(node).protection());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
