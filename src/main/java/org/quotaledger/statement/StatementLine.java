package org.quotaledger.statement;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of an exporter's statement: a fact of the ledger that concerns the exporter, with
 * what it debited from (or, negative, credited back to) the destination's quota and the running
 * total of that destination within the statement's period.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"at", "kind", "shipmentId", "reservationId", "destinationCountry", "tpp", "debitedTpp",
        "runningDebitedTpp"})
public record StatementLine(Instant at, Kind kind, String shipmentId, String reservationId, String destinationCountry,
                            long tpp, long debitedTpp, Long runningDebitedTpp) {

    public enum Kind {
        RECORDED, DENIED, VOIDED, RESERVED, RESERVATION_CONFIRMED, RESERVATION_RELEASED, RESERVATION_EXPIRED
    }

    /** A line as a source reads it, before the statement adds the running total. */
    public static StatementLine of(Instant at, Kind kind, String shipmentId, String reservationId,
                                   String destinationCountry, long tpp, long debitedTpp) {
        return new StatementLine(at, kind, shipmentId, reservationId, destinationCountry, tpp, debitedTpp, null);
    }

    StatementLine withRunningTotal(long runningDebitedTpp) {
        return new StatementLine(at, kind, shipmentId, reservationId, destinationCountry, tpp, debitedTpp, runningDebitedTpp);
    }
}
