package org.quotaledger.policy.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A country's balance under one policy. {@code capTpp} and {@code remainingTpp} are null when the
 * country is not capped. {@code remainingTpp} is negative when a replay put past shipments
 * beyond a new, smaller cap. {@code reservedTpp} is what active reservations hold of the cap and
 * {@code availableTpp} what is left for anyone else: remaining − reserved (null when not capped).
 *
 * <p>Every stored event embeds a balance. Those recorded before reservations existed have neither
 * of the last two fields: they read as nothing reserved, and available = remaining.
 */
public record Balance(String policyId, String tier, Treatment treatment, Long capTpp, long consumedTpp,
                      Long remainingTpp, BigDecimal utilization, BalanceStatus status, Long reservedTpp,
                      Long availableTpp) {

    public Balance {
        if (reservedTpp == null) {
            reservedTpp = 0L;
        }
        if (availableTpp == null && remainingTpp != null) {
            availableTpp = remainingTpp - reservedTpp;
        }
    }

    /** A balance with nothing reserved. */
    public Balance(String policyId, String tier, Treatment treatment, Long capTpp, long consumedTpp,
                   Long remainingTpp, BigDecimal utilization, BalanceStatus status) {
        this(policyId, tier, treatment, capTpp, consumedTpp, remainingTpp, utilization, status, null, null);
    }

    static Balance of(String policyId, TierSpan span, long consumed, long reserved, BigDecimal criticalThreshold) {
        return switch (span.treatment()) {
            case UNRESTRICTED -> new Balance(policyId, span.tier(), span.treatment(), null, consumed, null,
                    null, BalanceStatus.UNRESTRICTED, reserved, null);
            case PROHIBITED -> new Balance(policyId, span.tier(), span.treatment(), 0L, consumed, 0L,
                    null, BalanceStatus.PROHIBITED, reserved, null);
            case CAPPED -> capped(policyId, span, consumed, reserved, criticalThreshold);
        };
    }

    private static Balance capped(String policyId, TierSpan span, long consumed, long reserved,
                                  BigDecimal criticalThreshold) {
        long cap = span.capTpp();
        long remaining = cap - consumed;
        BigDecimal utilization = cap == 0 ? BigDecimal.ONE
                : BigDecimal.valueOf(consumed).divide(BigDecimal.valueOf(cap), 6, RoundingMode.HALF_UP);
        BalanceStatus status;
        if (remaining <= 0) {
            status = BalanceStatus.EXHAUSTED;
        } else if (criticalThreshold != null && utilization.compareTo(criticalThreshold) >= 0) {
            status = BalanceStatus.CRITICAL;
        } else {
            status = BalanceStatus.OPEN;
        }
        return new Balance(policyId, span.tier(), span.treatment(), cap, consumed, remaining, utilization, status,
                reserved, remaining - reserved);
    }

    /** The balance before any policy is enacted. */
    static Balance none() {
        return new Balance(null, null, null, null, 0, null, null, BalanceStatus.UNRESTRICTED);
    }
}
