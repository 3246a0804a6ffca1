package org.quotaledger.policy.rules;

import java.time.LocalDate;

/** One country's tier for a period of one policy (from inclusive, until exclusive, null = open). */
public record TierSpan(LocalDate from, LocalDate until, String tier, Treatment treatment, Long capTpp) {

    boolean coversDate(LocalDate date) {
        return (from == null || !date.isBefore(from)) && (until == null || date.isBefore(until));
    }
}
