package org.quotaledger.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

/**
 * Two nodes on one PostgreSQL, each keeping the catalog in memory: a regulator's change on one
 * node reaches the other's memory, and the other's next shipment counts with the new figure.
 */
class CatalogAcrossNodesIT {

    private static final long H100 = 15_832;

    private static String shipment(String id, int units) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-1","name":"C","headquartersCountry":"OM"},
                 "destinationCountry":"OM","shipDate":"2025-03-01","items":[{"model":"H100","quantity":%d}]}"""
                .formatted(id, units);
    }

    @Test
    void aChangeOnOneNodeIsCountedWithOnTheOther() {
        try (LedgerOnPostgres service = LedgerOnPostgres.start();
             RunningLedger second = RunningLedger.onPostgres(service.database())) {
            RunningLedger first = service.ledger();
            RunningLedger.Response before = second.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("CAT-1", 10));
            assertThat(before.status()).as(before.raw()).isEqualTo(201);
            assertThat(before.body().get("tpp").asLong()).as("node B has read H100 and keeps it").isEqualTo(10 * H100);

            RunningLedger.Response changed = first.as(TestUsers.REGULATOR).put("/api/v1/catalog/H100",
                    "{\"tppPerUnit\":16000,\"source\":\"test: a corrected figure\"}");
            assertThat(changed.status()).as(changed.raw()).isEqualTo(200);
            assertThat(first.as(TestUsers.REGULATOR).get("/api/v1/catalog/H100").body().get("tppPerUnit").asLong())
                    .as("node A at once").isEqualTo(16_000);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(second.as(TestUsers.REGULATOR).get("/api/v1/catalog/H100").body().get("tppPerUnit").asLong())
                            .as("node B, once the channel told it").isEqualTo(16_000));
            RunningLedger.Response after = second.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("CAT-2", 10));
            assertThat(after.status()).as(after.raw()).isEqualTo(201);
            assertThat(after.body().get("tpp").asLong()).isEqualTo(10 * 16_000L);
        }
    }
}
