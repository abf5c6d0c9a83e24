package io.predastore.protocol.ring;

/** Assigns partitions to members in order 0..n-1, skipping members already at the load cap. Stateless. */
final class BoundedLoads {

    private BoundedLoads() {
    }

    /**
     * Walks the ring from each partition's start index and picks the first member below {@code cap}.
     *
     * @param partitionStart ring index of the first virtual node at or after each partition's position
     * @param tokenOwner member index of each virtual node, in ring order
     * @param loads per-member partition counts, filled in by this method (must start at zero)
     * @param cap most partitions any member may own; {@code cap * memberCount} must be at least the partition count
     * @return the owning member index of each partition
     */
    static int[] assign(int[] partitionStart, int[] tokenOwner, int[] loads, int cap) {
        int[] owners = new int[partitionStart.length];
        for (int partition = 0; partition < partitionStart.length; partition++) {
            int idx = partitionStart[partition];
            int steps = 0;
            while (loads[tokenOwner[idx]] >= cap) {
                if (++steps >= tokenOwner.length) {
                    throw new IllegalStateException("no member below the load cap " + cap
                            + " for partition " + partition);
                }
                idx = (idx + 1) % tokenOwner.length;
            }
            owners[partition] = tokenOwner[idx];
            loads[tokenOwner[idx]]++;
        }
        return owners;
    }
}
