package org.quotaledger.shipmentimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An atomic import holds its countries until it ends. Whoever else needs one of them meanwhile
 * waits {@code quota-ledger.country-lock-wait} (a second here, a minute by default), then is told
 * so: a single shipment with 503 and Retry-After, another import with a failed job that says why
 * and that nothing was recorded. The import holding the country completes regardless.
 */
class CountryHeldByAnAtomicImportIT {

    private static final String HEADER = "shipmentId,destinationCountry,consigneeId,consigneeName,consigneeCountry,shipDate,items\n";
    /** Chunks of two rows: the holding import's many small commands keep it running well past the wait. */
    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass("--quota-ledger.import.chunk-rows=2",
            "--quota-ledger.country-lock-wait=PT1S");
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
    }

    @Test
    void othersWaitingForACountryAnAtomicImportHoldsAreToldSoAndTheImportCompletes() {
        int holdingRows = 40_000;
        StringBuilder file = new StringBuilder(HEADER);
        for (int row = 1; row <= holdingRows; row++) {
            file.append(row("HOLD-" + row));
        }
        String holding = upload(file.toString());
        // It takes every country it names before its first row.
        await().atMost(Duration.ofSeconds(60)).until(() -> job(holding).get("rowsProcessed").asInt() > 0);

        String waiting = upload(HEADER + row("WAIT-1"));
        Response single = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"WAIT-2","exporterId":"exporter-a","consignee":{"id":"c-wait","name":"Waiting Ltd",
                 "headquartersCountry":"AE"},"destinationCountry":"SA","shipDate":"2025-03-01",
                 "items":[{"model":"H100","quantity":10}]}""");
        JsonNode waited = ended(waiting);

        assertThat(job(holding).get("state").asText()).as("the holding import, when the others gave up")
                .isEqualTo("RUNNING");
        assertThat(single.status()).as(single.raw()).isEqualTo(503);
        assertThat(single.header("Retry-After")).isNotBlank();
        assertThat(single.body().get("detail").asText()).contains("nothing was recorded");
        assertThat(waited.get("state").asText()).isEqualTo("FAILED");
        assertThat(waited.get("error").asText())
                .startsWith("the import stopped: a destination country's ledger stayed locked by other work")
                .contains("nothing was recorded");
        JsonNode held = ended(holding);
        assertThat(held.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(held.get("recorded").asInt()).isEqualTo(holdingRows);
        assertThat(service.database().count("SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'HOLD-%'"))
                .isEqualTo(holdingRows);
        assertThat(service.database().count("SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'WAIT-%'"))
                .as("neither of those that gave up").isZero();
    }

    private static String row(String id) {
        return id + ",SA,c-" + id + ",Consignee " + id + ",AE,2025-03-01,H100:10\n";
    }

    /** Uploads an atomic import as exporter A; its job's id. */
    private static String upload(String body) {
        Response accepted = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/batch?atomic=true", "text/csv", body);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.body().get("jobId").asText();
    }

    private static JsonNode ended(String jobId) {
        await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(job(jobId).get("state").asText()));
        return job(jobId);
    }

    private static JsonNode job(String jobId) {
        return ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/batch/" + jobId).body();
    }
}
