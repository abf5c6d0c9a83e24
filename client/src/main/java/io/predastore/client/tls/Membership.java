package io.predastore.client.tls;

import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes make up a cluster and where each is reached: the cluster's name, its node ids and every
 * {@code host:port} of every node (the cluster file gives each pair to one node only). Immutable.
 *
 * @param cluster   the cluster's name
 * @param nodeIds   the ids of its nodes
 * @param endpoints node id by normalized {@code host:port} (see {@link #endpointKey}); empty when the addresses do
 *                  not matter (a server checking who connects only needs the ids)
 */
public record Membership(String cluster, Set<Integer> nodeIds, Map<String, Integer> endpoints) {
    public Membership {
        Objects.requireNonNull(cluster, "cluster");
        // Sorted, so that messages list the nodes in order.
        nodeIds = Collections.unmodifiableSortedSet(new TreeSet<>(nodeIds));
        endpoints = Map.copyOf(endpoints);
        for (Integer id : endpoints.values()) {
            if (!nodeIds.contains(id)) {
                throw new IllegalArgumentException("endpoint of node " + id + ", which is not a member");
            }
        }
    }

    /** The nodes of a cluster file, with all four ports of each. */
    public static Membership of(ClusterConfig config) {
        Set<Integer> ids = new TreeSet<>();
        Map<String, Integer> endpoints = new HashMap<>();
        for (NodeConfig node : config.nodes()) {
            ids.add(node.id());
            for (NodeConfig.NamedPort port : node.ports()) {
                endpoints.put(endpointKey(node.host(), port.port()), node.id());
            }
        }
        return new Membership(config.cluster(), ids, endpoints);
    }

    /**
     * The members of a cluster's replicated member list that are in the cluster (every state but removed), with
     * every port the list gives for each.
     */
    public static Membership of(String cluster, io.predastore.protocol.admin.ClusterMembers list) {
        Set<Integer> ids = new TreeSet<>();
        Map<String, Integer> endpoints = new HashMap<>();
        for (io.predastore.protocol.admin.ClusterMember m : list.members()) {
            if (!m.state().inGroup()) {
                continue;
            }
            int id = Integer.parseInt(m.id().substring(m.id().lastIndexOf('-') + 1));
            ids.add(id);
            for (Integer port : new Integer[] {m.s3Port(), m.adminPort(), m.raftPort(), m.shardPort()}) {
                if (port != null) {
                    endpoints.put(endpointKey(m.host(), port), id);
                }
            }
        }
        return new Membership(cluster, ids, endpoints);
    }

    /** Whether {@code identity} is a node of this cluster. */
    public boolean contains(NodeIdentity identity) {
        return identity.cluster().equals(cluster) && nodeIds.contains(identity.nodeId());
    }

    /** The node reached at {@code host:port}, if any. */
    public Optional<Integer> nodeAt(String host, int port) {
        if (host == null || port < 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(endpoints.get(endpointKey(host, port)));
    }

    /**
     * {@code host:port} with the host in one spelling: without IPv6 brackets, IPv6 literals in their canonical form
     * ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are one address), names in lower case without a trailing dot. Never
     * looks a name up: what counts is the address the cluster file gives, not where a resolver points today.
     */
    public static String endpointKey(String host, int port) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            try {
                // An IPv6 literal (a name has no colon), so no lookup happens.
                h = InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException e) {
                // Not a valid literal after all: keep the text, which then matches only itself.
            }
        } else {
            h = h.toLowerCase(Locale.ROOT);
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
        }
        return h + ":" + port;
    }
}
