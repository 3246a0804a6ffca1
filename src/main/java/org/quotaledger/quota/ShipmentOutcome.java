package org.quotaledger.quota;

import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.DenialReason;

/**
 * The ledger's answer to a shipment: what the exporter is told, and told again, identically,
 * when it repeats the same shipment.
 */
public record ShipmentOutcome(String shipmentId, String destinationCountry, Status status,
                              Classification classification, long tpp, long debitedTpp, Long remainingTpp,
                              String policyId, DenialReason reason, String detail) {

    public enum Status { RECORDED, DENIED }

    static ShipmentOutcome of(QuotaEvents.ShipmentRecorded event) {
        return new ShipmentOutcome(event.shipmentId(), event.country(), Status.RECORDED, event.classification(),
                event.tpp(), event.debitedTpp(), event.balance().remainingTpp(), event.policyId(), null, null);
    }

    static ShipmentOutcome of(QuotaEvents.ShipmentDenied event) {
        return new ShipmentOutcome(event.shipmentId(), event.country(), Status.DENIED, null, event.tpp(), 0,
                event.balance().remainingTpp(), event.policyId(), event.reason(), event.detail());
    }
}
