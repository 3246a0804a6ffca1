package org.quotaledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;

/** The embedded default (H2 files): what `mvn spring-boot:run` starts on a fresh machine. */
class EmbeddedDefaultIT {

    @TempDir
    Path data;

    @Test
    void runsOnItsEmbeddedDatabaseAndKeepsWhatItRecordedAcrossARestart() {
        try (RunningLedger ledger = RunningLedger.embedded(data)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.as("auditor").get("/api/v1/balances/SA").status() == 200);
            Response recorded = ledger.as("nvidia").post("/api/v1/shipments", """
                    {"shipmentId":"H2-1","consignee":{"id":"c","name":"C","headquartersCountry":"SA"},
                     "destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"B200","quantity":1000}]}""");
            assertThat(recorded.status()).isEqualTo(201);
            assertThat(recorded.body().get("remainingTpp").asLong()).isEqualTo(790_000_000L - 36_000_000L);
        }

        try (RunningLedger restarted = RunningLedger.embedded(data)) {
            assertThat(restarted.as("auditor").get("/api/v1/shipments/H2-1").body().get("state").asText()).isEqualTo("RECORDED");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(restarted.as("auditor").get("/api/v1/balances/SA").body().get("consumedTpp").asLong()).isEqualTo(36_000_000L));
            assertThat(restarted.as("auditor").get("/api/v1/policies").body().get("policies")).hasSize(1);
        }
    }
}
