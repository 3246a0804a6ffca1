package org.quotaledger.policy.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A country's balance under one policy. {@code capTpp} and {@code remainingTpp} are null when the
 * country is not capped. {@code remainingTpp} is negative when a replay put past shipments
 * beyond a new, smaller cap.
 */
public record Balance(String policyId, String tier, Treatment treatment, Long capTpp, long consumedTpp,
                      Long remainingTpp, BigDecimal utilization, BalanceStatus status) {

    static Balance of(String policyId, TierSpan span, long consumed, BigDecimal criticalThreshold) {
        return switch (span.treatment()) {
            case UNRESTRICTED -> new Balance(policyId, span.tier(), span.treatment(), null, consumed, null,
                    null, BalanceStatus.UNRESTRICTED);
            case PROHIBITED -> new Balance(policyId, span.tier(), span.treatment(), 0L, consumed, 0L,
                    null, BalanceStatus.PROHIBITED);
            case CAPPED -> capped(policyId, span, consumed, criticalThreshold);
        };
    }

    private static Balance capped(String policyId, TierSpan span, long consumed, BigDecimal criticalThreshold) {
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
        return new Balance(policyId, span.tier(), span.treatment(), cap, consumed, remaining, utilization, status);
    }

    /** The balance before any policy is enacted. */
    static Balance none() {
        return new Balance(null, null, null, null, 0, null, null, BalanceStatus.UNRESTRICTED);
    }
}
