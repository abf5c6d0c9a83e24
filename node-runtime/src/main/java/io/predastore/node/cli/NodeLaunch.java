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

    /** How long to wait for the started nodes, and the jar to start them from. */
    record Resolved(java.time.Duration timeout, Path nodeJar) {
    }

    /**
     * The wait given as {@code waitText} (e.g. {@code 120s}) and the node jar, or null once the reason is printed on
     * {@code err} (the command then exits 2).
     */
    Resolved resolve(String waitText, java.io.PrintWriter err) {
        try {
            return new Resolved(io.predastore.node.bench.Durations.parse(waitText), nodeJar());
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }
}
