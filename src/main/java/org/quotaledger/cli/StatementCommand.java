package org.quotaledger.cli;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ledger statement}: an exporter's shipments, denials, voids and reservations, with running totals. */
@Command(name = "statement", description = "An exporter's statement for a period: shipments, denials, voids and "
        + "reservations, with the running debited TPP per destination and the totals.")
final class StatementCommand extends LedgerCommand {

    /** Required: the path names the exporter, and the API has no "who am I" to learn a signed-in exporter's id. */
    @Option(names = "--exporter", required = true, paramLabel = "EXPORTER_ID",
            description = "Whose statement (an exporter may read only its own).")
    String exporterId;

    @Option(names = "--from", paramLabel = "DATE", description = "First day (default: 1 January of this year).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day (default: today).")
    LocalDate to;

    @Option(names = "--csv", description = "Print the ledger's CSV form.")
    boolean csv;

    @Override
    int run(LedgerApi api) throws Exception {
        LocalDate today = root.environment().today();
        String path = "/api/v1/exporters/" + LedgerApi.segment(exporterId) + "/statement?from="
                + (from != null ? from : today.withDayOfYear(1)) + "&to=" + (to != null ? to : today);
        if (csv) {
            out().print(api.getText(path + "&format=csv"));
            out().flush();
            return ExitCodes.OK;
        }
        JsonNode statement = api.get(path + "&format=json");
        if (options().json) {
            printJson(statement);
            return ExitCodes.OK;
        }
        out().println("Statement of " + statement.path("exporterId").asText() + " from "
                + statement.path("from").asText() + " to " + statement.path("to").asText());
        Table lines = new Table("at", "kind", "shipment / reservation", "destination", "tpp", "debited tpp",
                "running debited tpp");
        for (JsonNode line : statement.path("lines")) {
            lines.row(line.get("at"), line.get("kind"),
                    line.hasNonNull("shipmentId") ? line.get("shipmentId") : line.get("reservationId"),
                    line.get("destinationCountry"), line.get("tpp"), line.get("debitedTpp"), line.get("runningDebitedTpp"));
        }
        lines.print(out());
        out().println();
        Table totals = new Table("destination", "debited tpp");
        for (Iterator<Map.Entry<String, JsonNode>> it = statement.path("totals").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> total = it.next();
            totals.row(total.getKey(), total.getValue());
        }
        totals.print(out());
        return ExitCodes.OK;
    }
}
