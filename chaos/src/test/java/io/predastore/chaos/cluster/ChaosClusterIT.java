package io.predastore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.chaos.history.Bodies;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A cluster on its own network hosts, driven through every fault the nemesis uses; needs root (see Hosts). */
class ChaosClusterIT {
    @TempDir
    Path dir;

    static Path nodeJar() {
        return Path.of(System.getProperty("predastore.node.jar", "../node-runtime/target/predastore-node.jar"));
    }

    static S3Client s3(ChaosCluster cluster, int node) {
        return S3Client.builder()
                .endpointOverride(cluster.s3Endpoint(node))
                .region(Region.of(cluster.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cluster.accessKey(),
                        cluster.secretKey())))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** Whether a TCP connection from inside node {@code from}'s namespace to {@code host:port} succeeds. */
    static boolean reaches(Hosts hosts, int from, String host, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(hosts.inNamespace(from, List.of("timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port))).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("the probe finishes").isTrue();
        return p.exitValue() == 0;
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + timeout).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    static char state(ProcessHandle p) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"), StandardCharsets.UTF_8);
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private final long t0 = System.nanoTime();

    /** Notes how long the test has run at each step, for a slow run to show where its time went. */
    private void step(String what) {
        System.out.printf("ChaosClusterIT %6.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    @Test
    void cluster_onItsOwnHosts_takesEveryFaultAndLeavesNothingBehind() throws Exception {
        ChaosCluster cluster = ChaosCluster.start(dir.resolve("cluster"), nodeJar());
        String prefix = cluster.hosts().runPrefix();
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            Hosts hosts = cluster.hosts();
            assertThat(cluster.nodeIds()).containsExactly(1, 2, 3, 4, 5);
            for (int n : cluster.nodeIds()) {
                URI endpoint = cluster.s3Endpoint(n);
                assertThat(endpoint.getScheme()).isEqualTo("http");
                assertThat(endpoint.getHost()).isEqualTo(hosts.address(n));
                processes.add(cluster.process(n).orElseThrow());
            }

            step("cluster up");
            // S3 through the bridge, from the root namespace.
            byte[] body = Bodies.make("k1", "w1", 4096);
            try (S3Client s3 = s3(cluster, 1)) {
                s3.createBucket(b -> b.bucket("chaos"));
                s3.putObject(b -> b.bucket("chaos").key("k1"), RequestBody.fromBytes(body));
            }
            try (S3Client s3 = s3(cluster, 4)) {
                byte[] read = s3.getObjectAsBytes(b -> b.bucket("chaos").key("k1")).asByteArray();
                assertThat(Bodies.parse("k1", read)).isEqualTo(new Bodies.Parsed("w1", true));
            }

            step("PUT and GET done");
            // Node 1 cut off from the others: it cannot reach node 2's shard port; nodes 2 and 3 still reach
            // each other.
            int shard2 = cluster.config().node(2).shardPort();
            int shard3 = cluster.config().node(3).shardPort();
            assertThat(reaches(hosts, 1, hosts.address(2), shard2)).as("1 -> 2 before").isTrue();
            for (int other = 2; other <= 5; other++) {
                cluster.partition(1, other);
            }
            assertThat(reaches(hosts, 1, hosts.address(2), shard2)).as("1 -> 2 cut").isFalse();
            assertThat(reaches(hosts, 2, hosts.address(1), cluster.config().node(1).shardPort()))
                    .as("2 -> 1 cut").isFalse();
            assertThat(reaches(hosts, 2, hosts.address(3), shard3)).as("2 -> 3 during").isTrue();
            assertThat(reaches(hosts, 3, hosts.address(2), shard2)).as("3 -> 2 during").isTrue();
            cluster.heal();
            assertThat(hosts.partitions()).isEmpty();
            assertThat(reaches(hosts, 1, hosts.address(2), shard2)).as("1 -> 2 healed").isTrue();

            step("partition checked");
            // The leader killed: another is elected; the old one comes back.
            int leader = cluster.awaitLeader(Duration.ofSeconds(30));
            cluster.kill(leader);
            assertThat(cluster.process(leader)).isEmpty();
            awaitTrue("a new leader", Duration.ofSeconds(60), () -> {
                OptionalInt now = cluster.leader();
                return now.isPresent() && now.getAsInt() != leader;
            });
            cluster.start(leader);
            cluster.awaitServing(leader, Duration.ofSeconds(90));
            processes.add(cluster.process(leader).orElseThrow());

            step("new leader elected, old leader serving again");
            // A node paused stops answering; resumed, it answers again.
            int paused = leader == 5 ? 4 : 5;
            ProcessHandle pausedProcess = cluster.process(paused).orElseThrow();
            cluster.pause(paused);
            assertThat(state(pausedProcess)).isEqualTo('T');
            assertThatThrownBy(() -> cluster.admin(paused).status()).isInstanceOf(IOException.class);
            cluster.resume(paused);
            assertThat(state(pausedProcess)).isNotEqualTo('T');
            cluster.awaitServing(paused, Duration.ofSeconds(30));

            step("pause and resume done");
            // The object is still there after all that.
            try (S3Client s3 = s3(cluster, paused)) {
                byte[] read = s3.getObjectAsBytes(b -> b.bucket("chaos").key("k1")).asByteArray();
                assertThat(Bodies.parse("k1", read).intact()).isTrue();
            }
        } finally {
            cluster.close();
            step("closed");
        }

        assertThat(processes).allSatisfy(p -> assertThat(p.isAlive()).as("node process %d", p.pid()).isFalse());
        assertThat(Hosts.listNamespaces()).noneMatch(ns -> ns.startsWith(prefix));
        assertThat(Hosts.listLinks()).noneMatch(link -> link.startsWith(prefix));
    }
}
