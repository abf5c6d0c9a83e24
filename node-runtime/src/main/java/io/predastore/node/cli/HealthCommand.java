package io.predastore.node.cli;

import io.predastore.client.AdminClient;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.node.bench.ByteSizes;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.DrainingNode;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RebalanceProgress;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.admin.ScrubProgress;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster health}: the cluster's protection report, from the first node whose admin API answers. The first
 * line is exactly {@link ProtectionReport#summaryLine()}, so scripts can match it; the exit code says the worst class
 * (see {@link #exitCode}).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Show how well the cluster's objects are protected, the repair queue and each node's state.",
            "%nThe first line is exactly 'protection: F full, D degraded, R at risk, U unreadable'; then bytes by "
                    + "class, the repair queue and its ETA, each node's down/lost state and scrub progress, and the "
                    + "objects most at risk.",
            "%nExit code: 0 every object full; 1 some degraded or at risk, or no protection pass yet; 2 some "
                    + "unreadable; 3 no node answered."})
final class HealthCommand implements Callable<Integer> {
    /** All objects are fully protected. */
    static final int FULL = 0;
    /** Some object is degraded or at risk, or no protection pass has run yet. */
    static final int DEGRADED = 1;
    /** Some object is unreadable. */
    static final int UNREADABLE = 2;
    /** No node's admin API answered. */
    static final int NO_ANSWER = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Option(names = "--json", description = "Print the report as the admin API's JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return NO_ANSWER;
        }
        List<String> failures = new ArrayList<>();
        ProtectionReport report = fetch(config, -1, failures);
        if (report == null) {
            err.println("No node's admin API answered; start the cluster (cluster up --dir " + config.directory()
                    + ") or check its nodes (cluster status --dir " + config.directory() + "):");
            failures.forEach(f -> err.println("  " + f));
            err.flush();
            return NO_ANSWER;
        }
        if (json) {
            out.println(AdminJson.write(report));
        } else {
            print(out, report);
        }
        out.flush();
        return exitCode(report);
    }

    /**
     * The protection report from the first node, other than {@code skip}, whose admin API answers; null if none did,
     * with each node's failure added to {@code failures}.
     */
    static ProtectionReport fetch(ClusterConfig config, int skip, List<String> failures) {
        ClusterTrust trust = null;
        for (NodeConfig node : config.nodes()) {
            if (node.id() == skip) {
                continue;
            }
            try {
                if (node.adminTls() && trust == null) {
                    trust = ClusterTrust.load(config.tls().caCert(), Membership.of(config));
                }
                return AdminClient.forNode(config, node.id(), trust, ADMIN_TIMEOUT).protection();
            } catch (IOException | RuntimeException e) {
                failures.add("node " + node.id() + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** 0 when every object is full, 2 when any is unreadable, 1 otherwise (or before the first pass). */
    static int exitCode(ProtectionReport report) {
        if (!report.computed()) {
            return DEGRADED;
        }
        ProtectionCounts c = report.cluster();
        int m = report.parityShards();
        if (c.unreadable(m) > 0) {
            return UNREADABLE;
        }
        return c.degraded(m) > 0 || c.atRisk(m) > 0 ? DEGRADED : FULL;
    }

    /**
     * One line for the rebalancer, e.g. {@code rebalance: 120 shards (30 MiB) to move, about 2 min; draining node-4:
     * 37 shards left}.
     */
    static String rebalanceLine(RebalanceProgress r) {
        StringBuilder line = new StringBuilder("rebalance: " + r.shardsToMove() + " shards ("
                + ByteSizes.format(r.bytesToMove()) + ") to move");
        if (r.shardsToMove() > 0) {
            long s = r.etaSeconds();
            line.append(s < 0 ? ", time unknown" : s < 60 ? ", about " + Math.max(1, s) + " s"
                    : s < 3600 ? ", about " + (s + 59) / 60 + " min" : ", about " + (s + 3599) / 3600 + " h");
        }
        for (DrainingNode n : r.draining()) {
            line.append("; draining ").append(n.nodeId()).append(": ").append(n.progress());
        }
        return line.toString();
    }

    /** The report as text: the summary line first, then bytes, the repair queue, nodes and at-risk objects. */
    static void print(PrintWriter out, ProtectionReport report) {
        out.println(report.summaryLine());
        if (!report.computed()) {
            out.println("no protection pass has run yet (the metadata leader runs one every "
                    + "protection_check_interval_ms); the counts above are not known yet");
        } else {
            long[] bytes = report.cluster().bytesByClass(report.parityShards());
            out.println("bytes: " + ByteSizes.format(bytes[0]) + " full, " + ByteSizes.format(bytes[1])
                    + " degraded, " + ByteSizes.format(bytes[2]) + " at risk, " + ByteSizes.format(bytes[3])
                    + " unreadable");
            out.println("computed: " + Instant.ofEpochMilli(report.computedAtMillis()) + " (pass took "
                    + report.passMillis() + " ms), RS " + report.dataShards() + "+" + report.parityShards());
        }
        RepairQueue q = report.repairs();
        StringBuilder causes = new StringBuilder();
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(q.queuedByCause()).entrySet()) {
            causes.append(causes.length() == 0 ? " (" : ", ").append(c.getKey()).append(' ').append(c.getValue());
        }
        if (causes.length() > 0) {
            causes.append(')');
        }
        out.println("repair queue: " + q.queuedSets() + " sets, " + ByteSizes.format(q.queuedBytes()) + causes
                + "; repaired " + q.repairedSets() + " sets, " + ByteSizes.format(q.repairedBytes()) + "; pace "
                + ByteSizes.format((long) q.bytesPerSecond()) + "/s; ETA "
                + (q.etaSeconds() < 0 ? "unknown" : Duration.ofSeconds(q.etaSeconds()).toString().substring(2)
                        .toLowerCase(java.util.Locale.ROOT)));
        if (report.rebalance() != null && report.rebalance().pending()) {
            out.println(rebalanceLine(report.rebalance()));
        }
        for (NodeProtection n : report.nodes()) {
            String state = n.alive() ? "up" : (n.lost() ? "LOST" : "DOWN") + " since "
                    + Instant.ofEpochMilli(n.downSinceMillis());
            out.println(n.nodeId() + ": " + state + ", " + n.shards() + " shards"
                    + (n.lost() ? " (its shards are rebuilt on other nodes, and deleted from it if it comes back)"
                            : ""));
        }
        for (ScrubProgress s : report.scrub()) {
            String pass = s.passBytesTotal() == 0 ? "idle" : (100 * s.passBytesVerified() / s.passBytesTotal())
                    + "% of pass";
            out.println("scrub " + s.nodeId() + ": " + pass + ", " + s.passesCompleted() + " passes, last full "
                    + (s.lastFullPassMillis() < 0 ? "never" : Instant.ofEpochMilli(s.lastFullPassMillis()).toString())
                    + ", " + s.corruptionsFound() + " damaged found, "
                    + (s.bytesPerSecond() == 0 ? "off" : ByteSizes.format(s.bytesPerSecond()) + "/s"));
        }
        for (AtRiskObject o : report.atRisk()) {
            out.println("at risk: " + o.bucket() + "/" + o.key() + " (" + o.healthyShards() + " of "
                    + o.totalShards() + " shards healthy, " + ByteSizes.format(o.size()) + ")");
        }
    }
}
