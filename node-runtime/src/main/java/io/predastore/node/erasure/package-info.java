/**
 * Systematic Reed-Solomon erasure coding over GF(2^8), bit-compatible with Backblaze JavaReedSolomon and
 * klauspost/reedsolomon, plus a streaming layer that stripes object bytes across data and parity shards.
 *
 * <p>Shard layout used by {@link io.predastore.node.erasure.StripeEncoder} and
 * {@link io.predastore.node.erasure.StripeDecoder}: the object byte stream is cut into stripes of
 * {@code dataShards * chunkSize} bytes; stripe {@code s} holds object bytes
 * {@code [s * dataShards * chunkSize, (s + 1) * dataShards * chunkSize)}, and data shard {@code d} receives the
 * {@code d}-th chunk of {@code chunkSize} bytes of every stripe; parity shard {@code p} receives the {@code p}-th
 * parity chunk computed from that stripe's data chunks. Shard {@code i}'s stream is the concatenation of its chunk
 * for every stripe, so every shard is {@code stripeCount * chunkSize} bytes long. The last stripe is zero-padded
 * before encoding; the padding is stored in the shards but never returned by a reader, which is why the exact
 * object length must come from the object's metadata.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime (the benchmarks use it too). Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.erasure;
