package org.quotaledger.reservation;

import java.time.Instant;

import org.quotaledger.quota.ReservationRegistry.RegisteredReservation;
import org.quotaledger.quota.ReservationRegistry.Status;

/**
 * A reservation as the API shows it. {@code availableTpp} is the destination's available TPP
 * right after the reservation's latest change (granted, or resolved).
 */
record ReservationView(String reservationId, String destinationCountry, String exporterId, String consigneeId,
                       long reservedTpp, long confirmedTpp, Status status, Instant expiresAt, Long availableTpp,
                       String confirmedByShipment) {

    static ReservationView of(RegisteredReservation reservation) {
        return new ReservationView(reservation.reservationId(), reservation.country(), reservation.exporterId(),
                reservation.consigneeId(), reservation.reservedTpp(), reservation.confirmedTpp(), reservation.status(),
                reservation.expiresAt(), reservation.availableTpp(), reservation.confirmedBy());
    }
}
