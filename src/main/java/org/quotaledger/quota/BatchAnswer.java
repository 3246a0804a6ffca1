package org.quotaledger.quota;

/**
 * One row's answer to a {@link QuotaCommands.RecordShipments}.
 *
 * @param outcome  the ledger's answer, new or repeated; null for a conflict
 * @param repeated the shipment id was answered before (this answer is the first one again)
 * @param conflict the id was answered before for other content: nothing is recorded for this row
 */
public record BatchAnswer(ShipmentOutcome outcome, boolean repeated, boolean conflict) {
}
