package io.predastore.app;

import io.predastore.app.activity.ActivityView;
import io.predastore.app.browser.BrowserView;
import io.predastore.app.cluster.NodesView;
import io.predastore.app.health.HealthBannerView;
import io.predastore.app.health.HealthView;
import io.predastore.app.raft.RaftView;
import io.predastore.app.ring.RingPane;
import io.predastore.app.task.Notifier;
import io.predastore.app.welcome.WelcomeView;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;

/**
 * The main window's content: the welcome screen until a cluster is open, then tabs for nodes, health, ring, Raft,
 * activity and buckets under the health banner (shown while objects are degraded, at risk or unreadable; a click
 * opens the health tab); errors and notes slide in from the top (ControlsFX {@link NotificationPane}) and hide
 * themselves.
 */
public final class MainView extends StackPane implements Notifier {
    private final NotificationPane notifications;
    private final TabPane tabs;
    private final BooleanProperty clusterOpen = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final PauseTransition hide = new PauseTransition(Duration.seconds(6));

    public MainView(WelcomeView welcome, NodesView nodes, HealthView health, HealthBannerView banner, RingPane ring,
            RaftView raft, ActivityView activity, BrowserView browser) {
        tabs = new TabPane(tab("Nodes", "tab-nodes", nodes), tab("Health", "tab-health", health),
                tab("Ring", "tab-ring", ring),
                tab("Raft", "tab-raft", raft), tab("Activity", "tab-activity", activity),
                tab("Buckets", "tab-buckets", browser));
        tabs.setId("main-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        BorderPane shell = new BorderPane();
        StackPane welcomePane = new StackPane(welcome);
        welcomePane.setPadding(new Insets(16));
        ScrollPane welcomeHolder = new ScrollPane(welcomePane);
        welcomeHolder.setFitToWidth(true);
        shell.setCenter(welcomeHolder);
        Label statusBar = new Label();
        statusBar.setId("status-bar");
        statusBar.setPadding(new Insets(2, 8, 2, 8));
        statusBar.textProperty().bind(status);
        shell.setBottom(statusBar);
        banner.setOnMouseClicked(e -> showTab("tab-health"));
        BorderPane withBanner = new BorderPane(tabs);
        withBanner.setTop(banner);
        clusterOpen.addListener((o, a, open) -> shell.setCenter(open ? withBanner : welcomeHolder));
        notifications = new NotificationPane(shell);
        notifications.setId("notifications");
        notifications.getStyleClass().add(NotificationPane.STYLE_CLASS_DARK);
        notifications.setShowFromTop(true);
        hide.setOnFinished(e -> notifications.hide());
        getChildren().add(notifications);
    }

    private static Tab tab(String title, String id, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setId(id);
        return t;
    }

    /** Brings the tab with this id to the front. */
    public void showTab(String id) {
        tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    public TabPane tabs() {
        return tabs;
    }

    public BooleanProperty clusterOpenProperty() {
        return clusterOpen;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** The text currently shown in the notification bar (empty when hidden). */
    public String notificationText() {
        return notifications.isShowing() ? notifications.getText() : "";
    }

    @Override
    public void error(String message) {
        show("⚠ " + message);
    }

    @Override
    public void info(String message) {
        show(message);
    }

    private void show(String text) {
        notifications.show(text);
        hide.playFromStart();
    }
}
