package io.predastore.node.cli;

import io.predastore.node.remote.RemoteHost;
import io.predastore.node.remote.SshSettings;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSH connections of one {@code cluster} command to the hosts of a cluster's remote nodes: one per host, made
 * when first needed with the cluster's SSH settings ({@link RemoteNodes#settings}), all closed at the end. Nodes
 * started over them keep running.
 */
final class RemoteHosts implements AutoCloseable {
    private final SshSettings settings;
    private final Map<SshTarget, RemoteHost> open = new LinkedHashMap<>();

    RemoteHosts(ClusterConfig config) {
        this.settings = RemoteNodes.settings(config);
    }

    /** The connection to {@code target}, made now if there is none yet. */
    RemoteHost get(SshTarget target) throws IOException {
        RemoteHost host = open.get(target);
        if (host == null) {
            host = RemoteHost.connect(target, settings);
            open.put(target, host);
        }
        return host;
    }

    @Override
    public void close() {
        open.values().forEach(RemoteHost::close);
        open.clear();
    }
}
