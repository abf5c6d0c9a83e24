/**
 * The versioned wire format nodes use to move shards to each other: fixed-header frames ({@link
 * io.predastore.protocol.shard.ShardFrame}) encoded and decoded by {@link io.predastore.protocol.shard.ShardFrameCodec}
 * over Netty buffers. Transport-neutral: the same frames run over TLS/TCP connections and QUIC streams.
 */
package io.predastore.protocol.shard;
