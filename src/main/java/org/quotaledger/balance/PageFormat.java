package org.quotaledger.balance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.quotaledger.policy.rules.BalanceStatus;

/** How the browser pages write numbers, instants and statuses: one way on every page. */
final class PageFormat {

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private PageFormat() {
    }

    /** Grouped thousands, no decimals; a dash for "none" (no cap, say). */
    static String number(Number value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%,.0f", value.doubleValue());
    }

    static String instant(Instant value) {
        return value == null ? "" : INSTANT.format(value);
    }

    /** The status as the pages show it, in words and as the CSS class that colours it. */
    static String status(BalanceStatus status) {
        return status == null ? "" : status.name().toLowerCase(Locale.ROOT);
    }
}
