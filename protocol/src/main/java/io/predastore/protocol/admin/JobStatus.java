package io.predastore.protocol.admin;

/**
 * What one background job of a node (tombstone sweep, shard repair, shard compaction, ...) last did
 * ({@code jobs} in {@code GET /admin/v1/status}). Times are epoch milliseconds, -1 for never.
 *
 * @param name the job's name, e.g. {@code "tombstone-sweep"}
 * @param runs how many runs finished since the node started, failed ones included
 * @param lastStartMillis when the last run started
 * @param lastEndMillis when the last run ended
 * @param lastResult what the last successful run did, in a few words; null before one finished
 * @param failures how many runs failed since the node started
 * @param lastError why the last failed run failed (the job keeps its schedule); null if none failed
 * @param lastErrorMillis when the last failed run ended
 * @param quarantined entries the job could not process and set aside (in the metadata table {@code quarantine}),
 *     so that it goes on with the others; 0 for a job that sets nothing aside
 */
public record JobStatus(String name, long runs, long lastStartMillis, long lastEndMillis, String lastResult,
        long failures, String lastError, long lastErrorMillis, long quarantined) {
    public JobStatus {
        Checks.nonBlank(name, "name");
        Checks.nonNegative(runs, "runs");
        Checks.nonNegative(failures, "failures");
        Checks.nonNegative(quarantined, "quarantined");
    }
}
