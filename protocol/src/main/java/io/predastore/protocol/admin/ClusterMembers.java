package io.predastore.protocol.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every node in the answering node's cluster file ({@code GET /admin/v1/members}), in file order.
 *
 * @param members one entry per node, the answering node included
 */
public record ClusterMembers(List<ClusterMember> members) {
    public ClusterMembers {
        members = Checks.list(members, "members");
        Set<String> ids = new HashSet<>();
        for (ClusterMember m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("Member " + m.id() + " is listed twice");
            }
        }
    }
}
