package org.quotaledger.policy.rules;

import java.time.LocalDate;

/**
 * An active reservation as the rules see it: TPP an exporter holds against a country's cap ahead of
 * a shipment. It is judged like a shipment made on the day it was reserved, under the policy in
 * force then, and holds {@code heldTpp} of that policy's cap (the full amount when the policy
 * counts it, nothing when the destination is uncapped or the consignee exempt).
 */
public record Hold(String reservationId, String consigneeId, LocalDate on, long tpp, String policyId, long heldTpp) {
}
