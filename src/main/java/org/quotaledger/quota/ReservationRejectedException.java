package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

/** A reservation that cannot be used or resolved as asked, with the stable reason clients match on. */
public class ReservationRejectedException extends RequestRejectedException {

    public enum Reason {
        /** Unknown here, or another exporter's: the same answer, so existence does not leak. */
        RESERVATION_NOT_FOUND(404),
        RESERVATION_EXPIRED(409),
        /** Already confirmed, released or expired: a reservation resolves once. */
        RESERVATION_RESOLVED(409),
        /** The id is taken by a reservation with other content. */
        RESERVATION_CONFLICT(409),
        /** A shipment drawing on it goes to another consignee than the one reserved for. */
        RESERVATION_MISMATCH(422);

        private final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;

    public ReservationRejectedException(Reason reason, String message, String field) {
        super(reason.status, message, field == null ? List.of() : List.of(new FieldProblem(field, message)));
        this.reason = reason;
    }

    @Override
    public String reason() {
        return reason.name();
    }

    public Reason why() {
        return reason;
    }
}
