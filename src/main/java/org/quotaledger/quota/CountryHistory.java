package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LedgerReplay;

/** A country's recorded history, read from the event store, for replays and checks. */
public interface CountryHistory {

    /**
     * @param timeline the policies applied to the country, in the order they were applied
     * @param entries  its recorded shipments and voids, in recording order (denials are not history)
     */
    record CountryStream(List<CountryRules> timeline, List<LedgerReplay.Entry> entries) {
    }

    CountryStream of(String country);

    /** The history as it stood at {@code instant}: only events recorded at or before it. */
    CountryStream asOf(String country, java.time.Instant instant);
}
