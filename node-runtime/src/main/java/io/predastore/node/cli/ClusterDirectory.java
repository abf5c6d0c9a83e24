package io.predastore.node.cli;

import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --dir} option shared by the {@code cluster} subcommands that work on an existing cluster directory
 * (mixed in with {@code @Mixin}), and reading the cluster file in it. {@code cluster init}, which creates the
 * directory, has its own {@code --dir}.
 */
final class ClusterDirectory {
    /** Why a command that changes the members refuses a cluster with nodes on other machines (%s: the command). */
    static final String LOCAL_ONLY = "%s works on clusters whose nodes all run on this machine; some nodes of this "
            + "cluster run on other machines (they have an ssh login), which it does not handle yet (docs/remote.md)";

    @Option(names = "--dir", required = true, description = "The cluster directory.")
    Path dir;

    /** The cluster file of the directory, or null after printing on {@code err} why it cannot be used. */
    ClusterConfig load(PrintWriter err) {
        try {
            ClusterConfig config = ClusterConfigLoader.load(DevClusterInit.clusterFile(dir));
            RemoteNodes.check(config);
            return config;
        } catch (ClusterConfigException e) {
            err.println("error: " + e.getMessage());
            if (e.line() == 0 && "not found".equals(e.reason())) {
                err.println("Create one with: predastore-node cluster init --dir " + dir);
            }
            return null;
        }
    }
}
