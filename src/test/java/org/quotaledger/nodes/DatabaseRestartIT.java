package org.quotaledger.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.LedgerProcess;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.PrivatePostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PostgreSQL restarted under load (a private server; the shared one is left alone): requests made
 * while it is down are answered 503 with Retry-After, never 500; once it is back the service
 * recovers by itself: shipments are recorded again, nothing acknowledged is lost or doubled, and
 * the projections catch up with the event store.
 */
class DatabaseRestartIT {

    @Test
    void requestsDuringAnOutageGet503AndTheServiceRecoversByItself() throws Exception {
        try (PrivatePostgres server = PrivatePostgres.start();
             PostgresDatabase database = PostgresDatabase.create(server.serverUrl(), "postgres", "");
             // a process of its own, as in production (the test JVM runs with assertions on, which
             // turns pgjdbc's internal checks on a cut connection into AssertionErrors)
             LedgerProcess service = LedgerProcess.start(database,
                     // fail fast while the database is away, instead of queueing for 30 s (Hikari's default)
                     "--spring.datasource.hikari.connection-timeout=2000")) {
            RunningLedger ledger = service.ledger();
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    database.count("SELECT COUNT(*) FROM country_balance") == LedgerOnPostgres.COUNTRIES);

            Load load = new Load("OUTAGE", 4, () -> ledger);
            await().atMost(Duration.ofSeconds(120)).until(() -> load.acknowledgedCount() >= 40);
            server.stopServer();
            long stoppedAt = System.nanoTime();
            int beforeOutage = load.acknowledgedCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.refusals.size() >= 10);
            server.startServer();
            long startedAt = System.nanoTime();
            int atRestart = load.acknowledgedCount();
            await().atMost(Duration.ofSeconds(120)).until(() -> load.acknowledgedCount() >= atRestart + 40);
            long recoveredAfter = Duration.ofNanos(System.nanoTime() - startedAt).toMillis();
            load.stop();

            System.out.printf("DATABASE RESTART TEST: answers %s; %d acknowledged before the outage, down %d ms, "
                    + "first 40 acknowledged again %d ms after the restart; %d unanswered%n", load.statuses,
                    beforeOutage, Duration.ofNanos(startedAt - stoppedAt).toMillis(), recoveredAfter,
                    load.unanswered.size());
            assertThat(load.statuses.keySet()).as("answers: %s", load.statuses).isSubsetOf(201, 422, 503).contains(503);
            for (RunningLedger.Response refused : load.refusals) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).as(refused.raw()).isNotBlank();
                assertThat(refused.contentType()).startsWith("application/problem+json");
            }

            new HashMap<>(load.unanswered).forEach((id, country) ->
                    assertThat(load.send(ledger, id, country)).as(id).isIn(201, 422));
            Load.assertEachDecidedOnce(database, load.acknowledgedCount());
            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                JsonNode verification = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body();
                assertThat(verification.get("projectionDiscrepancies")).as(verification.toString()).isEmpty();
            });
        }
    }
}
