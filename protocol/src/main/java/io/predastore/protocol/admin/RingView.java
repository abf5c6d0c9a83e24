package io.predastore.protocol.admin;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import io.predastore.protocol.ring.VirtualNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The placement ring ({@code GET /admin/v1/ring}).
 *
 * @param partitionCount number of partitions
 * @param replicationFactor virtual nodes per member
 * @param loadFactor bounded-load factor
 * @param members every member, ordered by id
 * @param partitionOwners the owner's member id of each partition, indexed by partition
 */
public record RingView(int partitionCount, int replicationFactor, double loadFactor, List<RingMember> members,
        List<String> partitionOwners) {
    public RingView {
        if (partitionCount < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitionCount and replicationFactor must be positive, not "
                    + partitionCount + " and " + replicationFactor);
        }
        if (!(loadFactor >= 1.0) || Double.isInfinite(loadFactor)) {
            throw new IllegalArgumentException("loadFactor must be a finite number of at least 1, not " + loadFactor);
        }
        members = Checks.list(members, "members");
        partitionOwners = Checks.list(partitionOwners, "partitionOwners");
        Set<String> ids = new HashSet<>();
        for (RingMember m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("Member " + m.id() + " is listed twice");
            }
        }
        if (!members.isEmpty() && partitionOwners.size() != partitionCount) {
            throw new IllegalArgumentException("partitionOwners has " + partitionOwners.size() + " entries for "
                    + partitionCount + " partitions");
        }
        for (String owner : partitionOwners) {
            if (!ids.contains(owner)) {
                throw new IllegalArgumentException("Partition owner " + owner + " is not a member");
            }
        }
    }

    /**
     * The view of {@code ring}.
     *
     * @param alive tells which member ids are currently reachable
     */
    public static RingView of(Ring ring, Predicate<String> alive) {
        Objects.requireNonNull(alive, "alive");
        RingConfig config = ring.config();
        List<RingMember> members = new ArrayList<>();
        for (Member m : ring.members()) {
            List<Double> tokens = new ArrayList<>();
            List<String> raw = new ArrayList<>();
            for (VirtualNode v : ring.virtualNodesOf(m)) {
                tokens.add(v.fraction());
                raw.add(v.unsignedToken());
            }
            members.add(new RingMember(m.id(), tokens, raw, ring.loadOf(m), alive.test(m.id())));
        }
        List<String> owners = new ArrayList<>();
        if (!ring.members().isEmpty()) {
            for (Member owner : ring.partitionOwners()) {
                owners.add(owner.id());
            }
        }
        return new RingView(config.partitionCount(), config.replicationFactor(), config.loadFactor(), members, owners);
    }
}
