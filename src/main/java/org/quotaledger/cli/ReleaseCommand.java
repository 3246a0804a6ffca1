package org.quotaledger.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ledger release}: gives a reservation's TPP back before it expires. */
@Command(name = "release", description = "Release a reservation: its TPP returns to the quota. "
        + "Exits 4 when it is already confirmed, released or expired.")
final class ReleaseCommand extends LedgerCommand {

    @Parameters(index = "0", paramLabel = "RESERVATION_ID", description = "The reservation to release.")
    String reservationId;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode reservation = api.postJson("/api/v1/reservations/" + LedgerApi.segment(reservationId) + "/release",
                java.util.Map.of());
        if (options().json) {
            printJson(reservation);
        } else {
            ReservationTable.print(reservation, out());
        }
        return ExitCodes.OK;
    }
}
