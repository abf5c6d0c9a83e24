package io.predastore.chaos.history;

/** How an operation ended, as far as its client could tell. */
public enum Outcome {
    /** It took effect (a write) or returned an answer (a read), exactly once, between invocation and completion. */
    OK,
    /**
     * A conditional write refused because its condition did not hold ({@code 412 PreconditionFailed}): it had no
     * effect, and it observed that the condition was false at some moment between invocation and completion.
     */
    REFUSED,
    /** It certainly had no effect (an error the server answered before changing anything, e.g. 503 SlowDown). */
    FAILED,
    /**
     * The client cannot tell: a timeout, a dropped connection, or a 5xx after the request was sent. A write may have
     * taken effect at any moment after its invocation, or never; a read of this kind observed nothing.
     */
    UNKNOWN
}
