package org.quotaledger.audit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.LedgerReplay;
import org.quotaledger.quota.CountryHistory;
import org.quotaledger.quota.RegisteredShipment;
import org.quotaledger.quota.ShipmentRegistry;
import org.springframework.stereotype.Component;

/**
 * Compares what the projections say with a fresh fold of the event store, country by country,
 * using the same rules engine the aggregates use. An empty answer means they agree.
 */
@Component
public class ProjectionConsistencyCheck {

    /** One disagreement between a projection and the fold. */
    public record Discrepancy(String country, String subject, String projected, String folded) {
    }

    private final QueryGateway queries;
    private final CountryHistory history;
    private final ShipmentRegistry registry;

    ProjectionConsistencyCheck(QueryGateway queries, CountryHistory history, ShipmentRegistry registry) {
        this.queries = queries;
        this.history = history;
        this.registry = registry;
    }

    public List<Discrepancy> check() {
        List<Discrepancy> found = new ArrayList<>();
        for (CountryBalance projected : queries.query(new FindAllBalances(), BalanceList.class).join().balances()) {
            String country = projected.country();
            CountryHistory.CountryStream stream = history.of(country);
            LedgerReplay.Result fold = LedgerReplay.replay(stream.timeline(), stream.entries());
            LocalDate asOf = LocalDate.ofInstant(projected.updatedAt(), ZoneOffset.UTC);
            compareBalance(country, projected, fold.ledger().balance(asOf), found);
            compareShipments(country, fold, found);
        }
        return found;
    }

    private static void compareBalance(String country, CountryBalance projected, Balance folded, List<Discrepancy> found) {
        same(found, country, "balance.policyId", projected.policyId(), folded.policyId());
        same(found, country, "balance.capTpp", projected.capTpp(), folded.capTpp());
        same(found, country, "balance.consumedTpp", projected.consumedTpp(), folded.consumedTpp());
        same(found, country, "balance.remainingTpp", projected.remainingTpp(), folded.remainingTpp());
        same(found, country, "balance.reservedTpp", projected.reservedTpp(), folded.reservedTpp());
        same(found, country, "balance.status", projected.status(), folded.status());
    }

    private void compareShipments(String country, LedgerReplay.Result fold, List<Discrepancy> found) {
        int onRecord = 0;
        for (RegisteredShipment shipment : registry.byCountry(country)) {
            if (shipment.state() == RegisteredShipment.State.DENIED) {
                same(found, country, "shipment " + shipment.shipmentId() + " in the fold", false,
                        fold.outcomes().containsKey(shipment.shipmentId()));
                continue;
            }
            onRecord++;
            LedgerReplay.Outcome outcome = fold.outcomes().get(shipment.shipmentId());
            if (outcome == null) {
                found.add(new Discrepancy(country, "shipment " + shipment.shipmentId(), shipment.state().name(), "absent"));
                continue;
            }
            String subject = "shipment " + shipment.shipmentId();
            same(found, country, subject + ".voided", shipment.state() == RegisteredShipment.State.VOIDED, outcome.voided());
            if (outcome.voided()) {
                continue; // a voided shipment's classification is frozen at its void; later replays skip it
            }
            same(found, country, subject + ".classification", shipment.classification(), outcome.assessment().classification());
            same(found, country, subject + ".debitedTpp", shipment.debitedTpp(), outcome.assessment().debitTpp());
            same(found, country, subject + ".beyondCap", shipment.beyondCap(), outcome.assessment().beyondCap());
        }
        same(found, country, "shipments on record", onRecord, fold.outcomes().size());
    }

    private static void same(List<Discrepancy> found, String country, String subject, Object projected, Object folded) {
        if (!Objects.equals(projected, folded)) {
            found.add(new Discrepancy(country, subject, String.valueOf(projected), String.valueOf(folded)));
        }
    }
}
