package org.quotaledger.balance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.quotaledger.balance.BalanceMessages.CountryImpact;
import org.quotaledger.policy.rules.BalanceStatus;

/** Queries for what happened to balances over time (history, alerts, impacts) and what they answer. */
public final class HistoryMessages {

    private HistoryMessages() {
    }

    /** A country's balance over time; at most {@code maxPoints} points, evenly thinned, always with the latest. */
    public record FindBalanceHistory(String country, int maxPoints) {
    }

    /** What changed a balance: a shipment recorded or voided, or a policy applied. */
    public enum Cause { RECORDED, VOIDED, POLICY }

    public record BalancePoint(long sequence, Cause cause, String causeId, String policyId, Long capTpp,
                               long consumedTpp, Long remainingTpp, BalanceStatus status, Instant at) {
    }

    /** {@code totalPoints} counts every point recorded, {@code points} those returned. */
    public record BalanceHistory(String country, long totalPoints, List<BalancePoint> points) {
    }

    /** The latest alerts, newest first; {@code country} null for every country. */
    public record FindAlerts(String country, int limit) {
    }

    public record QuotaAlert(String country, BalanceStatus from, BalanceStatus to, String policyId, String causedBy,
                             BigDecimal utilization, Long remainingTpp, Instant changedAt) {
    }

    public record AlertList(List<QuotaAlert> alerts) {
    }

    /** How each policy, in the order applied, changed one country's balance. */
    public record FindImpactsOnCountry(String country) {
    }

    public record ImpactOnCountry(String policyId, CountryImpact impact) {
    }

    public record ImpactsOnCountry(String country, List<ImpactOnCountry> impacts) {
    }
}
