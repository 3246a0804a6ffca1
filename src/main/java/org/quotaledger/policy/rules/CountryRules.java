package org.quotaledger.policy.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One policy as one destination country sees it: small, self-contained, and recorded in the
 * country's {@code PolicyApplied} event so that its history can be folded without the policy book.
 *
 * @param datedTiers  tier spans that name this country, earliest first
 * @param defaultTier        the tier that applies on any date no span covers
 * @param maxReservationDays the longest a reservation may hold quota; null in rules recorded
 *                           before reservations existed, which means the default
 */
public record CountryRules(String policyId, LocalDate effectiveFrom, List<TierSpan> datedTiers,
                           TierSpan defaultTier, CountingWindow countingWindow, Long lppThresholdTpp,
                           Set<String> validatedEndUsers, List<ChipClassRule> chipClassRules,
                           BigDecimal criticalThreshold, Integer maxReservationDays) {

    /** When a policy does not say how long a reservation may last. */
    public static final int DEFAULT_MAX_RESERVATION_DAYS = 90;
    /** How long a reservation lasts when the exporter does not say, unless the policy allows less. */
    public static final int DEFAULT_RESERVATION_DAYS = 14;

    public CountryRules(String policyId, LocalDate effectiveFrom, List<TierSpan> datedTiers, TierSpan defaultTier,
                        CountingWindow countingWindow, Long lppThresholdTpp, Set<String> validatedEndUsers,
                        List<ChipClassRule> chipClassRules, BigDecimal criticalThreshold) {
        this(policyId, effectiveFrom, datedTiers, defaultTier, countingWindow, lppThresholdTpp, validatedEndUsers,
                chipClassRules, criticalThreshold, null);
    }

    public CountryRules {
        datedTiers = datedTiers == null ? List.of() : List.copyOf(datedTiers);
        validatedEndUsers = validatedEndUsers == null ? Set.of() : Set.copyOf(validatedEndUsers);
        chipClassRules = chipClassRules == null ? List.of() : List.copyOf(chipClassRules);
    }

    public int reservationDaysLimit() {
        return maxReservationDays == null ? DEFAULT_MAX_RESERVATION_DAYS : maxReservationDays;
    }

    public int defaultReservationDays() {
        return Math.min(DEFAULT_RESERVATION_DAYS, reservationDaysLimit());
    }

    public TierSpan tierOn(LocalDate date) {
        return datedTiers.stream().filter(span -> span.coversDate(date)).findFirst().orElse(defaultTier);
    }

    Optional<ChipClassRule> chipRuleFor(ShipmentFacts shipment) {
        return chipClassRules.stream()
                .filter(rule -> shipment.items().stream().anyMatch(item -> rule.matches(item.tppPerUnit())))
                .findFirst();
    }
}
