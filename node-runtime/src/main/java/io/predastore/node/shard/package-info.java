/**
 * Shard storage on one node: the {@link io.predastore.node.shard.ShardStore} contract, which local and remote
 * stores both meet, with shard ids and errors, and the node-local store: append-only segment files of checksummed
 * records found through a RocksDB index.
 *
 * <p>Floor 3, local stores (beside meta, which it does not use): uses foundations (disk) and the leaves. Floors are
 * drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.shard;
