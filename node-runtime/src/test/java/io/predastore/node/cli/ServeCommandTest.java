package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {
    @Test
    void connectionOptions_defaults() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        assertThat(serve.maxConnections).isEqualTo(1024);
        assertThat(serve.headerTimeout).isEqualTo("30s");
    }

    @Test
    void badConnectionOptions_exit2NamingTheOption_beforeStartingAnything() {
        assertThat(run("--header-timeout", "soon")).startsWith("error: --header-timeout: 'soon' is not a duration");
        assertThat(run("--header-timeout", "500ms")).contains("--header-timeout must be 1s to 1h");
        assertThat(run("--max-connections", "0")).contains("--max-connections must be 1 to");
    }

    /** Runs {@code serve} with {@code args}, expecting exit code 2; returns what it printed on stderr. */
    private static String run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new ServeCommand()).execute(args)).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
