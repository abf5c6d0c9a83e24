/**
 * The distributed backend: objects erasure-coded into shards on the nodes the placement ring picks, their records
 * replicated by the metadata store; the repair of missing and corrupt shards, the reaping of shards no record uses,
 * and the check of which peer may do what with a shard.
 *
 * <p>Floor 7, backends (beside store.fs, which it does not use): uses the storage contract, shard transport, local
 * stores (meta, shard), foundations (disk) and the leaves (erasure, checksum). Only the runtime uses it.
 * Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.store.cluster;
