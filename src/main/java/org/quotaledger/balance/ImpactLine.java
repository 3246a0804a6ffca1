package org.quotaledger.balance;

import org.quotaledger.balance.BalanceMessages.CountryImpact;

/** One country's balance before and after one policy, formatted for the pages. */
record ImpactLine(String country, boolean opened, boolean changed, String tierBefore, String tierAfter,
                  String statusBefore, String statusAfter, String capBefore, String capAfter, String consumedBefore,
                  String consumedAfter, String remainingBefore, String remainingAfter, int shipmentsReplayed,
                  int reclassified, int beyondCap, String appliedAt) {

    /** {@code opened}: the policy opened the country's ledger (there was no policy before it). */
    static ImpactLine of(CountryImpact impact) {
        return new ImpactLine(impact.country(), impact.policyBefore() == null, impact.changedTierCapOrStatus(),
                text(impact.tierBefore()), text(impact.tierAfter()), PageFormat.status(impact.statusBefore()),
                PageFormat.status(impact.statusAfter()), PageFormat.number(impact.capBeforeTpp()),
                PageFormat.number(impact.capAfterTpp()), PageFormat.number(impact.consumedBeforeTpp()),
                PageFormat.number(impact.consumedAfterTpp()), PageFormat.number(impact.remainingBeforeTpp()),
                PageFormat.number(impact.remainingAfterTpp()), impact.shipmentsReplayed(), impact.reclassified(),
                impact.beyondCap(), PageFormat.instant(impact.appliedAt()));
    }

    /** What the replay went through (public: the templates call it, and SpEL sees public methods only). */
    public String replayed() {
        return shipmentsReplayed + " shipments, " + reclassified + " reclassified, " + beyondCap + " beyond the cap";
    }

    private static String text(String value) {
        return value == null ? "—" : value;
    }
}
