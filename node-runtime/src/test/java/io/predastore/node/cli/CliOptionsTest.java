package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.runtime.TuningOverrides;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's options: the help of every command, the shared {@code --dir}, and what overrides the file. */
class CliOptionsTest {

    /**
     * Each command's help as released (src/test/resources/cli-help): options shared through mixins must not change
     * a name or a word of it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "bench", "cluster", "cluster init", "cluster up", "cluster down",
            "cluster add-secret", "cluster status", "cluster health", "cluster add-node", "cluster remove-node",
            "cluster replace-node", "cluster credentials", "cluster deploy", "cluster start-node", "cluster stop-node",
            "cluster kill-node"})
    void help_isUnchanged(String command) throws IOException {
        CommandLine cli = Main.commandLine();
        for (String name : command.isEmpty() ? List.<String>of() : List.of(command.split(" "))) {
            cli = cli.getSubcommands().get(name);
        }
        String resource = "/cli-help/" + (command.isEmpty() ? "main" : command.replace(' ', '_')) + ".txt";
        PrintStream saved = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        String usage;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            usage = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
        } finally {
            System.setErr(saved);
        }
        try (InputStream in = CliOptionsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            assertThat(usage).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // picocli formats descriptions with String.format: a bare % prints a warning with every help.
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "down", "add-secret", "status", "credentials", "add-node", "deploy", "stop-node",
            "kill-node", "start-node"})
    void clusterDirectory_isParsedIntoTheMixin(String subcommand) {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult parsed = subcommand.endsWith("-node") && !subcommand.equals("add-node")
                ? cli.parseArgs("cluster", subcommand, "2", "--dir", "/srv/cluster")
                : cli.parseArgs("cluster", subcommand, "--dir", "/srv/cluster");

        Object command = parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(directoryOf(command).dir).isEqualTo(Path.of("/srv/cluster"));
    }

    @Test
    void clusterDirectory_missing_isAUsageError() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("cluster", "status")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--dir=<dir>'");
    }

    @Test
    void serve_limitsNotGiven_leaveTheClusterFileToDecide() {
        ServeCommand serve = parse();
        assertThat(serve.tuningOverrides(serve.connectionLimits())).isEqualTo(TuningOverrides.NONE);
    }

    @Test
    void serve_limitsGiven_overrideTheClusterFile() {
        ServeCommand serve = parse("--max-requests", "8", "--max-connections", "64", "--header-timeout", "5s");
        assertThat(serve.tuningOverrides(serve.connectionLimits()))
                .isEqualTo(new TuningOverrides(8, 64, Duration.ofSeconds(5)));
        // A value equal to the default, given, still wins over the file.
        ServeCommand defaults = parse("--max-connections", "1024");
        assertThat(defaults.tuningOverrides(defaults.connectionLimits()))
                .isEqualTo(new TuningOverrides(null, 1024, null));
    }

    private static ClusterDirectory directoryOf(Object command) {
        if (command instanceof ClusterCommand.Up c) {
            return c.cluster;
        } else if (command instanceof ClusterCommand.Down c) {
            return c.cluster;
        } else if (command instanceof ClusterCommand.AddSecret c) {
            return c.cluster;
        } else if (command instanceof StatusCommand c) {
            return c.cluster;
        } else if (command instanceof AddNodeCommand c) {
            return c.cluster;
        } else if (command instanceof ClusterCommand.CredentialsCommand c) {
            return c.cluster;
        } else if (command instanceof DeployCommand c) {
            return c.cluster;
        } else if (command instanceof NodeProcessCommands.StartNode c) {
            return c.cluster;
        } else if (command instanceof NodeProcessCommands.StopNode c) {
            return c.cluster;
        } else if (command instanceof NodeProcessCommands.KillNode c) {
            return c.cluster;
        }
        throw new AssertionError(command);
    }

    private static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }
}
