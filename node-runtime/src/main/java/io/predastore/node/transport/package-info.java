/**
 * Moves shards between nodes. A {@link io.predastore.node.transport.ShardTransport} serves a node's local
 * {@link io.predastore.node.shard.ShardStore} to its peers ({@link io.predastore.node.transport.ShardServer}) and
 * gives the distributed backend a {@link io.predastore.node.transport.ShardClient} per peer that behaves like a
 * {@code ShardStore} for that remote node. Two implementations speak the same frames
 * ({@link io.predastore.protocol.shard.ShardFrameCodec}): {@link io.predastore.node.transport.TlsTcpTransport} and
 * {@link io.predastore.node.transport.QuicTransport}, both with mutual TLS against the cluster CA. See
 * docs/transport.md.
 */
package io.predastore.node.transport;
