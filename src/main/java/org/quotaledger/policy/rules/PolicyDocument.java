package org.quotaledger.policy.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy as a regulator writes it: tiers with effective dates, caps with windows, exceptions
 * and per-chip-class rules. This record is the JSON form the policy API accepts and returns.
 *
 * @param defaultTier         the tier of every country no tier lists (Tier 2 under the 2025 rule)
 * @param capOverrides        per-country caps that replace the tier cap (a government-to-government
 *                            agreement can double a country's cap)
 * @param validatedEndUsers   consignee ids whose shipments do not debit the country cap (UVEU)
 * @param criticalThreshold   utilization from which a capped balance is CRITICAL, e.g. 0.90
 * @param maxReservationDays  how long an exporter may hold quota in a reservation; absent in
 *                            documents written before reservations existed, then
 *                            {@link CountryRules#DEFAULT_MAX_RESERVATION_DAYS}
 */
public record PolicyDocument(String id, String title, String citation, LocalDate effectiveFrom,
                             String defaultTier, List<Tier> tiers, CountingWindow countingWindow,
                             LppException lppException, Map<String, Long> capOverrides,
                             List<String> validatedEndUsers, List<ChipClassRule> chipClassRules,
                             BigDecimal criticalThreshold, Integer maxReservationDays) {

    /** A document without a reservation limit: the default applies. */
    public PolicyDocument(String id, String title, String citation, LocalDate effectiveFrom, String defaultTier,
                          List<Tier> tiers, CountingWindow countingWindow, LppException lppException,
                          Map<String, Long> capOverrides, List<String> validatedEndUsers,
                          List<ChipClassRule> chipClassRules, BigDecimal criticalThreshold) {
        this(id, title, citation, effectiveFrom, defaultTier, tiers, countingWindow, lppException, capOverrides,
                validatedEndUsers, chipClassRules, criticalThreshold, null);
    }

    public PolicyDocument {
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
        capOverrides = capOverrides == null ? Map.of() : Map.copyOf(capOverrides);
        validatedEndUsers = validatedEndUsers == null ? List.of() : List.copyOf(validatedEndUsers);
        chipClassRules = chipClassRules == null ? List.of() : List.copyOf(chipClassRules);
    }

    /** This policy as one destination country sees it. */
    public CountryRules rulesFor(String country) {
        List<TierSpan> spans = new ArrayList<>();
        for (Tier tier : tiers) {
            for (TierMembership membership : tier.memberships()) {
                if (membership.country().equals(country)) {
                    spans.add(spanOf(tier, membership.from(), membership.until(), country));
                }
            }
        }
        spans.sort(Comparator.comparing(TierSpan::from, Comparator.nullsFirst(Comparator.naturalOrder())));
        Tier fallback = tier(defaultTier);
        List<ChipClassRule> chipRules = chipClassRules.stream()
                .filter(rule -> rule.countries().contains(country)).toList();
        return new CountryRules(id, effectiveFrom, spans, spanOf(fallback, null, null, country),
                countingWindow, lppException == null ? null : lppException.thresholdTppPerConsigneePerYear(),
                Set.copyOf(validatedEndUsers), chipRules, criticalThreshold, maxReservationDays);
    }

    private TierSpan spanOf(Tier tier, LocalDate from, LocalDate until, String country) {
        Long cap = tier.treatment() == Treatment.CAPPED
                ? capOverrides.getOrDefault(country, tier.capTpp()) : null;
        return new TierSpan(from, until, tier.name(), tier.treatment(), cap);
    }

    Tier tier(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("policy " + id + " has no tier " + name));
    }
}
