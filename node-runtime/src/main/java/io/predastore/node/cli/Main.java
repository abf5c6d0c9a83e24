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

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
