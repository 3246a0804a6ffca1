package org.quotaledger.quota;

/**
 * One row's answer to a {@link QuotaCommands.RecordShipments}.
 *
 * @param outcome  the ledger's answer, new or repeated; null for a conflict or a refusal
 * @param repeated the shipment id was answered before (this answer is the first one again)
 * @param conflict the id was answered before for other content: nothing is recorded for this row
 * @param refusal  why the reservation the row draws on could not be used (unknown, expired,
 *                 resolved, for another consignee): nothing is recorded for this row; null otherwise
 */
public record BatchAnswer(ShipmentOutcome outcome, boolean repeated, boolean conflict, Refusal refusal) {

    /**
     * The reason a single shipment would get in its 4xx answer, its message, and the request field
     * it names: enough to give a batched request exactly the answer it would have had alone.
     */
    public record Refusal(String reason, String detail, String field) {

        /** The exception the single command would have thrown; its reason still decides the status. */
        ReservationRejectedException rejection() {
            return new ReservationRejectedException(ReservationRejectedException.Reason.valueOf(reason), detail, field);
        }
    }

    BatchAnswer(ShipmentOutcome outcome, boolean repeated, boolean conflict) {
        this(outcome, repeated, conflict, null);
    }

    static BatchAnswer refused(ReservationRejectedException refusal) {
        String field = refusal.problems().isEmpty() ? null : refusal.problems().get(0).field();
        return new BatchAnswer(null, false, false, new Refusal(refusal.reason(), refusal.getMessage(), field));
    }

    /**
     * This row as a lone {@link QuotaCommands.RecordShipment} would have answered it: the outcome,
     * or the exception it would have thrown, so that the API maps both paths the same way.
     */
    ShipmentOutcome asSingleAnswer(String shipmentId) {
        if (conflict) {
            throw new ShipmentConflictException(shipmentId);
        }
        if (refusal != null) {
            throw refusal.rejection();
        }
        return outcome;
    }
}
