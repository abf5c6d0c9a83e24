package io.predastore.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminJsonTest {

    private static <T> void roundTrips(T value, String json) throws IOException {
        assertThat(AdminJson.write(value)).isEqualTo(json);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        assertThat(AdminJson.read(json, type)).isEqualTo(value);
    }

    @Test
    void write_nodeStatus_exactJsonAndBack() throws IOException {
        NodeStatus status = new NodeStatus("node-1", "0.1.0", 12_345, "10.0.0.5",
                new NodeStatus.Ports(9000, 9001, 9002, 9100), 1_048_576, 42, RaftRole.LEADER, "cluster",
                new StorageStatus(3_000_000, 1_000_000, false, List.of(), false));
        roundTrips(status, "{\"id\":\"node-1\",\"version\":\"0.1.0\",\"uptimeMillis\":12345,\"host\":\"10.0.0.5\","
                + "\"ports\":{\"s3\":9000,\"raft\":9001,\"shard\":9002,\"admin\":9100},\"diskUsedBytes\":1048576,"
                + "\"shardCount\":42,\"raftRole\":\"LEADER\",\"backend\":\"cluster\","
                + "\"storage\":{\"usableBytes\":3000000,\"reserveBytes\":1000000,\"belowReserve\":false,"
                + "\"problems\":[],\"restartNeeded\":false},\"jobs\":[]}");
    }

    @Test
    void write_nodeStatusWithJobs_exactJsonAndBack() throws IOException {
        NodeStatus status = new NodeStatus("node-1", "0.1.0", 5, "10.0.0.5",
                new NodeStatus.Ports(9000, 9001, 9002, 9100), 0, 0, RaftRole.LEADER, "cluster", null,
                List.of(new JobStatus("tombstone-sweep", 3, 1000, 1010, "1 reaped, 0 pending, 1 quarantined", 1,
                        "java.io.IOException: no leader", 900, 1)));
        roundTrips(status, "{\"id\":\"node-1\",\"version\":\"0.1.0\",\"uptimeMillis\":5,\"host\":\"10.0.0.5\","
                + "\"ports\":{\"s3\":9000,\"raft\":9001,\"shard\":9002,\"admin\":9100},\"diskUsedBytes\":0,"
                + "\"shardCount\":0,\"raftRole\":\"LEADER\",\"backend\":\"cluster\",\"storage\":null,"
                + "\"jobs\":[{\"name\":\"tombstone-sweep\",\"runs\":3,\"lastStartMillis\":1000,"
                + "\"lastEndMillis\":1010,\"lastResult\":\"1 reaped, 0 pending, 1 quarantined\",\"failures\":1,"
                + "\"lastError\":\"java.io.IOException: no leader\",\"lastErrorMillis\":900,\"quarantined\":1}]}");
    }

    @Test
    void write_nodeStatusWithStorageProblem_exactJsonAndBack() throws IOException {
        NodeStatus status = new NodeStatus("node-2", "0.1.0", 1, "10.0.0.6",
                new NodeStatus.Ports(9000, 9001, 9002, 9100), 0, 0, RaftRole.FOLLOWER, "cluster",
                new StorageStatus(10, 1_000_000, true, List.of("the shard index database refuses writes"), true));
        assertThat(status.storage().healthy()).isFalse();
        roundTrips(status, "{\"id\":\"node-2\",\"version\":\"0.1.0\",\"uptimeMillis\":1,\"host\":\"10.0.0.6\","
                + "\"ports\":{\"s3\":9000,\"raft\":9001,\"shard\":9002,\"admin\":9100},\"diskUsedBytes\":0,"
                + "\"shardCount\":0,\"raftRole\":\"FOLLOWER\",\"backend\":\"cluster\","
                + "\"storage\":{\"usableBytes\":10,\"reserveBytes\":1000000,\"belowReserve\":true,"
                + "\"problems\":[\"the shard index database refuses writes\"],\"restartNeeded\":true},\"jobs\":[]}");
    }

    @Test
    void read_nodeStatusOfAnOlderNode_hasNoStorage() throws IOException {
        NodeStatus status = AdminJson.read("{\"id\":\"node-1\",\"version\":\"0.1.0\",\"uptimeMillis\":12345,"
                + "\"host\":\"10.0.0.5\",\"ports\":{\"s3\":9000,\"raft\":9001,\"shard\":9002,\"admin\":9100},"
                + "\"diskUsedBytes\":1048576,\"shardCount\":42,\"raftRole\":\"LEADER\",\"backend\":\"cluster\"}",
                NodeStatus.class);
        assertThat(status.storage()).isNull();
        assertThat(status.jobs()).isEmpty();
        assertThat(status).isEqualTo(new NodeStatus("node-1", "0.1.0", 12_345, "10.0.0.5",
                new NodeStatus.Ports(9000, 9001, 9002, 9100), 1_048_576, 42, RaftRole.LEADER, "cluster"));
    }

    @Test
    void write_raftGroupStatus_exactJsonWithNullsAndBack() throws IOException {
        RaftGroupStatus raft = new RaftGroupStatus("node-1", 7, 120, 118, RaftRole.FOLLOWER,
                List.of(new RaftPeerStatus("node-1", "10.0.0.5:9001", RaftRole.LEADER, 120, 0, 0L),
                        new RaftPeerStatus("node-2", "10.0.0.6:9001", RaftRole.FOLLOWER, -1, 0, null)),
                List.of(new LeaderChange(7, "node-1", 1_700_000_000_000L)));
        roundTrips(raft, "{\"leaderId\":\"node-1\",\"term\":7,\"commitIndex\":120,\"lastAppliedIndex\":118,"
                + "\"selfRole\":\"FOLLOWER\",\"peers\":[{\"id\":\"node-1\",\"address\":\"10.0.0.5:9001\","
                + "\"role\":\"LEADER\",\"matchIndex\":120,\"lagEntries\":0,\"lastContactMillis\":0},"
                + "{\"id\":\"node-2\",\"address\":\"10.0.0.6:9001\",\"role\":\"FOLLOWER\",\"matchIndex\":-1,"
                + "\"lagEntries\":0,\"lastContactMillis\":null}],"
                + "\"leaderChanges\":[{\"term\":7,\"leaderId\":\"node-1\",\"atMillis\":1700000000000}]}");
    }

    @Test
    void write_raftGroupStatusWithoutLeader_leaderIdNull() throws IOException {
        RaftGroupStatus raft = new RaftGroupStatus(null, 3, 0, 0, RaftRole.CANDIDATE, List.of(), List.of());
        roundTrips(raft, "{\"leaderId\":null,\"term\":3,\"commitIndex\":0,\"lastAppliedIndex\":0,"
                + "\"selfRole\":\"CANDIDATE\",\"peers\":[],\"leaderChanges\":[]}");
    }

    @Test
    void write_ringView_exactJsonAndBack() throws IOException {
        RingView ring = new RingView(2, 2, 1.25,
                List.of(new RingMember("a", List.of(0.0, 0.5), List.of("0", "9223372036854775808"), 1, true),
                        new RingMember("b", List.of(0.25, 0.75),
                                List.of("4611686018427387904", "13835058055282163712"), 1, false)),
                List.of("a", "b"));
        roundTrips(ring, "{\"partitionCount\":2,\"replicationFactor\":2,\"loadFactor\":1.25,\"members\":["
                + "{\"id\":\"a\",\"tokens\":[0.0,0.5],\"rawTokens\":[\"0\",\"9223372036854775808\"],\"load\":1,"
                + "\"alive\":true},{\"id\":\"b\",\"tokens\":[0.25,0.75],\"rawTokens\":[\"4611686018427387904\","
                + "\"13835058055282163712\"],\"load\":1,\"alive\":false}],\"partitionOwners\":[\"a\",\"b\"]}");
    }

    @Test
    void write_objectPlacement_exactJsonWithComputedHealth() throws IOException {
        ObjectPlacement placement = new ObjectPlacement("photos", "cat.jpg", 300, 2, 1, List.of(
                new SegmentPlacement("seg-1", 300, List.of(
                        new ShardPlacement(0, false, "node-1", ShardState.PRESENT),
                        new ShardPlacement(1, false, "node-2", ShardState.UNREACHABLE),
                        new ShardPlacement(2, true, "node-3", ShardState.PRESENT)))));
        roundTrips(placement, "{\"bucket\":\"photos\",\"key\":\"cat.jpg\",\"size\":300,\"dataShards\":2,"
                + "\"parityShards\":1,\"segments\":[{\"objectId\":\"seg-1\",\"length\":300,\"shards\":["
                + "{\"index\":0,\"parity\":false,\"nodeId\":\"node-1\",\"state\":\"PRESENT\"},"
                + "{\"index\":1,\"parity\":false,\"nodeId\":\"node-2\",\"state\":\"UNREACHABLE\"},"
                + "{\"index\":2,\"parity\":true,\"nodeId\":\"node-3\",\"state\":\"PRESENT\"}]}],"
                + "\"health\":\"readable, 1 shard missing, no more losses tolerated\",\"readable\":true}");
    }

    @Test
    void read_objectPlacementWithWrongHealth_recomputesFromShards() throws IOException {
        String json = "{\"bucket\":\"b\",\"key\":\"k\",\"size\":0,\"dataShards\":1,\"parityShards\":0,"
                + "\"segments\":[],\"health\":\"unreadable\",\"readable\":false}";
        ObjectPlacement p = AdminJson.read(json, ObjectPlacement.class);
        assertThat(p.readable()).isTrue();
        assertThat(p.health()).isEqualTo("readable, kept whole in the cluster metadata (small object, no shards)");
    }

    @Test
    void write_shardNeverWritten_hasNoNodeAndCountsAsMissing() throws IOException {
        ShardPlacement notWritten = ShardPlacement.notWritten(4, true);
        roundTrips(notWritten, "{\"index\":4,\"parity\":true,\"nodeId\":null,\"state\":\"NOT_WRITTEN\"}");
        List<ShardPlacement> shards = List.of(new ShardPlacement(0, false, "node-1", ShardState.PRESENT),
                new ShardPlacement(1, false, "node-2", ShardState.PRESENT),
                new ShardPlacement(2, false, "node-3", ShardState.PRESENT),
                new ShardPlacement(3, true, "node-4", ShardState.PRESENT), notWritten);
        ObjectPlacement p = new ObjectPlacement("b", "k", 10, 3, 2, List.of(new SegmentPlacement("s1", 10, shards)));
        assertThat(p.health()).isEqualTo(PlacementHealth.of(3, 2, 1).verdict());
        assertThatThrownBy(() -> new ShardPlacement(4, true, "node-5", ShardState.NOT_WRITTEN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardPlacement(4, true, null, ShardState.PRESENT))
                .isInstanceOf(NullPointerException.class).hasMessage("nodeId");
    }

    @Test
    void write_clusterHealth_exactJsonAndBack() throws IOException {
        ClusterHealth health = new ClusterHealth(List.of(new NodeHealth("node-1", true, 1_700_000_000_000L, null),
                new NodeHealth("node-2", false, null, "connection refused")));
        roundTrips(health, "{\"nodes\":[{\"id\":\"node-1\",\"alive\":true,\"lastSeenMillis\":1700000000000,"
                + "\"reason\":null},{\"id\":\"node-2\",\"alive\":false,\"lastSeenMillis\":null,"
                + "\"reason\":\"connection refused\"}]}");
    }

    @Test
    void write_counters_exactJsonWithOperationsSorted() throws IOException {
        Counters counters = new Counters(1_700_000_000_000L, 10, 2, 4096, 8192,
                Map.of("PutObject", 4L, "GetObject", 6L));
        roundTrips(counters, "{\"atMillis\":1700000000000,\"requests\":10,\"errors\":2,\"bytesIn\":4096,"
                + "\"bytesOut\":8192,\"operations\":{\"GetObject\":6,\"PutObject\":4}}");
    }

    @Test
    void write_smallRecords_exactJson() throws IOException {
        roundTrips(new AdminError("NotFound", "no route"), "{\"code\":\"NotFound\",\"message\":\"no route\"}");
        roundTrips(new LeaderInfo("node-2", "10.0.0.6:9001"), "{\"leaderId\":\"node-2\",\"address\":\"10.0.0.6:9001\"}");
        roundTrips(new MetaScanEntry("00ff", "AQI="), "{\"key\":\"00ff\",\"value\":\"AQI=\"}");
    }

    @Test
    void write_clusterMembers_exactJsonAndBack() throws IOException {
        roundTrips(new ClusterMembers(4, List.of(new ClusterMember("node-1", "10.0.0.5", 9000, 9100, true, true,
                9200, 9300, MemberState.ACTIVE), new ClusterMember("node-2", "10.0.0.6", 9000, 9100))),
                "{\"epoch\":4,\"members\":[{\"id\":\"node-1\",\"host\":\"10.0.0.5\",\"s3Port\":9000,"
                + "\"adminPort\":9100,\"s3Tls\":true,\"adminTls\":true,\"raftPort\":9200,\"shardPort\":9300,"
                + "\"state\":\"active\"},"
                + "{\"id\":\"node-2\",\"host\":\"10.0.0.6\",\"s3Port\":9000,\"adminPort\":9100,"
                + "\"s3Tls\":false,\"adminTls\":false,\"raftPort\":null,\"shardPort\":null,\"state\":\"active\"}]}");
        // A member list from before the replicated one: epoch 0, every member active.
        ClusterMembers old = AdminJson.read("{\"members\":[{\"id\":\"node-1\",\"host\":\"h\",\"s3Port\":1,"
                + "\"adminPort\":2,\"s3Tls\":false,\"adminTls\":false}]}", ClusterMembers.class);
        assertThat(old.epoch()).isZero();
        assertThat(old.members().get(0).state()).isEqualTo(MemberState.ACTIVE);
        assertThat(AdminJson.read("{\"members\":[{\"id\":\"node-1\",\"host\":\"h\",\"s3Port\":1,"
                + "\"adminPort\":2,\"state\":\"draining\"}]}", ClusterMembers.class).members().get(0).state())
                .isEqualTo(MemberState.DRAINING);
        // A node from before TLS on S3 and admin sends no flags: both plain.
        assertThat(AdminJson.read("{\"members\":[{\"id\":\"node-1\",\"host\":\"h\",\"s3Port\":1,"
                + "\"adminPort\":2}]}", ClusterMembers.class).members())
                .containsExactly(new ClusterMember("node-1", "h", 1, 2));
        assertThatThrownBy(() -> new ClusterMember("node-1", "h", 0, 9100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterMembers(List.of(new ClusterMember("n", "h", 1, 2),
                new ClusterMember("n", "h", 3, 4)))).hasMessageContaining("listed twice");
    }

    @Test
    void write_metadataRecords_exactJsonAndBack() throws IOException {
        MetadataRecords records = new MetadataRecords(7,
                List.of(new UndecodableRecord("objects", "620062", "object b/b", "version 99", 1_700_000_000_000L, 7)),
                List.of(new RecordRepair(1_700_000_100_000L, "ADMIN", "10.0.0.9", "remove-undecodable", "objects",
                        "620062", "version 99")));
        roundTrips(records, "{\"undecodableSeen\":7,\"undecodable\":[{\"table\":\"objects\",\"key\":\"620062\","
                + "\"name\":\"object b/b\",\"reason\":\"version 99\",\"firstSeenMillis\":1700000000000,\"times\":7}],"
                + "\"repairs\":[{\"atMillis\":1700000100000,\"accessKey\":\"ADMIN\",\"client\":\"10.0.0.9\","
                + "\"action\":\"remove-undecodable\",\"table\":\"objects\",\"key\":\"620062\","
                + "\"reason\":\"version 99\"}]}");
    }

    @Test
    void read_unknownProperty_ignored() throws IOException {
        LeaderInfo info = AdminJson.read("{\"leaderId\":\"n\",\"address\":null,\"extra\":1}", LeaderInfo.class);
        assertThat(info).isEqualTo(new LeaderInfo("n", null));
    }

    @Test
    void read_invalidRecord_ioExceptionNamingTheProblem() {
        assertThatThrownBy(() -> AdminJson.read("{\"id\":\"\",\"alive\":true}", NodeHealth.class))
                .isInstanceOf(IOException.class).hasMessageContaining("id must not be blank");
    }

    @Test
    void construct_invalidValues_refused() {
        assertThatThrownBy(() -> new NodeStatus.Ports(70_000, 0, 0, 0)).hasMessageContaining("s3 port");
        assertThatThrownBy(() -> new RingMember("a", List.of(1.0), List.of("1"), 0, true))
                .hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new RingMember("a", List.of(0.5), List.of("18446744073709551616"), 0, true))
                .hasMessageContaining("unsigned 64-bit");
        assertThatThrownBy(() -> new RingView(2, 1, 1.25, List.of(new RingMember("a", List.of(), List.of(), 2, true)),
                List.of("a"))).hasMessageContaining("1 entries for 2 partitions");
        assertThatThrownBy(() -> new ObjectPlacement("b", "k", 1, 2, 1, List.of(new SegmentPlacement("s", 1,
                List.of(new ShardPlacement(2, false, "n", ShardState.PRESENT)))))).hasMessageContaining("parity");
        assertThatThrownBy(() -> new ObjectPlacement("b", "k", 1, 2, 1, List.of(new SegmentPlacement("s", 1,
                List.of(new ShardPlacement(3, true, "n", ShardState.PRESENT)))))).hasMessageContaining("index 3");
        assertThatThrownBy(() -> new Counters(0, -1, 0, 0, 0, Map.of())).hasMessageContaining("requests");
        assertThatThrownBy(() -> new RaftGroupStatus(null, 1, 0, 0, RaftRole.LEADER,
                Arrays.asList(new RaftPeerStatus("a", "h:1", RaftRole.LEADER, 0, 0, null),
                        new RaftPeerStatus("a", "h:1", RaftRole.LEADER, 0, 0, null)), List.of()))
                .hasMessageContaining("listed twice");
    }

    @Test
    void construct_lists_copiedAndImmutable() {
        List<NodeHealth> nodes = new java.util.ArrayList<>(List.of(new NodeHealth("a", true, null, null)));
        ClusterHealth health = new ClusterHealth(nodes);
        nodes.clear();
        assertThat(health.nodes()).hasSize(1);
        assertThatThrownBy(() -> health.nodes().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
