package io.predastore.node.meta;

/** What applying a {@link MetaBatch} did. */
public enum ApplyOutcome {
    /** A condition did not hold; nothing was written. */
    NOT_APPLIED,
    /** Every operation was written, and no {@link MetaBatch.Replace} found a previous value to keep. */
    APPLIED,
    /** Every operation was written, and at least one {@link MetaBatch.Replace} kept the value it replaced. */
    APPLIED_KEPT_PREVIOUS;

    /** Whether the batch was written. */
    public boolean applied() {
        return this != NOT_APPLIED;
    }
}
