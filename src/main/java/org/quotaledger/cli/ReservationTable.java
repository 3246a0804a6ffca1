package org.quotaledger.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;

/** Reservations as people read them. */
final class ReservationTable {

    private ReservationTable() {
    }

    /** One view, or an array of them. */
    static void print(JsonNode reservations, PrintWriter out) {
        Table table = new Table("reservation", "exporter", "destination", "consignee", "reserved tpp", "confirmed tpp",
                "status", "expires at", "available tpp");
        for (JsonNode view : reservations.isArray() ? reservations : java.util.List.of(reservations)) {
            table.row(view.get("reservationId"), view.get("exporterId"), view.get("destinationCountry"),
                    view.get("consigneeId"), view.get("reservedTpp"), view.get("confirmedTpp"), view.get("status"),
                    view.get("expiresAt"), view.get("availableTpp"));
        }
        table.print(out);
    }
}
