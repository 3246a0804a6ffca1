package org.quotaledger.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ledger reserve}: holds TPP against a destination's quota until a shipment confirms it. */
@Command(name = "reserve", description = "Reserve TPP against a destination's quota for a consignee, until a shipment "
        + "confirms it (ledger record --reservation), it is released, or it expires. A refusal exits 2 with the reason.")
final class ReserveCommand extends LedgerCommand {

    @Option(names = "--id", required = true, paramLabel = "RESERVATION_ID", description = "The reservation's id.")
    String reservationId;

    @Option(names = "--to", required = true, paramLabel = "CC", description = "The destination country (ISO 3166-1 alpha-2).")
    String destinationCountry;

    @Option(names = "--tpp", required = true, paramLabel = "TPP", description = "How much TPP to reserve.")
    long tpp;

    @Mixin
    ConsigneeOptions consignee;

    @Option(names = "--expires-at", paramLabel = "INSTANT",
            description = "When it lapses, e.g. 2026-12-13T00:00:00Z (default: the ledger's, 14 days).")
    Instant expiresAt;

    @Option(names = "--exporter", paramLabel = "EXPORTER_ID",
            description = "The exporter (an exporter signed in may leave it out).")
    String exporterId;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode reservation = api.postJson("/api/v1/reservations", body());
        if (options().json) {
            printJson(reservation);
        } else {
            ReservationTable.print(reservation, out());
        }
        return ExitCodes.OK;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reservationId", reservationId);
        if (exporterId != null) {
            body.put("exporterId", exporterId);
        }
        body.put("consignee", consignee.body());
        body.put("destinationCountry", destinationCountry);
        body.put("tpp", tpp);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return body;
    }
}
