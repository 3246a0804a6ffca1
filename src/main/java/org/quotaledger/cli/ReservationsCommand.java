package org.quotaledger.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledger reservations}: one reservation, or an exporter's. */
@Command(name = "reservations", description = "Show a reservation, or list an exporter's reservations.")
final class ReservationsCommand extends LedgerCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RESERVATION_ID", description = "Show only this one.")
    String reservationId;

    @Option(names = "--exporter", paramLabel = "EXPORTER_ID",
            description = "Whose reservations (an exporter signed in may leave it out; an auditor names one).")
    String exporterId;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode answer = reservationId != null
                ? api.get("/api/v1/reservations/" + LedgerApi.segment(reservationId))
                : api.get("/api/v1/reservations" + (exporterId == null ? "" : "?exporterId=" + LedgerApi.query(exporterId)));
        if (options().json) {
            printJson(answer);
        } else {
            ReservationTable.print(answer, out());
        }
        return ExitCodes.OK;
    }
}
