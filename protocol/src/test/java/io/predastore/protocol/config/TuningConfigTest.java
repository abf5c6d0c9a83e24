package io.predastore.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningConfigTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("cluster.toml");
        Files.writeString(file, text);
        return file;
    }

    /** A valid cluster file with {@code tuning} as its {@code [tuning]} table (line 15 holds its first key). */
    private static String withTuning(String tuning) {
        StringBuilder sb = new StringBuilder(ClusterConfigLoaderTest.header(3, 2)).append("[tuning]\n").append(tuning);
        for (int i = 1; i <= 5; i++) {
            sb.append(ClusterConfigLoaderTest.node(i, 9000 + 10 * i));
        }
        return sb.toString();
    }

    private String failure(String tuning) throws IOException {
        Path file = write(withTuning(tuning));
        try {
            ClusterConfigLoader.load(file);
        } catch (ClusterConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected [tuning] to be refused:\n" + tuning);
    }

    private String prefix() {
        return "cluster file " + dir.resolve("cluster.toml").toAbsolutePath().normalize();
    }

    @Test
    void defaults_areTheDocumentedValues() {
        TuningConfig d = TuningConfig.DEFAULTS;
        assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.tombstoneSweepInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.compactionInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.repairCheckInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.leaderWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.leaderObserveInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.diskCheckInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.transportConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.transportRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.tlsIdleConnectionsPerPeer()).isEqualTo(64);
        assertThat(d.quicConnectionsPerPeer()).isEqualTo(4);
        assertThat(d.quicMaxDatagramBytes()).isZero();
        assertThat(d.transportEventLoopThreads()).isZero();
        assertThat(d.s3MaxRequests()).isEqualTo(256);
        assertThat(d.s3MaxConnections()).isEqualTo(1024);
        assertThat(d.s3HeaderTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.s3IoThreads()).isZero();
        assertThat(d.adminMaxConnections()).isEqualTo(128);
        assertThat(d.adminMaxConnectionsPerClient()).isEqualTo(16);
        assertThat(d.adminMaxWorkers()).isEqualTo(16);
        assertThat(d.adminBodyBytesPerClient()).isEqualTo(4L << 20);
        assertThat(d.adminBodyBytesTotal()).isEqualTo(16L << 20);
        assertThat(d.repairRoundInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.repairUnreferencedGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.corruptShardReportQuiet()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.raftRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.raftElectionMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.raftElectionMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.shardSegmentBytes()).isEqualTo(64L << 20);
        assertThat(d.shardCompactionThresholdPercent()).isEqualTo(50);
        assertThat(d.s3IdleTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void load_withoutTuning_usesTheDefaults() throws IOException {
        assertThat(ClusterConfigLoader.load(write(ClusterConfigLoaderTest.valid())).tuning())
                .isEqualTo(TuningConfig.DEFAULTS);
    }

    @Test
    void load_someKeys_areReadAndTheRestKeepTheirDefaults() throws IOException {
        TuningConfig tuning = ClusterConfigLoader.load(write(withTuning("ping_interval_ms = 250\n"
                + "s3_max_connections = 64\nadmin_body_bytes_total = 33554432\n"))).tuning();

        assertThat(tuning.pingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(tuning.s3MaxConnections()).isEqualTo(64);
        assertThat(tuning.adminBodyBytesTotal()).isEqualTo(32L << 20);
        assertThat(tuning).isEqualTo(TuningConfig.fromToml(Map.of("ping_interval_ms", 250L,
                "s3_max_connections", 64L, "admin_body_bytes_total", 32L << 20)));
        assertThat(tuning.compactionInterval()).isEqualTo(TuningConfig.DEFAULTS.compactionInterval());
    }

    @Test
    void load_everyKey_isRead() throws IOException {
        // Every key set away from its default (a key that defaults to 0, "the node chooses", to a valid number).
        Map<String, Long> chosen = new LinkedHashMap<>();
        TuningConfig.DEFAULTS.toToml().forEach((key, value) -> chosen.put(key,
                value != 0 ? value + 1 : key.equals("quic_max_datagram_bytes") ? 1500 : 3));
        StringBuilder all = new StringBuilder();
        chosen.forEach((key, value) -> all.append(key).append(" = ").append(value).append('\n'));

        TuningConfig tuning = ClusterConfigLoader.load(write(withTuning(all.toString()))).tuning();

        assertThat(tuning.toToml()).isEqualTo(chosen);
    }

    @Test
    void load_outOfRange_namesTheKeyTheLineAndTheRange() throws IOException {
        assertThat(failure("ping_interval_ms = 10\n"))
                .isEqualTo(prefix() + ", line 15: tuning.ping_interval_ms = 10: must be a whole number of "
                        + "milliseconds between 100 and 60000");
        assertThat(failure("leader_wait_ms = 5\ns3_max_connections = 0\n"))
                .isEqualTo(prefix() + ", line 16: tuning.s3_max_connections = 0: must be between 1 and 1048576");
        assertThat(failure("s3_header_timeout_ms = 500\n"))
                .isEqualTo(prefix() + ", line 15: tuning.s3_header_timeout_ms = 500: must be a whole number of "
                        + "milliseconds between 1000 and 3600000");
        assertThat(failure("admin_body_bytes_per_client = 1024\n"))
                .isEqualTo(prefix() + ", line 15: tuning.admin_body_bytes_per_client = 1024: must be between "
                        + "1048576 and 1073741824");
        assertThat(failure("quic_max_datagram_bytes = 1000\n"))
                .isEqualTo(prefix() + ", line 15: tuning.quic_max_datagram_bytes = 1000: must be 0 (the node "
                        + "chooses) or between 1200 and 65527");
        assertThat(failure("tls_idle_connections_per_peer = 99999999999\n"))
                .isEqualTo(prefix() + ", line 15: tuning.tls_idle_connections_per_peer = 99999999999: is out of "
                        + "range");
    }

    @Test
    void load_newerKeys_areReadAndTheRestKeepTheirDefaults() throws IOException {
        TuningConfig tuning = ClusterConfigLoader.load(write(withTuning("repair_round_interval_ms = 5000\n"
                + "repair_unreferenced_grace_ms = 1800000\ncorrupt_shard_report_quiet_ms = 60000\n"
                + "raft_request_timeout_ms = 20000\nraft_election_min_ms = 3000\nraft_election_max_ms = 6000\n"
                + "shard_segment_bytes = 16777216\nshard_compaction_threshold_percent = 30\n"
                + "s3_idle_timeout_ms = 300000\n"))).tuning();

        assertThat(tuning.repairRoundInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tuning.repairUnreferencedGrace()).isEqualTo(Duration.ofMinutes(30));
        assertThat(tuning.corruptShardReportQuiet()).isEqualTo(Duration.ofMinutes(1));
        assertThat(tuning.raftRequestTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(tuning.raftElectionMin()).isEqualTo(Duration.ofSeconds(3));
        assertThat(tuning.raftElectionMax()).isEqualTo(Duration.ofSeconds(6));
        assertThat(tuning.shardSegmentBytes()).isEqualTo(16L << 20);
        assertThat(tuning.shardCompactionThresholdPercent()).isEqualTo(30);
        assertThat(tuning.s3IdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tuning.pingInterval()).isEqualTo(TuningConfig.DEFAULTS.pingInterval());
    }

    @Test
    void load_newerKeysOutOfRange_nameTheKeyAndTheRange() throws IOException {
        String ms = ": must be a whole number of milliseconds between ";
        assertThat(failure("repair_round_interval_ms = 999\n"))
                .isEqualTo(prefix() + ", line 15: tuning.repair_round_interval_ms = 999" + ms + "1000 and 86400000");
        assertThat(failure("repair_unreferenced_grace_ms = 59999\n")).isEqualTo(prefix()
                + ", line 15: tuning.repair_unreferenced_grace_ms = 59999" + ms + "60000 and 604800000");
        assertThat(failure("corrupt_shard_report_quiet_ms = 86400001\n")).isEqualTo(prefix()
                + ", line 15: tuning.corrupt_shard_report_quiet_ms = 86400001" + ms + "1000 and 86400000");
        assertThat(failure("raft_request_timeout_ms = 500\n"))
                .isEqualTo(prefix() + ", line 15: tuning.raft_request_timeout_ms = 500" + ms + "1000 and 3600000");
        assertThat(failure("raft_election_min_ms = 100\n"))
                .isEqualTo(prefix() + ", line 15: tuning.raft_election_min_ms = 100" + ms + "150 and 60000");
        assertThat(failure("raft_election_min_ms = 500\nraft_election_max_ms = 120001\n"))
                .isEqualTo(prefix() + ", line 16: tuning.raft_election_max_ms = 120001" + ms + "150 and 120000");
        assertThat(failure("shard_segment_bytes = 1048575\n")).isEqualTo(prefix()
                + ", line 15: tuning.shard_segment_bytes = 1048575: must be between 1048576 and 1073741824");
        assertThat(failure("shard_compaction_threshold_percent = 96\n")).isEqualTo(prefix()
                + ", line 15: tuning.shard_compaction_threshold_percent = 96: must be between 5 and 95");
        assertThat(failure("s3_idle_timeout_ms = 999\n"))
                .isEqualTo(prefix() + ", line 15: tuning.s3_idle_timeout_ms = 999" + ms + "1000 and 86400000");
    }

    @Test
    void load_electionMaxNotAboveMin_isRefused() throws IOException {
        // The maximum left at its default: the error points at the [tuning] table (line 14).
        assertThat(failure("raft_election_min_ms = 2000\n")).isEqualTo(prefix() + ", line 14: "
                + "tuning.raft_election_max_ms = 2000: must be above raft_election_min_ms (2000), as each election "
                + "waits a random time between the two");
        assertThat(failure("raft_election_max_ms = 800\n")).isEqualTo(prefix() + ", line 15: "
                + "tuning.raft_election_max_ms = 800: must be above raft_election_min_ms (1000), as each election "
                + "waits a random time between the two");
    }

    @Test
    void load_bodyTotalBelowPerClient_isRefused() throws IOException {
        assertThat(failure("admin_body_bytes_per_client = 8388608\nadmin_body_bytes_total = 4194304\n"))
                .isEqualTo(prefix() + ", line 16: tuning.admin_body_bytes_total = 4194304: must be at least "
                        + "admin_body_bytes_per_client (8388608)");
    }

    @Test
    void load_unknownKey_listsTheKnownOnes() throws IOException {
        assertThat(failure("ping_interval = 5\n")).startsWith(prefix()
                + ", line 15: tuning.ping_interval: unknown key (known keys here: admin_body_bytes_per_client, ");
    }

    @Test
    void load_notANumber_isRefused() throws IOException {
        assertThat(failure("ping_interval_ms = \"1s\"\n"))
                .startsWith(prefix() + ", line 15: tuning.ping_interval_ms = \"1s\": must be an integer");
    }

    @Test
    void constructor_subMillisecondDuration_isRefused() {
        assertThatThrownBy(() -> TuningConfig.DEFAULTS.withS3HeaderTimeout(Duration.ofNanos(1_000_500_000L)))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessage("tuning.s3_header_timeout_ms = PT1.0005S: must be a whole number of milliseconds between "
                        + "1000 and 3600000");
    }

    @Test
    void withers_outOfRange_areRefusedNamingTheKey() {
        assertThatThrownBy(() -> TuningConfig.DEFAULTS.withS3IdleTimeout(Duration.ofMillis(500)))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessage("tuning.s3_idle_timeout_ms = 500: must be a whole number of milliseconds between 1000 and "
                        + "86400000");
        assertThatThrownBy(() -> TuningConfig.DEFAULTS.withS3MaxRequests(0))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessage("tuning.s3_max_requests = 0: must be between 1 and 1048576");
    }

    @Test
    void withers_replaceOnlyTheirValue() {
        TuningConfig tuned = TuningConfig.DEFAULTS.withS3MaxRequests(8).withS3MaxConnections(9)
                .withS3HeaderTimeout(Duration.ofSeconds(5)).withS3IdleTimeout(Duration.ofSeconds(7));
        assertThat(tuned.s3MaxRequests()).isEqualTo(8);
        assertThat(tuned.s3MaxConnections()).isEqualTo(9);
        assertThat(tuned.s3HeaderTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tuned.s3IdleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(tuned.withS3MaxRequests(256).withS3MaxConnections(1024)
                .withS3HeaderTimeout(Duration.ofSeconds(30)).withS3IdleTimeout(Duration.ofSeconds(120)))
                .isEqualTo(TuningConfig.DEFAULTS);
    }

    @Test
    void write_tuning_roundTripsAndOnlyChangedKeysAreWritten() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        List<NodeConfig> nodes = List.of(ClusterConfigWriterTest.node(base, 1, 9000),
                ClusterConfigWriterTest.node(base, 2, 9010), ClusterConfigWriterTest.node(base, 3, 9020));
        TuningConfig tuning = TuningConfig.fromToml(Map.of("ping_interval_ms", 200L, "admin_max_workers", 4L));
        ClusterConfig tuned = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")),
                RaftConfig.DEFAULTS, StorageConfig.DEFAULTS, tuning, nodes, null);

        ClusterConfigWriter.write(tuned, file);

        assertThat(ClusterConfigLoader.load(file)).isEqualTo(tuned.withFile(file));
        assertThat(Files.readString(file)).contains("[tuning]\nping_interval_ms = 200\nadmin_max_workers = 4\n");

        ClusterConfigWriter.write(new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")), nodes, null),
                file);
        assertThat(Files.readString(file)).doesNotContain("[tuning]");
        assertThat(ClusterConfigLoader.load(file).tuning()).isEqualTo(TuningConfig.DEFAULTS);
    }
}
