package io.predastore.app.health;

import static io.predastore.app.health.ReportJson.NOW;
import static io.predastore.app.health.ReportJson.fetch;
import static io.predastore.app.health.ReportJson.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.predastore.app.service.AdminPoller;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ProtectionFetch;
import io.predastore.app.task.DirectAsync;
import io.predastore.client.sigv4.Credentials;
import io.predastore.node.supervisor.DevFaults;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthViewModelTest {
    private static final long[] MIXED = {120, 7, 3, 2, 0, 0};

    private static HealthViewModel vm() {
        return new HealthViewModel(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), DirectAsync.create());
    }

    private static HealthViewModel applied(long[] byMissing, long queued, long eta) {
        HealthViewModel vm = vm();
        vm.apply(fetch(report(NOW - 5_000, byMissing, queued, 0, eta)));
        return vm;
    }

    @Test
    void apply_mixedReport_countsEachClassWithBytes_andListsObjectsAtRisk() {
        HealthViewModel vm = applied(MIXED, 5, 120);

        assertThat(vm.availableProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEmpty();
        assertThat(vm.classesProperty().get()).isEqualTo(new ProtectionClasses(120, 7, 3, 2, 1200, 70, 30, 20));
        assertThat(vm.summaryProperty().get()).isEqualTo("protection: 120 full, 7 degraded, 3 at risk, 2 unreadable");
        assertThat(vm.computedProperty().get()).isEqualTo("computed just now (the pass took 1 s, erasure 3+2)");
        assertThat(vm.atRisk()).extracting(AtRiskObject::key).containsExactly("2025/lost.jpg", "2025/edge.jpg");
        assertThat(vm.buckets()).containsExactly(new BucketHealthRow("photos", 132, 1320, 120, 7, 3, 2));
        assertThat(vm.queueProperty().get()).isEqualTo("5 sets (4.9 KiB)");
        assertThat(vm.causesProperty().get()).isEqualTo("node-lost 5");
        assertThat(vm.paceProperty().get()).isEqualTo("1.5 MiB/s");
        assertThat(vm.etaProperty().get()).isEqualTo("about 2 min left");
    }

    @Test
    void apply_nodesAndScrub_mergedByNode_withDownLostAndScrubState() {
        HealthViewModel vm = applied(MIXED, 0, -1);

        assertThat(vm.nodes()).extracting(NodeHealthRow::nodeId).containsExactly("node-1", "node-2", "node-3");
        NodeHealthRow one = vm.nodes().get(0);
        assertThat(one.state()).isEqualTo("up");
        assertThat(one.scrubProgress()).isEqualTo(0.25);
        assertThat(one.verified()).isEqualTo("1.0 GiB of 4.0 GiB");
        assertThat(one.lastFullPass()).isEqualTo("2 h ago");
        assertThat(one.corruptions()).isEqualTo(1);
        NodeHealthRow two = vm.nodes().get(1);
        assertThat(two.verified()).isEqualTo("0 B of 0 B (scrubbing off)");
        assertThat(two.lastFullPass()).isEqualTo("never");
        NodeHealthRow three = vm.nodes().get(2);
        assertThat(three.state()).isEqualTo("lost (down 15 min)");
        assertThat(three.down()).isTrue();
        assertThat(three.scrubProgress()).as("a lost node sends no scrub report").isEqualTo(-1);
        assertThat(three.shards()).isEqualTo(470);
    }

    @Test
    void banner_eachCase_saysWhatIsWrong() {
        assertThat(applied(MIXED, 5, 60).bannerProperty().get()).isEqualTo(new HealthBanner(
                HealthBanner.Level.DANGER,
                "2 objects unreadable; 3 objects at risk: one more lost shard makes them unreadable"));
        assertThat(applied(new long[] {10, 0, 3, 0, 0, 0}, 5, 60).bannerProperty().get()).isEqualTo(
                new HealthBanner(HealthBanner.Level.DANGER,
                        "3 objects at risk: one more lost shard makes them unreadable"));
        assertThat(applied(new long[] {10, 0, 1, 0, 0, 0}, 5, 60).bannerProperty().get().text())
                .isEqualTo("1 object at risk: one more lost shard makes it unreadable");
        assertThat(applied(new long[] {10, 0, 0, 2, 0, 0}, 5, 60).bannerProperty().get()).isEqualTo(
                new HealthBanner(HealthBanner.Level.DANGER, "2 objects unreadable"));
        assertThat(applied(new long[] {10, 4, 0, 0, 0, 0}, 5, 185).bannerProperty().get()).isEqualTo(
                new HealthBanner(HealthBanner.Level.WARNING, "4 objects degraded, repairing: about 4 min left"));
        assertThat(applied(new long[] {10, 4, 0, 0, 0, 0}, 0, -1).bannerProperty().get().level())
                .isEqualTo(HealthBanner.Level.WARNING);
        assertThat(applied(new long[] {10, 0, 0, 0, 0, 0}, 0, -1).bannerProperty().get())
                .isEqualTo(HealthBanner.NONE);
    }

    @Test
    void bucketRows_worstFirst_thenByName() {
        List<BucketHealthRow> rows = new ArrayList<>(List.of(new BucketHealthRow("a", 10, 0, 10, 0, 0, 0),
                new BucketHealthRow("b", 10, 0, 8, 2, 0, 0), new BucketHealthRow("c", 10, 0, 8, 0, 2, 0),
                new BucketHealthRow("d", 10, 0, 9, 0, 0, 1), new BucketHealthRow("0", 10, 0, 10, 0, 0, 0)));
        rows.sort(BucketHealthRow.WORST_FIRST);
        assertThat(rows).extracting(BucketHealthRow::bucket).containsExactly("d", "c", "b", "0", "a");
    }

    @Test
    void eta_queueAndPace_readAsTimeLeft() {
        assertThat(HealthText.eta(queue(4, 45))).isEqualTo("about 45 s left");
        assertThat(HealthText.eta(queue(4, 185))).isEqualTo("about 4 min left");
        assertThat(HealthText.eta(queue(4, 7200))).isEqualTo("about 2 h left");
        assertThat(HealthText.eta(queue(4, 7500))).isEqualTo("about 2 h 5 min left");
        assertThat(HealthText.eta(queue(4, 3 * 86_400 + 4 * 3600))).isEqualTo("about 3 d 4 h left");
        assertThat(HealthText.eta(queue(4, -1))).isEqualTo("time left unknown (not repairing yet)");
        assertThat(HealthText.eta(queue(0, -1))).isEqualTo("nothing to repair");
        assertThat(HealthText.pace(RepairQueue.IDLE)).isEqualTo("idle");
    }

    private static RepairQueue queue(long sets, long eta) {
        return new RepairQueue(sets, sets * 100, Map.of("missing", sets), 0, 0, sets == 0 ? 0 : 100, eta);
    }

    @Test
    void repairProgress_countsSetsRepairedSinceTheViewOpened_andRestartsWhenTheRepairerChanges() {
        HealthViewModel vm = vm();
        vm.apply(fetch(report(NOW, MIXED, 30, 10, 60)));
        assertThat(vm.repairProgressProperty().get()).isEqualTo(0.0);
        assertThat(vm.repairProgressTextProperty().get()).isEqualTo("0 of 30 sets repaired since this view opened");

        vm.apply(fetch(report(NOW, MIXED, 15, 25, 30)));
        assertThat(vm.repairProgressProperty().get()).isEqualTo(0.5);
        assertThat(vm.repairProgressTextProperty().get()).isEqualTo("15 of 30 sets repaired since this view opened");

        vm.apply(fetch(report(NOW, MIXED, 12, 3, 30)));
        assertThat(vm.repairProgressTextProperty().get()).isEqualTo("0 of 12 sets repaired since this view opened");

        vm.apply(fetch(report(NOW, new long[] {130, 0, 0, 0, 0, 0}, 0, 15, -1)));
        assertThat(vm.repairProgressProperty().get()).isEqualTo(1.0);
    }

    @Test
    void apply_firstCheckStillRunning_saysSo_andShowsNoBanner() {
        HealthViewModel vm = applied(MIXED, 5, 60);
        vm.apply(fetch(report(-1, new long[] {0, 0, 0, 0, 0, 0}, 0, 0, -1)));

        assertThat(vm.availableProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEqualTo(HealthViewModel.FIRST_CHECK);
        assertThat(vm.computedProperty().get()).isEqualTo(HealthViewModel.FIRST_CHECK);
        assertThat(vm.bannerProperty().get()).isEqualTo(HealthBanner.NONE);
        assertThat(vm.atRisk()).isEmpty();
        assertThat(vm.nodes()).hasSize(3);
    }

    /** A node of a release without the endpoint, as a real HTTP server answering 404 to every request. */
    @Test
    void apply_nodeAnswers404_healthNotAvailable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"code\":\"NotFound\",\"message\":\"no such admin endpoint\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (AdminPoller poller = poller(server.getAddress().getPort())) {
            HealthViewModel vm = applied(MIXED, 5, 60);

            ProtectionFetch fetched = poller.protection();
            vm.apply(fetched);

            assertThat(fetched.unsupported()).isTrue();
            assertThat(vm.availableProperty().get()).isFalse();
            assertThat(vm.messageProperty().get())
                    .isEqualTo("health not available from this node (it may run an older version)");
            assertThat(vm.bannerProperty().get()).isEqualTo(HealthBanner.NONE);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void apply_noNodeAnswers_saysWhy_andKeepsTheLastBanner() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (AdminPoller poller = poller(closedPort)) {
            HealthViewModel vm = applied(MIXED, 5, 60);
            vm.apply(poller.protection());

            assertThat(vm.availableProperty().get()).isFalse();
            assertThat(vm.messageProperty().get()).startsWith("health unknown: ")
                    .contains("/admin/v1/protection");
            assertThat(vm.bannerProperty().get().level()).isEqualTo(HealthBanner.Level.DANGER);
        }
    }

    private static AdminPoller poller(int port) {
        return new AdminPoller(Map.of(1, URI.create("http://127.0.0.1:" + port)), new Credentials("admin", "secret"),
                "us-east-1", null, snapshot -> { }, Clock.systemUTC());
    }

    @Test
    void showPlacement_selectedObjectAtRisk_handedToThePlacementView() {
        HealthViewModel vm = applied(MIXED, 5, 60);
        List<String> shown = new ArrayList<>();
        vm.setPlacementHandler((bucket, key) -> shown.add(bucket + "/" + key));

        vm.showPlacement();
        vm.selectedProperty().set(vm.atRisk().get(1));
        vm.showPlacement();

        assertThat(shown).containsExactly("photos/2025/edge.jpg");
    }

    /** The dev buttons on a real dev cluster's files (nodes not started): the bytes change and the log says so. */
    @Test
    void corruptRandomShard_devCluster_flipsBytesInASegment_andLogsIt(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 3, 2, 1);
            assertThat(service.isLocalDevCluster()).isTrue();
            Path segment = DevFaults.segmentsDir(config.node(2).dataDir()).resolve("0000000000000000.seg");
            Files.createDirectories(segment.getParent());
            byte[] original = new byte[1024];
            new Random(3).nextBytes(original);
            Files.write(segment, original);
            List<String> log = new ArrayList<>();
            HealthViewModel vm = vm();
            vm.setActivityLog(log::add);
            assertThat(vm.devFaultsEnabledProperty().get()).isFalse();
            vm.setDevFaults(new DevFaultActions() {
                @Override
                public String corruptRandomShard() throws Exception {
                    return service.corruptRandomShard(new Random(11));
                }

                @Override
                public String wipeNode(int nodeId) throws Exception {
                    return service.wipeNode(nodeId);
                }

                @Override
                public List<Integer> nodeIds() {
                    return List.of(1, 2, 3);
                }
            });

            vm.corruptRandomShard();

            assertThat(vm.devFaultsEnabledProperty().get()).isTrue();
            assertThat(log).singleElement().asString().startsWith("Corrupted a shard on node-2: flipped 16 bytes");
            byte[] now = Files.readAllBytes(segment);
            int changed = 0;
            for (int i = 0; i < now.length; i++) {
                changed += now[i] != original[i] ? 1 : 0;
            }
            assertThat(changed).isBetween(1, DevFaults.FLIPPED_BYTES);
        }
    }

    @Test
    void corruptRandomShard_noSegmentAnywhere_logsWhyNothingWasDone(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            service.create(dir.resolve("c"), 3, 2, 1);
            List<String> log = new ArrayList<>();
            HealthViewModel vm = vm();
            vm.setActivityLog(log::add);
            vm.setDevFaults(new DevFaultActions() {
                @Override
                public String corruptRandomShard() throws Exception {
                    return service.corruptRandomShard(new Random(1));
                }

                @Override
                public String wipeNode(int nodeId) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public List<Integer> nodeIds() {
                    return List.of();
                }
            });

            vm.corruptRandomShard();

            assertThat(log).singleElement().asString().startsWith("Corrupting a random shard failed: ")
                    .contains("upload some objects first");
        }
    }

    private static String withRebalance(String rebalance) {
        String json = report(NOW - 5_000, MIXED, 0, 0, 0);
        int end = json.lastIndexOf('}');
        return json.substring(0, end) + ",\"rebalance\":" + rebalance + "}";
    }

    @Test
    void rebalance_movingOntoNewAndOffDrainingNodes_showsWhatIsLeftPerNode() {
        HealthViewModel vm = vm();
        vm.apply(fetch(withRebalance("""
                {"membersEpoch":5,"rebalanceShards":90,"rebalanceBytes":3145728,"drainShards":30,
                 "drainBytes":1048576,"draining":[{"nodeId":"node-4","shardsLeft":37,"uploadShards":2}],
                 "movedShards":40,"movedBytes":1048576,"bytesPerSecond":1048576.0,"etaSeconds":130}""")));

        assertThat(vm.rebalanceProperty().get()).isEqualTo("rebalance: 120 shards (4.0 MiB) to move, about 3 min");
        assertThat(vm.drainingProperty().get())
                .isEqualTo("draining node-4: 37 shards left (2 in parts of multipart uploads in progress)");
        assertThat(vm.rebalanceProgressProperty().get()).isEqualTo(40.0 / 160);
    }

    @Test
    void rebalance_nothingLeftToMove_isFull() {
        HealthViewModel vm = vm();
        vm.apply(fetch(withRebalance("""
                {"membersEpoch":6,"rebalanceShards":0,"rebalanceBytes":0,"drainShards":0,"drainBytes":0,
                 "draining":[{"nodeId":"node-4","shardsLeft":0,"uploadShards":0}],
                 "movedShards":12,"movedBytes":2048,"bytesPerSecond":0,"etaSeconds":0}""")));

        assertThat(vm.rebalanceProperty().get()).isEqualTo("rebalance: nothing to move (12 shards, 2.0 KiB moved)");
        assertThat(vm.drainingProperty().get()).isEqualTo("draining node-4: drained, leaving");
        assertThat(vm.rebalanceProgressProperty().get()).isEqualTo(1.0);
    }

    @Test
    void rebalance_absentFromAnOlderNodesReport_saysSo() {
        HealthViewModel vm = applied(MIXED, 0, 0);
        assertThat(vm.rebalanceProperty().get()).startsWith("rebalance: not reported");
        assertThat(vm.rebalanceProgressProperty().get()).isZero();
        vm.reset();
        assertThat(vm.rebalanceProperty().get()).isEmpty();
    }
}
