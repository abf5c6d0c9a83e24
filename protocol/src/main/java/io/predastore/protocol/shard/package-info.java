/**
 * The versioned wire format nodes use to move shards to each other: fixed-header frames
 * ({@link io.predastore.protocol.shard.ShardFrame}) encoded and decoded by
 * {@link io.predastore.protocol.shard.ShardFrameCodec} over Netty buffers, and the warrants that entitle a shard
 * request. Transport-neutral: the same frames run over TLS/TCP connections and QUIC streams.
 *
 * <p>Uses no other package of {@code protocol}. Like all of {@code protocol}, it uses neither the node nor the
 * desktop app, nor any server library (checked by protocol's ArchitectureTest).
 */
package io.predastore.protocol.shard;
