package org.quotaledger.balance;

import java.time.Instant;

import org.quotaledger.balance.HistoryMessages.Cause;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;

/**
 * One event's effect on its country's balance, as the balances projections write it: the balance
 * the event carries, what caused it, and the event's place in the country's stream. The handlers
 * make it from an event; a rebuild makes it from the stored payload ({@link StoredBalanceChanges}).
 */
public record BalanceChange(String country, long sequence, Kind kind, String causeId, Balance balance, Instant at) {

    public enum Kind {
        RECORDED(Cause.RECORDED), DENIED(null), VOIDED(Cause.VOIDED), POLICY(Cause.POLICY), RESERVATION(null);

        /** The history point it makes, or none: a denial or a reservation is not a point of the chart. */
        final Cause historyCause;

        Kind(Cause historyCause) {
            this.historyCause = historyCause;
        }
    }

    static BalanceChange of(ShipmentRecorded event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.RECORDED, event.shipmentId(), event.balance(),
                event.recordedAt());
    }

    static BalanceChange of(ShipmentDenied event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.DENIED, event.shipmentId(), event.balance(),
                event.deniedAt());
    }

    static BalanceChange of(ShipmentVoided event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.VOIDED, event.shipmentId(), event.balance(),
                event.voidedAt());
    }

    static BalanceChange of(PolicyApplied event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.POLICY, event.rules().policyId(), event.balanceAfter(),
                event.appliedAt());
    }

    static BalanceChange of(QuotaReserved event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.RESERVATION, event.reservationId(), event.balance(),
                event.reservedAt());
    }

    static BalanceChange of(ReservationConfirmed event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.RESERVATION, event.reservationId(), event.balance(),
                event.confirmedAt());
    }

    static BalanceChange of(ReservationReleased event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.RESERVATION, event.reservationId(), event.balance(),
                event.releasedAt());
    }

    static BalanceChange of(ReservationExpired event, long sequence) {
        return new BalanceChange(event.country(), sequence, Kind.RESERVATION, event.reservationId(), event.balance(),
                event.expiredAt());
    }

    int recorded() {
        return kind == Kind.RECORDED ? 1 : 0;
    }

    int denied() {
        return kind == Kind.DENIED ? 1 : 0;
    }

    int voided() {
        return kind == Kind.VOIDED ? 1 : 0;
    }
}
