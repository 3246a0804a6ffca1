package org.quotaledger.policy.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.quotaledger.policy.rules.Assessment.Accepted;

/**
 * Folds a country's recorded history under a policy timeline: shipments, voids, and the
 * reservations still active at the end (their holds are the ledger's {@code holds()}). The aggregate uses it when a
 * policy is enacted; audits and checks use it to recompute what the ledger says. It feeds the
 * history to a fresh {@link CountryLedger}, in recording order, so there is one implementation
 * of the rules.
 */
public final class LedgerReplay {

    private LedgerReplay() {
    }

    /** One entry of a country's history, in the order it was recorded. */
    public sealed interface Entry {
        record ShipmentOnRecord(ShipmentFacts shipment) implements Entry {
        }

        record ShipmentVoided(String shipmentId) implements Entry {
        }

        /** A reservation was granted; it holds quota until it is resolved. */
        record Reserved(String reservationId, String consigneeId, java.time.LocalDate on, long tpp) implements Entry {
        }

        /** A reservation was confirmed, released or expired: it holds nothing any more. */
        record ReservationResolved(String reservationId) implements Entry {
        }
    }

    /** What the replay made of one shipment. */
    public record Outcome(ShipmentFacts shipment, Accepted assessment, boolean voided) {
    }

    public record Result(CountryLedger ledger, Map<String, Outcome> outcomes) {

        public List<String> beyondCap() {
            return outcomes.values().stream()
                    .filter(outcome -> !outcome.voided() && outcome.assessment().beyondCap())
                    .map(outcome -> outcome.shipment().shipmentId()).toList();
        }
    }

    public static Result replay(List<CountryRules> timeline, Iterable<Entry> history) {
        CountryLedger ledger = CountryLedger.fresh(timeline);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Entry entry : history) {
            if (entry instanceof Entry.ShipmentOnRecord onRecord) {
                ShipmentFacts shipment = onRecord.shipment();
                Accepted assessment = ledger.reassess(shipment);
                ledger.record(shipment, assessment);
                outcomes.put(shipment.shipmentId(), new Outcome(shipment, assessment, false));
            } else if (entry instanceof Entry.ShipmentVoided voided) {
                Outcome outcome = outcomes.get(voided.shipmentId());
                if (outcome != null && !outcome.voided()) {
                    ShipmentFacts shipment = outcome.shipment();
                    ledger.unrecord(shipment.consigneeId(), shipment.shipDate(), shipment.tpp(),
                            outcome.assessment().policyId(), outcome.assessment().debitTpp());
                    outcomes.put(voided.shipmentId(), new Outcome(shipment, outcome.assessment(), true));
                }
            } else if (entry instanceof Entry.Reserved reserved) {
                ledger.hold(reserved.reservationId(), reserved.consigneeId(), reserved.on(), reserved.tpp(),
                        ledger.reassessHold(reserved.consigneeId(), reserved.on(), reserved.tpp()));
            } else if (entry instanceof Entry.ReservationResolved resolved) {
                ledger.release(resolved.reservationId());
            }
        }
        return new Result(ledger, outcomes);
    }

    /** The live shipments that {@code after} counts differently from {@code before}. */
    public static List<Reclassification> reclassifications(Result before, Result after) {
        List<Reclassification> changed = new ArrayList<>();
        after.outcomes().forEach((shipmentId, now) -> {
            Outcome then = before.outcomes().get(shipmentId);
            if (now.voided() || then == null) {
                return;
            }
            Accepted a = then.assessment();
            Accepted b = now.assessment();
            if (a.classification() != b.classification() || a.debitTpp() != b.debitTpp()
                    || a.beyondCap() != b.beyondCap() || !Objects.equals(a.policyId(), b.policyId())) {
                changed.add(new Reclassification(shipmentId, a.classification(), b.classification(),
                        a.debitTpp(), b.debitTpp(), b.policyId(), b.beyondCap()));
            }
        });
        return changed;
    }
}
