package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import org.quotaledger.cli.StubLedger.Answer;
import org.quotaledger.cli.StubLedger.Request;

/**
 * The reservation, import and statement commands against a stub that speaks the API's contract
 * (the README's API table): exactly what the client sends, how it reads each kind of answer, and
 * what it exits with, including answers hard to provoke from the real service.
 */
class LedgerCliStubTest {

    private static final String RESERVATION = """
            {"reservationId":"R-1","destinationCountry":"AE","exporterId":"nvidia","consigneeId":"g42",
             "reservedTpp":1000000,"confirmedTpp":0,"status":"ACTIVE","expiresAt":"2026-12-13T00:00:00Z",
             "availableTpp":789000000}""";

    @TempDir
    Path home;

    private StubLedger stub;
    private CliRunner cli;

    @BeforeEach
    void start() throws Exception {
        stub = new StubLedger();
        cli = new CliRunner(home).env("LEDGER_URL", stub.url()).env("LEDGER_USER", "nvidia")
                .env("LEDGER_PASSWORD", "secret");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void reserveSendsTheContractsBodyAndShowsTheReservation() throws Exception {
        stub.route(request -> Answer.json(201, RESERVATION));

        CliRunner.Run run = cli.run("reserve", "--id", "R-1", "--to", "AE", "--tpp", "1000000", "--consignee-id", "g42",
                "--consignee-name", "G42 Cloud", "--consignee-country", "AE", "--expires-at", "2026-12-13T00:00:00Z");

        assertThat(run.exitCode()).isZero();
        Request sent = stub.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/reservations");
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.authorization()).startsWith("Basic ");
        assertThat(json(sent.body())).isEqualTo(json("""
                {"reservationId":"R-1","consignee":{"id":"g42","name":"G42 Cloud","headquartersCountry":"AE"},
                 "destinationCountry":"AE","tpp":1000000,"expiresAt":"2026-12-13T00:00:00Z"}"""));
        assertThat(run.out()).contains("reservation", "available tpp")
                .containsPattern("R-1\\s+nvidia\\s+AE\\s+g42\\s+1,000,000\\s+0\\s+ACTIVE\\s+2026-12-13T00:00:00Z\\s+789,000,000");
    }

