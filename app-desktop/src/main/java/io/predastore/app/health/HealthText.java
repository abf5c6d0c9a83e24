package io.predastore.app.health;

import io.predastore.app.format.ByteSize;
import io.predastore.protocol.admin.DrainingNode;
import io.predastore.protocol.admin.RebalanceProgress;
import io.predastore.protocol.admin.RepairQueue;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The sentences of the health screen, plain Java so they are tested without a toolkit. Stateless. */
final class HealthText {
    private HealthText() {
    }

    /** {@code 1 object} / {@code 3 objects}. */
    static String objects(long n) {
        return n + (n == 1 ? " object" : " objects");
    }

    /** The banner for these classes and this repair queue. */
    static HealthBanner banner(ProtectionClasses c, RepairQueue repairs) {
        if (c.unreadable() > 0 || c.atRisk() > 0) {
            StringBuilder sb = new StringBuilder();
            if (c.unreadable() > 0) {
                sb.append(objects(c.unreadable())).append(" unreadable");
            }
            if (c.atRisk() > 0) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(objects(c.atRisk())).append(" at risk: one more lost shard makes ")
                        .append(c.atRisk() == 1 ? "it" : "them").append(" unreadable");
            }
            return new HealthBanner(HealthBanner.Level.DANGER, sb.toString());
        }
        if (c.degraded() > 0) {
            String repairing = repairs.queuedSets() == 0 ? ": waiting for the repair engine to queue them"
                    : ", repairing: " + eta(repairs);
            return new HealthBanner(HealthBanner.Level.WARNING, objects(c.degraded()) + " degraded" + repairing);
        }
        return HealthBanner.NONE;
    }

    /** When the repair queue should be empty: {@code about 3 min left}, or why that is not known. */
    static String eta(RepairQueue q) {
        if (q.queuedSets() == 0) {
            return "nothing to repair";
        }
        if (q.etaSeconds() < 0) {
            return "time left unknown (not repairing yet)";
        }
        return "about " + duration(q.etaSeconds()) + " left";
    }

    /** {@code 45 s}, {@code 3 min}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = seconds / 3600;
        if (hours < 24) {
            long rest = seconds % 3600 / 60;
            return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
        }
        long restHours = seconds % 86_400 / 3600;
        return seconds / 86_400 + " d" + (restHours == 0 ? "" : " " + restHours + " h");
    }

    /** How long ago {@code thenMillis} was at {@code nowMillis}, e.g. {@code 2 h ago}; {@code never} for -1. */
    static String ago(long thenMillis, long nowMillis) {
        if (thenMillis < 0) {
            return "never";
        }
        long seconds = Math.max(0, (nowMillis - thenMillis) / 1000);
        if (seconds < 60) {
            return "just now";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " d ago";
    }

    /** {@code 12 sets (3.0 MiB)}, or {@code nothing queued}. */
    static String queue(RepairQueue q) {
        if (q.queuedSets() == 0) {
            return "nothing queued";
        }
        return q.queuedSets() + (q.queuedSets() == 1 ? " set" : " sets") + " (" + ByteSize.format(q.queuedBytes())
                + ")";
    }

    /** {@code corrupt 2, missing 5}, in the order of the causes' names; empty when nothing is queued. */
    static String causes(Map<String, Long> byCause) {
        return new TreeMap<>(byCause).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** {@code 1.5 MiB/s}, or {@code idle}. */
    static String pace(RepairQueue q) {
        return q.bytesPerSecond() <= 0 ? "idle" : ByteSize.perSecond(Math.round(q.bytesPerSecond()));
    }

    /**
     * {@code rebalance: 120 shards (30 MiB) to move, about 2 min}, or {@code rebalance: nothing to move}; the
     * wording of {@code cluster health}.
     */
    static String rebalance(RebalanceProgress r) {
        if (r.shardsToMove() == 0) {
            return "rebalance: nothing to move" + (r.movedShards() == 0 ? "" : " (" + r.movedShards() + " shards, "
                    + ByteSize.format(r.movedBytes()) + " moved)");
        }
        String eta = r.etaSeconds() < 0 ? "time left unknown" : "about " + duration(r.etaSeconds());
        return "rebalance: " + r.shardsToMove() + (r.shardsToMove() == 1 ? " shard" : " shards") + " ("
                + ByteSize.format(r.bytesToMove()) + ") to move, " + eta;
    }

    /** {@code draining node-4: 37 shards left; node-5: drained}, or empty when no node drains. */
    static String draining(RebalanceProgress r) {
        StringBuilder sb = new StringBuilder();
        for (DrainingNode n : r.draining()) {
            sb.append(sb.length() == 0 ? "draining " : "; ").append(n.nodeId()).append(": ").append(n.progress());
        }
        return sb.toString();
    }

    /** Shards moved of those moved plus those left; 1 when nothing is left to move. */
    static double rebalanceProgress(RebalanceProgress r) {
        long left = r.shardsToMove();
        if (left == 0) {
            return 1.0;
        }
        return (double) r.movedShards() / (r.movedShards() + left);
    }
}
