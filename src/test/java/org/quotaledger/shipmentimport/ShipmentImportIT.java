package org.quotaledger.shipmentimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.quota.Consignee;
import org.quotaledger.metrics.PrometheusText;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bulk import on PostgreSQL: good, invalid and denied rows each get their outcome; an atomic
 * import keeps all or nothing; a repeated upload records nothing new. Chunks of two rows, so even
 * small files cross chunk boundaries.
 */
class ShipmentImportIT {

    private static final String HEADER = "shipmentId,destinationCountry,consigneeId,consigneeName,consigneeCountry,shipDate,items,licenseReference\n";
    private static final String CSV = "text/csv";
    private static final String NDJSON = "application/x-ndjson";

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass("--quota-ledger.import.chunk-rows=2");
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
    }

    private static String row(String id, String country, String items) {
        return id + "," + country + ",c-" + id + ",Consignee " + id + ",AE,2025-03-01," + items + ",\n";
    }

    /** Uploads a file as exporter A and waits for its job to end; the job's final view. */
    private static JsonNode imported(String contentType, String body, boolean atomic) {
        return ended(uploaded(contentType, body, atomic));
    }

    /** Uploads a file as exporter A; the job's id, without waiting for it. */
    private static String uploaded(String contentType, String body, boolean atomic) {
        Response accepted = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/batch?atomic=" + atomic, contentType, body);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String jobId = accepted.body().get("jobId").asText();
        assertThat(accepted.header("Location")).isEqualTo("/api/v1/shipments/batch/" + jobId);
        assertThat(accepted.body().get("atomic").asBoolean()).isEqualTo(atomic);
        assertThat(accepted.body().has("rowsProcessed")).isTrue();
        return jobId;
    }

    /** The job's final view, once it has ended. */
    private static JsonNode ended(String jobId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(job(jobId).get("state").asText()));
        return job(jobId);
    }

    private static JsonNode job(String jobId) {
        return ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/batch/" + jobId).body();
    }

    private static JsonNode results(String jobId) {
        return ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/batch/" + jobId + "/results").body();
    }

    private static List<String> outcomes(JsonNode results) {
        return results.findValuesAsText("outcome");
    }

    private static long shipmentsOf(String prefix) {
        return service.database().count("SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE '" + prefix + "%'");
    }

    @Test
    void aCsvFileRecordsItsGoodRowsAndSaysWhyEachOtherRowWasNot() {
        String file = HEADER + row("MIX-1", "SA", "H100:100") + row("MIX-2", "CN", "H100:10")
                + row("MIX-3", "AE", "NOPE:5") + row("MIX-4", "XX", "H100:5") + row("MIX-5", "AE", "H100:abc")
                + row("MIX-6", "AE", "H100:50;B200:5") + row("MIX-1", "SA", "H100:100") + row("MIX-6", "AE", "H100:1");
        long events = service.events();

        JsonNode job = imported(CSV, file, false);

        assertThat(job.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("rowsTotal").asInt()).isEqualTo(8);
        assertThat(job.get("rowsProcessed").asInt()).isEqualTo(8);
        assertThat(job.get("recorded").asInt()).isEqualTo(3);
        assertThat(job.get("denied").asInt()).isEqualTo(1);
        assertThat(job.get("invalid").asInt()).isEqualTo(4);
        JsonNode results = results(job.get("jobId").asText());
        assertThat(outcomes(results)).containsExactly("RECORDED", "DENIED", "INVALID", "INVALID", "INVALID", "RECORDED",
                "RECORDED", "INVALID");
        assertThat(results.get(1).get("reason").asText()).isEqualTo("DESTINATION_PROHIBITED");
        assertThat(results.get(2).get("field").asText()).isEqualTo("items[0].model");
        assertThat(results.get(3).get("field").asText()).isEqualTo("destinationCountry");
        assertThat(results.get(4).get("field").asText()).isEqualTo("items[0].quantity");
        assertThat(results.get(7).get("reason").asText()).isEqualTo("CONFLICT");
        assertThat(results.get(0).get("tpp").asLong()).isPositive();
        assertThat(results.get(6).get("tpp").asLong()).isEqualTo(results.get(0).get("tpp").asLong());
        assertThat(shipmentsOf("MIX-")).isEqualTo(3); // MIX-1, MIX-2 (its denial), MIX-6
        assertThat(service.events()).isGreaterThanOrEqualTo(events + 3);

        long afterFirstUpload = service.events();
        JsonNode again = imported(CSV, file, false);

        assertThat(outcomes(results(again.get("jobId").asText()))).isEqualTo(outcomes(results));
        assertThat(results(again.get("jobId").asText()).toString().replace(again.get("jobId").asText(), ""))
                .isEqualTo(results.toString().replace(job.get("jobId").asText(), ""));
        assertThat(service.events()).isEqualTo(afterFirstUpload);
    }

    @Test
    void resultsDownloadAsCsvWithTheDocumentedColumns() {
        JsonNode job = imported(CSV, HEADER + row("DL-1", "SA", "H100:10") + row("DL-2", "SA", "H100:0"), false);

        Response csv = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/batch/" + job.get("jobId").asText()
                + "/results?format=csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.raw().lines().toList();
        assertThat(lines.get(0)).isEqualTo("row,shipmentId,outcome,reason,field,detail,tpp");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("1,DL-1,RECORDED,");
        assertThat(lines.get(2)).startsWith("2,DL-2,INVALID,INVALID_FIELD,items[0].quantity,");
    }

    @Test
    void anNdjsonFileIsReadLineByLineAndAMalformedLineIsOnlyThatRowsProblem() {
        String good = """
                {"shipmentId":"ND-1","consignee":{"id":"c1","name":"C1","headquartersCountry":"SA"},"destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"H100","quantity":20}]}""";
        String file = good + "\n{not json\n\n"
                + good.replace("ND-1", "ND-2").replace("\"quantity\":20", "\"quantity\":\"many\"") + "\n"
                + good.replace("{\"shipmentId\":\"ND-1\"", "{\"exporterId\":\"exporter-b\",\"shipmentId\":\"ND-3\"") + "\n";

        JsonNode job = imported(NDJSON, file, false);

        JsonNode results = results(job.get("jobId").asText());
        assertThat(outcomes(results)).containsExactly("RECORDED", "INVALID", "INVALID", "INVALID");
        assertThat(results.get(2).get("field").asText()).isEqualTo("items[0].quantity");
        assertThat(results.get(2).get("shipmentId").asText()).isEqualTo("ND-2");
        assertThat(results.get(3).get("reason").asText()).isEqualTo("NOT_YOUR_EXPORTER");
        assertThat(shipmentsOf("ND-")).isEqualTo(1);
    }

    @Test
    void anAtomicImportWithOneDeniedRowRecordsNothingAndLeavesNoTraceInTheCacheOrTheMetrics() throws Exception {
        Response before = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"AT-0","consignee":{"id":"c1","name":"C1","headquartersCountry":"SA"},
                 "destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"H100","quantity":100}]}""");
        assertThat(before.status()).isEqualTo(201);
        long events = service.events();
        long registry = service.database().count("SELECT COUNT(*) FROM shipment");
        Double recordedMetric = recordedShipmentsMetric();
        String file = HEADER + row("AT-1", "SA", "H100:100") + row("AT-2", "AE", "H100:100") + row("AT-3", "SA", "H100:5")
                + row("AT-4", "CN", "H100:1") + row("AT-5", "SA", "H100:7");

        JsonNode job = imported(CSV, file, true);

        assertThat(job.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(job.get("recorded").asInt()).isZero();
        assertThat(job.get("denied").asInt()).isEqualTo(1);
        JsonNode results = results(job.get("jobId").asText());
        assertThat(outcomes(results)).containsExactly("NOT_RECORDED", "NOT_RECORDED", "NOT_RECORDED", "DENIED", "NOT_RECORDED");
        assertThat(results.get(0).get("reason").asText()).isEqualTo("ROLLED_BACK");
        assertThat(service.events()).isEqualTo(events);
        assertThat(service.database().count("SELECT COUNT(*) FROM shipment")).isEqualTo(registry);
        assertThat(recordedShipmentsMetric()).isEqualTo(recordedMetric);

        // The country's aggregate decides from what was stored: its cached state was dropped.
        Response after = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"AT-6","consignee":{"id":"c1","name":"C1","headquartersCountry":"SA"},
                 "destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"H100","quantity":100}]}""");
        assertThat(after.status()).isEqualTo(201);
        assertThat(after.body().get("remainingTpp").asLong())
                .isEqualTo(before.body().get("remainingTpp").asLong() - after.body().get("debitedTpp").asLong());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                ledger.get("/api/v1/audit/verify").body().get("intact").asBoolean()).isTrue());
        assertThat(ledger.get("/api/v1/balances/SA").body().toString()).isNotEmpty();
    }

    @Test
    void anAtomicImportOfGoodRowsRecordsThemAllAcrossCountries() {
        long events = service.events();
        String file = HEADER + row("AOK-1", "SA", "H100:10") + row("AOK-2", "AE", "H100:10") + row("AOK-3", "IN", "H100:10");

        JsonNode job = imported(CSV, file, true);

        assertThat(job.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("recorded").asInt()).isEqualTo(3);
        assertThat(outcomes(results(job.get("jobId").asText()))).containsOnly("RECORDED");
        assertThat(shipmentsOf("AOK-")).isEqualTo(3);
        assertThat(service.events()).isGreaterThanOrEqualTo(events + 3);
    }

    /**
     * Two atomic imports at once, each first taking a country the other's last row needs: SA then
     * IN, and IN then SA, with many rows to a country of its own in between. Taking their countries
     * as their rows come, each would wait for the other until Axon found the cycle and failed one.
     */
    @Test
    void twoAtomicImportsThatNeedEachOthersCountriesBothComplete() {
        StringBuilder first = new StringBuilder(HEADER).append(row("CYC-A-0", "SA", "H100:1"));
        StringBuilder second = new StringBuilder(HEADER).append(row("CYC-B-0", "IN", "H100:1"));
        for (int i = 1; i <= 300; i++) {
            first.append(row("CYC-A-" + i, "BR", "H100:1"));
            second.append(row("CYC-B-" + i, "MX", "H100:1"));
        }
        first.append(row("CYC-A-301", "IN", "H100:1"));
        second.append(row("CYC-B-301", "SA", "H100:1"));
        long events = service.events();

        String firstJob = uploaded(CSV, first.toString(), true);
        String secondJob = uploaded(CSV, second.toString(), true);

        for (JsonNode job : List.of(ended(firstJob), ended(secondJob))) {
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("COMPLETED");
            assertThat(job.get("recorded").asInt()).isEqualTo(302);
        }
        assertThat(shipmentsOf("CYC-")).isEqualTo(604);
        // A chunk's rows to one country are one event. Each file is 151 chunks of two rows: the
        // first and the last hold two countries (SA and BR, BR and IN), the 149 between only BR.
        assertThat(service.events()).isEqualTo(events + 2 * (2 + 149 + 2));
    }

    /**
     * A chunk's rows to one country are one event, and each shipment in it counts wherever a
     * shipment recorded alone does: the live balance, the audit's fold of the event store (which
     * a policy change replays the same way), and the audit's check that the two agree.
     */
    @Test
    void shipmentsRecordedTogetherCountInTheBalanceAndTheAuditAsEachAlone() {
        JsonNode before = ledger.get("/api/v1/balances/VN").body();
        JsonNode foldedBefore = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/VN/balance").body();
        double recordedMetric = recordedShipmentsMetric();
        long events = service.events();
        // Beyond a consignee's LPP allowance, so that each is debited.
        String file = HEADER + row("TOG-1", "VN", "H100:2000") + row("TOG-2", "VN", "H100:2000")
                + row("TOG-3", "ZA", "H100:5");

        JsonNode job = imported(CSV, file, false);

        assertThat(job.get("recorded").asInt()).isEqualTo(3);
        assertThat(service.events()).as("one for Vietnam's two rows, one for South Africa's").isEqualTo(events + 2);
        JsonNode stored = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/VN/events?limit=5000").body()
                .get("events");
        JsonNode together = stored.get(stored.size() - 1);
        assertThat(together.get("type").asText()).isEqualTo("ShipmentsRecorded");
        assertThat(together.get("payload").get("shipments").findValuesAsText("shipmentId")).containsExactly("TOG-1", "TOG-2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ledger.get("/api/v1/balances/VN").body().get("shipmentsRecorded").asLong())
                .isEqualTo(before.get("shipmentsRecorded").asLong() + 2));
        JsonNode live = ledger.get("/api/v1/balances/VN").body();
        assertThat(live.get("consumedTpp").asLong()).isGreaterThan(before.get("consumedTpp").asLong());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedShipmentsMetric())
                .as("ledger_shipments_recorded_total, each of the file's shipments counted").isEqualTo(recordedMetric + 3));
        // The balance history has one point for the event: the balance after its last shipment.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(service.database().count(
                "SELECT COALESCE(MAX(consumed_tpp), -1) FROM balance_history WHERE country = 'VN' AND cause_id = 'TOG-2'"))
                .isEqualTo(live.get("consumedTpp").asLong()));
        assertThat(service.database().count("SELECT COUNT(*) FROM balance_history WHERE cause_id = 'TOG-1'")).isZero();
        JsonNode folded = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/VN/balance").body();
        assertThat(folded.get("shipmentsOnRecord").asInt()).isEqualTo(foldedBefore.get("shipmentsOnRecord").asInt() + 2);
        assertThat(folded.get("balance").get("consumedTpp").asLong()).isEqualTo(live.get("consumedTpp").asLong());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body().get("intact").asBoolean()).isTrue());
    }

    /**
     * Every event an import appends names the exporter who uploaded the file, as a single
     * request's does, atomic or not. (They named no one until the shared commit's own gateway
     * carried the application's dispatch interceptors.)
     */
    @Test
    void everyEventOfAnImportNamesItsUploader() {
        // Chunks of two rows, of two countries each.
        String file = HEADER + row("AUT-1", "SA", "H100:10") + row("AUT-2", "VN", "H100:10")
                + row("AUT-3", "IN", "H100:10") + row("AUT-4", "ZA", "H100:10");
        assertImportedEventsNameTheUploader(file, false, List.of("SA", "VN", "IN", "ZA"));

        String atomicFile = HEADER + row("AUT-5", "SA", "H100:10") + row("AUT-6", "VN", "H100:10");
        assertImportedEventsNameTheUploader(atomicFile, true, List.of("SA", "VN"));
    }

    /** One row per country: the file's import appends one event to each, naming exporter A. */
    private static void assertImportedEventsNameTheUploader(String file, boolean atomic, List<String> countries) {
        long lastEvent = service.database().count("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry");

        JsonNode job = imported(CSV, file, atomic);

        assertThat(job.get("recorded").asInt()).isEqualTo(countries.size());
        assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE global_index > " + lastEvent))
                .isEqualTo(countries.size());
        for (String country : countries) {
            JsonNode stored = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/" + country + "/events?limit=5000")
                    .body().get("events");
            JsonNode last = stored.get(stored.size() - 1);
            assertThat(last.get("globalIndex").asLong()).isGreaterThan(lastEvent);
            assertThat(last.get("principal").asText()).as("the author of %s's event (atomic %s)", country, atomic)
                    .isEqualTo(TestUsers.EXPORTER_A);
        }
    }

    @Test
    void anotherExporterCannotSeeTheJobButAnAuditorCan() {
        JsonNode job = imported(CSV, HEADER + row("ISO-1", "SA", "H100:1"), false);
        String path = "/api/v1/shipments/batch/" + job.get("jobId").asText();

        assertThat(ledger.as(TestUsers.EXPORTER_B).get(path).status()).isEqualTo(404);
        assertThat(ledger.as(TestUsers.EXPORTER_B).get(path + "/results").status()).isEqualTo(404);
        assertThat(ledger.as(TestUsers.AUDITOR).get(path).status()).isEqualTo(200);
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/shipments/batch", CSV, HEADER).status()).isEqualTo(403);
    }

    @Test
    void progressIsVisibleWhileTheJobRunsAndAlwaysAddsUp() {
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 1; i <= 300; i++) {
            file.append(row("PRG-" + i, i % 3 == 0 ? "XX" : "SA", "H100:1"));
        }
        Response accepted = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/batch", CSV, file.toString());
        String jobId = accepted.body().get("jobId").asText();
        List<Integer> seen = new java.util.ArrayList<>();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode job = job(jobId);
            int processed = job.get("rowsProcessed").asInt();
            assertThat(job.get("recorded").asInt() + job.get("denied").asInt() + job.get("invalid").asInt())
                    .isEqualTo(processed);
            seen.add(processed);
            return !"RUNNING".equals(job.get("state").asText());
        });

        assertThat(seen).isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(300);
        assertThat(job(jobId).get("invalid").asInt()).isEqualTo(100);
        assertThat(job(jobId).get("rowsTotal").asInt()).isEqualTo(300);
    }

    @Test
    void aFileWithoutTheDocumentedHeaderIsRefusedWhole() {
        Response refused = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/batch", CSV,
                "id,country\nX-1,SA\n");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw()).contains("header");
    }

    @Test
    void theImportPathTakesFilesLargerThanTheUsualBodyLimit() {
        StringBuilder file = new StringBuilder(HEADER);
        int rows = 0;
        while (file.length() <= 1_100_000) {
            file.append(row("BIG-" + ++rows, "XX", "H100:1"));
        }

        JsonNode job = imported(CSV, file.toString(), false);

        assertThat(job.get("rowsProcessed").asInt()).isEqualTo(rows);
        assertThat(job.get("invalid").asInt()).isEqualTo(rows);
    }

    private static Double recordedShipmentsMetric() {
        PrometheusText scraped = PrometheusText.parse(ledger.as(TestUsers.ADMIN).get("/actuator/prometheus").raw());
        return scraped.seriesOf("ledger_shipments_recorded_total").stream().mapToDouble(scraped::value).sum();
    }

    @Test
    void aJobWithoutProgressForLongIsReportedFailedNotRunningForever() throws Exception {
        try (Connection connection = service.database().connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO shipment_import_job (job_id, exporter_id, atomic, format, state, rows_processed, recorded, "
                        + "denied, invalid, created_at, touched_at) VALUES (?, ?, FALSE, 'CSV', 'RUNNING', 40000, 39000, 0, "
                        + "1000, now() - INTERVAL '2 hours', ?)")) {
            insert.setString(1, "stalled-job");
            insert.setString(2, TestUsers.EXPORTER_A);
            insert.setTimestamp(3, Timestamp.from(Instant.now().minus(Duration.ofMinutes(11))));
            insert.executeUpdate();
            insert.setString(1, "slow-job");
            insert.setTimestamp(3, Timestamp.from(Instant.now().minus(Duration.ofMinutes(9))));
            insert.executeUpdate();
        }

        JsonNode stalled = job("stalled-job");
        JsonNode slow = job("slow-job");

        assertThat(stalled.get("state").asText()).isEqualTo("FAILED");
        assertThat(stalled.get("error").asText()).startsWith("abandoned: no progress for 10 minutes");
        assertThat(stalled.get("recorded").asInt()).as("what it recorded stays counted").isEqualTo(39_000);
        assertThat(slow.get("state").asText()).as("nine minutes without progress is still running").isEqualTo("RUNNING");
    }

    @Test
    void rowsMayDrawOnReservationsAndOneThatCannotBeUsedIsOnlyThatRowsOutcome() {
        long h100 = 15_832;
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Response reserved = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/reservations", """
                {"reservationId":"IMP-R-1","consignee":{"id":"c-RZ-1","name":"Consignee RZ-1","headquartersCountry":"AE"},
                 "destinationCountry":"KW","tpp":%d}""".formatted(20 * h100));
        assertThat(reserved.status()).as(reserved.raw()).isEqualTo(201);
        Response other = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/reservations", """
                {"reservationId":"IMP-R-2","consignee":{"id":"c-RZ-9","name":"Consignee RZ-9","headquartersCountry":"AE"},
                 "destinationCountry":"KW","tpp":%d}""".formatted(h100));
        assertThat(other.status()).as(other.raw()).isEqualTo(201);
        String file = "shipmentId,destinationCountry,consigneeId,consigneeName,consigneeCountry,shipDate,items,reservationId\n"
                + "RZ-1,KW,c-RZ-1,Consignee RZ-1,AE," + today + ",H100:10,IMP-R-1\n"
                + "RZ-2,KW,c-RZ-2,Consignee RZ-2,AE," + today + ",H100:1,NO-SUCH-RESERVATION\n"
                + "RZ-3,KW,c-RZ-3,Consignee RZ-3,AE," + today + ",H100:1,IMP-R-2\n";

        JsonNode job = imported(CSV, file, false);
        JsonNode results = results(job.get("jobId").asText());

        assertThat(job.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(outcomes(results)).containsExactly("RECORDED", "INVALID", "INVALID");
        assertThat(results.get(1).get("reason").asText()).isEqualTo("RESERVATION_NOT_FOUND");
        assertThat(results.get(1).get("field").asText()).isEqualTo("reservationId");
        // A reservation for another consignee names the field a lone request would: consignee.id.
        assertThat(results.get(2).get("reason").asText()).isEqualTo("RESERVATION_MISMATCH");
        assertThat(results.get(2).get("field").asText()).isEqualTo("consignee.id");
        assertThat(shipmentsOf("RZ-")).isEqualTo(1);
        JsonNode reservation = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/reservations/IMP-R-1").body();
        assertThat(reservation.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(reservation.get("confirmedTpp").asLong()).isEqualTo(10 * h100);
    }
}
