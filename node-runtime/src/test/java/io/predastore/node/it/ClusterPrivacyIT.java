package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A cluster run as users run it ({@code cluster up}) keeps its data and secrets private: every node's data and
 * every log are owner-only, and no secret of the cluster file appears on a node's command line or in any log.
 */
class ClusterPrivacyIT extends SharedNode implements OnCluster {

    @Test
    void nodesData_andLogs_areOwnerOnly() throws Exception {
        s3.createBucket(b -> b.bucket("privacy"));
        s3.putObject(b -> b.bucket("privacy").key("inline"), RequestBody.fromString("a small object"));
        s3.putObject(b -> b.bucket("privacy").key("coded"), RequestBody.fromBytes(new byte[300 * 1024]));
        ClusterConfig config = cluster.processes().config();

        List<Path> wide = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            wide.addAll(wideEntries(node.dataDir()));
        }
        wide.addAll(wideEntries(config.directory().resolve("logs")));
        wide.addAll(wideEntries(config.directory().resolve("ca-private")));

        assertThat(wide).as("entries group or others may use").isEmpty();
        assertThat(mode(config.file())).isEqualTo("rw-------");
    }

    @Test
    void secrets_neverReachCommandLinesOrLogs() throws Exception {
        s3.listBuckets();
        ClusterConfig config = cluster.processes().config();
        List<String> secrets = List.of(config.credentials().secretKey(), config.credentials().adminSecretKey());

        for (NodeConfig node : config.nodes()) {
            ProcessHandle process = PidFiles.liveProcess(config.directory(), node.id()).orElseThrow();
            String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            assertThat(commandLine).contains("serve").doesNotContain(secrets);
        }
        try (Stream<Path> logs = Files.list(config.directory().resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                if (!log.toString().endsWith(".gz")) {
                    assertThat(Files.readString(log)).as(log.toString()).doesNotContain(secrets);
                }
            }
        }
    }

    /** {@code root} and everything below it that group or others may use. */
    private static List<Path> wideEntries(Path root) throws IOException {
        List<Path> wide = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                try {
                    if (!mode(p).endsWith("------")) {
                        wide.add(p);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // removed meanwhile (a compaction, a Raft log segment rolled)
                }
            }
        } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                throw e;
            }
        }
        return wide;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
