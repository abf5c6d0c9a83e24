package io.predastore.protocol.admin;

/**
 * The readability verdict of an erasure-coded object: with {@code dataShards} data and {@code parityShards} parity
 * shards, a segment can be read while at least {@code dataShards} of its shards are present, so up to
 * {@code parityShards} may be lost. Pure functions.
 *
 * @param readable whether every segment can be read
 * @param verdict a one-line explanation, e.g. {@code "readable, 1 shard missing, 1 more loss tolerated"}
 */
public record PlacementHealth(boolean readable, String verdict) {
    public PlacementHealth {
        Checks.nonBlank(verdict, "verdict");
    }

    /**
     * The verdict for a segment (or the worst segment of an object) with {@code missing} shards not present.
     *
     * @param dataShards k, at least 1
     * @param parityShards m, at least 0
     * @param missing shards not present (missing, unreachable or corrupt), 0 to k+m
     */
    public static PlacementHealth of(int dataShards, int parityShards, int missing) {
        if (dataShards < 1 || parityShards < 0) {
            throw new IllegalArgumentException("Need at least 1 data shard and no negative parity shards, not "
                    + dataShards + "+" + parityShards);
        }
        int total = dataShards + parityShards;
        if (missing < 0 || missing > total) {
            throw new IllegalArgumentException("Missing shards must be 0 to " + total + ", not " + missing);
        }
        if (missing > parityShards) {
            return new PlacementHealth(false, "unreadable: " + shards(missing) + " missing, at most "
                    + parityShards + " can be lost");
        }
        int left = parityShards - missing;
        String tolerated = left == 0 ? "no more losses tolerated"
                : left + " more " + (left == 1 ? "loss" : "losses") + " tolerated";
        String state = missing == 0 ? "all " + total + " shards present" : shards(missing) + " missing";
        return new PlacementHealth(true, "readable, " + state + ", " + tolerated);
    }

    private static String shards(int n) {
        return n + (n == 1 ? " shard" : " shards");
    }
}
