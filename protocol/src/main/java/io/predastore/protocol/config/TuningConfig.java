package io.predastore.protocol.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The node's tunables: intervals, timeouts, thread and connection caps, memory budgets and shard segment sizing,
 * each with a default that suits a small cluster ({@code [tuning]} in the cluster file; the table and each key are
 * optional). Every node of a cluster uses the same values; a single node without a cluster file uses
 * {@link #DEFAULTS}. The command-line options {@code --max-requests}, {@code --max-connections} and
 * {@code --header-timeout} of {@code serve}, when given, override {@code s3_max_requests}, {@code s3_max_connections}
 * and {@code s3_header_timeout_ms}; the deprecated JVM property {@code predastore.s3.idleTimeoutSeconds}, when set,
 * overrides {@code s3_idle_timeout_ms}.
 *
 * <p>In the file every duration is a whole number of milliseconds (the key ends in {@code _ms}); each value must lie
 * in the range its check names. Limits that protect a node from its clients and cannot be loosened safely (the
 * largest request head and body, the SigV4 clock skew, the replay memory) are not tunables: they stay constants
 * next to the code they guard.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pingInterval                 how often each node pings its peers; a failed ping marks a peer down until
 *                                     the next success (default 1 s)
 * @param tombstoneSweepInterval       how often pending shard deletions (tombstones) are retried (default 30 s)
 * @param compactionInterval           how often the shard store looks for sealed segments that are mostly dead and
 *                                     rewrites them (default 10 s; a cheap check when none is)
 * @param repairCheckInterval          how often the metadata leader checks whether a shard repair round is due
 *                                     (default 2 s; a round runs every {@code repairRoundInterval}, and at the
 *                                     next check after a node comes back)
 * @param leaderWait                   how long start-up waits for a metadata leader before serving anyway (default
 *                                     60 s; 0 serves at once)
 * @param leaderObserveInterval        how often the Raft leader is sampled for the admin API's timeline of leader
 *                                     changes (default 500 ms)
 * @param diskCheckInterval            how often the free space of the data directory is measured against the
 *                                     reserve (default 2 s)
 * @param transportConnectTimeout      how long a shard connection to a peer, with its TLS handshake, may take
 *                                     (default 2 s)
 * @param transportRequestTimeout      how long any single wait on a peer may take: for a reply, for the next chunk
 *                                     of a read, or for the peer to accept more of a write (default 10 s)
 * @param tlsIdleConnectionsPerPeer    with {@code transport = "tls"}: idle shard connections kept per peer, so that
 *                                     concurrent requests reuse connections instead of paying a TLS handshake each
 *                                     (default 64)
 * @param quicConnectionsPerPeer       with {@code transport = "quic"}: connections opened per peer, over which
 *                                     requests spread one stream each (default 4)
 * @param quicMaxDatagramBytes         with {@code transport = "quic"}: the largest UDP payload sent and accepted;
 *                                     0 picks 65527 between loopback peers and 1350 otherwise, safe on any path
 *                                     (default 0; the path MTU minus 48, e.g. 8952 with jumbo frames, is faster)
 * @param transportEventLoopThreads    I/O threads of the shard transport (default 0: twice the cores)
 * @param s3MaxRequests                S3 requests run at once; beyond it clients get 503 SlowDown (default 256;
 *                                     {@code --max-requests} overrides it)
 * @param s3MaxConnections             S3 connections open at once; more are answered 503 SlowDown and closed
 *                                     (default 1024; {@code --max-connections} overrides it)
 * @param s3HeaderTimeout              time an S3 client has to send a request's line and headers once it started;
 *                                     also bounds the TLS handshake, up to 10 s (default 30 s;
 *                                     {@code --header-timeout} overrides it)
 * @param s3IoThreads                  I/O threads of the S3 endpoint (default 0: the cores, at least 2)
 * @param adminMaxConnections          admin API connections open at once (default 128)
 * @param adminMaxConnectionsPerClient admin API connections one client address may hold at once (default 16)
 * @param adminMaxWorkers              admin requests run at once, each possibly waiting on consensus (default 16)
 * @param adminBodyBytesPerClient      admin request body bytes held at once for one client address (default 4 MiB;
 *                                     at least 1 MiB, the largest admin body)
 * @param adminBodyBytesTotal          admin request body bytes held at once for all clients (default 16 MiB; at
 *                                     least {@code adminBodyBytesPerClient})
 * @param repairRoundInterval          how often the metadata leader goes through the whole table of shards to
 *                                     repair (default 15 s); a node coming back starts a round at once
 * @param repairUnreferencedGrace      how long a repair entry whose shard set no object uses is kept before its
 *                                     shards are deleted (default 10 min); it must outlast the slowest write, whose
 *                                     entry is recorded before its object is committed
 * @param corruptShardReportQuiet      how long a shard found corrupt on a read is not reported (nor logged) again
 *                                     (default 10 min), so a hot object does not flood the metadata and the log
 *                                     before it is repaired
 * @param raftRequestTimeout           how long a metadata request (a read or a write through Raft) may wait before
 *                                     it fails (default 10 s)
 * @param raftElectionMin              lower bound of the randomised Raft election timeout (default 1 s); a follower
 *                                     that hears nothing from the leader this long starts an election
 * @param raftElectionMax              upper bound of the randomised Raft election timeout (default 2 s; above
 *                                     {@code raftElectionMin})
 * @param shardSegmentBytes            the size at which the shard store seals a segment file and starts another
 *                                     (default 64 MiB); compaction rewrites whole segments
 * @param shardCompactionThresholdPercent percentage of a sealed segment's bytes that must be dead (deleted or
 *                                     replaced shards) before compaction rewrites it (default 50)
 * @param s3IdleTimeout                how long an S3 connection may stall before it is closed: the client sends
 *                                     nothing while the node waits for a request or a body, or reads nothing of a
 *                                     response being sent (default 120 s); a slow but steady transfer is never cut
 * @param scrubBytesPerSecond          how fast each node re-reads its own shards to verify their checksums (default
 *                                     4 MiB/s; 0 turns the scrubber off)
 * @param scrubPassInterval            how long a node waits after a full scrub pass before it starts the next
 *                                     (default 1 h)
 * @param protectionCheckInterval      how often the metadata leader walks every object record, asks each shard's node
 *                                     whether it holds the shard, and recomputes the cluster's protection (default
 *                                     60 s)
 * @param repairBytesPerSecond         how fast the repair engine reads shards to rebuild others, summed over its sets
 *                                     (default 64 MiB/s; 0 for no limit)
 * @param repairConcurrentSets         shard sets rebuilt at once (default 2)
 * @param deadNodeGrace                how long a node may stay down before its shards are rebuilt on other nodes
 *                                     (default 10 min; 0 never declares a node lost)
 */
