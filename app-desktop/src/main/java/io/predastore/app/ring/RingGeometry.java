package io.predastore.app.ring;

/**
 * Maps positions on the hash ring (token fractions in [0, 1)) to angles and points: fraction 0 is at the top and
 * fractions grow clockwise on screen (y grows downwards).
 */
public final class RingGeometry {
    private RingGeometry() {
    }

    /** A point on screen. */
    public record Point(double x, double y) {
    }

    /** The angle of a fraction in radians, screen coordinates: -π/2 (top) for 0, 0 (right) for 0.25. */
    public static double angle(double fraction) {
        return 2 * Math.PI * fraction - Math.PI / 2;
    }

    /** The point at {@code fraction} on the circle around ({@code cx}, {@code cy}) with {@code radius}. */
    public static Point point(double cx, double cy, double radius, double fraction) {
        double a = angle(fraction);
        return new Point(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
    }

    /** The fraction of the {@code i}-th of {@code n} evenly spaced marks. */
    public static double evenly(int i, int n) {
        if (n <= 0 || i < 0 || i >= n) {
            throw new IllegalArgumentException("need 0 <= i < n, got i=" + i + " n=" + n);
        }
        return (double) i / n;
    }
}
