package io.predastore.protocol.ring;

import java.util.Objects;

/**
 * One of a member's points on the ring, for inspection and drawing.
 *
 * <p>The token is {@code xxHash64(UTF-8(memberId + "#" + index))}, read as an unsigned 64-bit position on a circle
 * of 2<sup>64</sup> points. Immutable and thread-safe.
 *
 * @param member the member this virtual node belongs to
 * @param index ordinal of this virtual node among the member's, from 0 to {@code replicationFactor - 1}
 * @param token position on the ring, an unsigned 64-bit value
 */
public record VirtualNode(Member member, int index, long token) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if {@code member} is null
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public VirtualNode {
        Objects.requireNonNull(member, "member");
        if (index < 0) {
            throw new IllegalArgumentException("virtual node index must not be negative, got " + index);
        }
    }

    /**
     * Returns this node's position as a fraction of the circle, for drawing.
     *
     * @return a value in {@code [0, 1)}; multiply by 360 for degrees
     */
    public double fraction() {
        return Ring.fractionOf(token);
    }

    /**
     * Returns the token as an unsigned decimal string.
     *
     * @return the unsigned token
     */
    public String unsignedToken() {
        return Long.toUnsignedString(token);
    }
}
