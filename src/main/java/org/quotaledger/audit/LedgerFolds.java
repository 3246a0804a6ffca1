package org.quotaledger.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LedgerReplay;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.quota.CountryHistory;
import org.springframework.stereotype.Component;

/**
 * Answers from the event store itself, never from a projection: a country's balance as it stood
 * at an instant, and what it would have been under another policy. Both fold the history with
 * the rules engine the aggregates use.
 */
@Component
class LedgerFolds {

    /** A balance recomputed from the events recorded up to {@code asOf}. */
    record BalanceAsOf(String country, Instant asOf, Balance balance, int shipmentsOnRecord) {
    }

    /** One shipment's classification, live and under the what-if policy. */
    record ShipmentComparison(String shipmentId, LocalDate shipDate, long tpp, String liveClassification,
                              long liveDebitTpp, String whatIfClassification, long whatIfDebitTpp, boolean whatIfBeyondCap) {
    }

    record CountryComparison(String country, Balance live, Balance whatIf, List<ShipmentComparison> shipments) {
    }

    private final CountryHistory history;

    LedgerFolds(CountryHistory history) {
        this.history = history;
    }

    /** Null when the country had no ledger yet at that instant. */
    BalanceAsOf balanceAsOf(String country, Instant asOf) {
        CountryHistory.CountryStream stream = history.asOf(country, asOf);
        if (stream.timeline().isEmpty()) {
            return null;
        }
        LedgerReplay.Result fold = LedgerReplay.replay(stream.timeline(), stream.entries());
        return new BalanceAsOf(country, asOf, fold.ledger().balance(dateOf(asOf)),
                (int) fold.outcomes().values().stream().filter(outcome -> !outcome.voided()).count());
    }

    /**
     * The country's history as of {@code asOf}, folded as the ledger did, and as it would have been
     * had {@code draft} been enacted in place of every policy effective from its effective date on:
     * the policies before it stand, the draft supersedes the rest.
     */
    CountryComparison compare(String country, Instant asOf, PolicyDocument draft) {
        CountryHistory.CountryStream stream = history.asOf(country, asOf);
        List<CountryRules> whatIfTimeline = new ArrayList<>(stream.timeline());
        whatIfTimeline.removeIf(rules -> rules.policyId().equals(draft.id())
                || !rules.effectiveFrom().isBefore(draft.effectiveFrom()));
        whatIfTimeline.add(draft.rulesFor(country));
        LedgerReplay.Result live = LedgerReplay.replay(stream.timeline(), stream.entries());
        LedgerReplay.Result whatIf = LedgerReplay.replay(whatIfTimeline, stream.entries());
        List<ShipmentComparison> shipments = new ArrayList<>();
        live.outcomes().forEach((shipmentId, now) -> {
            if (now.voided()) {
                return;
            }
            LedgerReplay.Outcome then = whatIf.outcomes().get(shipmentId);
            shipments.add(new ShipmentComparison(shipmentId, now.shipment().shipDate(), now.shipment().tpp(),
                    now.assessment().classification().name(), now.assessment().debitTpp(),
                    then.assessment().classification().name(), then.assessment().debitTpp(), then.assessment().beyondCap()));
        });
        LocalDate date = dateOf(asOf);
        return new CountryComparison(country, stream.timeline().isEmpty() ? null : live.ledger().balance(date),
                whatIf.ledger().balance(date), shipments);
    }

    private static LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
