package io.predastore.node.cli;

import io.predastore.client.AdminClient;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The admin API clients of one cluster file's nodes, each made once and kept for the whole command. A command that
 * polls (waiting for a member to become active or removed) must reuse them: every client has its own HTTP
 * connection pool, and a new client per poll leaves connections open until they time out, until the node refuses
 * more from this address. Not thread-safe: one command uses it from one thread.
 */
final class NodeAdmins {
    /** How long a node's admin API gets to answer. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

    private final ClusterConfig config;
    private final Map<Integer, AdminClient> clients = new HashMap<>();
    private ClusterTrust trust;

    NodeAdmins(ClusterConfig config) {
        this.config = config;
    }

    /** The cluster whose nodes these are. */
    ClusterConfig config() {
        return config;
    }

    /**
     * The client of node {@code nodeId}'s admin API, over TLS trusting the cluster CA when the node serves it so.
     *
     * @throws IOException if the cluster CA certificate cannot be read
     */
    AdminClient client(int nodeId) throws IOException {
        AdminClient client = clients.get(nodeId);
        if (client == null) {
            if (config.node(nodeId).adminTls() && trust == null) {
                trust = ClusterTrust.load(config.tls().caCert(), Membership.of(config));
            }
            client = AdminClient.forNode(config, nodeId, trust, ADMIN_TIMEOUT);
            clients.put(nodeId, client);
        }
        return client;
    }
}
