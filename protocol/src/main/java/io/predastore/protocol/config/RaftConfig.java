package io.predastore.protocol.config;

/**
 * Sizing of the metadata Raft log ({@code [raft]} in the cluster file; the table and each key are optional).
 *
 * @param snapshotEvery   take a metadata snapshot after this many log entries; the log is then purged up to the
 *                        snapshot, so a node that was down longer than that catches up by receiving the snapshot
 * @param logSegmentBytes size of one Raft log segment file; only whole closed segments are purged
 */
public record RaftConfig(long snapshotEvery, long logSegmentBytes) {
    /** Lowest accepted {@code log_segment_bytes}. */
    public static final long MIN_SEGMENT_BYTES = 16 * 1024;
    /** Highest accepted {@code log_segment_bytes}. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    /** A snapshot every 10 000 entries, 8 MiB segments. */
    public static final RaftConfig DEFAULTS = new RaftConfig(10_000, 8L << 20);

    public RaftConfig {
        if (snapshotEvery < 1) {
            throw ClusterConfigException.invalid("raft.snapshot_every", Long.toString(snapshotEvery),
                    "must be at least 1");
        }
        if (logSegmentBytes < MIN_SEGMENT_BYTES || logSegmentBytes > MAX_SEGMENT_BYTES) {
            throw ClusterConfigException.invalid("raft.log_segment_bytes", Long.toString(logSegmentBytes),
                    "must be between " + MIN_SEGMENT_BYTES + " and " + MAX_SEGMENT_BYTES);
        }
    }
}
