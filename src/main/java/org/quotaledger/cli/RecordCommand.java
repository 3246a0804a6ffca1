package org.quotaledger.cli;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ledger record}: one shipment, {@code POST /api/v1/shipments}. */
@Command(name = "record", description = "Record a shipment. A denial (quota exceeded, destination prohibited, "
        + "licence required) exits 2 with the reason; the same shipment again gets the same answer.")
final class RecordCommand extends LedgerCommand {

    @Option(names = "--id", required = true, paramLabel = "SHIPMENT_ID", description = "The shipment's id, unique per exporter.")
    String shipmentId;

    @Option(names = "--to", required = true, paramLabel = "CC", description = "The destination country (ISO 3166-1 alpha-2).")
    String destinationCountry;

    @Option(names = "--ship-date", paramLabel = "DATE", description = "The ship date, e.g. 2025-03-10 (default: today).")
    LocalDate shipDate;

    @Option(names = "--item", required = true, paramLabel = "MODEL=QUANTITY",
            description = "A chip model and how many, e.g. H100=2000; repeat for several.")
    List<String> items;

    @Mixin
    ConsigneeOptions consignee;

    @Option(names = "--exporter", paramLabel = "EXPORTER_ID",
            description = "The exporter (an exporter signed in may leave it out: it is the signed-in one).")
    String exporterId;

    @Option(names = "--license", paramLabel = "REFERENCE", description = "A licence reference, where the rules need one.")
    String licenseReference;

    @Option(names = "--reservation", paramLabel = "RESERVATION_ID",
            description = "Confirm this reservation with the shipment: its TPP is drawn from the reservation.")
    String reservationId;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode outcome = api.postJson("/api/v1/shipments", body());
        if (options().json) {
            printJson(outcome);
        } else {
            new Table("shipment", "destination", "status", "classification", "tpp", "debited tpp", "remaining tpp")
                    .row(outcome.get("shipmentId"), outcome.get("destinationCountry"), outcome.get("status"),
                            outcome.get("classification"), outcome.get("tpp"), outcome.get("debitedTpp"),
                            outcome.get("remainingTpp"))
                    .print(out());
        }
        return ExitCodes.OK;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("shipmentId", shipmentId);
        if (exporterId != null) {
            body.put("exporterId", exporterId);
        }
        body.put("consignee", consignee.body());
        body.put("destinationCountry", destinationCountry);
        body.put("shipDate", (shipDate != null ? shipDate : root.environment().today()).toString());
        body.put("items", items());
        if (licenseReference != null) {
            body.put("licenseReference", licenseReference);
        }
        if (reservationId != null) {
            body.put("reservationId", reservationId);
        }
        return body;
    }

    private List<Map<String, Object>> items() {
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (String item : items) {
            int equals = item.lastIndexOf('=');
            int quantity;
            try {
                quantity = Integer.parseInt(item.substring(equals + 1).trim());
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                quantity = -1;
            }
            if (equals <= 0 || quantity < 0) {
                throw new ParameterException(spec.commandLine(),
                        "--item '" + item + "' is not MODEL=QUANTITY, e.g. H100=2000");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model", item.substring(0, equals).trim());
            entry.put("quantity", quantity);
            parsed.add(entry);
        }
        return parsed;
    }
}
