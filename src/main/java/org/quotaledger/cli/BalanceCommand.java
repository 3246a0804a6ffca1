package org.quotaledger.cli;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ledger balance}: a country's remaining quota, from the live projection. */
@Command(name = "balance", description = "Show countries' balances: tier, policy, cap, consumed and remaining TPP, "
        + "utilization, status. No country: all of them.")
final class BalanceCommand extends LedgerCommand {

    @Parameters(arity = "0..*", paramLabel = "CC", description = "Countries (ISO 3166-1 alpha-2), e.g. AE SA.")
    List<String> countries;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode answer;
        ArrayNode balances = LedgerApi.JSON.createArrayNode();
        if (countries == null || countries.isEmpty()) {
            answer = api.get("/api/v1/balances");
            balances.addAll((ArrayNode) answer.withArray("balances"));
        } else {
            for (String country : countries) {
                balances.add(api.get("/api/v1/balances/" + LedgerApi.segment(country.toUpperCase(Locale.ROOT))));
            }
            answer = balances.size() == 1 ? balances.get(0) : balances;
        }
        if (options().json) {
            printJson(answer);
            return ExitCodes.OK;
        }
        Table table = new Table("country", "tier", "policy", "status", "cap tpp", "consumed tpp", "remaining tpp",
                "utilization");
        for (JsonNode balance : balances) {
            table.row(balance.get("country"), balance.get("tier"), balance.get("policyId"), balance.get("status"),
                    balance.get("capTpp"), balance.get("consumedTpp"), balance.get("remainingTpp"),
                    balance.get("utilization"));
        }
        table.print(out());
        return ExitCodes.OK;
    }
}