public record TuningConfig(
        Duration pingInterval,
        Duration tombstoneSweepInterval,
        Duration compactionInterval,
        Duration repairCheckInterval,
        Duration leaderWait,
        Duration leaderObserveInterval,
        Duration diskCheckInterval,
        Duration transportConnectTimeout,
        Duration transportRequestTimeout,
        int tlsIdleConnectionsPerPeer,
        int quicConnectionsPerPeer,
        int quicMaxDatagramBytes,
        int transportEventLoopThreads,
        int s3MaxRequests,
        int s3MaxConnections,
        Duration s3HeaderTimeout,
        int s3IoThreads,
        int adminMaxConnections,
        int adminMaxConnectionsPerClient,
        int adminMaxWorkers,
        long adminBodyBytesPerClient,
        long adminBodyBytesTotal,
        Duration repairRoundInterval,
        Duration repairUnreferencedGrace,
        Duration corruptShardReportQuiet,
        Duration raftRequestTimeout,
        Duration raftElectionMin,
        Duration raftElectionMax,
        long shardSegmentBytes,
        int shardCompactionThresholdPercent,
        Duration s3IdleTimeout,
        long scrubBytesPerSecond,
        Duration scrubPassInterval,
        Duration protectionCheckInterval,
        long repairBytesPerSecond,
        int repairConcurrentSets,
        Duration deadNodeGrace) {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 3600 * SECOND;
    private static final long DAY = 24 * HOUR;
    private static final long MIB = 1L << 20;
    /** The most connections or requests any count may allow (the S3 endpoint's own bound). */
    private static final long MOST = 1 << 20;
    /** The admin API's largest request body, which one client's body budget must be able to hold. */
    private static final long ADMIN_MAX_BODY = MIB;
    /** The longest {@code s3_header_timeout_ms}, the same bound as {@code --header-timeout}'s. */
    private static final long MAX_HEADER_TIMEOUT_MS = HOUR;
    /** The longest {@code s3_idle_timeout_ms}. */
    private static final long MAX_IDLE_TIMEOUT_MS = DAY;
    /**
     * The shortest election timeout: Ratis waits between its own retries for 25 ms and must stay below the election
     * timeout, and shorter ones elect needlessly on any pause of a node (a garbage collection, a slow disk).
     */
    private static final long MIN_ELECTION_MS = 150;

    /** Every default named above. */
    public static final TuningConfig DEFAULTS = new TuningConfig(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10), 64, 4, 0, 0, 256, 1024,
            Duration.ofSeconds(30), 0, 128, 16, 16, 4 * MIB, 16 * MIB, Duration.ofSeconds(15),
            Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(2), 64 * MIB, 50, Duration.ofSeconds(120), 4 * MIB, Duration.ofHours(1),
            Duration.ofSeconds(60), 64 * MIB, 2, Duration.ofMinutes(10));

    /**
     * @throws ClusterConfigException if a value is missing or out of its range; the message names the cluster-file
     *     key and the range
     */
    public TuningConfig {
        ConfigChecks.millis("tuning.ping_interval_ms", pingInterval, 100, 60 * SECOND);
        ConfigChecks.millis("tuning.tombstone_sweep_interval_ms", tombstoneSweepInterval, SECOND, DAY);
        ConfigChecks.millis("tuning.compaction_interval_ms", compactionInterval, SECOND, DAY);
        ConfigChecks.millis("tuning.repair_check_interval_ms", repairCheckInterval, 100, HOUR);
        ConfigChecks.millis("tuning.leader_wait_ms", leaderWait, 0, HOUR);
        ConfigChecks.millis("tuning.leader_observe_interval_ms", leaderObserveInterval, 100, 60 * SECOND);
        ConfigChecks.millis("tuning.disk_check_interval_ms", diskCheckInterval, 100, 60 * SECOND);
        ConfigChecks.millis("tuning.transport_connect_timeout_ms", transportConnectTimeout, 100, 10 * 60 * SECOND);
        ConfigChecks.millis("tuning.transport_request_timeout_ms", transportRequestTimeout, 100, HOUR);
        ConfigChecks.range("tuning.tls_idle_connections_per_peer", tlsIdleConnectionsPerPeer, 1, 4096);
        ConfigChecks.range("tuning.quic_connections_per_peer", quicConnectionsPerPeer, 1, 256);
        // The smallest datagram QUIC allows, and the largest UDP payload.
        ConfigChecks.zeroOrRange("tuning.quic_max_datagram_bytes", quicMaxDatagramBytes, 1200, 65527);
        ConfigChecks.range("tuning.transport_event_loop_threads", transportEventLoopThreads, 0, 1024);
        ConfigChecks.range("tuning.s3_max_requests", s3MaxRequests, 1, MOST);
        ConfigChecks.range("tuning.s3_max_connections", s3MaxConnections, 1, MOST);
        // The same bounds as --header-timeout, so the file and the option accept the same values.
        ConfigChecks.millis("tuning.s3_header_timeout_ms", s3HeaderTimeout, SECOND, MAX_HEADER_TIMEOUT_MS);
        ConfigChecks.range("tuning.s3_io_threads", s3IoThreads, 0, 1024);
        ConfigChecks.range("tuning.admin_max_connections", adminMaxConnections, 1, MOST);
        ConfigChecks.range("tuning.admin_max_connections_per_client", adminMaxConnectionsPerClient, 1, MOST);
        ConfigChecks.range("tuning.admin_max_workers", adminMaxWorkers, 1, 1024);
        ConfigChecks.range("tuning.admin_body_bytes_per_client", adminBodyBytesPerClient, ADMIN_MAX_BODY, 1024 * MIB);
        ConfigChecks.range("tuning.admin_body_bytes_total", adminBodyBytesTotal, ADMIN_MAX_BODY, 1024 * MIB);
        if (adminBodyBytesTotal < adminBodyBytesPerClient) {
            throw ClusterConfigException.invalid("tuning.admin_body_bytes_total", Long.toString(adminBodyBytesTotal),
                    "must be at least admin_body_bytes_per_client (" + adminBodyBytesPerClient + ")");
        }
        ConfigChecks.millis("tuning.repair_round_interval_ms", repairRoundInterval, SECOND, DAY);
        // A shorter grace could delete the shards of a slow write that is still under way.
        ConfigChecks.millis("tuning.repair_unreferenced_grace_ms", repairUnreferencedGrace, MINUTE, 7 * DAY);
        ConfigChecks.millis("tuning.corrupt_shard_report_quiet_ms", corruptShardReportQuiet, SECOND, DAY);
        ConfigChecks.millis("tuning.raft_request_timeout_ms", raftRequestTimeout, SECOND, HOUR);
        ConfigChecks.millis("tuning.raft_election_min_ms", raftElectionMin, MIN_ELECTION_MS, MINUTE);
        ConfigChecks.millis("tuning.raft_election_max_ms", raftElectionMax, MIN_ELECTION_MS, 2 * MINUTE);
        if (raftElectionMax.compareTo(raftElectionMin) <= 0) {
            throw ClusterConfigException.invalid("tuning.raft_election_max_ms", Long.toString(raftElectionMax
                    .toMillis()), "must be above raft_election_min_ms (" + raftElectionMin.toMillis() + "), as "
                    + "each election waits a random time between the two");
        }
        ConfigChecks.range("tuning.shard_segment_bytes", shardSegmentBytes, MIB, 1024 * MIB);
        // Near 0 every dead byte rewrites a whole segment; near 100 dead space is hardly ever given back.
        ConfigChecks.range("tuning.shard_compaction_threshold_percent", shardCompactionThresholdPercent, 5, 95);
        ConfigChecks.millis("tuning.s3_idle_timeout_ms", s3IdleTimeout, SECOND, MAX_IDLE_TIMEOUT_MS);
        ConfigChecks.range("tuning.scrub_bytes_per_second", scrubBytesPerSecond, 0, 1024 * 1024 * MIB);
        ConfigChecks.millis("tuning.scrub_pass_interval_ms", scrubPassInterval, 0, 30 * DAY);
        ConfigChecks.millis("tuning.protection_check_interval_ms", protectionCheckInterval, SECOND, DAY);
        ConfigChecks.range("tuning.repair_bytes_per_second", repairBytesPerSecond, 0, 1024 * 1024 * MIB);
        ConfigChecks.range("tuning.repair_concurrent_sets", repairConcurrentSets, 1, 64);
        ConfigChecks.millis("tuning.dead_node_grace_ms", deadNodeGrace, 0, 30 * DAY);
    }

    /** The same tuning with {@code s3_max_requests} replaced (by {@code --max-requests}). */
    public TuningConfig withS3MaxRequests(int maxRequests) {
        return replaced("s3_max_requests", maxRequests);
    }

    /** The same tuning with {@code s3_max_connections} replaced (by {@code --max-connections}). */
    public TuningConfig withS3MaxConnections(int maxConnections) {
        return replaced("s3_max_connections", maxConnections);
    }

    /** The same tuning with {@code s3_header_timeout_ms} replaced (by {@code --header-timeout}). */
    public TuningConfig withS3HeaderTimeout(Duration headerTimeout) {
        // Checked before it becomes milliseconds, so a fraction of one is refused rather than cut off.
        ConfigChecks.millis("tuning.s3_header_timeout_ms", headerTimeout, SECOND, MAX_HEADER_TIMEOUT_MS);
        return replaced("s3_header_timeout_ms", headerTimeout.toMillis());
    }

    /**
     * The same tuning with {@code s3_idle_timeout_ms} replaced (by the deprecated JVM property
     * {@code predastore.s3.idleTimeoutSeconds}).
     */
    public TuningConfig withS3IdleTimeout(Duration idleTimeout) {
        ConfigChecks.millis("tuning.s3_idle_timeout_ms", idleTimeout, SECOND, MAX_IDLE_TIMEOUT_MS);
        return replaced("s3_idle_timeout_ms", idleTimeout.toMillis());
    }

    /** This tuning with one key replaced, checked as the file's value would be. */
    private TuningConfig replaced(String key, long value) {
        Map<String, Long> values = new LinkedHashMap<>(toToml());
        values.put(key, value);
        return fromToml(values);
    }

    /**
     * Every key of {@code [tuning]} with its value as the cluster file writes it (milliseconds for durations), in the
     * order of the documentation.
     */
    public Map<String, Long> toToml() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ping_interval_ms", pingInterval.toMillis());
        m.put("tombstone_sweep_interval_ms", tombstoneSweepInterval.toMillis());
        m.put("compaction_interval_ms", compactionInterval.toMillis());
        m.put("repair_check_interval_ms", repairCheckInterval.toMillis());
        m.put("repair_round_interval_ms", repairRoundInterval.toMillis());
        m.put("repair_unreferenced_grace_ms", repairUnreferencedGrace.toMillis());
        m.put("corrupt_shard_report_quiet_ms", corruptShardReportQuiet.toMillis());
        m.put("repair_bytes_per_second", repairBytesPerSecond);
        m.put("repair_concurrent_sets", (long) repairConcurrentSets);
        m.put("dead_node_grace_ms", deadNodeGrace.toMillis());
        m.put("protection_check_interval_ms", protectionCheckInterval.toMillis());
        m.put("scrub_bytes_per_second", scrubBytesPerSecond);
        m.put("scrub_pass_interval_ms", scrubPassInterval.toMillis());
        m.put("leader_wait_ms", leaderWait.toMillis());
        m.put("leader_observe_interval_ms", leaderObserveInterval.toMillis());
        m.put("disk_check_interval_ms", diskCheckInterval.toMillis());
        m.put("raft_request_timeout_ms", raftRequestTimeout.toMillis());
        m.put("raft_election_min_ms", raftElectionMin.toMillis());
        m.put("raft_election_max_ms", raftElectionMax.toMillis());
        m.put("shard_segment_bytes", shardSegmentBytes);
        m.put("shard_compaction_threshold_percent", (long) shardCompactionThresholdPercent);
        m.put("transport_connect_timeout_ms", transportConnectTimeout.toMillis());
        m.put("transport_request_timeout_ms", transportRequestTimeout.toMillis());
        m.put("tls_idle_connections_per_peer", (long) tlsIdleConnectionsPerPeer);
        m.put("quic_connections_per_peer", (long) quicConnectionsPerPeer);
        m.put("quic_max_datagram_bytes", (long) quicMaxDatagramBytes);
        m.put("transport_event_loop_threads", (long) transportEventLoopThreads);
        m.put("s3_max_requests", (long) s3MaxRequests);
        m.put("s3_max_connections", (long) s3MaxConnections);
        m.put("s3_header_timeout_ms", s3HeaderTimeout.toMillis());
        m.put("s3_idle_timeout_ms", s3IdleTimeout.toMillis());
        m.put("s3_io_threads", (long) s3IoThreads);
        m.put("admin_max_connections", (long) adminMaxConnections);
        m.put("admin_max_connections_per_client", (long) adminMaxConnectionsPerClient);
        m.put("admin_max_workers", (long) adminMaxWorkers);
        m.put("admin_body_bytes_per_client", adminBodyBytesPerClient);
        m.put("admin_body_bytes_total", adminBodyBytesTotal);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The tuning a {@code [tuning]} table asks for: its keys, and the default for every key it leaves out.
     *
     * @param values the table's keys (without {@code tuning.}) and their values as written in the file
     * @throws ClusterConfigException naming the key if a key is unknown or a value is out of its range
     */
    public static TuningConfig fromToml(Map<String, Long> values) {
        Map<String, Long> merged = new LinkedHashMap<>(DEFAULTS.toToml());
        for (Map.Entry<String, Long> e : values.entrySet()) {
            if (!merged.containsKey(e.getKey())) {
                throw ClusterConfigException.key("tuning." + e.getKey(), "unknown key (known keys here: "
                        + String.join(", ", new TreeSet<>(merged.keySet())) + ")");
            }
            ConfigChecks.present("tuning." + e.getKey(), e.getValue());
            merged.put(e.getKey(), e.getValue());
        }
        return new TuningConfig(millis(merged, "ping_interval_ms"), millis(merged, "tombstone_sweep_interval_ms"),
                millis(merged, "compaction_interval_ms"), millis(merged, "repair_check_interval_ms"),
                millis(merged, "leader_wait_ms"), millis(merged, "leader_observe_interval_ms"),
                millis(merged, "disk_check_interval_ms"), millis(merged, "transport_connect_timeout_ms"),
                millis(merged, "transport_request_timeout_ms"), count(merged, "tls_idle_connections_per_peer"),
                count(merged, "quic_connections_per_peer"), count(merged, "quic_max_datagram_bytes"),
                count(merged, "transport_event_loop_threads"), count(merged, "s3_max_requests"),
                count(merged, "s3_max_connections"), millis(merged, "s3_header_timeout_ms"),
                count(merged, "s3_io_threads"), count(merged, "admin_max_connections"),
                count(merged, "admin_max_connections_per_client"), count(merged, "admin_max_workers"),
                merged.get("admin_body_bytes_per_client"), merged.get("admin_body_bytes_total"),
                millis(merged, "repair_round_interval_ms"), millis(merged, "repair_unreferenced_grace_ms"),
                millis(merged, "corrupt_shard_report_quiet_ms"), millis(merged, "raft_request_timeout_ms"),
                millis(merged, "raft_election_min_ms"), millis(merged, "raft_election_max_ms"),
                merged.get("shard_segment_bytes"), count(merged, "shard_compaction_threshold_percent"),
                millis(merged, "s3_idle_timeout_ms"), merged.get("scrub_bytes_per_second"),
                millis(merged, "scrub_pass_interval_ms"), millis(merged, "protection_check_interval_ms"),
                merged.get("repair_bytes_per_second"), count(merged, "repair_concurrent_sets"),
                millis(merged, "dead_node_grace_ms"));
    }

    private static Duration millis(Map<String, Long> values, String key) {
        return Duration.ofMillis(values.get(key));
    }

    /** A count as an int; a value no int can hold is refused here, as the range check would see it wrapped. */
    private static int count(Map<String, Long> values, String key) {
        long value = values.get(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw ClusterConfigException.invalid("tuning." + key, Long.toString(value), "is out of range");
        }
        return (int) value;
    }
}
