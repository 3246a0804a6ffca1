package org.quotaledger.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line text bar on standard error, redrawn in place: {@code import [######----]  60%
 * 600/1000 rows  ETA 4s}. Silent when nobody watches (not a terminal) or with {@code --quiet}, so
 * that scripts and log files get no carriage returns.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final String unit;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean enabled, String label, String unit) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.unit = unit;
    }

    /** {@code total} and {@code etaSeconds} may be null while the ledger does not know them yet. */
    void update(long done, Long total, Long etaSeconds) {
        if (!enabled) {
            return;
        }
        err.print('\r' + render(done, total, etaSeconds));
        err.flush();
        drawn = true;
    }

    /** Ends the line the bar was drawn on. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    String render(long done, Long total, Long etaSeconds) {
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total != null && total > 0) {
            long shown = Math.min(done, total);
            int filled = (int) (WIDTH * shown / total);
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", 100 * shown / total))
                    .append(String.format(Locale.ROOT, "  %,d/%,d %s", done, total, unit));
        } else {
            line.append(String.format(Locale.ROOT, "%,d %s", done, unit));
        }
        if (etaSeconds != null) {
            line.append("  ETA ").append(etaSeconds).append('s');
        }
        return line.toString();
    }
}
