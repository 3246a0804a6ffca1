package org.quotaledger.policy.rules;

import java.time.LocalDate;

/** The period whose shipments count against a cumulative cap; both ends inclusive. */
public record CountingWindow(LocalDate from, LocalDate to) {

    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }
}
