package io.predastore.chaos.report;

import java.util.Locale;

/**
 * Of {@code total} operations, how many were {@code answered}: ended OK or REFUSED (a conditional write refused is
 * a correct answer), as against FAILED or UNKNOWN.
 *
 * @param answered operations that ended OK or REFUSED
 * @param total    operations counted
 */
public record Share(long answered, long total) {
    public Share {
        if (answered < 0 || total < answered) {
            throw new IllegalArgumentException("a share needs 0 <= answered <= total, not " + answered + " of "
                    + total);
        }
    }

    /** The answered fraction, 0 to 1; NaN when nothing was counted. */
    public double ratio() {
        return total == 0 ? Double.NaN : (double) answered / total;
    }

    /** E.g. {@code 97.3 % (1460 of 1500)}, or {@code - (no operations)}. */
    public String text() {
        return total == 0 ? "- (no operations)"
                : String.format(Locale.ROOT, "%.1f %% (%d of %d)", 100 * ratio(), answered, total);
    }
}
