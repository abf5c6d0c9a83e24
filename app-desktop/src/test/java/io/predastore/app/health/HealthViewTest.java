package io.predastore.app.health;

import static io.predastore.app.FxThread.fx;
import static io.predastore.app.health.ReportJson.NOW;
import static io.predastore.app.health.ReportJson.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.sun.net.httpserver.HttpServer;
import io.predastore.app.Screenshots;
import io.predastore.app.service.AdminPoller;
import io.predastore.app.service.ProtectionFetch;
import io.predastore.app.task.DirectAsync;
import io.predastore.client.sigv4.Credentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableRow;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The health screen, headless (Monocle), showing a report a node serves: a real HTTP server in the test answers
 * {@code GET /admin/v1/protection} with JSON written by hand (the external contract), the app's admin poller reads it
 * and the view model applies it. Checks what the user sees: the bar's segments and colours, the banner, the list
 * of objects at risk, and that double-clicking one opens its placement (the click fired through the scene graph).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthViewTest {
    private static final String STYLESHEET = "/io/predastore/app/assets/css/predastore.css";
    private static HttpServer server;
    private static volatile String served;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        FxToolkit.registerPrimaryStage();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean protection = exchange.getRequestURI().getPath().equals("/admin/v1/protection")
                    && exchange.getRequestHeaders().containsKey("Authorization");
            byte[] body = (protection ? served : "{\"code\":\"NotFound\",\"message\":\"no such path\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(protection ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        FxToolkit.cleanupStages();
    }


    private static ProtectionFetch fetch() throws IOException {
        try (AdminPoller poller = new AdminPoller(Map.of(1, URI.create("http://127.0.0.1:"
                + server.getAddress().getPort())), new Credentials("admin", "admin-secret"), "us-east-1", null,
                snapshot -> { }, Clock.systemUTC())) {
            return poller.protection();
        }
    }

    @Test
    void view_reportServedByANode_showsBarBannerAndObjectsAtRisk_doubleClickShowsPlacement() throws Exception {
        served = report(NOW - 3_000, new long[] {60, 20, 12, 8, 0, 0}, 9, 0, 300);
        HealthViewModel vm = new HealthViewModel(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                DirectAsync.create());
        List<String> placements = new CopyOnWriteArrayList<>();
        vm.setPlacementHandler((bucket, key) -> placements.add(bucket + "/" + key));
        FxToolkit.setupSceneRoot(() -> {
            BorderPane root = new BorderPane(new HealthView(vm));
            root.setTop(new HealthBannerView(vm));
            root.getStylesheets().add(HealthViewTest.class.getResource(STYLESHEET).toExternalForm());
            return root;
        });
        FxToolkit.setupStage(stage -> {
            stage.setWidth(1000);
            stage.setHeight(720);
            stage.show();
        });

        ProtectionFetch fetched = fetch();
        assertThat(fetched.report()).as("read from the server: %s", fetched.error()).isNotNull();
        fx(() -> {
            vm.apply(fetched);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();

        Label banner = robot.lookup("#health-banner").queryAs(Label.class);
        assertThat(fx(banner::isVisible)).isTrue();
        assertThat(fx(banner::getText)).isEqualTo(
                "⚠ 8 objects unreadable; 12 objects at risk: one more lost shard makes them unreadable");
        assertThat(fx(() -> banner.getStyleClass().contains("health-banner-danger"))).isTrue();

        double full = width("#bar-protection-full");
        double degraded = width("#bar-protection-degraded");
        double atRisk = width("#bar-protection-at-risk");
        double unreadable = width("#bar-protection-unreadable");
        assertThat(full).isGreaterThan(0);
        assertThat(full / degraded).as("60 full to 20 degraded").isCloseTo(3.0, offset(0.05));
        assertThat(atRisk / unreadable).as("12 at risk to 8 unreadable").isCloseTo(1.5,
                offset(0.05));
        assertThat(fill("#bar-protection-unreadable")).isEqualTo(Color.web("#8e1b1b"));
        assertThat(fill("#bar-protection-full")).isEqualTo(Color.web("#2e7d32"));
        assertThat(fx(() -> robot.lookup("#legend-at-risk").queryAs(Label.class).getText()))
                .isEqualTo("At risk: 12 objects (120 B)");
        assertThat(fx(() -> robot.lookup("#health-summary").queryAs(Label.class).getText()))
                .isEqualTo("protection: 60 full, 20 degraded, 12 at risk, 8 unreadable");
        assertThat(fx(() -> robot.lookup("#repair-eta").queryAs(Label.class).getText()))
                .isEqualTo("about 5 min left");

        HealthView view = robot.lookup("#health-view").queryAs(HealthView.class);
        assertThat(fx(() -> view.atRiskTable().getItems().size())).isEqualTo(2);
        Node row = fx(() -> view.atRiskTable().lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof TableRow<?> r && r.getItem() != null && r.getIndex() == 1)
                .findFirst().orElseThrow());
        fx(() -> {
            view.setVvalue(view.getVmax());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> robot.from(row).lookup(".table-cell").queryAll().stream()
                .map(n -> ((Labeled) n).getText()).toList())).contains("photos", "2025/edge.jpg", "3/5");
        // A double click delivered through the scene graph, as the toolkit delivers one (a robot's screen
        // coordinates depend on where headless Monocle put the window among other tests' stages).
        fx(() -> {
            Point2D centre = row.localToScene(row.getBoundsInLocal().getWidth() / 2,
                    row.getBoundsInLocal().getHeight() / 2);
            Event.fireEvent(row, new MouseEvent(MouseEvent.MOUSE_CLICKED, centre.getX(), centre.getY(),
                    centre.getX(), centre.getY(), MouseButton.PRIMARY, 2, false, false, false, false, true, false,
                    false, true, false, true, null));
            return null;
        });
        assertThat(placements).containsExactly("photos/2025/edge.jpg");

        served = report(NOW - 1_000, new long[] {100, 0, 0, 0, 0, 0}, 0, 9, -1);
        ProtectionFetch healed = fetch();
        fx(() -> {
            vm.apply(healed);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(banner::isVisible)).as("no banner once every object is fully protected").isFalse();
        assertThat(width("#bar-protection-unreadable")).isZero();
        assertThat(fx(() -> robot.lookup("#repair-progress-text").queryAs(Label.class).getText()))
                .isEqualTo("9 of 9 sets repaired since this view opened");
    }

    private double width(String id) throws Exception {
        return fx(() -> {
            Region r = robot.lookup(id).queryAs(Region.class);
            return r.isVisible() ? r.getWidth() : 0.0;
        });
    }

    private Color fill(String id) throws Exception {
        return fx(() -> (Color) robot.lookup(id).queryAs(Region.class).getBackground().getFills().get(0).getFill());
    }
}
