/**
 * A node's data disk: free space (the reserve that keeps room for the writes that free space, how running out of
 * space is recognised and answered, the health of the RocksDB databases kept there) and privacy (owner-only
 * directories and files, written atomically).
 *
 * <p>Floor 1, foundations (beside http): uses only the leaves (jobs, for its periodic check). Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.disk;
