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

    /** The reason a single shipment would get in its 4xx answer, and its message. */
    public record Refusal(String reason, String detail) {
    }

    BatchAnswer(ShipmentOutcome outcome, boolean repeated, boolean conflict) {
        this(outcome, repeated, conflict, null);
    }

    static BatchAnswer refused(ReservationRejectedException refusal) {
        return new BatchAnswer(null, false, false, new Refusal(refusal.reason(), refusal.getMessage()));
    }
}
