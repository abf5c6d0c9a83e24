package io.predastore.node.disk;

import java.util.List;

/**
 * What a node's data disk looks like now, for the admin API and logs.
 *
 * @param usableBytes free bytes on the file system of the data directory (estimated, see {@link DiskReserve})
 * @param reserveBytes free bytes kept for deletes and metadata; below them new data is refused
 * @param belowReserve whether free space is below the reserve (the node refuses new data)
 * @param problems what is wrong besides, one sentence each saying what to do (e.g. a database that stopped
 *     accepting writes); empty when healthy
 * @param restartNeeded whether a problem will not clear by itself and the node must be restarted
 */
public record DiskHealth(long usableBytes, long reserveBytes, boolean belowReserve, List<String> problems,
        boolean restartNeeded) {
    public DiskHealth {
        if (usableBytes < 0 || reserveBytes < 0) {
            throw new IllegalArgumentException("negative disk figures: " + usableBytes + ", " + reserveBytes);
        }
        problems = List.copyOf(problems);
    }
}
