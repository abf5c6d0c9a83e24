package io.predastore.app.service;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.protocol.admin.ClusterMember;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.TrustManager;

/**
 * A cluster the app connected to by one node's admin endpoint and does not supervise: its members as that node
 * listed them, the credentials to use, and the trust in its CA for the nodes that serve HTTPS.
 *
 * @param adminEndpoint the endpoint the user gave
 * @param access        admin and S3 credentials, region
 * @param members       every node, in cluster-file order
 * @param trust         trust in the cluster CA ({@link ClusterTrust#forDiscovery}), or null without a CA certificate
 */
public record RemoteCluster(URI adminEndpoint, ClusterAccess access, List<ClusterMember> members,
        ClusterTrust trust) {
    public RemoteCluster {
        Objects.requireNonNull(adminEndpoint, "adminEndpoint");
        Objects.requireNonNull(access, "access");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one node");
        }
    }

    /** A cluster reached over plain HTTP. */
    public RemoteCluster(URI adminEndpoint, ClusterAccess access, List<ClusterMember> members) {
        this(adminEndpoint, access, members, null);
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

    /**
     * Each member's admin base URI by numeric id: HTTPS when the member says its admin API serves TLS or the user
     * gave an {@code https} endpoint, else HTTP.
     */
    public Map<Integer, URI> adminUris() {
        Map<Integer, URI> out = new LinkedHashMap<>();
        for (ClusterMember m : members) {
            boolean tls = m.adminTls() || adminEndpoint.getScheme().equals("https");
            out.put(nodeId(m), URI.create((tls ? "https" : "http") + "://" + hostPart(m.host()) + ":"
                    + m.adminPort()));
        }
        return out;
    }

    /** A member's S3 endpoint: HTTPS when the member says its S3 port serves TLS, else HTTP. */
    public URI s3Endpoint(ClusterMember member) {
        return URI.create((member.s3Tls() ? "https" : "http") + "://" + hostPart(member.host()) + ":"
                + member.s3Port());
    }

    /**
     * What a client of node {@code nodeId} trusts for HTTPS: the cluster CA, accepting only that node's
     * certificate; null without a CA certificate (then the JDK's trust store decides, as for any HTTPS site).
     */
    public TrustManager trustFor(int nodeId) {
        return trust == null ? null : trust.expectingNode(nodeId);
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
