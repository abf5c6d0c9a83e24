package io.predastore.chaos.check;

/** What kind of problem a {@link Finding} reports. All but {@link #UNDECIDED} are violations of correctness. */
public enum FindingType {
    /** A read returned bytes no write produced (wrong key, length or checksum). */
    CORRUPT_READ,
    /** A read found the object absent although a write had certainly completed and no delete could have followed. */
    LOST_WRITE,
    /** A read returned a value after a delete that certainly came after every write of that value. */
    RESURRECTED_DELETE,
    /** Two {@code If-None-Match: *} creates both succeeded with no delete possible between them. */
    DOUBLE_CREATE,
    /** A read returned a write id that no write of this key ever sent. */
    PHANTOM_READ,
    /** No order of the key's operations explains the history (e.g. a stale read) and no narrower type applies. */
    NOT_LINEARIZABLE,
    /** A final listing missed a key whose final read found it present, or listed one found absent. */
    LISTING_INCOMPLETE,
    /**
     * After every fault was healed, the cluster did not bring every object back to full protection (every shard of
     * every set healthy) within the wait: damage it should have found and rebuilt was left.
     */
    UNDER_PROTECTED,
    /**
     * After every fault was healed and the members settled, a final read through a member still failed after its
     * attempts: what the history says the key holds (an object, or none) could not be read back.
     */
    UNREADABLE,
    /**
     * After every fault was healed, a member was still joining or draining when the wait for it ran out, or a
     * removed node did not delete its data when it left.
     */
    MEMBERS_UNSETTLED,
    /** The search for an order ran out of its step budget: neither proved correct nor violated. */
    UNDECIDED;

    /** Whether this finding proves the system misbehaved (everything but {@link #UNDECIDED}). */
    public boolean violation() {
        return this != UNDECIDED;
    }
}
