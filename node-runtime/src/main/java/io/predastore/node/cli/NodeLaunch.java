package io.predastore.node.cli;

import io.predastore.node.supervisor.NodeLaunchSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the {@code cluster} subcommands that start node processes start them ({@code --heap}, {@code --jar}), mixed in
 * with {@code @Mixin} so every such command spells and defaults them alike.
 */
final class NodeLaunch {
    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each node (default: "
            + "${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jar", description = "The node jar (default: the jar running this command).")
    Path jar;

    /**
     * The jar to start nodes from.
     *
     * @throws IllegalStateException if none was given and this command does not run from a jar
     */
    Path nodeJar() {
        return jar != null ? jar : NodeLaunchSpec.runningJar();
    }
}
