package org.quotaledger.policy.rules;

import java.time.LocalDate;

/**
 * A country's membership of a tier for part of a policy's life, e.g. Cambodia in D:5 until
 * its removal was published. {@code from} is inclusive and {@code until} exclusive; either may
 * be null for "since the policy took effect" and "until further notice".
 */
public record TierMembership(String country, LocalDate from, LocalDate until) {

    public boolean coversDate(LocalDate date) {
        return (from == null || !date.isBefore(from)) && (until == null || date.isBefore(until));
    }

    boolean overlaps(TierMembership other) {
        boolean thisEndsBeforeOtherStarts = until != null && other.from != null && !until.isAfter(other.from);
        boolean otherEndsBeforeThisStarts = other.until != null && from != null && !other.until.isAfter(from);
        return !thisEndsBeforeOtherStarts && !otherEndsBeforeThisStarts;
    }
}
