package org.quotaledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.audit.ProjectionConsistencyCheck;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The story the product tells, through HTTP on a real PostgreSQL: the January 2025 rule is
 * seeded; exporters record and are denied; a mistake is voided; the May 2025 revision is
 * enacted and history replays; the service restarts and everything is still there, and every
 * projection equals a fresh fold of the event store. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerStoryIT {

    private static final String JANUARY = "ai-diffusion-2025-01";
    private static final String MAY = "ai-diffusion-rescission-2025-05";
    private static final Path MAY_FILE = Path.of("src/main/resources/policies/" + MAY + ".json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static PostgresDatabase database;
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        database = service.database();
        ledger = service.ledger();
        awaitEveryCountryUnder(JANUARY);
    }

    private static void awaitEveryCountryUnder(String policyId) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode balances = ledger.get("/api/v1/balances").body().get("balances");
            assertThat(balances).hasSize(249);
            balances.forEach(balance -> assertThat(balance.get("policyId").asText()).isEqualTo(policyId));
        });
    }

    private static String shipment(String id, String country, String consignee, String date, String model, int quantity) {
        return """
                {"shipmentId":"%s","exporterId":"exporter-a","consignee":{"id":"%s","name":"%s Ltd","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"%s","items":[{"model":"%s","quantity":%d}]}"""
                .formatted(id, consignee, consignee, country, country, date, model, quantity);
    }

    private static long events() {
        return service.events();
    }

    private static JsonNode balance(String country) {
        return ledger.get("/api/v1/balances/" + country).body();
    }

    @Test
    @Order(1)
    void theJanuary2025RuleIsSeededAsTheEnactedPolicy() throws Exception {
        JsonNode policies = ledger.get("/api/v1/policies").body().get("policies");
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0).get("id").asText()).isEqualTo(JANUARY);

        JsonNode served = ledger.get("/api/v1/policies/" + JANUARY).body();
        JsonNode shipped = JSON.readTree(Files.readString(Path.of("src/main/resources/policies/" + JANUARY + ".json")));
        assertThat(served).isEqualTo(shipped);

        assertThat(balance("IN").get("capTpp").asLong()).isEqualTo(790_000_000L);
        assertThat(balance("IN").get("status").asText()).isEqualTo("OPEN");
        assertThat(balance("FR").get("status").asText()).isEqualTo("UNRESTRICTED");
        assertThat(balance("CN").get("status").asText()).isEqualTo("PROHIBITED");
    }

    @Test
    @Order(2)
    void aShipmentToACappedCountryDebitsItsQuota() {
        Response recorded = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-1", "AE", "g42", "2025-03-10", "H100", 2_000));

        assertThat(recorded.status()).isEqualTo(201);
        assertThat(recorded.body().get("status").asText()).isEqualTo("RECORDED");
        assertThat(recorded.body().get("classification").asText()).isEqualTo("COUNTED");
        assertThat(recorded.body().get("tpp").asLong()).isEqualTo(31_664_000L);
        assertThat(recorded.body().get("debitedTpp").asLong()).isEqualTo(31_664_000L);
        assertThat(recorded.body().get("remainingTpp").asLong()).isEqualTo(758_336_000L);
        assertThat(recorded.body().get("policyId").asText()).isEqualTo(JANUARY);
    }

    @Test
    @Order(3)
    void aSmallShipmentFallsUnderTheLppExceptionAndDebitsNothing() {
        Response recorded = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("IN-1", "IN", "tata", "2025-04-01", "H100", 100));

        assertThat(recorded.status()).isEqualTo(201);
        assertThat(recorded.body().get("classification").asText()).isEqualTo("LPP_EXEMPT");
        assertThat(recorded.body().get("debitedTpp").asLong()).isZero();
        assertThat(recorded.body().get("remainingTpp").asLong()).isEqualTo(790_000_000L);
    }

    @Test
    @Order(4)
    void theSameShipmentAgainGetsTheSameAnswerAndOneDebit() {
        long before = events();

        Response repeat = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-1", "AE", "g42", "2025-03-10", "H100", 2_000));

        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.body().get("remainingTpp").asLong()).isEqualTo(758_336_000L);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aDifferentShipmentUnderATakenIdIsAConflict() {
        long before = events();

        Response conflict = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-1", "AE", "g42", "2025-03-10", "H100", 2_001));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void shipmentsToAProhibitedCountryAreDeniedAndTheDenialIsOnTheRecord() {
        long before = events();

        Response denied = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("CN-1", "CN", "acme", "2025-03-10", "H20", 10));

        assertThat(denied.status()).isEqualTo(422);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        assertThat(denied.body().get("reason").asText()).isEqualTo("DESTINATION_PROHIBITED");
        assertThat(denied.body().get("remainingTpp").asLong()).isZero();
        assertThat(events()).isEqualTo(before + 1);
        assertThat(ledger.get("/api/v1/shipments/CN-1").body().get("state").asText()).isEqualTo("DENIED");
    }

    @Test
    @Order(7)
    void aShipmentThatWouldOverdrawTheQuotaIsDenied() {
        Response denied = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-BIG", "AE", "g42", "2025-03-11", "H100", 50_000));

        assertThat(denied.status()).isEqualTo(422);
        assertThat(denied.body().get("reason").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(denied.body().get("remainingTpp").asLong()).isEqualTo(758_336_000L);
    }

    @Test
    @Order(8)
    void aVoidCreditsTheQuotaBack() {
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-2", "AE", "mgx", "2025-06-20", "H100", 2_000)).status())
                .isEqualTo(201);

        Response voided = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/AE-1/void", "{\"reason\":\"entered twice in the ERP\"}");

        assertThat(voided.status()).isEqualTo(200);
        assertThat(voided.body().get("creditedTpp").asLong()).isEqualTo(31_664_000L);
        assertThat(voided.body().get("remainingTpp").asLong()).isEqualTo(790_000_000L - 31_664_000L);
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/AE-1/void", "{\"reason\":\"again\"}").status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(balance("AE").get("consumedTpp").asLong()).isEqualTo(31_664_000L));
    }

    @Test
    @Order(9)
    void enactingTheMay2025RevisionReplaysHistoryAndChangesBalances() throws Exception {
        Response enacted = ledger.as(TestUsers.REGULATOR).post("/api/v1/policies", Files.readString(MAY_FILE));
        assertThat(enacted.status()).isEqualTo(201);

        awaitEveryCountryUnder(MAY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger.get("/api/v1/policies/" + MAY + "/impact").body().get("countriesApplied").asInt())
                        .isEqualTo(249));

        JsonNode ae = balance("AE");
        assertThat(ae.get("status").asText()).isEqualTo("UNRESTRICTED");
        assertThat(ae.get("capTpp").isNull()).isTrue();
        assertThat(balance("CN").get("status").asText()).isEqualTo("PROHIBITED");

        JsonNode impact = ledger.get("/api/v1/policies/" + MAY + "/impact").body();
        JsonNode aeImpact = null;
        for (JsonNode country : impact.get("countries")) {
            if (country.get("country").asText().equals("AE")) {
                aeImpact = country;
            }
        }
        assertThat(aeImpact).isNotNull();
        assertThat(aeImpact.get("statusBefore").asText()).isEqualTo("OPEN");
        assertThat(aeImpact.get("consumedBeforeTpp").asLong()).isEqualTo(31_664_000L);
        assertThat(aeImpact.get("statusAfter").asText()).isEqualTo("UNRESTRICTED");
        assertThat(aeImpact.get("reclassified").asInt()).as("AE-2 shipped after 2025-05-13").isEqualTo(1);
        assertThat(ledger.get("/api/v1/shipments/AE-2").body().get("classification").asText()).isEqualTo("UNRESTRICTED");
        assertThat(ledger.get("/api/v1/shipments/IN-1").body().get("classification").asText())
                .as("shipped before the revision took effect").isEqualTo("LPP_EXEMPT");
    }

    @Test
    @Order(10)
    void aServedPolicyCanBePostedBackAsIs() {
        ObjectNode document = (ObjectNode) ledger.get("/api/v1/policies/" + MAY).body();
        document.put("id", "may-2025-copy");

        Response enacted = ledger.as(TestUsers.REGULATOR).post("/api/v1/policies", document.toString());

        assertThat(enacted.status()).isEqualTo(201);
        document.put("id", "may-2025-copy");
        assertThat(ledger.get("/api/v1/policies/may-2025-copy").body()).isEqualTo(document);
        awaitEveryCountryUnder("may-2025-copy");
    }

    /**
     * PostgreSQL's {@code xmin} names the transaction that wrote a row: one per country means no
     * country's lock or replay waited for the rest of the fan-out (before, all shared one).
     */
    @Test
    @Order(11)
    void eachCountryAppliesAPolicyInATransactionOfItsOwn() {
        String applied = "FROM domain_event_entry WHERE payload_type LIKE '%PolicyApplied'";

        assertThat(database.count("SELECT COUNT(*) " + applied)).isEqualTo(3 * 249);
        assertThat(database.count("SELECT COUNT(DISTINCT xmin::text) " + applied)).isEqualTo(3 * 249);
    }

    @Test
    @Order(12)
    void aFanOutThatRunsAgainAppliesNoPolicyTwice() {
        long applied = database.count("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%PolicyApplied'");
        assertThat(applied).isEqualTo(3 * 249);
        StreamingEventProcessor fanOut = ledger.bean(EventProcessingConfiguration.class)
                .eventProcessor("policy-fanout", StreamingEventProcessor.class).orElseThrow();

        fanOut.shutDown();
        fanOut.resetTokens();
        fanOut.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> fanOut.processingStatus().values().stream()
                .allMatch(status -> status.isCaughtUp() && !status.isReplaying()));
        assertThat(database.count("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%PolicyApplied'"))
                .isEqualTo(applied);
    }

    @Test
    @Order(13)
    void everyProjectionEqualsAFreshFoldOfTheEventStore() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ledger.bean(ProjectionConsistencyCheck.class).check()).isEmpty());
    }

    @Test
    @Order(14)
    void afterARestartEverythingIsStillThere() {
        long events = events();
        String balances = ledger.get("/api/v1/balances").raw();
        String shipments = ledger.get("/api/v1/shipments?exporterId=exporter-a").raw();
        ledger = service.restart();

        assertThat(ledger.get("/api/v1/policies").body().get("policies")).hasSize(3);
        assertThat(ledger.get("/api/v1/balances").raw()).isEqualTo(balances);
        assertThat(ledger.get("/api/v1/shipments?exporterId=exporter-a").raw()).isEqualTo(shipments);
        assertThat(events()).as("no seed, no second fan-out").isEqualTo(events);
        assertThat(ledger.bean(ProjectionConsistencyCheck.class).check()).isEmpty();
        Response repeat = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-2", "AE", "mgx", "2025-06-20", "H100", 2_000));
        assertThat(repeat.status()).as("idempotency holds across restarts").isEqualTo(201);
        assertThat(repeat.body().get("debitedTpp").asLong()).as("the first answer").isEqualTo(31_664_000L);
        assertThat(events()).isEqualTo(events);

        Response afterRestart = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("IN-2", "IN", "tata", "2025-07-01", "B200", 10));
        assertThat(afterRestart.status()).isEqualTo(201);
        assertThat(afterRestart.body().get("classification").asText()).isEqualTo("UNRESTRICTED");
    }
}
