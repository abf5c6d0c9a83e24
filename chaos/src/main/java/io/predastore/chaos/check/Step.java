package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;

/**
 * One operation of a key as the register model sees it: what it requires of the state and what it makes of it, with
 * values interned as ints ({@link KeyModel#ABSENT}, {@link KeyModel#OTHER} or a value read somewhere).
 *
 * @param index     position in the key's list of steps (its bit in a linearized set)
 * @param op        the recorded operation
 * @param kind      its effect on the register
 * @param value     the value it writes ({@link Kind#SET}, {@link Kind#CREATE}, {@link Kind#REPLACE}) or reads
 *                  ({@link Kind#READ})
 * @param expected  the value a {@link Kind#REPLACE} requires or a {@link Kind#NOT_EQUAL} saw absent from the state
 * @param optional  an operation of unknown outcome: it may take effect once at any time after invocation, or never
 * @param invoked   when it was invoked
 * @param completed when it completed; {@link Long#MAX_VALUE} when optional
 */
record Step(int index, Op op, Kind kind, int value, int expected, boolean optional, long invoked, long completed) {
    /** Never a state: returned by {@link #apply} when the step cannot take effect in a state. */
    static final int REJECT = Integer.MIN_VALUE;

    /** The effect of a step on the register. */
    enum Kind {
        /** PUT or completed multipart upload: the state becomes the value. */
        SET,
        /** If-None-Match create: requires absence. */
        CREATE,
        /** If-Match replace: requires the expected value. */
        REPLACE,
        /** The state becomes absent. */
        DELETE,
        /** Observes the state equal to the value. */
        READ,
        /** A refused create: observes the object present. */
        PRESENT,
        /** A refused replace: observes the state other than the expected value. */
        NOT_EQUAL
    }

    /** The state after this step from {@code state}, or {@link #REJECT} if the step cannot happen in it. */
    int apply(int state) {
        return switch (kind) {
            case SET -> value;
            case CREATE -> state == KeyModel.ABSENT ? value : REJECT;
            case REPLACE -> state == expected ? value : REJECT;
            case DELETE -> KeyModel.ABSENT;
            case READ -> state == value ? state : REJECT;
            case PRESENT -> state != KeyModel.ABSENT ? state : REJECT;
            case NOT_EQUAL -> state != expected ? state : REJECT;
        };
    }

    /** Whether the step changes the state when it takes effect. */
    boolean writes() {
        return kind == Kind.SET || kind == Kind.CREATE || kind == Kind.REPLACE || kind == Kind.DELETE;
    }
}
