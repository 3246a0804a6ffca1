package org.quotaledger.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.metrics.PrometheusText;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A poison event in the balances projection: it is parked in the dead-letter queue with the later
 * events of its country behind it, other countries' events flow on, the operator sees it (list and
 * gauge), a retry before the fix keeps it parked, and a retry after the fix makes the projection
 * equal to the fold of the event store again.
 */
class DeadLetterIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass("--spring.main.sources=" + PoisonedShipments.class.getName());
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
    }

    @Test
    void aPoisonEventIsParkedOthersFlowAndARetryAfterTheFixCatchesUp() {
        PoisonedShipments poison = ledger.bean(PoisonedShipments.class);
        poison.poison("DL-POISON");
        long recordedBefore = balance("AE").get("shipmentsRecorded").asLong();

        assertThat(ship("DL-FIRST", "AE")).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                balance("AE").get("shipmentsRecorded").asLong() == recordedBefore + 1);
        assertThat(ship("DL-POISON", "AE")).isEqualTo(201);
        assertThat(ship("DL-BEHIND", "AE")).isEqualTo(201);
        assertThat(ship("DL-ELSEWHERE", "FR")).isEqualTo(201);

        // FR flows on; AE's poison event and the one behind it wait in the queue, in order.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(balance("FR").get("shipmentsRecorded").asLong()).isEqualTo(1);
            assertThat(deadLetters()).hasSize(2);
        });
        JsonNode letters = deadLetters();
        assertThat(letters.get(0).get("processingGroup").asText()).isEqualTo("balances");
        assertThat(letters.get(0).get("sequence").asText()).isEqualTo("AE");
        assertThat(letters.get(0).get("eventType").asText()).isEqualTo("ShipmentRecorded");
        assertThat(letters.get(0).get("causeMessage").asText()).contains("DL-POISON");
        assertThat(letters.get(1).get("sequence").asText()).isEqualTo("AE");
        assertThat(letters.get(1).get("aggregateSequenceNumber").asLong())
                .isEqualTo(letters.get(0).get("aggregateSequenceNumber").asLong() + 1);
        assertThat(balance("AE").get("shipmentsRecorded").asLong()).isEqualTo(recordedBefore + 1);
        assertThat(gauge()).isEqualTo(2.0);
        assertThat(ledger.as(TestUsers.AUDITOR).get("/api/v1/admin/dead-letters").status()).isEqualTo(403);
        assertThat(ledger.as(TestUsers.AUDITOR).post("/api/v1/admin/dead-letters/balances/retry", "").status())
                .isEqualTo(403);
        assertThat(ledger.as(TestUsers.ADMIN).post("/api/v1/admin/dead-letters/no-such-group/retry", "").status())
                .isEqualTo(404);

        // Not fixed yet: the retry fails again and both stay parked.
        JsonNode early = retry();
        assertThat(early.get("sequencesProcessed").asInt()).isZero();
        assertThat(early.get("remaining").asLong()).isEqualTo(2);

        poison.fix();
        JsonNode retried = retry();
        assertThat(retried.get("sequencesProcessed").asInt()).isEqualTo(1);
        assertThat(retried.get("remaining").asLong()).isZero();

        assertThat(deadLetters()).isEmpty();
        assertThat(gauge()).isEqualTo(0.0);
        assertThat(balance("AE").get("shipmentsRecorded").asLong()).isEqualTo(recordedBefore + 3);
        JsonNode verification = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body();
        assertThat(verification.get("projectionDiscrepancies")).as(verification.toString()).isEmpty();
        // and the processor goes on: AE's next event is projected as it comes
        assertThat(ship("DL-AFTER-FIX", "AE")).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                balance("AE").get("shipmentsRecorded").asLong() == recordedBefore + 4);
    }

    private static int ship(String shipmentId, String country) {
        String body = """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"C","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2026-06-01","items":[{"model":"H100","quantity":10}]}"""
                .formatted(shipmentId, shipmentId, country, country);
        return ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body).status();
    }

    private static JsonNode balance(String country) {
        return ledger.get("/api/v1/balances/" + country).body();
    }

    private static JsonNode deadLetters() {
        RunningLedger.Response response = ledger.as(TestUsers.ADMIN).get("/api/v1/admin/dead-letters");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode retry() {
        RunningLedger.Response response = ledger.as(TestUsers.ADMIN).post("/api/v1/admin/dead-letters/balances/retry", "");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static Double gauge() {
        return PrometheusText.parse(ledger.as(TestUsers.ADMIN).get("/actuator/prometheus").raw())
                .find("ledger_dead_letters", "processing_group=\"balances\"");
    }
}
