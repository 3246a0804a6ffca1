package org.quotaledger.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reservations over HTTP on PostgreSQL: granted, counted against everyone else, confirmed by a
 * shipment, released, expired; the answers' bodies; and one exporter never touching another's.
 * Each test uses its own destination so they do not share a cap.
 */
class ReservationIT {

    private static final long H100 = 15_832;
    private static final long CAP = 100 * H100;
    private static final String POLICY = """
            {"id":"tight-reservations","title":"A tight cap","effectiveFrom":"2026-01-01","defaultTier":"CAPPED",
             "tiers":[{"name":"CAPPED","treatment":"CAPPED","capTpp":%d,"countries":[]},
                      {"name":"BANNED","treatment":"PROHIBITED","countries":["CN"]}],
             "countingWindow":{"from":"2026-01-01","to":"2030-12-31"},"criticalThreshold":0.9,
             "maxReservationDays":30}""".formatted(CAP);

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
        ledger.enact(POLICY);
    }

    private static String reservation(String id, String country, long tpp, String extra) {
        return """
                {"reservationId":"%s","consignee":{"id":"c1","name":"G42","headquartersCountry":"AE"},
                 "destinationCountry":"%s","tpp":%d%s}""".formatted(id, country, tpp, extra);
    }

    private static String shipment(String id, String country, int h100s, String reservationId) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c1","name":"G42","headquartersCountry":"AE"},
                 "destinationCountry":"%s","shipDate":"%s","items":[{"model":"H100","quantity":%d}]%s}"""
                .formatted(id, country, LocalDate.now(ZoneOffset.UTC), h100s,
                        reservationId == null ? "" : ",\"reservationId\":\"" + reservationId + "\"");
    }

    private static Response reserve(String body) {
        return ledger.as(TestUsers.EXPORTER_A).post("/api/v1/reservations", body);
    }

    private static JsonNode balance(String country) {
        return ledger.get("/api/v1/balances/" + country).body();
    }

    @Test
    void aReservationHoldsQuotaAgainstEveryoneElseUntilAShipmentConfirmsPartOfIt() {
        Response granted = reserve(reservation("AE-R-1", "AE", 60 * H100, ""));
        assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
        assertThat(granted.header("Location")).isEqualTo("/api/v1/reservations/AE-R-1");
        JsonNode view = granted.body();
        assertThat(view.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(view.get("exporterId").asText()).isEqualTo(TestUsers.EXPORTER_A);
        assertThat(view.get("consigneeId").asText()).isEqualTo("c1");
        assertThat(view.get("reservedTpp").asLong()).isEqualTo(60 * H100);
        assertThat(view.get("confirmedTpp").asLong()).isZero();
        assertThat(view.get("availableTpp").asLong()).isEqualTo(40 * H100);
        assertThat(Instant.parse(view.get("expiresAt").asText()))
                .isBetween(Instant.now().plus(Duration.ofDays(14)).minusSeconds(600), Instant.now().plus(Duration.ofDays(14)));

        Response again = reserve(reservation("AE-R-1", "AE", 60 * H100, ""));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(view);
        Response otherContent = reserve(reservation("AE-R-1", "AE", 61 * H100, ""));
        assertThat(otherContent.status()).isEqualTo(409);
        assertThat(otherContent.body().get("reason").asText()).isEqualTo("RESERVATION_CONFLICT");

        Response tooMuch = reserve(reservation("AE-R-2", "AE", 41 * H100, ""));
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.contentType()).startsWith("application/problem+json");
        assertThat(tooMuch.body().get("reason").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(tooMuch.body().get("availableTpp").asLong()).isEqualTo(40 * H100);
        assertThat(ledger.as(TestUsers.EXPORTER_A).get("/api/v1/reservations/AE-R-2").status()).isEqualTo(404);

        Response otherShipper = ledger.as(TestUsers.EXPORTER_B).post("/api/v1/shipments", shipment("AE-S-B", "AE", 41, null));
        assertThat(otherShipper.status()).as(otherShipper.raw()).isEqualTo(422);
        assertThat(otherShipper.body().get("reason").asText()).isEqualTo("QUOTA_EXCEEDED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(balance("AE").get("reservedTpp").asLong()).isEqualTo(60 * H100);
            assertThat(balance("AE").get("availableTpp").asLong()).isEqualTo(40 * H100);
        });

        Response exceeding = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-S-0", "AE", 61, "AE-R-1"));
        assertThat(exceeding.status()).isEqualTo(422);
        assertThat(exceeding.body().get("reason").asText()).isEqualTo("RESERVATION_EXCEEDED");

        Response confirmed = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-S-1", "AE", 45, "AE-R-1"));
        assertThat(confirmed.status()).as(confirmed.raw()).isEqualTo(201);
        assertThat(confirmed.body().get("debitedTpp").asLong()).isEqualTo(45 * H100);
        JsonNode after = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/reservations/AE-R-1").body();
        assertThat(after.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(after.get("confirmedTpp").asLong()).isEqualTo(45 * H100);
        assertThat(after.get("availableTpp").asLong()).isEqualTo(55 * H100);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode balance = balance("AE");
            assertThat(balance.get("consumedTpp").asLong()).isEqualTo(45 * H100);
            assertThat(balance.get("reservedTpp").asLong()).isZero();
            assertThat(balance.get("availableTpp").asLong()).isEqualTo(55 * H100);
        });

        Response twice = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("AE-S-2", "AE", 1, "AE-R-1"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body().get("reason").asText()).isEqualTo("RESERVATION_RESOLVED");
        assertThat(ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/AE-S-2").status()).isEqualTo(404);

        assertThat(reserve(reservation("AE-R-3", "AE", 5 * H100, "")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(balance("AE").get("reservedTpp").asLong()).isEqualTo(5 * H100));
        JsonNode verification = ledger.get("/api/v1/audit/verify").body();
        assertThat(verification.get("projectionDiscrepancies")).as("the fold agrees with the projection, reservations included")
                .isEmpty();

        List<JsonNode> statement = new ArrayList<>();
        ledger.as(TestUsers.EXPORTER_A).get("/api/v1/exporters/" + TestUsers.EXPORTER_A + "/statement").body().get("lines")
                .forEach(line -> {
                    if (line.path("reservationId").asText("").matches("AE-R-[13]")) {
                        statement.add(line);
                    }
                });
        assertThat(statement).extracting(line -> line.get("kind").asText())
                .containsExactly("RESERVED", "RESERVATION_CONFIRMED", "RESERVED");
        assertThat(statement).extracting(line -> line.get("tpp").asLong()).containsExactly(60 * H100, 45 * H100, 5 * H100);
        assertThat(statement.get(1).get("shipmentId").asText()).isEqualTo("AE-S-1");
        assertThat(statement).extracting(line -> line.get("debitedTpp").asLong())
                .as("a hold debits nothing; the confirming shipment's own line does").containsOnly(0L);
    }

    @Test
    void aReleaseReturnsTheQuotaAndAReservationResolvesOnce() {
        assertThat(reserve(reservation("SA-R-1", "SA", 100 * H100, "")).status()).isEqualTo(201);

        Response released = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/reservations/SA-R-1/release", "");
        assertThat(released.status()).as(released.raw()).isEqualTo(200);
        assertThat(released.body().get("status").asText()).isEqualTo("RELEASED");
        assertThat(released.body().get("availableTpp").asLong()).isEqualTo(CAP);

        Response again = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/reservations/SA-R-1/release", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("reason").asText()).isEqualTo("RESERVATION_RESOLVED");
        Response confirm = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("SA-S-1", "SA", 1, "SA-R-1"));
        assertThat(confirm.status()).isEqualTo(409);
        assertThat(confirm.body().get("reason").asText()).isEqualTo("RESERVATION_RESOLVED");
    }

    @Test
    void confirmingAfterTheExpiryIsAConflictAndTheExpiryReturnsTheQuota() {
        String soon = Instant.now().plusSeconds(3).toString();
        assertThat(reserve(reservation("QA-R-1", "QA", 10 * H100, ",\"expiresAt\":\"" + soon + "\"")).status()).isEqualTo(201);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);

        Response late = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("QA-S-1", "QA", 1, "QA-R-1"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.contentType()).startsWith("application/problem+json");
        assertThat(late.body().get("reason").asText()).isEqualTo("RESERVATION_EXPIRED");
        assertThat(late.body().get("detail").asText()).contains("expired at");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ledger.get("/api/v1/reservations/QA-R-1").body().get("status").asText()).isEqualTo("EXPIRED"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(balance("QA").get("availableTpp").asLong()).isEqualTo(CAP));
    }

    @Test
    void badReservationsAreRefusedNamingTheField() {
        Response tooLong = reserve(reservation("BH-R-1", "BH", 1,
                ",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(31)) + "\""));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().get("errors").get(0).get("field").asText()).isEqualTo("expiresAt");
        assertThat(tooLong.body().get("errors").get(0).get("message").asText()).contains("maximum of 30 days");

        Response negative = reserve(reservation("BH-R-2", "BH", -5, ""));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().get("errors").get(0).get("field").asText()).isEqualTo("tpp");

        Response unknownCountry = reserve(reservation("BH-R-3", "XX", 1, ""));
        assertThat(unknownCountry.status()).isEqualTo(400);
        assertThat(unknownCountry.body().get("errors").get(0).get("field").asText()).isEqualTo("destinationCountry");

        Response prohibited = reserve(reservation("CN-R-1", "CN", 1, ""));
        assertThat(prohibited.status()).isEqualTo(422);
        assertThat(prohibited.body().get("reason").asText()).isEqualTo("DESTINATION_PROHIBITED");

        assertThat(service.database().count("SELECT COUNT(*) FROM reservation WHERE country IN ('BH', 'CN', 'XX')")).isZero();
    }

    @Test
    void anExporterNeitherReservesForNorSeesNorReleasesAnothersReservation() {
        assertThat(reserve(reservation("OM-R-1", "OM", H100, "")).status()).isEqualTo(201);

        Response forAnother = ledger.as(TestUsers.EXPORTER_B).post("/api/v1/reservations",
                reservation("OM-R-2", "OM", H100, ",\"exporterId\":\"" + TestUsers.EXPORTER_A + "\""));
        assertThat(forAnother.status()).isEqualTo(403);
        assertThat(ledger.as(TestUsers.EXPORTER_B).get("/api/v1/reservations/OM-R-1").status()).isEqualTo(404);
        assertThat(ledger.as(TestUsers.EXPORTER_B).post("/api/v1/reservations/OM-R-1/release", "").status()).isEqualTo(404);
        Response drawOnAnother = ledger.as(TestUsers.EXPORTER_B).post("/api/v1/shipments", shipment("OM-S-B", "OM", 1, "OM-R-1"));
        assertThat(drawOnAnother.status()).isEqualTo(404);
        assertThat(drawOnAnother.body().get("reason").asText()).isEqualTo("RESERVATION_NOT_FOUND");
        assertThat(ledger.as(TestUsers.EXPORTER_B).get("/api/v1/reservations").body()).isEmpty();
        assertThat(ledger.as(TestUsers.EXPORTER_B).get("/api/v1/reservations?exporterId=" + TestUsers.EXPORTER_A).status())
                .isEqualTo(403);

        JsonNode audited = ledger.as(TestUsers.AUDITOR).get("/api/v1/reservations?exporterId=" + TestUsers.EXPORTER_A).body();
        assertThat(audited.findValuesAsText("reservationId")).contains("OM-R-1");
        assertThat(ledger.as(TestUsers.AUDITOR).get("/api/v1/reservations/OM-R-1").body().get("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/reservations/OM-R-1/release", "").status()).isEqualTo(403);
    }
}
