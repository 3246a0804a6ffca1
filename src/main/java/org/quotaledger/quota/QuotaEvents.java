package org.quotaledger.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.axonframework.serialization.Revision;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.policy.rules.Hold;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.Reclassification;
import org.quotaledger.policy.rules.ShipmentFacts;

/**
 * The facts a destination country's ledger records. Their type names and fields are stored
 * forever: change one only with an upcaster and a test that reads the old form.
 * Each carries the country's balance after it, so projections never recompute the rules.
 */
public final class QuotaEvents {

    private QuotaEvents() {
    }

    @Revision("2")
    public record ShipmentRecorded(String country, String shipmentId, String exporterId, Consignee consignee,
                                   LocalDate shipDate, List<LineItem> items, String licenseReference, long tpp,
                                   Classification classification, long debitedTpp, String policyId,
                                   Balance balance, String contentHash, Instant recordedAt) {

        public ShipmentFacts facts() {
            return new ShipmentFacts(shipmentId, consignee.id(), shipDate, items, licenseReference);
        }
    }

    /**
     * Shipments recorded together, in this order, by one command of one author: a bulk import's
     * rows to this country in one chunk. Each is exactly the {@link ShipmentRecorded} it would have
     * been alone, its balance the one after it. One event rather than one each, because every
     * event costs the store a chained row and the projections a message: recorded one by one, an
     * import ran at about half the rate (docs/benchmarks.md, the fourteenth round).
     */
    @Revision("1")
    public record ShipmentsRecorded(String country, List<ShipmentRecorded> shipments) {

        public ShipmentsRecorded {
            if (shipments.isEmpty()) {
                throw new IllegalArgumentException("shipments recorded together are at least one");
            }
            shipments = List.copyOf(shipments);
        }
    }

    /** A refused attempt is on the record too: auditors must see attempts. */
    @Revision("2")
    public record ShipmentDenied(String country, String shipmentId, String exporterId, Consignee consignee,
                                 LocalDate shipDate, List<LineItem> items, String licenseReference, long tpp,
                                 DenialReason reason, String detail, String policyId, Balance balance,
                                 String contentHash, Instant deniedAt) {
    }

    /** The correction of a mistaken record: credits back what the shipment debited. */
    @Revision("2")
    public record ShipmentVoided(String country, String shipmentId, String exporterId, String consigneeId,
                                 LocalDate shipDate, long tpp, String reason, long creditedTpp, String policyId,
                                 Balance balance, Instant voidedAt) {
    }

    /**
     * The country's quota status changed, e.g. it turned CRITICAL (the policy's threshold) or
     * EXHAUSTED: the alert regulators watch for, as a fact of the ledger. Recorded right after the
     * event that caused it, which {@code causedBy} names (a shipment id or a policy id).
     */
    @Revision("2")
    public record QuotaStatusChanged(String country, String policyId, BalanceStatus from, BalanceStatus to,
                                     Balance balance, String causedBy, Instant changedAt) {
    }

    /**
     * The country replayed its recorded shipments under a newly enacted policy.
     *
     * @param countedByPolicy the TPP each policy of the timeline now counts; the aggregate's new state
     * @param beyondCap       recorded shipments the new rules put past the cap: flagged, never undone
     * @param holds           the active reservations as the new rules hold them, by reservation id.
     *                        Absent from events recorded before reservations existed, when there were
     *                        none: such an event reads as holding nothing, so its form stays valid.
     */
    @Revision("2")
    public record PolicyApplied(String country, CountryRules rules, Balance balanceBefore, Balance balanceAfter,
                                Map<String, Long> countedByPolicy, int shipmentsReplayed,
                                List<Reclassification> reclassifications, List<String> beyondCap,
                                Instant appliedAt, Map<String, Hold> holds) {

        public PolicyApplied {
            holds = holds == null ? Map.of() : Map.copyOf(holds);
        }

        /** An application with no active reservations. */
        public PolicyApplied(String country, CountryRules rules, Balance balanceBefore, Balance balanceAfter,
                             Map<String, Long> countedByPolicy, int shipmentsReplayed,
                             List<Reclassification> reclassifications, List<String> beyondCap, Instant appliedAt) {
            this(country, rules, balanceBefore, balanceAfter, countedByPolicy, shipmentsReplayed, reclassifications,
                    beyondCap, appliedAt, null);
        }
    }
}
