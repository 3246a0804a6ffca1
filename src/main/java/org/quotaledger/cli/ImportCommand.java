package org.quotaledger.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ledger import}: a file of shipments, {@code POST /api/v1/shipments/batch}, then the job
 * polled to its end with a progress bar. Every row gets its own outcome; re-importing the same
 * file records nothing new.
 */
@Command(name = "import", description = "Import a file of shipments (CSV with the documented header, or JSON lines) "
        + "and follow the job to its end. Exits 0 when every row is recorded, 2 when any row is denied or invalid "
        + "(or an atomic import is rolled back), 6 when the job fails.")
final class ImportCommand extends LedgerCommand {

    /** How many rows not recorded the summary lists before pointing at --results. */
    static final int ROWS_SHOWN = 20;

    enum Format { csv, ndjson }

    @Parameters(index = "0", paramLabel = "FILE", description = "The shipments: *.csv, or *.ndjson / *.jsonl.")
    Path file;

    @Option(names = "--format", paramLabel = "csv|ndjson", description = "The file's format (default: from its extension).")
    Format format;

    @Option(names = "--atomic", description = "All or nothing: if any row fails, none is recorded.")
    boolean atomic;

    @Option(names = "--results", paramLabel = "OUT", description = "Write every row's outcome to this file "
            + "(CSV, or JSON when it ends in .json).")
    Path results;

    @Override
    int run(LedgerApi api) throws Exception {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file);
        }
        String contentType = formatOf() == Format.csv ? "text/csv" : "application/x-ndjson";
        JsonNode job = api.postFile("/api/v1/shipments/batch?atomic=" + atomic, file, contentType);
        String jobPath = "/api/v1/shipments/batch/" + LedgerApi.segment(job.path("jobId").asText());
        job = awaitJob(api, jobPath, job, current -> "RUNNING".equals(current.path("state").asText()),
                progressBar("import", "rows"), "rowsProcessed", "rowsTotal");

        if (results != null) {
            String resultFormat = results.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "json" : "csv";
            api.download(jobPath + "/results?format=" + resultFormat, results);
        }
        if (options().json) {
            printJson(job);
        } else {
            printSummary(api, jobPath, job);
        }
        if (job.hasNonNull("error")) {
            // Why the job failed, and what became of its rows: what the script's operator needs next.
            err().println(spec.qualifiedName() + ": " + job.get("error").asText());
            err().flush();
        }
        return exitCode(job);
    }

    Format formatOf() {
        if (format != null) {
            return format;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.csv;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return Format.ndjson;
        }
        throw new ParameterException(spec.commandLine(),
                "cannot tell the format of " + file + " from its name: give --format csv or --format ndjson");
    }

    static int exitCode(JsonNode job) {
        return switch (job.path("state").asText()) {
            case "COMPLETED" -> job.path("denied").asLong() + job.path("invalid").asLong() == 0
                    ? ExitCodes.OK : ExitCodes.REFUSED;
            case "ROLLED_BACK" -> ExitCodes.REFUSED;
            default -> ExitCodes.UNAVAILABLE;
        };
    }

    private void printSummary(LedgerApi api, String jobPath, JsonNode job) throws Exception {
        new Table("job", "state", "atomic", "rows", "recorded", "denied", "invalid")
                .row(job.get("jobId"), job.get("state"), job.get("atomic"), job.get("rowsProcessed"), job.get("recorded"),
                        job.get("denied"), job.get("invalid"))
                .print(out());
        if (job.path("denied").asLong() + job.path("invalid").asLong() == 0 && !"ROLLED_BACK".equals(job.path("state").asText())) {
            return;
        }
        Table table = new Table("row", "shipment", "outcome", "reason", "field", "detail");
        long[] notRecorded = {0};
        api.eachJsonValue(jobPath + "/results?format=json", row -> {
            if (!"RECORDED".equals(row.path("outcome").asText()) && notRecorded[0]++ < ROWS_SHOWN) {
                table.row(row.get("row"), row.get("shipmentId"), row.get("outcome"), row.get("reason"), row.get("field"),
                        row.get("detail"));
            }
        });
        out().println();
        table.print(out());
        if (notRecorded[0] > ROWS_SHOWN) {
            out().println("… and " + (notRecorded[0] - ROWS_SHOWN) + " more: --results FILE writes every row");
        }
        out().flush();
    }
}
