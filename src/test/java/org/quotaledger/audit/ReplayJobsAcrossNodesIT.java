package org.quotaledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two nodes behind one load balancer, as an auditor meets them: a what-if replay started on one
 * node is followed, read as CSV and cancelled on the other, and outlives the node that ran it. A
 * job whose node stopped midway is reported FAILED, not RUNNING forever.
 */
class ReplayJobsAcrossNodesIT {

    private static final String MAY = "ai-diffusion-rescission-2025-05";
    private static final String SHIPMENT = """
            {"shipmentId":"AE-1","consignee":{"id":"c-1","name":"C","headquartersCountry":"AE"},"destinationCountry":"AE",
             "shipDate":"2025-06-01","items":[{"model":"H100","quantity":3000}]}""";

    private static JsonNode awaitEnd(RunningLedger node, String location) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !node.as(TestUsers.AUDITOR).get(location).body().get("state").asText().equals("RUNNING"));
        return node.as(TestUsers.AUDITOR).get(location).body();
    }

    @Test
    void aReplayStartedOnOneNodeIsFollowedCancelledAndKeptOnTheOther() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start()) {
            RunningLedger first = service.ledger();
            assertThat(first.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", SHIPMENT).status()).isEqualTo(201);
            String location;
            try (RunningLedger second = RunningLedger.onPostgres(service.database())) {
                Response started = first.as(TestUsers.AUDITOR).post("/api/v1/audit/replays",
                        "{\"policyId\":\"" + MAY + "\",\"countries\":[\"AE\",\"CN\"]}");
                assertThat(started.status()).as(started.raw()).isEqualTo(202);
                location = started.header("Location");

                JsonNode job = awaitEnd(second, location);
                assertThat(job.get("state").asText()).isEqualTo("DONE");
                assertThat(job.get("policyId").asText()).isEqualTo(MAY);
                assertThat(job.get("countriesDone").asInt()).isEqualTo(2);
                JsonNode ae = job.get("results").get(0);
                assertThat(ae.get("country").asText()).isEqualTo("AE");
                assertThat(ae.get("live").get("status").asText()).isEqualTo("OPEN");
                assertThat(ae.get("whatIf").get("status").asText()).isEqualTo("UNRESTRICTED");
                assertThat(ae.get("shipments").get(0).get("whatIfClassification").asText()).isEqualTo("UNRESTRICTED");
                JsonNode progressOnly = second.as(TestUsers.AUDITOR).get(location + "?results=false").body();
                assertThat(progressOnly.get("countriesDone").asInt()).isEqualTo(2);
                assertThat(progressOnly.path("results").isNull() || progressOnly.path("results").isMissingNode())
                        .as("a poll for progress carries no results: " + progressOnly).isTrue();
                Response csv = second.as(TestUsers.AUDITOR).get(location + "/shipments.csv");
                assertThat(csv.status()).isEqualTo(200);
                assertThat(csv.raw()).contains("AE,AE-1,2025-06-01,47496000,COUNTED,47496000,UNRESTRICTED,0,false");

                // A node runs its jobs one at a time: the second waits behind the first, so the
                // cancel asked on the other node reaches it before it has replayed any country.
                String every = "{\"policyId\":\"" + MAY + "\"}";
                String running = first.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", every).header("Location");
                String queued = first.as(TestUsers.AUDITOR).post("/api/v1/audit/replays", every).header("Location");
                JsonNode cancelled = second.as(TestUsers.AUDITOR).send("DELETE", queued, null).body();
                assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");
                assertThat(awaitEnd(first, running).get("state").asText()).isEqualTo("DONE");
                JsonNode ended = first.as(TestUsers.AUDITOR).get(queued).body();
                assertThat(ended.get("state").asText()).as("the node running it saw the cancel").isEqualTo("CANCELLED");
                assertThat(ended.get("countriesDone").asInt()).isZero();
                assertThat(ended.get("results")).isEmpty();
            }
            JsonNode afterRestart = service.restart().as(TestUsers.AUDITOR).get(location).body();
            assertThat(afterRestart.get("state").asText()).isEqualTo("DONE");
            assertThat(afterRestart.get("results")).hasSize(2);
        }
    }

    @Test
    void aJobWhoseNodeStoppedIsReportedFailed() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start();
             Connection connection = service.database().connect();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO replay_job (job_id, policy_id, as_of, countries, state, done, "
                    + "started_at, touched_at) VALUES ('3f1c2f5e-0000-4000-8000-000000000001', '" + MAY + "', now(), "
                    + "'AE,CN', 'RUNNING', 1, now() - interval '1 hour', now() - interval '11 minutes')");

            Response job = service.ledger().as(TestUsers.AUDITOR).get(
                    "/api/v1/audit/replays/3f1c2f5e-0000-4000-8000-000000000001");

            assertThat(job.status()).isEqualTo(200);
            assertThat(job.body().get("state").asText()).isEqualTo("FAILED");
            assertThat(job.body().get("error").asText()).startsWith("abandoned: no progress for 10 minutes");
            assertThat(job.body().get("etaSeconds").asLong()).isZero();
        }
    }
}
