package io.predastore.app.health;

/**
 * The main window's health banner: nothing while every object is fully protected, amber while some are degraded
 * and being repaired, red while any is at risk or unreadable.
 *
 * @param level how alarming it is
 * @param text  what it says (empty for {@link Level#NONE})
 */
public record HealthBanner(Level level, String text) {
    /** How a banner is shown. */
    public enum Level {
        /** No banner. */
        NONE,
        /** Amber: degraded, being repaired. */
        WARNING,
        /** Red: objects at risk or unreadable. */
        DANGER
    }

    /** No banner. */
    public static final HealthBanner NONE = new HealthBanner(Level.NONE, "");
}
