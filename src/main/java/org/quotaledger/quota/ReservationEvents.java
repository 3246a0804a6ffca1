package org.quotaledger.quota;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.DenialReason;

/**
 * The facts of a reservation's life, recorded in the destination country's stream: granted (or
 * denied), then resolved exactly once (confirmed by a shipment, released, or expired). Each carries the
 * country's balance after it. Stored forever: change one only with an upcaster and a test.
 */
public final class ReservationEvents {

    private ReservationEvents() {
    }

    /** How a reservation ended: confirmed, released or expired. It holds nothing after. */
    public sealed interface Resolution permits ReservationConfirmed, ReservationReleased, ReservationExpired {
        String reservationId();
    }

    /**
     * Quota held for an exporter's shipment to a consignee until {@code expiresAt}.
     *
     * @param heldTpp what it holds of the cap: {@code tpp} when the policy counts it, else 0
     */
    @Revision("1")
    public record QuotaReserved(String country, String reservationId, String exporterId, Consignee consignee, long tpp,
                                Classification classification, long heldTpp, String policyId, Instant expiresAt,
                                Balance balance, String contentHash, Instant reservedAt) {
    }

    /**
     * A reservation the rules refused (the TPP was not available, or the destination is
     * prohibited). It holds nothing and leaves the id free; like a denied shipment, the attempt is
     * on the record, and recording it makes a decision taken on a stale copy of the ledger conflict
     * and be retried rather than stand.
     */
    @Revision("1")
    public record ReservationDenied(String country, String reservationId, String exporterId, Consignee consignee,
                                    long tpp, DenialReason reason, String detail, String policyId, Balance balance,
                                    Instant deniedAt) {
    }

    /**
     * A shipment drew on the reservation: {@code confirmedTpp} of the {@code reservedTpp} went to
     * it, the rest returned to the quota. Recorded right after that shipment's {@code ShipmentRecorded}.
     */
    @Revision("1")
    public record ReservationConfirmed(String country, String reservationId, String exporterId, String shipmentId,
                                       long reservedTpp, long confirmedTpp, long returnedTpp, Balance balance,
                                       Instant confirmedAt) implements Resolution {
    }

    /** The exporter gave the reservation up; what it held is available again. */
    @Revision("1")
    public record ReservationReleased(String country, String reservationId, String exporterId, long reservedTpp,
                                      Balance balance, Instant releasedAt) implements Resolution {
    }

    /** The reservation reached its expiry unconfirmed; what it held is available again. */
    @Revision("1")
    public record ReservationExpired(String country, String reservationId, String exporterId, long reservedTpp,
                                     Balance balance, Instant expiredAt) implements Resolution {
    }
}
