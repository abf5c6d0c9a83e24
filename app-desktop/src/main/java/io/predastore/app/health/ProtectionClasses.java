package io.predastore.app.health;

import io.predastore.protocol.admin.ProtectionReport;

/**
 * The cluster's objects in the four classes the protection bar shows, in objects and in bytes.
 *
 * @param full             objects with every shard healthy
 * @param degraded         objects lacking shards but more than one loss away from unreadable
 * @param atRisk           objects one more lost shard makes unreadable
 * @param unreadable       objects with fewer healthy shards than data shards
 * @param fullBytes        bytes of the full objects
 * @param degradedBytes    bytes of the degraded objects
 * @param atRiskBytes      bytes of the objects at risk
 * @param unreadableBytes  bytes of the unreadable objects
 */
public record ProtectionClasses(long full, long degraded, long atRisk, long unreadable, long fullBytes,
        long degradedBytes, long atRiskBytes, long unreadableBytes) {
    /** No objects at all (also what is shown before the first report). */
    public static final ProtectionClasses NONE = new ProtectionClasses(0, 0, 0, 0, 0, 0, 0, 0);

    /** The classes of a report's cluster-wide counts. */
    public static ProtectionClasses of(ProtectionReport report) {
        int m = report.parityShards();
        long[] bytes = report.cluster().bytesByClass(m);
        return new ProtectionClasses(report.cluster().full(), report.cluster().degraded(m),
                report.cluster().atRisk(m), report.cluster().unreadable(m), bytes[0], bytes[1], bytes[2], bytes[3]);
    }

    /** Objects in all four classes. */
    public long total() {
        return full + degraded + atRisk + unreadable;
    }

    /** The share of all objects in a class (0 when there are none), for the bar's segment widths. */
    public double share(long objects) {
        long total = total();
        return total == 0 ? 0 : (double) objects / total;
    }
}
