package io.predastore.protocol.ring;

import java.util.Objects;

/**
 * A cluster member as the ring sees it: only its stable identifier, such as {@code "node-3"}.
 *
 * <p>Network addresses live in the cluster configuration, not here, so that a member keeps its ring positions
 * when its host or ports change. Members order by id. Immutable and thread-safe.
 *
 * @param id stable, non-blank member identifier
 */
public record Member(String id) implements Comparable<Member> {

    /**
     * Validates the id.
     *
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public Member {
        Objects.requireNonNull(id, "member id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("member id must not be blank");
        }
    }

    @Override
    public int compareTo(Member other) {
        return id.compareTo(other.id);
    }

    @Override
    public String toString() {
        return id;
    }
}