    @Test
    void reserveLeavesOutWhatWasNotGivenAndPrintsJsonForMachines() throws Exception {
        stub.route(request -> Answer.json(201, RESERVATION));

        CliRunner.Run run = cli.run("reserve", "--id", "R-1", "--to", "AE", "--tpp", "5", "--consignee-id", "g42",
                "--consignee-name", "G42", "--consignee-country", "AE", "--exporter", "nvidia", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode body = json(stub.requests().get(0).body());
        assertThat(body.has("expiresAt")).isFalse();
        assertThat(body.path("exporterId").asText()).isEqualTo("nvidia");
        assertThat(json(run.out())).isEqualTo(json(RESERVATION));
    }

    @Test
    void aRefusedReservationExitsTwoWithTheReason() throws Exception {
        stub.route(request -> Answer.json(422, """
                {"type":"urn:quota-ledger:problem:reservation-denied","title":"Reservation denied","status":422,
                 "detail":"it would exceed the cap","reason":"QUOTA_EXCEEDED","availableTpp":12}"""));

        CliRunner.Run run = cli.run("reserve", "--id", "R-2", "--to", "AE", "--tpp", "999999999999", "--consignee-id",
                "g42", "--consignee-name", "G42", "--consignee-country", "AE", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("HTTP 422 Reservation denied: it would exceed the cap [QUOTA_EXCEEDED]");
        assertThat(json(run.out()).path("reason").asText()).isEqualTo("QUOTA_EXCEEDED");
    }

    @Test
    void anInvalidRequestExitsSevenNamingTheField() {
        stub.route(request -> Answer.json(400, """
                {"title":"Bad Request","status":400,"detail":"1 field(s) are invalid",
                 "errors":[{"field":"expiresAt","message":"is beyond the policy's maximum of 30 days"}]}"""));

        CliRunner.Run run = cli.run("reserve", "--id", "R-3", "--to", "AE", "--tpp", "5", "--consignee-id", "g42",
                "--consignee-name", "G42", "--consignee-country", "AE", "--expires-at", "2030-01-01T00:00:00Z");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).contains("expiresAt: is beyond the policy's maximum of 30 days");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void releasePostsToTheReservationAndAnAlreadyResolvedOneExitsFour() {
        stub.route(request -> Answer.json(200, RESERVATION.replace("ACTIVE", "RELEASED")));
        CliRunner.Run released = cli.run("release", "R-1");
        assertThat(released.exitCode()).isZero();
        assertThat(released.out()).contains("RELEASED");
        assertThat(stub.requests().get(0).method()).isEqualTo("POST");
        assertThat(stub.requests().get(0).path()).isEqualTo("/api/v1/reservations/R-1/release");

        stub.route(request -> Answer.json(409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"already released\"}"));
        CliRunner.Run again = cli.run("release", "R-1");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).contains("already released");
    }

    @Test
    void reservationsListsAnExportersOrShowsOne() {
        stub.route(request -> request.path().endsWith("/R-1") ? Answer.json(200, RESERVATION)
                : Answer.json(200, "[" + RESERVATION + "," + RESERVATION.replace("R-1", "R-9") + "]"));

        CliRunner.Run list = cli.run("reservations", "--exporter", "nvidia");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("R-1", "R-9");
        assertThat(stub.requests().get(0).path()).isEqualTo("/api/v1/reservations");
        assertThat(stub.requests().get(0).query()).isEqualTo("exporterId=nvidia");

        CliRunner.Run one = cli.run("reservations", "R-1");
        assertThat(one.out()).contains("R-1").doesNotContain("R-9");

        stub.route(request -> Answer.json(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no reservation R-404\"}"));
        assertThat(cli.run("reservations", "R-404").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void importStreamsTheFileFollowsTheJobWithABarAndListsTheRowsNotRecorded() throws Exception {
        Path file = home.resolve("shipments.csv");
        String csv = "shipmentId,destinationCountry\nS-1,AE\nS-2,CN\nS-3,XX\n";
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        AtomicInteger polls = new AtomicInteger();
        stub.route(request -> switch (request.method() + " " + request.path()) {
            case "POST /api/v1/shipments/batch" -> Answer.json(202, job("RUNNING", 0, null, 0, 0, 0));
            case "GET /api/v1/shipments/batch/J-1" -> polls.incrementAndGet() < 3
                    ? Answer.json(200, job("RUNNING", polls.get(), 3L, polls.get(), 0, 0))
                    : Answer.json(200, job("COMPLETED", 3, 3L, 1, 1, 1));
            case "GET /api/v1/shipments/batch/J-1/results" -> Answer.json(200, """
                    [{"row":1,"shipmentId":"S-1","outcome":"RECORDED","tpp":100},
                     {"row":2,"shipmentId":"S-2","outcome":"DENIED","reason":"DESTINATION_PROHIBITED","detail":"CN is prohibited","tpp":100},
                     {"row":3,"shipmentId":"S-3","outcome":"INVALID","field":"destinationCountry","detail":"unknown"}]""");
            default -> Answer.json(404, "{}");
        });

        CliRunner.Run run = cli.interactive().run("import", file.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.REFUSED);
        Request upload = stub.requests().get(0);
        assertThat(upload.method()).isEqualTo("POST");
        assertThat(upload.query()).isEqualTo("atomic=false");
        assertThat(upload.contentType()).isEqualTo("text/csv");
        assertThat(upload.body()).isEqualTo(csv);
        assertThat(polls.get()).isEqualTo(3);
        assertThat(stub.requests()).last().extracting(Request::query).isEqualTo("format=json");
        assertThat(run.err()).contains("\rimport [##########--------------------]  33%  1/3 rows")
                .contains("\rimport [##############################] 100%  3/3 rows").endsWith("\n");
        assertThat(run.out()).containsPattern("J-1\\s+COMPLETED\\s+false\\s+3\\s+1\\s+1\\s+1")
                .containsPattern("2\\s+S-2\\s+DENIED\\s+DESTINATION_PROHIBITED\\s+-\\s+CN is prohibited")
                .containsPattern("3\\s+S-3\\s+INVALID\\s+-\\s+destinationCountry\\s+unknown")
                .doesNotContain("S-1");
    }

    @Test
    void anImportWhereEveryRowIsRecordedExitsZeroAndIsQuietWhenNotWatched() throws Exception {
        Path file = home.resolve("shipments.ndjson");
        Files.writeString(file, "{\"shipmentId\":\"S-1\"}\n", StandardCharsets.UTF_8);
        Path results = home.resolve("results.csv");
        stub.route(request -> switch (request.method() + " " + request.path()) {
            case "POST /api/v1/shipments/batch" -> Answer.json(202, job("COMPLETED", 1, 1L, 1, 0, 0));
            case "GET /api/v1/shipments/batch/J-1/results" -> Answer.text("text/csv", "row,shipmentId,outcome\n1,S-1,RECORDED\n");
            default -> Answer.json(404, "{}");
        });

        CliRunner.Run run = cli.run("import", file.toString(), "--atomic", "--results", results.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(stub.requests().get(0).contentType()).isEqualTo("application/x-ndjson");
        assertThat(stub.requests().get(0).query()).isEqualTo("atomic=true");
        assertThat(stub.requests().get(1).query()).isEqualTo("format=csv");
        assertThat(Files.readString(results)).isEqualTo("row,shipmentId,outcome\n1,S-1,RECORDED\n");
    }

    @Test
    void aRolledBackImportExitsTwoAndAFailedOneSix() throws Exception {
        Path file = home.resolve("shipments.txt");
        Files.writeString(file, "shipmentId\nS-1\n", StandardCharsets.UTF_8);
        assertThat(cli.run("import", file.toString()).exitCode()).as("no format from the name").isEqualTo(ExitCodes.USAGE);
        assertThat(stub.requests()).isEmpty();

        stub.route(request -> request.method().equals("POST") ? Answer.json(202, job("ROLLED_BACK", 1, 1L, 0, 1, 0))
                : Answer.json(200, "[{\"row\":1,\"shipmentId\":\"S-1\",\"outcome\":\"DENIED\",\"reason\":\"QUOTA_EXCEEDED\"}]"));
        CliRunner.Run rolledBack = cli.run("import", file.toString(), "--format", "csv", "--atomic", "--json");
        assertThat(rolledBack.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(json(rolledBack.out()).path("state").asText()).isEqualTo("ROLLED_BACK");

        String why = "the import stopped: the database could not be reached; the rows recorded before it stay recorded";
        stub.route(request -> Answer.json(202, job("FAILED", 0, null, 0, 0, 0).replace("}", ",\"error\":\"" + why + "\"}")));
        CliRunner.Run failed = cli.run("import", file.toString(), "--format", "csv");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(failed.out()).containsPattern("J-1\\s+FAILED");
        assertThat(failed.err()).isEqualTo("ledger import: " + why + "\n");
    }

    @Test
    void aLongListOfRowsNotRecordedIsCutShortAndPointsAtTheResultsFile() throws Exception {
        Path file = home.resolve("many.csv");
        Files.writeString(file, "shipmentId\n", StandardCharsets.UTF_8);
        StringBuilder results = new StringBuilder();
        for (int row = 1; row <= 25; row++) {
            results.append("{\"row\":").append(row).append(",\"shipmentId\":\"S-").append(row)
                    .append("\",\"outcome\":\"DENIED\",\"reason\":\"QUOTA_EXCEEDED\"}\n");
        }
        stub.route(request -> request.method().equals("POST") ? Answer.json(202, job("COMPLETED", 25, 25L, 0, 25, 0))
                : Answer.text("application/x-ndjson", results.toString()));

        CliRunner.Run run = cli.run("import", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.out()).contains("S-20").doesNotContain("S-21")
                .contains("… and 5 more: --results FILE writes every row");
    }

    @Test
    void statementAsksForThePeriodAndShowsLinesAndTotals() {
        stub.route(request -> Answer.json(200, """
                {"exporterId":"nvidia","from":"2025-01-01","to":"2025-06-30","lines":[
                  {"at":"2025-03-10T09:00:00Z","kind":"RECORDED","shipmentId":"S-1","destinationCountry":"AE",
                   "tpp":31664000,"debitedTpp":31664000,"runningDebitedTpp":31664000},
                  {"at":"2025-03-11T09:00:00Z","kind":"RESERVED","reservationId":"R-1","destinationCountry":"AE",
                   "tpp":1000,"debitedTpp":0,"runningDebitedTpp":31664000}],
                 "totals":{"AE":31664000}}"""));

        CliRunner.Run run = cli.run("statement", "--exporter", "nvidia", "--from", "2025-01-01", "--to", "2025-06-30");

        assertThat(run.exitCode()).isZero();
        assertThat(stub.requests().get(0).path()).isEqualTo("/api/v1/exporters/nvidia/statement");
        assertThat(stub.requests().get(0).query()).isEqualTo("from=2025-01-01&to=2025-06-30&format=json");
        assertThat(run.out()).contains("Statement of nvidia from 2025-01-01 to 2025-06-30")
                .containsPattern("2025-03-10T09:00:00Z\\s+RECORDED\\s+S-1\\s+AE\\s+31,664,000\\s+31,664,000\\s+31,664,000")
                .containsPattern("RESERVED\\s+R-1\\s+AE\\s+1,000\\s+0\\s+31,664,000")
                .containsPattern("(?m)^AE\\s+31,664,000$");
    }

    @Test
    void statementDefaultsToThisYearAndPrintsTheLedgersCsv() {
        stub.route(request -> Answer.text("text/csv", "at,kind\n2025-03-10T09:00:00Z,RECORDED\n"));

        CliRunner.Run run = cli.run("statement", "--exporter", "nvidia", "--csv");

        assertThat(run.exitCode()).isZero();
        assertThat(stub.requests().get(0).query()).isEqualTo("from=2025-01-01&to=2025-12-31&format=csv");
        assertThat(run.out()).isEqualTo("at,kind\n2025-03-10T09:00:00Z,RECORDED\n");
    }

    @Test
    void recordConfirmingAReservationSendsItsIdAndTheItems() throws Exception {
        stub.route(request -> Answer.json(201, """
                {"shipmentId":"S-9","destinationCountry":"AE","status":"RECORDED","classification":"COUNTED",
                 "tpp":15832,"debitedTpp":15832,"remainingTpp":5}"""));

        CliRunner.Run run = cli.run("record", "--id", "S-9", "--to", "AE", "--consignee-id", "g42", "--consignee-name",
                "G42", "--consignee-country", "AE", "--item", "H100=1", "--item", "B200=2", "--reservation", "R-1");

        assertThat(run.exitCode()).isZero();
        assertThat(json(stub.requests().get(0).body())).isEqualTo(json("""
                {"shipmentId":"S-9","consignee":{"id":"g42","name":"G42","headquartersCountry":"AE"},
                 "destinationCountry":"AE","shipDate":"2025-12-31",
                 "items":[{"model":"H100","quantity":1},{"model":"B200","quantity":2}],"reservationId":"R-1"}"""));

        stub.route(request -> Answer.json(409, """
                {"title":"Conflict","status":409,"detail":"the reservation expired","reason":"RESERVATION_EXPIRED"}"""));
        CliRunner.Run expired = cli.run("record", "--id", "S-10", "--to", "AE", "--consignee-id", "g42",
                "--consignee-name", "G42", "--consignee-country", "AE", "--item", "H100=1", "--reservation", "R-1");
        assertThat(expired.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(expired.err()).contains("[RESERVATION_EXPIRED]");
    }

    @Test
    void aMalformedItemIsAUsageErrorAndSendsNothing() {
        CliRunner.Run run = cli.run("record", "--id", "S-1", "--to", "AE", "--consignee-id", "g42", "--consignee-name",
                "G42", "--consignee-country", "AE", "--item", "H100");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--item 'H100' is not MODEL=QUANTITY");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void serverFailuresAndSignInFailuresHaveTheirOwnCodes() {
        stub.route(request -> Answer.json(503, "{\"title\":\"Service Unavailable\",\"status\":503}"));
        assertThat(cli.run("balance", "AE").exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);

        stub.route(request -> new Answer(502, "text/html", "<html>bad gateway</html>"));
        CliRunner.Run proxy = cli.run("balance", "AE");
        assertThat(proxy.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(proxy.err()).contains("HTTP 502: <html>bad gateway</html>");

        stub.route(request -> Answer.json(401, "{\"title\":\"Unauthorized\",\"status\":401}"));
        CliRunner.Run unauthorized = cli.run("balance", "AE");
        assertThat(unauthorized.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(unauthorized.err()).contains("signed in as nvidia");

        stub.route(request -> Answer.json(403, "{\"title\":\"Forbidden\",\"status\":403}"));
        assertThat(cli.run("replay", "--policy", "p").exitCode()).isEqualTo(ExitCodes.AUTH);
    }

    @Test
    void replaySendsADraftPolicyTheAsOfAndTheCountries() throws Exception {
        Path draft = home.resolve("draft.json");
        Files.writeString(draft, "{\"id\":\"draft-1\",\"tiers\":[]}", StandardCharsets.UTF_8);
        stub.route(request -> Answer.json(202, """
                {"id":"J-7","policyId":"draft-1","asOf":"2025-06-30T23:59:59.999999Z","state":"DONE","countriesTotal":2,
                 "countriesDone":2,"results":[
                  {"country":"AE","live":{"status":"OPEN","capTpp":790000000,"consumedTpp":10,"remainingTpp":789999990},
                   "whatIf":{"status":"UNRESTRICTED","capTpp":null,"consumedTpp":10,"remainingTpp":null},
                   "shipments":[{"shipmentId":"S-1","liveClassification":"COUNTED","whatIfClassification":"UNRESTRICTED",
                                 "whatIfBeyondCap":false}]},
                  {"country":"SA","live":{"status":"OPEN","capTpp":5,"consumedTpp":0,"remainingTpp":5},
                   "whatIf":{"status":"OPEN","capTpp":5,"consumedTpp":0,"remainingTpp":5},"shipments":[]}]}"""));

        CliRunner.Run run = cli.run("replay", "--policy-file", draft.toString(), "--as-of", "2025-06-30",
                "--country", "ae,SA");

        assertThat(run.exitCode()).isZero();
        assertThat(json(stub.requests().get(0).body())).isEqualTo(json("""
                {"policy":{"id":"draft-1","tiers":[]},"asOf":"2025-06-30T23:59:59.999999Z","countries":["AE","SA"]}"""));
        assertThat(run.out()).contains("Replay J-7 of draft-1 as of 2025-06-30T23:59:59.999999Z: 2 countries, 1 would differ:")
                .containsPattern("AE\\s+OPEN\\s+10\\s+789,999,990\\s+UNRESTRICTED\\s+10\\s+-\\s+1\\s+0")
                .doesNotContainPattern("(?m)^SA");
        assertThat(cli.run("replay", "--policy", "p", "--as-of", "June").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    private static String job(String state, long processed, Long total, long recorded, long denied, long invalid) {
        return "{\"jobId\":\"J-1\",\"state\":\"" + state + "\",\"atomic\":false,\"rowsProcessed\":" + processed
                + ",\"recorded\":" + recorded + ",\"denied\":" + denied + ",\"invalid\":" + invalid
                + (total == null ? "" : ",\"rowsTotal\":" + total) + "}";
    }

    private static JsonNode json(String text) throws Exception {
        return LedgerApi.JSON.readTree(text);
    }
}
