/**
 * Moves shards between nodes. A {@link io.predastore.node.transport.ShardTransport} serves a node's local
 * {@link io.predastore.node.shard.ShardStore} to its peers ({@link io.predastore.node.transport.ShardServer}) and
 * gives the distributed backend a {@link io.predastore.node.transport.ShardClient} per peer that behaves like a
 * {@code ShardStore} for that remote node. Two implementations speak the same frames
 * ({@link io.predastore.protocol.shard.ShardFrameCodec}): {@link io.predastore.node.transport.TlsTcpTransport} and
 * {@link io.predastore.node.transport.QuicTransport}, both with mutual TLS against the cluster CA. See
 * docs/transport.md.
 *
 * <p>Floor 4, shard transport: uses local stores (shard), identity (pki), foundations (disk) and the leaves.
 * Whether a peer may do what it asks with a shard is decided by a {@link io.predastore.node.transport.ShardAccess}
 * given to the server, which the distributed backend implements from the metadata. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.transport;
