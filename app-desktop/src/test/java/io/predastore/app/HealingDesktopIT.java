package io.predastore.app;

import static io.predastore.app.FxThread.fx;
import static io.predastore.app.FxThread.fxRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.app.cluster.NodeRow;
import io.predastore.app.health.HealthBanner;
import io.predastore.app.health.HealthViewModel;
import io.predastore.app.health.ProtectionClasses;
import io.predastore.node.supervisor.NodeState;
import io.predastore.protocol.config.ClusterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The health screen on a real five-node 3+2 dev cluster created from the welcome screen: objects are written, one
 * node's data is wiped with the screen's dev action, and the screen goes from fully protected to degraded (amber
 * banner, repairs queued) and back to fully protected once the repair engine has rebuilt the lost shards. A shard is
 * then corrupted with the other dev action and the activity log says where.
 *
 * <p>Needs nodes that serve {@code GET /admin/v1/protection}; against a node build without it (it answers 404) the
 * test is skipped once the screen says health is not available, after checking it says exactly that.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class HealingDesktopIT {
    private static final String BUCKET = "healing-it";
    private static final int OBJECTS = 12;

    @TempDir
    static Path tmp;

    private static PredastoreApp app;

    @BeforeAll
    static void launch() throws Exception {
        System.setProperty("predastore.configDir", tmp.resolve("config").toString());
        FxToolkit.registerPrimaryStage();
        app = (PredastoreApp) FxToolkit.setupApplication(PredastoreApp.class);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (app != null) {
            app.cluster().stopAll();
            FxToolkit.cleanupApplication(app);
        }
        FxToolkit.cleanupStages();
    }



    private static HealthViewModel health() {
        return app.healthViewModel();
    }

    private static ProtectionClasses classes() throws Exception {
        return fx(() -> health().classesProperty().get());
    }

    private static S3Client s3(int nodeId) {
        ClusterConfig c = app.cluster().config();
        return S3Client.builder().endpointOverride(URI.create(c.node(nodeId).s3Endpoint()))
                .region(Region.of(c.region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        c.credentials().accessKey(), c.credentials().secretKey())))
                .build();
    }

    @Test
    void wipedNode_degradedThenRepairedToFull_andACorruptedShardIsLogged() throws Exception {
        // The welcome screen's defaults (bound to its spinners) are the 5-node 3+2 cluster this test needs.
        assertThat(fx(() -> List.of(app.welcomeViewModel().nodesProperty().get(),
                app.welcomeViewModel().dataProperty().get(), app.welcomeViewModel().parityProperty().get())))
                .containsExactly(5, 3, 2);
        fxRun(() -> {
            app.welcomeViewModel().folderProperty().set(tmp.resolve("cluster").toString());
            app.welcomeViewModel().create();
        });
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(app.nodesViewModel().rows()))).hasSize(5)
                        .allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING"));
        assertThat(fx(() -> health().devFaultsEnabledProperty().get())).as("a dev cluster on this machine").isTrue();

        // The first answer decides whether the nodes of this build serve the report at all.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> fx(() ->
                health().availableProperty().get()
                        || HealthViewModel.NOT_AVAILABLE.equals(health().messageProperty().get())));
        Assumptions.assumeTrue(fx(() -> health().availableProperty().get()),
                "the nodes of this build answer 404 to GET /admin/v1/protection, and the screen says: "
                        + fx(() -> health().messageProperty().get()));

        // Writes need every shard's node (3+2 on 5 nodes); a node just started may refuse one for a moment.
        try (S3Client s3 = s3(1)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> s3.createBucket(b -> b.bucket(BUCKET)) != null);
            for (int i = 0; i < OBJECTS; i++) {
                String key = "object-" + i;
                byte[] body = new byte[40_000 + i * 1_000];
                java.util.Arrays.fill(body, (byte) i);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body))
                                != null);
            }
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(classes()).as(() -> summary()).extracting(ProtectionClasses::full)
                        .isEqualTo((long) OBJECTS));
        assertThat(fx(() -> health().bannerProperty().get())).isEqualTo(HealthBanner.NONE);

        // Written on the FX thread, read through fx(): the levels the banner took after the wipe.
        Set<HealthBanner.Level> seen = EnumSet.noneOf(HealthBanner.Level.class);
        fxRun(() -> health().bannerProperty().addListener((o, a, b) -> seen.add(b.level())));
        fxRun(() -> health().wipeNode(4));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(app.activityViewModel().logLines())))
                        .anyMatch(l -> l.contains("Wiped node-4")));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(app.nodesViewModel().rows()))).extracting(NodeRow::state)
                        .containsOnly(NodeState.RUNNING));

        // Degraded while the lost shards are rebuilt (the amber banner, unless a pass never caught it between the
        // wipe and the end of the repair), then full again with the repairs counted.
        boolean[] shot = {false};
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            ProtectionClasses c = classes();
            if (!shot[0] && c.degraded() > 0 && Screenshots.enabled()) {
                // docs/screenshots/health.png: this live cluster, mid-repair.
                shot[0] = true;
                fxRun(() -> app.mainView().showTab("tab-health"));
                WaitForAsyncUtils.waitForFxEvents();
                fxRun(() -> Screenshots.save(app.mainView().getScene(), "health"));
            }
            assertThat(c.full()).as(() -> summary()).isEqualTo(OBJECTS);
            assertThat(c.degraded() + c.atRisk() + c.unreadable()).isZero();
            assertThat(fx(() -> health().repairProgressTextProperty().get())).as("sets were rebuilt")
                    .doesNotStartWith("0 of");
        });
        assertThat(fx(() -> health().bannerProperty().get())).isEqualTo(HealthBanner.NONE);
        Set<HealthBanner.Level> levels = fx(() -> EnumSet.copyOf(seen));
        assertThat(levels).as("one lost node of 3+2 leaves every object readable with a loss to spare")
                .doesNotContain(HealthBanner.Level.DANGER);

        fxRun(() -> health().corruptRandomShard());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(app.activityViewModel().logLines())))
                        .anyMatch(l -> l.contains("Corrupted a shard on node-") && l.contains("flipped 16 bytes")));
    }

    private static String summary() {
        try {
            return fx(() -> health().summaryProperty().get() + " / " + health().queueProperty().get() + " / "
                    + health().messageProperty().get() + " / banner " + health().bannerProperty().get());
        } catch (Exception e) {
            return e.toString();
        }
    }
}
