package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.supervisor.NodeSupervisor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A node keeps its secrets and data to itself, started as a user would start it (not through the test helpers,
 * which pass keys on the command line): the secret never reaches the command line, the log or the console after
 * the first start; the data directory is owner-only; the log rolls and stays bounded.
 */
class NodePrivacyIT {
    private static final String SECRET = "privacy-test-secret/0123456789abcdefghij";

    @TempDir
    Path dir;

    /** A node process started by {@code sh -c 'umask 022; exec java ... serve ...'}, its stdout collected. */
    private record Node(Process process, URI endpoint, List<String> stdout) implements AutoCloseable {
        String commandLine() throws IOException {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private Node start(Path dataDir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        List<String> java = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC"));
        java.addAll(jvmOptions);
        java.addAll(List.of("-jar", NodeProcess.jar().toString(), "serve", "--data-dir", dataDir.toString(),
                "--s3-port", "0"));
        java.addAll(List.of(args));
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask 022 && exec \"$@\"", "node"));
        cmd.addAll(java);
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.contains("S3 endpoint: ")) {
                        endpoint.complete(URI.create(line.substring(line.indexOf("S3 endpoint: ") + 13).trim()));
                    }
                }
                endpoint.completeExceptionally(new IOException("the node exited: " + lines));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        int logFile = List.of(args).indexOf("--log-file");
        if (logFile >= 0) {
            // With a log file the node reports its endpoint there, not on the console.
            Path log = Path.of(args[logFile + 1]);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String text = Files.exists(log) ? Files.readString(log) : "";
                int at = text.indexOf("S3 endpoint: ");
                if (at >= 0) {
                    int end = text.indexOf('\n', at);
                    endpoint.complete(URI.create(text.substring(at + 13, end < 0 ? text.length() : end).trim()));
                }
                return endpoint.isDone();
            });
        }
        return new Node(p, endpoint.get(60, TimeUnit.SECONDS), lines);
    }

    @Test
    void secretFromTheEnvironment_neverReachesCommandLineLogOrConsole() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("logs/node.log");
        Map<String, String> env = Map.of("PREDASTORE_ACCESS_KEY", "PRIVACYAK", "PREDASTORE_SECRET_KEY", SECRET);
        try (Node node = start(data, env, List.of("-Dpredastore.log.level=DEBUG"), "--log-file", log.toString())) {
            try (S3Client s3 = Clients.s3(node.endpoint(), "PRIVACYAK", SECRET)) {
                s3.createBucket(b -> b.bucket("private"));
                s3.putObject(b -> b.bucket("private").key("k"), RequestBody.fromString("hello"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket("private").key("k")).asUtf8String()).isEqualTo("hello");
            }
            try (S3Client wrong = Clients.s3(node.endpoint(), "PRIVACYAK", SECRET.replace('0', '1'))) {
                assertThatThrownBy(() -> wrong.headBucket(b -> b.bucket("private")))
                        .isInstanceOf(S3Exception.class);
            }
            assertThat(node.commandLine()).contains("serve").doesNotContain(SECRET);
            assertThat(String.join("\n", node.stdout())).doesNotContain(SECRET);
        }
        assertThat(Files.readString(log)).contains("S3 endpoint: ").doesNotContain(SECRET);
    }

    @Test
    void generatedSecret_isShownOnceAndKeptOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        String secret;
        try (Node first = start(data, Map.of(), List.of())) {
            secret = first.stdout().stream().filter(l -> l.startsWith("Secret key:")).findFirst().orElseThrow()
                    .substring("Secret key:".length()).trim();
            assertThat(secret).hasSize(40);
        }
        Path credentials = data.resolve("credentials.properties");
        assertThat(mode(credentials)).isEqualTo("rw-------");
        assertThat(Files.readString(credentials)).contains(secret);
        try (Node second = start(data, Map.of(), List.of())) {
            assertThat(String.join("\n", second.stdout())).contains("Secret key:  in " + credentials)
                    .doesNotContain(secret);
        }
    }

    @Test
    void dataDirectory_isOwnerOnlyEvenUnderAPermissiveUmask() throws Exception {
        Path data = dir.resolve("data");
        try (Node node = start(data, Map.of(), List.of());
                S3Client s3 = Clients.s3(node.endpoint(), accessKey(node), secretOf(data))) {
            s3.createBucket(b -> b.bucket("private"));
            s3.putObject(b -> b.bucket("private").key("small"), RequestBody.fromString("inline"));
            s3.putObject(b -> b.bucket("private").key("large"), RequestBody.fromBytes(new byte[256 * 1024]));
            assertThat(wideEntries(data).stream().filter(Files::isDirectory)).as("directories").isEmpty();
        }
        // Files RocksDB created under umask 022 are narrowed when the node starts again.
        try (Node again = start(data, Map.of(), List.of())) {
            assertThat(again.process().isAlive()).isTrue();
            assertThat(wideEntries(data)).isEmpty();
        }
    }

    @Test
    void logFile_rollsAndStaysBounded() throws Exception {
        Path log = dir.resolve("logs/node.log");
        List<String> small = List.of("-Dpredastore.log.level=DEBUG", "-Dpredastore.log.maxFileSize=16KB",
                "-Dpredastore.log.totalSize=64KB");
        try (Node node = start(dir.resolve("data"), Map.of(), small, "--log-file", log.toString())) {
            // Each refused request is a DEBUG line: 3,000 of them write far more than the 64 KB kept.
            for (int i = 0; i < 3_000; i++) {
                RawHttp.send(node.endpoint(), "GET", "/bucket-" + i + "/key", Map.of(), new byte[0], 0);
            }
            long total;
            try (Stream<Path> files = Files.list(log.getParent())) {
                List<Path> all = files.toList();
                assertThat(all).anyMatch(p -> p.getFileName().toString().endsWith(".gz"));
                total = 0;
                for (Path p : all) {
                    total += Files.size(p);
                }
            }
            // The cap, plus the active file and one being compressed.
            assertThat(total).isLessThan(64 * 1024 + 2 * 16 * 1024 + 8 * 1024);
            assertThat(NodeSupervisor.tail(log, 3)).hasSize(3).allMatch(l -> l.contains("DEBUG"));
        }
    }

    private static String accessKey(Node node) {
        return node.stdout().stream().filter(l -> l.startsWith("Access key:")).findFirst().orElseThrow()
                .substring("Access key:".length()).trim();
    }

    private static String secretOf(Path data) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(data.resolve("credentials.properties"))) {
            p.load(in);
        }
        return p.getProperty("secret_key");
    }

    /** Entries below {@code root} (and itself) that group or others may use. */
    private static List<Path> wideEntries(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !Files.isSymbolicLink(p)).filter(p -> {
                try {
                    String mode = mode(p);
                    return !mode.substring(3).equals("------");
                } catch (IOException e) {
                    return false; // gone meanwhile
                }
            }).toList();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
