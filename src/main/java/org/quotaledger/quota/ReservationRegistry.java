package org.quotaledger.quota;

import java.time.Instant;
import java.util.Optional;

/**
 * Every reservation the ledger granted, written in the same transaction as the event that
 * granted or resolved it (as the {@link ShipmentRegistry}). The aggregate keeps only the active
 * holds; this says who a reservation belongs to, when it expires, and how it was resolved.
 */
public interface ReservationRegistry {

    enum Status { ACTIVE, CONFIRMED, RELEASED, EXPIRED }

    record RegisteredReservation(String reservationId, String country, String exporterId, String consigneeId,
                                 String consigneeName, String consigneeCountry, long reservedTpp, long confirmedTpp,
                                 Status status, Instant expiresAt, String contentHash, String confirmedBy,
                                 Long availableTpp, Instant reservedAt, Instant resolvedAt) {
    }

    Optional<RegisteredReservation> find(String reservationId);
}
