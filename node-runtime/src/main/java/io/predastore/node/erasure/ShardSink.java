package io.predastore.node.erasure;

import java.io.IOException;

/**
 * Receives the chunks of each encoded stripe from a {@link StripeEncoder}, e.g. to append them to shard files or
 * send them to the nodes holding the shards. Called on the writer's thread, in stripe order.
 */
@FunctionalInterface
public interface ShardSink {

    /**
     * Accepts one stripe.
     *
     * @param stripeIndex 0-based stripe number; the chunks belong at byte {@code stripeIndex * chunkSize} of each
     *     shard
     * @param chunks {@code dataShards + parityShards} arrays of exactly {@code chunkSize} bytes, data chunks first;
     *     the arrays are reused for the next stripe, so copy or fully consume them before returning
     * @throws IOException to abort the write; the encoder rethrows it to its caller
     */
    void accept(long stripeIndex, byte[][] chunks) throws IOException;
}
