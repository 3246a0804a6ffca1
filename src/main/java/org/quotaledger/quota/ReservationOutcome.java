package org.quotaledger.quota;

import java.time.Instant;

import org.quotaledger.policy.rules.DenialReason;

/**
 * The ledger's answer to a reservation request: granted (with the reservation's view) or denied
 * (with the rules' reason). A denied reservation leaves nothing on the record.
 */
public record ReservationOutcome(String reservationId, String destinationCountry, String exporterId,
                                 String consigneeId, long reservedTpp, ReservationRegistry.Status status,
                                 Instant expiresAt, Long availableTpp, DenialReason reason, String detail,
                                 String policyId) {

    public boolean denied() {
        return reason != null;
    }
}
