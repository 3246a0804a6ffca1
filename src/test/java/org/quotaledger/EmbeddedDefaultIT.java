package org.quotaledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.SignedInBrowser;

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
            // the dashboard's pages and their projections' queries work on H2 too
            SignedInBrowser browser = SignedInBrowser.signIn(restarted, "regulator", "quota-ledger-demo");
            assertThat(browser.get("/countries/SA").body()).contains("SA: consumed TPP over time, 2 points").contains("H2-1");
            assertThat(browser.get("/policies").body()).contains("249 of 249 countries");
            assertThat(browser.get("/").body()).contains("id=\"alerts\"");
            // and a what-if replay's job and results are stored and read back on H2
            String job = restarted.as("auditor").post("/api/v1/audit/replays",
                    "{\"policyId\":\"ai-diffusion-rescission-2025-05\",\"countries\":[\"SA\"]}").header("Location");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    restarted.as("auditor").get(job).body().get("state").asText().equals("DONE"));
            Response replayed = restarted.as("auditor").get(job);
            assertThat(replayed.body().get("results").get(0).get("country").asText()).isEqualTo("SA");
            assertThat(replayed.body().get("results").get(0).get("live").get("consumedTpp").asLong()).isEqualTo(36_000_000L);
            assertThat(replayed.body().get("results").get(0).get("shipments").get(0).get("shipmentId").asText())
                    .isEqualTo("H2-1");
            // and enacting it reclassifies the shipments it frees (one statement from arrays, on H2 as on PostgreSQL)
            assertThat(restarted.as("nvidia").post("/api/v1/shipments", """
                    {"shipmentId":"H2-2","consignee":{"id":"c","name":"C","headquartersCountry":"SA"},
                     "destinationCountry":"SA","shipDate":"2025-06-01","items":[{"model":"B200","quantity":10}]}""")
                    .status()).isEqualTo(201);
            restarted.enactShipped("ai-diffusion-rescission-2025-05");
            assertThat(restarted.as("auditor").get("/api/v1/shipments/H2-2").body().get("classification").asText())
                    .isEqualTo("UNRESTRICTED");
            assertThat(restarted.as("auditor").get("/api/v1/shipments/H2-1").body().get("classification").asText())
                    .as("shipped before the rescission took effect").isEqualTo("COUNTED");
        }
    }
}
