package org.quotaledger.policy.rules;

import java.util.List;

/**
 * A rule for a class of chips rather than a country tier, such as the January 2026 case-by-case
 * review of chips below 21,000 TPP to China. A shipment to one of {@code countries} carrying any
 * item whose TPP per unit lies in [{@code minTppPerUnit}, {@code belowTppPerUnit}) needs a
 * licence reference; with one, a prohibited destination may receive it as {@code LICENSED}.
 */
public record ChipClassRule(String id, String description, List<String> countries,
                            Long minTppPerUnit, Long belowTppPerUnit) {

    public ChipClassRule {
        countries = countries == null ? List.of() : List.copyOf(countries);
    }

    boolean matches(long tppPerUnit) {
        return (minTppPerUnit == null || tppPerUnit >= minTppPerUnit)
                && (belowTppPerUnit == null || tppPerUnit < belowTppPerUnit);
    }
}
