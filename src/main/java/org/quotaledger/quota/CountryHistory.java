package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.policy.rules.LedgerReplay;

/** A country's recorded shipments and voids, in recording order, for a replay. */
public interface CountryHistory {

    List<LedgerReplay.Entry> of(String country);
}
