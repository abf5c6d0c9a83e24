package io.predastore.node.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real node started as its own JVM from the built {@code predastore-node.jar}, on a free port, with a small
 * heap. The process is stopped with SIGTERM by {@link #close()} (or killed if it does not stop in time).
 */
final class NodeProcess implements AutoCloseable {
    static final String ACCESS_KEY = "PSTESTACCESSKEY";
    static final String SECRET_KEY = "test/secret+key/0123456789abcdefghijABCD";

    private final Process process;
    private final URI endpoint;
    private final Path dataDir;
    private final Path log;

    private NodeProcess(Process process, URI endpoint, Path dataDir, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.log = log;
    }

    static Path jar() {
        String jar = System.getProperty("predastore.node.jar", "target/predastore-node.jar");
        Path p = Paths.get(jar).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("the node jar " + p + " is missing; run mvn package first");
        }
        return p;
    }

    /** Starts a node on {@code dataDir} with the test credentials and waits until it prints its endpoint. */
    static NodeProcess start(Path dataDir, String heap, String... extraArgs) throws IOException {
        return start(dataDir, heap, List.of(), extraArgs);
    }

    /** As {@link #start(Path, String, String...)}, with JVM options (such as {@code -Dname=value}) too. */
    static NodeProcess start(Path dataDir, String heap, List<String> jvmOptions, String... extraArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dio.netty.leakDetection.level=paranoid"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString(), "serve",
                "--data-dir", dataDir.toString(), "--s3-port", "0",
                "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY));
        cmd.addAll(List.of(extraArgs));
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-node.log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("S3 endpoint: ")) {
                        endpoint.complete(URI.create(line.substring("S3 endpoint: ".length()).trim()));
                    }
                }
                endpoint.completeExceptionally(new IOException("the node exited before it was ready"));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        }, "node-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new NodeProcess(p, endpoint.get(60, TimeUnit.SECONDS), dataDir, log);
        } catch (Exception e) {
            p.destroyForcibly();
            String output = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException("node did not start: " + e + "\n" + output, e);
        }
    }

    private static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    URI endpoint() {
        return endpoint;
    }

    Path dataDir() {
        return dataDir;
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Sends SIGTERM and waits for a clean exit; returns the exit code. */
    int stop() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("node did not stop within 30 s of SIGTERM", new TimeoutException());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            stop();
        }
    }
}
