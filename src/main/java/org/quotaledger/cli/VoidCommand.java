package org.quotaledger.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledger void}: a compensating event that credits a recorded shipment's TPP back. */
@Command(name = "void", description = "Void a recorded shipment (a mistake): its TPP is credited back to the quota.")
final class VoidCommand extends LedgerCommand {

    @Parameters(index = "0", paramLabel = "SHIPMENT_ID", description = "The shipment to void.")
    String shipmentId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the record.")
    String reason;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode outcome = api.postJson("/api/v1/shipments/" + LedgerApi.segment(shipmentId) + "/void",
                Map.of("reason", reason));
        if (options().json) {
            printJson(outcome);
        } else {
            new Table("shipment", "destination", "credited tpp", "remaining tpp")
                    .row(outcome.get("shipmentId"), outcome.get("destinationCountry"), outcome.get("creditedTpp"),
                            outcome.get("remainingTpp"))
                    .print(out());
        }
        return ExitCodes.OK;
    }
}
