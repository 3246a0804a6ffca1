package org.quotaledger.quota;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.quota.ReservationRegistry.RegisteredReservation;
import org.quotaledger.quota.ReservationRegistry.Status;
import org.quotaledger.quota.ReservationRejectedException.Reason;

/**
 * The checks the quota makes before it uses or resolves a reservation, and the terms a new one
 * gets. Kept out of {@link CountryQuota} so the aggregate reads as its decisions.
 */
final class Reservations {

    private Reservations() {
    }

    /**
     * When a new reservation expires: the exporter's choice within the policy's limit, or the
     * policy's default duration. Past the limit, or not after the request, is a 400 naming expiresAt.
     */
    static Instant expiryOf(ReservationCommands.ReserveQuota command, CountryRules rules) {
        int limitDays = rules == null ? CountryRules.DEFAULT_MAX_RESERVATION_DAYS : rules.reservationDaysLimit();
        int defaultDays = rules == null ? CountryRules.DEFAULT_RESERVATION_DAYS : rules.defaultReservationDays();
        Instant requested = command.requestedAt();
        if (command.expiresAt() == null) {
            return requested.plus(defaultDays, ChronoUnit.DAYS);
        }
        String problem = null;
        if (!command.expiresAt().isAfter(requested)) {
            problem = "must be in the future";
        } else if (command.expiresAt().isAfter(requested.plus(limitDays, ChronoUnit.DAYS))) {
            problem = "is beyond the policy's maximum of " + limitDays + " days for a reservation";
        }
        if (problem != null) {
            throw new InvalidRequestException(List.of(new FieldProblem("expiresAt", problem)));
        }
        return command.expiresAt();
    }

    /**
     * The exporter's reservation in this country, still usable at {@code at}: unknown or another
     * exporter's is 404, expired or resolved 409.
     */
    static RegisteredReservation usable(ReservationRegistry registry, String reservationId, String country,
                                        String exporterId, Instant at, boolean held) {
        RegisteredReservation reservation = registry.find(reservationId)
                .filter(found -> found.country().equals(country) && found.exporterId().equals(exporterId))
                .orElseThrow(() -> new ReservationRejectedException(Reason.RESERVATION_NOT_FOUND,
                        "no reservation " + reservationId + " for this exporter and destination", "reservationId"));
        if (reservation.status() == Status.EXPIRED || (reservation.status() == Status.ACTIVE
                && !at.isBefore(reservation.expiresAt()))) {
            throw new ReservationRejectedException(Reason.RESERVATION_EXPIRED,
                    "reservation " + reservationId + " expired at " + reservation.expiresAt(), "reservationId");
        }
        if (reservation.status() != Status.ACTIVE || !held) {
            throw new ReservationRejectedException(Reason.RESERVATION_RESOLVED, "reservation " + reservationId
                    + " is already " + reservation.status().name().toLowerCase(java.util.Locale.ROOT), "reservationId");
        }
        return reservation;
    }

    /** A shipment drawing on a reservation goes to the consignee it was made for. */
    static void checkConsignee(RegisteredReservation reservation, Consignee consignee) {
        if (!reservation.consigneeId().equals(consignee.id())) {
            throw new ReservationRejectedException(Reason.RESERVATION_MISMATCH, "reservation "
                    + reservation.reservationId() + " is for consignee " + reservation.consigneeId(), "consignee.id");
        }
    }

    /** The answer to a repeated request: the reservation as it stands, or 409 if the id was used otherwise. */
    static ReservationOutcome repeated(RegisteredReservation known, String contentHash) {
        if (!known.contentHash().equals(contentHash)) {
            throw new ReservationRejectedException(Reason.RESERVATION_CONFLICT, "reservation " + known.reservationId()
                    + " was already made with different content", "reservationId");
        }
        return new ReservationOutcome(known.reservationId(), known.country(), known.exporterId(), known.consigneeId(),
                known.reservedTpp(), known.status(), known.expiresAt(), known.availableTpp(), null, null, null);
    }
}
