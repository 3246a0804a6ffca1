package org.quotaledger.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ledger replay}: a what-if replay job ({@code POST /api/v1/audit/replays}) followed to its
 * end with a progress bar. Nothing is written to the ledger.
 */
@Command(name = "replay", description = "What if: fold every country's history under a policy (enacted, shipped, or a "
        + "draft document) as of an instant, and show where the balances would differ. Writes nothing. "
        + "Exits 6 when the job fails or is cancelled.")
final class ReplayCommand extends LedgerCommand {

    static final class PolicyChoice {
        @Option(names = "--policy", required = true, paramLabel = "POLICY_ID", description = "An enacted or shipped policy.")
        String policyId;

        @Option(names = "--policy-file", required = true, paramLabel = "FILE", description = "A draft policy document (JSON), never enacted.")
        Path policyFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PolicyChoice policy;

    @Option(names = "--as-of", paramLabel = "INSTANT|DATE", description = "Replay the history recorded up to this "
            + "instant, e.g. 2025-06-30T12:00:00Z; a date means the end of that day, UTC (default: now).")
    String asOf;

    @Option(names = "--country", paramLabel = "CC", split = ",", description = "Only these countries (default: all).")
    List<String> countries;

    @Option(names = "--all", description = "List every country, not only those whose balance would differ.")
    boolean all;

    @Option(names = "--csv", description = "Print the ledger's CSV of live and what-if balances instead.")
    boolean csv;

    @Override
    int run(LedgerApi api) throws Exception {
        JsonNode job = api.postJson("/api/v1/audit/replays", body());
        String jobPath = "/api/v1/audit/replays/" + LedgerApi.segment(job.path("id").asText());
        // Polls ask for progress only; the results, a comparison per shipment, are read once at the end.
        awaitJob(api, jobPath + "?results=false", job, current -> "RUNNING".equals(current.path("state").asText()),
                progressBar("replay", "countries"), "countriesDone", "countriesTotal");
        job = api.get(jobPath);
        boolean done = "DONE".equals(job.path("state").asText());
        if (options().json) {
            printJson(job);
        } else if (!done) {
            err().println("replay: the job " + job.path("state").asText()
                    + (job.hasNonNull("error") ? ": " + job.get("error").asText() : ""));
            err().flush();
        } else if (csv) {
            out().print(api.getText(jobPath + "/balances.csv"));
            out().flush();
        } else {
            printComparison(job);
        }
        return done ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    Map<String, Object> body() throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (policy.policyId != null) {
            body.put("policyId", policy.policyId);
        } else {
            try {
                body.put("policy", LedgerApi.JSON.readTree(policy.policyFile.toFile()));
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the policy document " + policy.policyFile
                        + ": " + e.getMessage());
            }
        }
        if (asOf != null) {
            body.put("asOf", instant(asOf).toString());
        }
        if (countries != null && !countries.isEmpty()) {
            body.put("countries", countries.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList());
        }
        return body;
    }

    private Instant instant(String value) {
        try {
            return value.contains("T") ? Instant.parse(value)
                    : LocalDate.parse(value).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(),
                    "--as-of '" + value + "' is neither an instant (2025-06-30T12:00:00Z) nor a date (2025-06-30)");
        }
    }

    private void printComparison(JsonNode job) {
        Table table = new Table("country", "live status", "live consumed tpp", "live remaining tpp", "what-if status",
                "what-if consumed tpp", "what-if remaining tpp", "reclassified", "beyond cap");
        int differing = 0;
        for (JsonNode result : job.path("results")) {
            JsonNode live = result.path("live");
            JsonNode whatIf = result.path("whatIf");
            int reclassified = 0;
            int beyondCap = 0;
            for (JsonNode shipment : result.path("shipments")) {
                if (!Objects.equals(textOrNull(shipment, "liveClassification"), textOrNull(shipment, "whatIfClassification"))) {
                    reclassified++;
                }
                if (shipment.path("whatIfBeyondCap").asBoolean()) {
                    beyondCap++;
                }
            }
            boolean differs = reclassified > 0 || beyondCap > 0
                    || !Objects.equals(textOrNull(live, "status"), textOrNull(whatIf, "status"))
                    || !Objects.equals(longOrNull(live, "capTpp"), longOrNull(whatIf, "capTpp"))
                    || !Objects.equals(longOrNull(live, "consumedTpp"), longOrNull(whatIf, "consumedTpp"));
            if (differs) {
                differing++;
            }
            if (differs || all) {
                table.row(result.get("country"), live.get("status"), live.get("consumedTpp"), live.get("remainingTpp"),
                        whatIf.get("status"), whatIf.get("consumedTpp"), whatIf.get("remainingTpp"), reclassified, beyondCap);
            }
        }
        out().println("Replay " + job.path("id").asText() + " of " + job.path("policyId").asText() + " as of "
                + job.path("asOf").asText() + ": " + job.path("countriesDone").asInt() + " countries, "
                + differing + " would differ" + (differing > 0 || all ? ":" : "."));
        if (differing > 0 || all) {
            table.print(out());
        }
        out().flush();
    }
}
