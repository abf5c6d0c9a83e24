/**
 * Cluster metadata: ordered key-value tables ({@link io.predastore.node.meta.MetadataStore}) changed by conditional
 * batches that every peer applies alike, replicated by Raft (Apache Ratis over gRPC) into RocksDB on every peer, or
 * kept by a single node without Raft; and the guard and seal that let only the cluster's nodes, running the node
 * software, use the Raft port. Keys and values are opaque bytes here: what they mean belongs to the backends.
 *
 * <p>Floor 3, local stores (beside shard, which it does not use): uses identity (pki), foundations (disk) and the
 * leaves (faultlog). Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.meta;
