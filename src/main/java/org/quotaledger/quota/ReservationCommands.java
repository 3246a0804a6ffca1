package org.quotaledger.quota;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** What a destination country's quota accepts about reservations; confirmation is a RecordShipment. */
public final class ReservationCommands {

    private ReservationCommands() {
    }

    /**
     * @param expiresAt null for the policy's default duration
     */
    public record ReserveQuota(@TargetAggregateIdentifier String country, String reservationId, String exporterId,
                               Consignee consignee, long tpp, Instant expiresAt, String contentHash,
                               Instant requestedAt) {
    }

    public record ReleaseReservation(@TargetAggregateIdentifier String country, String reservationId,
                                     String exporterId, Instant requestedAt) {
    }

    /** The deadline a reservation is given when granted; persisted, so it fires after a restart too. */
    public record ReservationDeadline(String reservationId, String exporterId, Instant expiresAt) {

        public static final String NAME = "reservation-expiry";
    }
}
