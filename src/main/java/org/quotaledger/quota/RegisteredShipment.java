package org.quotaledger.quota;

import java.time.Instant;
import java.time.LocalDate;

import org.quotaledger.policy.rules.Classification;

/**
 * A shipment as the registry knows it now: its first answer, and its current classification
 * (which a later policy may have changed).
 */
public record RegisteredShipment(String shipmentId, String country, String exporterId, String consigneeId,
                                 LocalDate shipDate, long tpp, String contentHash, State state,
                                 Classification classification, long debitedTpp, String policyId,
                                 boolean beyondCap, ShipmentOutcome firstAnswer, Instant decidedAt,
                                 Instant voidedAt, String voidReason) {

    public enum State { RECORDED, DENIED, VOIDED }
}
