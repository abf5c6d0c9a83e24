package io.predastore.app.service;

import io.predastore.protocol.admin.ClusterMember;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster the app connected to by one node's admin endpoint and does not supervise: its members as that node
 * listed them, and the credentials to use.
 *
 * @param adminEndpoint the endpoint the user gave
 * @param access        admin and S3 credentials, region
 * @param members       every node, in cluster-file order
 */
public record RemoteCluster(URI adminEndpoint, ClusterAccess access, List<ClusterMember> members) {
    public RemoteCluster {
        Objects.requireNonNull(adminEndpoint, "adminEndpoint");
        Objects.requireNonNull(access, "access");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one node");
        }
    }

    /** The numeric id of a member ({@code node-3} → 3), or its 1-based position if the id has no number. */
    public int nodeId(ClusterMember member) {
        int dash = member.id().lastIndexOf('-');
        try {
            return Integer.parseInt(member.id().substring(dash + 1));
        } catch (NumberFormatException e) {
            return members.indexOf(member) + 1;
        }
    }

    /** Each member's admin base URI by numeric id, with the scheme of the endpoint the user gave. */
    public Map<Integer, URI> adminUris() {
        Map<Integer, URI> out = new LinkedHashMap<>();
        for (ClusterMember m : members) {
            out.put(nodeId(m), URI.create(adminEndpoint.getScheme() + "://" + hostPart(m.host()) + ":"
                    + m.adminPort()));
        }
        return out;
    }

    /** A member's S3 endpoint (plain HTTP, as the nodes serve S3 unless given a certificate). */
    public URI s3Endpoint(ClusterMember member) {
        return URI.create("http://" + hostPart(member.host()) + ":" + member.s3Port());
    }

    /** The member with this numeric id. */
    public ClusterMember member(int nodeId) {
        return members.stream().filter(m -> nodeId(m) == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId));
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
