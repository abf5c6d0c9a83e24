package io.predastore.node.erasure;

/**
 * The stripes, and the byte range within each shard, needed to serve a range of object bytes; see
 * {@link StripeLayout#shardRange(long, long, long)}. Immutable.
 *
 * @param firstStripe index of the first stripe covered
 * @param stripeCount number of stripes covered
 * @param shardOffset first byte to read in each shard ({@code firstStripe * chunkSize})
 * @param shardLength bytes to read from each shard ({@code stripeCount * chunkSize})
 */
public record ShardRange(long firstStripe, long stripeCount, long shardOffset, long shardLength) {
}
