package io.predastore.app.health;

import javafx.scene.control.Label;

/**
 * The banner across the top of the main window: red while objects are at risk or unreadable, amber while some are
 * degraded and being repaired, hidden when everything is fully protected. Styled by {@code .health-banner-danger}
 * and {@code .health-banner-warning}.
 */
public final class HealthBannerView extends Label {
    public HealthBannerView(HealthViewModel vm) {
        setId("health-banner");
        getStyleClass().add("health-banner");
        setMaxWidth(Double.MAX_VALUE);
        setWrapText(true);
        vm.bannerProperty().addListener((o, a, b) -> show(b));
        show(vm.bannerProperty().get());
    }

    private void show(HealthBanner banner) {
        HealthBanner b = banner == null ? HealthBanner.NONE : banner;
        getStyleClass().removeAll("health-banner-danger", "health-banner-warning");
        switch (b.level()) {
            case DANGER -> getStyleClass().add("health-banner-danger");
            case WARNING -> getStyleClass().add("health-banner-warning");
            case NONE -> { }
        }
        setText((b.level() == HealthBanner.Level.DANGER ? "⚠ " : "") + b.text());
        boolean shown = b.level() != HealthBanner.Level.NONE;
        setVisible(shown);
        setManaged(shown);
    }
}
