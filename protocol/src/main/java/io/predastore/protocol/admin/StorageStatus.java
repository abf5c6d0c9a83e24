package io.predastore.protocol.admin;

import java.util.List;

/**
 * The health of a node's data disk ({@code storage} in {@code GET /admin/v1/status}).
 *
 * @param usableBytes free bytes on the file system of the node's data directory
 * @param reserveBytes free bytes the node keeps for deletes and metadata
 * @param belowReserve whether free space is below the reserve: the node refuses new data, and a cluster refuses
 *     writes of new data everywhere until space is freed on it (deletes and reads go on)
 * @param problems what else is wrong with the node's storage, one sentence each saying what to do (e.g. a
 *     database that stopped accepting writes); empty when healthy
 * @param restartNeeded whether a problem will not clear by itself and the node must be restarted
 */
public record StorageStatus(long usableBytes, long reserveBytes, boolean belowReserve, List<String> problems,
        boolean restartNeeded) {
    public StorageStatus {
        Checks.nonNegative(usableBytes, "usableBytes");
        Checks.nonNegative(reserveBytes, "reserveBytes");
        problems = Checks.list(problems, "problems");
    }

    /** Whether nothing is wrong: above the reserve and no problem reported. */
    public boolean healthy() {
        return !belowReserve && problems.isEmpty();
    }
}
