package io.predastore.node.erasure;

/**
 * Checks each chunk a {@link StripeDecoder} reads before it is used: a chunk that fails makes its shard count as
 * missing for the rest of the read, so parity takes its place. Called on the decoder's thread.
 */
@FunctionalInterface
public interface ChunkVerifier {
    /**
     * Whether {@code chunk} is the chunk of shard {@code shard} in stripe {@code stripe} as it was written.
     *
     * @param stripe the stripe's index within the whole object (not within the range read)
     * @param chunk exactly one chunk; the verifier must not keep or change it
     */
    boolean verify(int shard, long stripe, byte[] chunk);
}
