package org.quotaledger.quota;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The reservation registry for aggregate fixtures: what the JDBC registry would hold, put there by the test. */
class InMemoryReservationRegistry implements ReservationRegistry {

    private final Map<String, RegisteredReservation> reservations = new HashMap<>();

    void put(RegisteredReservation reservation) {
        reservations.put(reservation.reservationId(), reservation);
    }

    @Override
    public Optional<RegisteredReservation> find(String reservationId) {
        return Optional.ofNullable(reservations.get(reservationId));
    }
}
