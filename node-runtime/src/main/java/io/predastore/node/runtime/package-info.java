/**
 * The node's composition root: builds every part of a node in order and closes them in reverse, either a node alone
 * on the filesystem backend or a cluster node (shard store, shard transport, peer liveness, Raft peer, distributed
 * backend, admin API).
 *
 * <p>Floor 10, roots (beside bench and the supervisor): uses every floor below, and is the only package that chooses
 * a backend implementation. Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.runtime;
