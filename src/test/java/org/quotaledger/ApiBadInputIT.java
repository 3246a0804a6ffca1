package org.quotaledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bad input gets a 4xx problem+json that names what is wrong, and records nothing: the event
 * store holds exactly as many events after each case as before it.
 */
class ApiBadInputIT {

    private static final String VALID = """
            {"shipmentId":"S-1","exporterId":"exporter-a","consignee":{"id":"c1","name":"C1","headquartersCountry":"AE"},
             "destinationCountry":"AE","shipDate":"2025-03-01","items":[{"model":"H100","quantity":10}]}""";

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static PostgresDatabase database;
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        database = service.database();
        ledger = service.ledger();
    }

    private static String with(String field, String value) {
        return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\d+)", "\"" + field + "\":" + value);
    }

    static Stream<Arguments> badShipments() {
        String future = LocalDate.now().plusDays(30).toString();
        return Stream.of(
                Arguments.of("unknown destination", with("destinationCountry", "\"QQ\""), 400, "destinationCountry"),
                Arguments.of("lower-case destination", with("destinationCountry", "\"ae\""), 400, "destinationCountry"),
                Arguments.of("unknown headquarters", with("headquartersCountry", "\"XX\""), 400, "consignee.headquartersCountry"),
                Arguments.of("unknown chip model", with("model", "\"H9000\""), 400, "items[0].model"),
                Arguments.of("chip with no TPP figure yet", with("model", "\"MI308X\""), 400, "items[0].model"),
                Arguments.of("zero quantity", with("quantity", "0"), 400, "items[0].quantity"),
                Arguments.of("negative quantity", with("quantity", "-5"), 400, "items[0].quantity"),
                Arguments.of("absurd quantity", with("quantity", "2000000"), 400, "items[0].quantity"),
                Arguments.of("fractional quantity", with("quantity", "1.5"), 400, "items[0].quantity"),
                Arguments.of("quantity as text", with("quantity", "\"10\""), 400, "items[0].quantity"),
                Arguments.of("quantity past a long", with("quantity", "99999999999999999999999"), 400, "items[0].quantity"),
                Arguments.of("impossible date", with("shipDate", "\"2025-02-30\""), 400, "shipDate"),
                Arguments.of("future ship date", with("shipDate", "\"" + future + "\""), 400, "shipDate"),
                Arguments.of("ancient ship date", with("shipDate", "\"1899-01-01\""), 400, "shipDate"),
                Arguments.of("missing shipment id", VALID.replace("\"shipmentId\":\"S-1\",", ""), 400, "shipmentId"),
                Arguments.of("missing items", VALID.replaceFirst(",\\s*\"items\":\\[.*\\]", ""), 400, "items"),
                Arguments.of("empty items", VALID.replaceFirst("\"items\":\\[.*\\]", "\"items\":[]"), 400, "items"),
                Arguments.of("missing consignee", VALID.replaceFirst("\"consignee\":\\{[^}]*\\},", ""), 400, "consignee"),
                Arguments.of("injection in the id", with("shipmentId", "\"S-1'; DROP TABLE shipment;--\""), 400, "shipmentId"),
                Arguments.of("malformed JSON", "{\"shipmentId\": \"S-1\",", 400, null),
                Arguments.of("not an object", "[1,2,3]", 400, null),
                Arguments.of("empty body", "", 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badShipments")
    void aBadShipmentIsRefusedNamingTheFieldAndNothingIsRecorded(String name, String body, int status, String field) {
        long events = service.events();

        Response response = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.raw()).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("select ")
                .doesNotContain("org.quotaledger");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            response.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).contains(field);
        }
        assertThat(service.events()).isEqualTo(events);
        assertThat(database.count("SELECT COUNT(*) FROM shipment")).isZero();
    }

    static Stream<Arguments> badQueryParameters() {
        return Stream.of(
                Arguments.of("/api/v1/shipments?limit=0", "limit"),
                Arguments.of("/api/v1/shipments?limit=1001", "limit"),
                Arguments.of("/api/v1/shipments?exporterId=" + "x".repeat(65), "exporterId"),
                Arguments.of("/api/v1/reservations?limit=0", "limit"),
                Arguments.of("/api/v1/exporters/exporter-a/statement?format=xml", "format"),
                Arguments.of("/api/v1/shipments/batch/no-such-job/results?format=xml", "format"),
                Arguments.of("/api/v1/audit/countries/AE/events?limit=5001", "limit"),
                Arguments.of("/api/v1/audit/countries/AE/events?after=-2", "after"));
    }

    /** A query parameter out of its range is the caller's mistake: a 400 naming the parameter, not a 500. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueryParameters")
    void aBadQueryParameterIsRefusedNamingIt(String path, String parameter) {
        String user = path.startsWith("/api/v1/audit") ? TestUsers.AUDITOR : TestUsers.EXPORTER_A;

        Response response = ledger.as(user).get(path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).containsExactly(parameter);
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWith413() {
        String huge = VALID.replace("\"C1\"", "\"" + "x".repeat(2 * 1024 * 1024) + "\"");

        Response response = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(database.count("SELECT COUNT(*) FROM shipment")).isZero();
    }

    @Test
    void aBadPolicyIsRefusedListingEveryProblemAndNothingIsEnacted() {
        long events = service.events();
        String bad = """
                {"id":"Bad Id","effectiveFrom":"2020-01-01","defaultTier":"X",
                 "tiers":[{"name":"A","treatment":"CAPPED","capTpp":-5,"countries":["ZZ","IN"]},
                          {"name":"B","treatment":"PROHIBITED","countries":["IN"]}],
                 "countingWindow":{"from":"2025-01-01","to":"2024-01-01"},"criticalThreshold":0.9}""";

        Response response = ledger.as(TestUsers.REGULATOR).post("/api/v1/policies", bad);

        assertThat(response.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).contains("id", "title", "effectiveFrom", "tiers[0].capTpp", "tiers[0].countries[0]",
                "defaultTier", "tiers[1].countries[0]", "countingWindow.to");
        assertThat(service.events()).isEqualTo(events);
        assertThat(database.count("SELECT COUNT(*) FROM policy")).isEqualTo(1);
    }

    @Test
    void anUnknownCountryOrPolicyIsNamedInTheAnswer() {
        Response unknownCountry = ledger.get("/api/v1/balances/ZZ");
        Response unknownPolicy = ledger.get("/api/v1/policies/no-such-policy");
        Response unknownShipment = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/NOPE/void", "{\"reason\":\"x\"}");

        assertThat(unknownCountry.status()).isEqualTo(400);
        assertThat(unknownCountry.body().get("detail").asText()).contains("ZZ");
        assertThat(unknownPolicy.status()).isEqualTo(404);
        assertThat(unknownShipment.status()).isEqualTo(404);
        JsonNode problem = unknownPolicy.body();
        assertThat(problem.get("status").asInt()).isEqualTo(404);
    }

    @Test
    void theOpenApiDescriptionIsServed() {
        Response openApi = ledger.get("/v3/api-docs");

        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body().get("paths").has("/api/v1/shipments")).isTrue();
        assertThat(openApi.body().get("paths").has("/api/v1/policies/{policyId}/impact")).isTrue();
    }
}
