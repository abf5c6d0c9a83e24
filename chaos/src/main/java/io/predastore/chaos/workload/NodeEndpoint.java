package io.predastore.chaos.workload;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;

/**
 * The S3 endpoint of one node as the workload reaches it.
 *
 * @param id       the node's id; operations record it as {@code n<id>}
 * @param endpoint the node's S3 endpoint, {@code http://} or {@code https://}
 * @param trust    for an {@code https://} endpoint, what decides on the node's certificate (e.g. the cluster CA
 *                 expecting this node); null for plain HTTP or the JDK's default trust
 */
public record NodeEndpoint(int id, URI endpoint, TrustManager trust) {
    public NodeEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        if (id < 1) {
            throw new IllegalArgumentException("node id must be at least 1, not " + id);
        }
    }

    /** The name operations record for this node, e.g. {@code n3}. */
    public String name() {
        return "n" + id;
    }

    /** Plain endpoints, the first being node 1, the second node 2, and so on (a dev cluster's numbering). */
    public static List<NodeEndpoint> numbered(List<URI> endpoints) {
        List<NodeEndpoint> nodes = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            nodes.add(new NodeEndpoint(i + 1, endpoints.get(i), null));
        }
        return List.copyOf(nodes);
    }

    /**
     * Every node of a cluster file, with its S3 endpoint as the file gives it and, for nodes serving HTTPS, trust in
     * the cluster CA expecting that node.
     *
     * @throws IOException if the cluster CA named in the file cannot be read
     */
    public static List<NodeEndpoint> fromCluster(ClusterConfig config) throws IOException {
        ClusterTrust trust = null;
        List<NodeEndpoint> nodes = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            TrustManager nodeTrust = null;
            if (n.s3Tls()) {
                if (trust == null) {
                    trust = ClusterTrust.load(config.tls().caCert(), Membership.of(config));
                }
                nodeTrust = trust.expectingNode(n.id());
            }
            nodes.add(new NodeEndpoint(n.id(), URI.create(n.s3Endpoint()), nodeTrust));
        }
        return List.copyOf(nodes);
    }
}
