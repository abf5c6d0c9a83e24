package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir
    Path dir;

    private static ServeCommand parse(Map<String, String> env, String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        serve.environment = env::get;
        return serve;
    }

    @Test
    void resolveCredentials_nothingGiven_usesTheStoredPair() {
        ServeCommand serve = parse(Map.of());

        assertThat(serve.resolveCredentials()).isNull();
        assertThat(serve.accessKey).isNull();
        assertThat(serve.secretKey).isNull();
    }

    @Test
    void resolveCredentials_fromTheEnvironment_keepsTheSecretOffTheCommandLine() {
        ServeCommand serve = parse(Map.of(ServeCommand.ACCESS_KEY_ENV, "AK", ServeCommand.SECRET_KEY_ENV, "s3cr3t"));

        assertThat(serve.resolveCredentials()).isEqualTo("from " + ServeCommand.SECRET_KEY_ENV);
        assertThat(serve.accessKey).isEqualTo("AK");
        assertThat(serve.secretKey).isEqualTo("s3cr3t");
    }

    @Test
    void resolveCredentials_fromAFile_readsItsFirstLine() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "  s3cr3t  \nignored\n");
        ServeCommand serve = parse(Map.of(), "--access-key", "AK", "--secret-key-file", file.toString());

        assertThat(serve.resolveCredentials()).isEqualTo("from " + file);
        assertThat(serve.secretKey).isEqualTo("s3cr3t");
    }

    @Test
    void resolveCredentials_inconsistent_saysWhatToGive() throws Exception {
        assertThatThrownBy(() -> parse(Map.of(), "--access-key", "AK").resolveCredentials())
                .hasMessageContaining("give both an access key");
        assertThatThrownBy(() -> parse(Map.of(ServeCommand.SECRET_KEY_ENV, "s"), "--secret-key", "x")
                .resolveCredentials()).hasMessageContaining("give both");
        Path file = Files.writeString(dir.resolve("secret"), "s");
        assertThatThrownBy(() -> parse(Map.of(), "--access-key", "AK", "--secret-key", "x", "--secret-key-file",
                file.toString()).resolveCredentials()).hasMessageContaining("give the secret key once");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> parse(Map.of(), "--access-key", "AK", "--secret-key-file", empty.toString())
                .resolveCredentials()).hasMessageContaining("is empty");
        assertThatThrownBy(() -> parse(Map.of(), "--access-key", "AK", "--secret-key-file",
                dir.resolve("missing").toString()).resolveCredentials())
                .hasMessageContaining("cannot read the secret key file");
    }

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
