package io.predastore.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code predastore-node} command line. */
@Command(name = "predastore-node", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A Predastore storage node: an S3-compatible object store.",
        subcommands = {ServeCommand.class, BenchCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The system property that sizes the JVM's common fork-join pool. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        useSharedAsyncPool();
        System.exit(commandLine().execute(args));
    }

    /**
     * Gives the common fork-join pool at least two threads, unless the user sized it. Ratis completes some client
     * calls (every linearizable read among them) with {@code CompletableFuture}'s default async executor, which is
     * the common pool only when its parallelism exceeds one; otherwise, as on any machine with two cores or fewer,
     * it starts a new thread for every call. Must run before anything touches {@code ForkJoinPool} or
     * {@code CompletableFuture}, which read the property once.
     */
    static void useSharedAsyncPool() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    /** The configured command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
