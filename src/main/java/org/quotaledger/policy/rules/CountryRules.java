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
 * @param defaultTier the tier that applies on any date no span covers
 */
public record CountryRules(String policyId, LocalDate effectiveFrom, List<TierSpan> datedTiers,
                           TierSpan defaultTier, CountingWindow countingWindow, Long lppThresholdTpp,
                           Set<String> validatedEndUsers, List<ChipClassRule> chipClassRules,
                           BigDecimal criticalThreshold) {

    public CountryRules {
        datedTiers = datedTiers == null ? List.of() : List.copyOf(datedTiers);
        validatedEndUsers = validatedEndUsers == null ? Set.of() : Set.copyOf(validatedEndUsers);
        chipClassRules = chipClassRules == null ? List.of() : List.copyOf(chipClassRules);
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
