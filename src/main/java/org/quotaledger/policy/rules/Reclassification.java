package org.quotaledger.policy.rules;

/** A recorded shipment that a new policy counts differently. */
public record Reclassification(String shipmentId, Classification from, Classification to,
                               long debitBeforeTpp, long debitAfterTpp, String policyId, boolean beyondCap) {
}
