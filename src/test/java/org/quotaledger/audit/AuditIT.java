package org.quotaledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Auditors on a real ledger: whole histories with authors, balances as of any instant folded from
 * the event store, what-if replays that write nothing, tamper evidence, and projection rebuilds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT {

    private static final String MAY = "ai-diffusion-rescission-2025-05";

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static RunningLedger ledger;
    private static Instant afterFirstShipment;
    private static Instant beforeRevision;

    private static String shipment(String id, String date, int quantity) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"C","headquartersCountry":"AE"},"destinationCountry":"AE",
                 "shipDate":"%s","items":[{"model":"H100","quantity":%d}]}""".formatted(id, id, date, quantity);
    }

    @BeforeAll
    static void start() throws Exception {
        ledger = service.ledger();
        RunningLedger.Client exporter = ledger.as(TestUsers.EXPORTER_A);
        assertThat(exporter.post("/api/v1/shipments", shipment("AE-1", "2025-03-01", 2_000)).status()).isEqualTo(201);
        Thread.sleep(20);
        afterFirstShipment = Instant.now();
        Thread.sleep(20);
        assertThat(exporter.post("/api/v1/shipments", shipment("AE-2", "2025-06-01", 3_000)).status()).isEqualTo(201);
        assertThat(exporter.post("/api/v1/shipments", shipment("AE-3", "2025-06-02", 100)).status()).isEqualTo(201);
        assertThat(exporter.post("/api/v1/shipments/AE-3/void", "{\"reason\":\"duplicate\"}").status()).isEqualTo(200);
        // A bulk import's rows to one country are one event (ShipmentsRecorded): the revision's
        // replay, the folds, the rebuild and the verification below count each of its shipments.
        Response imported = exporter.post("/api/v1/shipments/batch", "text/csv",
                "shipmentId,destinationCountry,consigneeId,consigneeName,consigneeCountry,shipDate,items\n"
                        + "SA-1,SA,c-sa-1,C,SA,2025-03-01,H100:2000\nSA-2,SA,c-sa-2,C,SA,2025-03-02,H100:2000\n");
        assertThat(imported.status()).as(imported.raw()).isEqualTo(202);
        String importJob = "/api/v1/shipments/batch/" + imported.body().get("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(exporter.get(importJob).body().get("state").asText()));
        assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = 'SA' "
                + "AND payload_type LIKE '%$ShipmentsRecorded'")).isEqualTo(1);
        Thread.sleep(20);
        beforeRevision = Instant.now();
        ledger.enactShipped(MAY);
    }

    private static JsonNode auditor(String path) {
        Response response = ledger.as(TestUsers.AUDITOR).get(path);
        assertThat(response.status()).as(path).isEqualTo(200);
        return response.body();
    }

    @Test
    @Order(1)
    void aCountrysWholeHistoryComesInOrderAPageAtATimeWithItsAuthors() {
        long stored = service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = 'AE'");
        long after = -1;
        int seen = 0;
        long lastSequence = -1;
        Map<String, Integer> types = new HashMap<>();
        do {
            JsonNode page = auditor("/api/v1/audit/countries/AE/events?limit=2&after=" + after);
            for (JsonNode event : page.get("events")) {
                assertThat(event.get("sequenceNumber").asLong()).isEqualTo(lastSequence + 1);
                lastSequence = event.get("sequenceNumber").asLong();
                assertThat(event.get("globalIndex").asLong()).isPositive();
                assertThat(event.get("chainHash").asText()).hasSize(64);
                assertThat(event.get("policyInForce").asText()).isNotBlank();
                types.merge(event.get("type").asText(), 1, Integer::sum);
                if (event.get("type").asText().equals("ShipmentRecorded")) {
                    assertThat(event.get("principal").asText()).isEqualTo(TestUsers.EXPORTER_A);
                    assertThat(event.get("requestId").asText()).isNotBlank();
                    assertThat(event.get("policyInForce").asText()).isEqualTo("ai-diffusion-2025-01");
                }
                seen++;
            }
            after = page.get("nextAfter").isNull() ? Long.MIN_VALUE : page.get("nextAfter").asLong();
        } while (after != Long.MIN_VALUE);

        assertThat(seen).isEqualTo(stored);
        assertThat(types).containsEntry("PolicyApplied", 2).containsEntry("ShipmentRecorded", 3)
                .containsEntry("ShipmentVoided", 1);
    }

    @Test
    @Order(2)
    void theHistoryDownloadsAsCsv() {
        Response csv = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/AE/events?format=csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.raw().split("\n");
        assertThat(lines[0]).startsWith("globalIndex,sequenceNumber,timestamp,type");
        assertThat(lines).hasSize(1 + (int) service.database().count(
                "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = 'AE'"));
        assertThat(csv.raw()).contains(",QuotaStatusChanged,").contains(",ShipmentVoided,");
    }

    @Test
    @Order(3)
    void aBalanceAsOfAnInstantIsFoldedFromTheEventsRecordedUntilThen() {
        JsonNode then = auditor("/api/v1/audit/countries/AE/balance?asOf=" + afterFirstShipment);
        JsonNode beforeMay = auditor("/api/v1/audit/countries/AE/balance?asOf=" + beforeRevision);

        assertThat(then.get("balance").get("consumedTpp").asLong()).isEqualTo(31_664_000L);
        assertThat(then.get("balance").get("policyId").asText()).isEqualTo("ai-diffusion-2025-01");
        assertThat(beforeMay.get("balance").get("consumedTpp").asLong()).isEqualTo(31_664_000L + 47_496_000L);
        assertThat(ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/AE/balance?asOf=2020-01-01T00:00:00Z").status())
                .isEqualTo(404);
    }

    @Test
    @Order(4)
    void theRevisionReplayedEachShipmentOfAnImportsEvent() {
        JsonNode saudiArabia = null;
        for (JsonNode country : ledger.get("/api/v1/policies/" + MAY + "/impact").body().get("countries")) {
            if (country.get("country").asText().equals("SA")) {
                saudiArabia = country;
            }
        }
        assertThat(saudiArabia).isNotNull();
        assertThat(saudiArabia.get("shipmentsReplayed").asInt()).isEqualTo(2);
        assertThat(saudiArabia.get("consumedBeforeTpp").asLong()).isEqualTo(2 * 2_000 * 15_832L);
        assertThat(auditor("/api/v1/audit/countries/SA/balance").get("shipmentsOnRecord").asInt()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void atTheCurrentInstantEveryFoldedBalanceEqualsTheLiveOne() {
        JsonNode folded = auditor("/api/v1/audit/balances");
        JsonNode live = auditor("/api/v1/balances");
        Map<String, JsonNode> liveByCountry = new HashMap<>();
        live.get("balances").forEach(balance -> liveByCountry.put(balance.get("country").asText(), balance));

        assertThat(folded.get("balances")).hasSize(LedgerOnPostgres.COUNTRIES);
        folded.get("balances").forEach(entry -> {
            JsonNode balance = entry.get("balance");
            JsonNode projected = liveByCountry.get(entry.get("country").asText());
            assertThat(balance.get("policyId")).isEqualTo(projected.get("policyId"));
            assertThat(balance.get("consumedTpp").asLong()).isEqualTo(projected.get("consumedTpp").asLong());
            assertThat(balance.get("status")).isEqualTo(projected.get("status"));
            assertThat(balance.get("capTpp")).isEqualTo(projected.get("capTpp"));
        });
    }

    private static JsonNode awaitJob(String location) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !auditor(location).get("state").asText().equals("RUNNING"));
        return auditor(location);
    }

    @Test
    @Order(5)
    void aWhatIfReplayComparesAnotherPolicyWithTheLiveLedgerAndWritesNothing() {
        long events = service.events();

        Response started = ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays",
                "{\"policyId\":\"" + MAY + "\",\"asOf\":\"" + beforeRevision + "\",\"countries\":[\"AE\",\"CN\"]}");
        assertThat(started.status()).isEqualTo(202);
        JsonNode job = awaitJob(started.header("Location"));

        assertThat(job.get("state").asText()).isEqualTo("DONE");
        assertThat(job.get("countriesDone").asInt()).isEqualTo(2);
        JsonNode ae = job.get("results").get(0);
        assertThat(ae.get("country").asText()).isEqualTo("AE");
        assertThat(ae.get("live").get("status").asText()).isEqualTo("OPEN");
        assertThat(ae.get("whatIf").get("status").asText()).isEqualTo("UNRESTRICTED");
        assertThat(ae.get("shipments")).hasSize(2);
        assertThat(ae.get("shipments").get(1).get("liveClassification").asText()).isEqualTo("COUNTED");
        assertThat(ae.get("shipments").get(1).get("whatIfClassification").asText()).isEqualTo("UNRESTRICTED");
        assertThat(service.events()).isEqualTo(events);
    }

    @Test
    @Order(6)
    void aDraftThatWasNeverEnactedFlagsShipmentsBeyondItsCap() {
        String draft = """
                {"policyId":null,"countries":["AE"],"policy":{"id":"draft-strict","title":"A strict draft",
                 "effectiveFrom":"2025-01-13","defaultTier":"T2","tiers":[{"name":"T2","treatment":"CAPPED","capTpp":40000000}],
                 "countingWindow":{"from":"2025-01-13","to":"2027-12-31"},"criticalThreshold":0.9}}""";

        JsonNode job = awaitJob(ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", draft).header("Location"));

        JsonNode ae = job.get("results").get(0);
        assertThat(ae.get("whatIf").get("status").asText()).isEqualTo("EXHAUSTED");
        assertThat(ae.get("whatIf").get("consumedTpp").asLong()).isEqualTo(31_664_000L + 47_496_000L);
        assertThat(ae.get("shipments").get(1).get("whatIfBeyondCap").asBoolean()).isTrue();
        Response csv = ledger.as(TestUsers.AUDITOR).get(
                "/api/v1/audit/replays/" + job.get("id").asText() + "/shipments.csv");
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.raw()).contains("AE,AE-2,2025-06-01,47496000,UNRESTRICTED,0,COUNTED,47496000,true");
        assertThat(ledger.get("/api/v1/policies/draft-strict").status()).as("a draft is never enacted").isEqualTo(404);
    }

    @Test
    @Order(7)
    void aReplayCanBeCancelledAndBadRequestsAreRefused() {
        Response started = ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", "{\"policyId\":\"" + MAY + "\"}");
        JsonNode cancelled = ledger.as(TestUsers.AUDITOR).send("DELETE", started.header("Location"), null).body();

        assertThat(cancelled.get("state").asText()).isIn("CANCELLED", "DONE");
        JsonNode ended = awaitJob(started.header("Location"));
        if (ended.get("state").asText().equals("CANCELLED")) {
            assertThat(ended.get("countriesDone").asInt()).as("a cancelled job stops short")
                    .isLessThan(ended.get("countriesTotal").asInt());
        } else {
            assertThat(ended.get("state").asText()).as("it finished before the cancel arrived").isEqualTo("DONE");
            assertThat(ended.get("countriesDone").asInt()).isEqualTo(LedgerOnPostgres.COUNTRIES);
        }
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", "{\"policyId\":\"nope\"}").status()).isEqualTo(400);
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays",
                "{\"policyId\":\"" + MAY + "\",\"countries\":[\"XX\"]}").status()).isEqualTo(400);
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", "{}").status()).isEqualTo(400);
    }

    @Test
    @Order(8)
    void aProjectionRebuildReplaysTheEventStoreIntoTheSameBalances() throws Exception {
        String before = ledger.get("/api/v1/balances").body().get("balances").toString();
        String impactBefore = ledger.get("/api/v1/policies/" + MAY + "/impact").raw();
        List<String> tablesBefore = processorTables();
        assertThat(service.database().count("SELECT COUNT(*) FROM balance_history")).isGreaterThan(LedgerOnPostgres.COUNTRIES);

        Response started = ledger.as(TestUsers.ADMIN).post("/api/v1/admin/projections/balances/rebuild", "");
        assertThat(started.status()).isEqualTo(202);
        assertThat(ledger.get("/api/v1/balances").header("X-Projection-Rebuilding")).isIn("true", "false");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = ledger.as(TestUsers.ADMIN).get("/api/v1/admin/projections/balances").body();
            assertThat(status.get("rebuilding").asBoolean()).as(status.toString()).isFalse();
        });

        Response after = ledger.get("/api/v1/balances");
        assertThat(after.header("X-Projection-Rebuilding")).isEqualTo("false");
        assertThat(after.body().get("balances").toString()).isEqualTo(before);
        assertThat(ledger.get("/api/v1/policies/" + MAY + "/impact").raw()).isEqualTo(impactBefore);
        assertThat(processorTables()).as("every table of the processor, row for row").isEqualTo(tablesBefore);
        assertThat(ledger.as(TestUsers.ADMIN).get("/api/v1/admin/projections/balances").body().get("replayedInBulk")
                .asLong()).as("the whole store was replayed in bulk, not by the processor").isEqualTo(service.events());
        assertThat(service.database().count("SELECT COUNT(*) FROM token_entry WHERE processor_name = 'balances' "
                + "AND token_type LIKE '%GapAwareTrackingToken'")).as("every segment goes on after the bulk replay")
                .isEqualTo(service.database().count("SELECT COUNT(*) FROM token_entry WHERE processor_name = 'balances'"))
                .isPositive();
        assertThat(ledger.as(TestUsers.ADMIN).get("/actuator/prometheus").raw())
                .contains("ledger_projection_rebuild_progress{projection=\"balances\"} 1.0");
    }

    @Test
    @Order(9)
    void shipmentsRecordedWhileARebuildRunsAreInTheRebuiltProjection() {
        long recordedBefore = ledger.get("/api/v1/balances/AE").body().get("shipmentsRecorded").asLong();
        assertThat(ledger.as(TestUsers.ADMIN).post("/api/v1/admin/projections/balances/rebuild", "").status())
                .isEqualTo(202);

        // Every shipment is sent while the status still says rebuilding, so each one meets the
        // rebuild (its bulk replay or the processor's hand-over) rather than a finished projection.
        int recorded = 0;
        while (rebuilding() && recorded < 200) {
            assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments",
                    shipment("AE-DURING-" + recorded, "2025-06-03", 1)).status()).isEqualTo(201);
            recorded++;
        }
        assertThat(recorded).as("shipments sent while the rebuild ran").isPositive();
        await().atMost(Duration.ofSeconds(60)).until(() -> !rebuilding());
        long sent = recorded;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ledger.get("/api/v1/balances/AE").body().get("shipmentsRecorded").asLong())
                .isEqualTo(recordedBefore + sent));
        assertThat(service.database().count("SELECT COUNT(*) FROM balance_history WHERE country = 'AE' AND cause = 'RECORDED'"))
                .as("a history point for every shipment the store holds")
                .isEqualTo(service.database().count("SELECT COUNT(*) FROM domain_event_entry "
                        + "WHERE aggregate_identifier = 'AE' AND payload_type LIKE '%ShipmentRecorded'"));
    }

    private static boolean rebuilding() {
        return ledger.as(TestUsers.ADMIN).get("/api/v1/admin/projections/balances").body().get("rebuilding").asBoolean();
    }

    /** The rows of the tables the "balances" processor writes, each table as one text. */
    private static List<String> processorTables() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM country_balance ORDER BY country",
                    "SELECT * FROM balance_history ORDER BY country, sequence_no",
                    "SELECT * FROM quota_alert ORDER BY country, sequence_no",
                    "SELECT * FROM policy_impact ORDER BY policy_id, country")) {
                StringBuilder rows = new StringBuilder(query).append('\n');
                try (ResultSet row = statement.executeQuery(query)) {
                    int columns = row.getMetaData().getColumnCount();
                    while (row.next()) {
                        for (int column = 1; column <= columns; column++) {
                            rows.append(row.getString(column)).append('|');
                        }
                        rows.append('\n');
                    }
                }
                tables.add(rows.toString());
            }
        }
        return tables;
    }

    @Test
    @Order(10)
    void verifyFindsEveryChainIntactAndEveryProjectionEqualToTheFold() {
        JsonNode verification = auditor("/api/v1/audit/verify");

        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("chain").get("eventsChecked").asLong()).isEqualTo(service.events());
        assertThat(verification.get("chain").get("unchainedEvents").asLong()).isZero();
        assertThat(verification.get("chain").get("firstBrokenLink").isNull()).isTrue();
        assertThat(verification.get("projectionDiscrepancies")).isEmpty();
    }

    @Test
    @Order(11)
    void theEventTableRefusesUpdatesAndDeletesEvenFromTheApplicationsOwnUser() throws Exception {
        try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE domain_event_entry SET payload_revision = '2'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM domain_event_entry"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE domain_event_entry"))
                    .hasMessageContaining("append-only");
        }
        assertThat(service.events()).isPositive();
    }

    @Test
    @Order(12)
    void verifyReportsTheFirstBrokenLinkWhenSomeoneGetsPastTheTriggers() throws Exception {
        long tampered = service.database().count("SELECT MIN(global_index) FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'AE' AND payload_type LIKE '%$ShipmentRecorded'");
        try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica"); // a superuser switching triggers off
            statement.executeUpdate("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                    + "'\"quantity\":2000', '\"quantity\":20'), 'UTF8') WHERE global_index = " + tampered);
        }

        JsonNode verification = auditor("/api/v1/audit/verify");

        assertThat(verification.get("intact").asBoolean()).isFalse();
        JsonNode broken = verification.get("chain").get("firstBrokenLink");
        assertThat(broken.get("globalIndex").asLong()).isEqualTo(tampered);
        assertThat(broken.get("stream").asText()).isEqualTo("AE");
        assertThat(verification.get("projectionDiscrepancies")).isNotEmpty();
    }
}
