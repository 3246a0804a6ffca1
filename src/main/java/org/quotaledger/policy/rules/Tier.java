package org.quotaledger.policy.rules;

import java.util.List;

/**
 * A named tier of a policy. {@code countries} are members for the policy's whole life;
 * {@code datedMembers} are members for a bounded period only. {@code capTpp} is the cumulative
 * cap per country for a {@link Treatment#CAPPED} tier and must be null otherwise.
 */
public record Tier(String name, Treatment treatment, Long capTpp, List<String> countries,
                   List<TierMembership> datedMembers) {

    public Tier {
        countries = countries == null ? List.of() : List.copyOf(countries);
        datedMembers = datedMembers == null ? List.of() : List.copyOf(datedMembers);
    }

    /** Every membership of this tier, undated ones as open-ended memberships. */
    public List<TierMembership> memberships() {
        var all = new java.util.ArrayList<TierMembership>(countries.size() + datedMembers.size());
        countries.forEach(code -> all.add(new TierMembership(code, null, null)));
        all.addAll(datedMembers);
        return all;
    }
}
