package org.quotaledger.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

/**
 * A reservation's expiry is a persisted deadline: when it falls due while the service is down, the
 * next instance on the same database expires the reservation and the TPP is available again.
 */
class ReservationExpiryAcrossRestartIT {

    private static final long TPP = 1_000 * 15_832L;
    /** The PostgreSQL server is shared with other suites: a small pool per node is plenty here. */
    private static final String SMALL_POOL = "--spring.datasource.hikari.maximum-pool-size=6";

    @Test
    void anExpiryDueWhileTheServiceWasDownHappensAfterTheRestart() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start(SMALL_POOL)) {
            RunningLedger first = service.ledger();
            long availableBefore = first.get("/api/v1/balances/AE").body().get("availableTpp").asLong();
            Instant expiresAt = Instant.now().plusSeconds(20);
            Response granted = first.as(TestUsers.EXPORTER_A).post("/api/v1/reservations", """
                    {"reservationId":"RESTART-1","consignee":{"id":"g42","name":"G42","headquartersCountry":"AE"},
                     "destinationCountry":"AE","tpp":%d,"expiresAt":"%s"}""".formatted(TPP, expiresAt));
            assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
            assertThat(granted.body().get("availableTpp").asLong()).isEqualTo(availableBefore - TPP);

            first.close();
            assertThat(service.database().count(
                    "SELECT COUNT(*) FROM reservation WHERE reservation_id = 'RESTART-1' AND status = 'ACTIVE'"))
                    .as("the first instance stopped before the expiry was due").isEqualTo(1);
            assertThat(service.database().count("SELECT COUNT(*) FROM scheduled_tasks")).isEqualTo(1);
            long untilPastExpiry = Duration.between(Instant.now(), expiresAt).toMillis() + 2_000;
            if (untilPastExpiry > 0) {
                Thread.sleep(untilPastExpiry); // the service is down: nothing else is waiting on this
            }

            RunningLedger second = service.restart(SMALL_POOL);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Response reservation = second.get("/api/v1/reservations/RESTART-1");
                assertThat(reservation.body().get("status").asText()).isEqualTo("EXPIRED");
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var balance = second.get("/api/v1/balances/AE").body();
                assertThat(balance.get("reservedTpp").asLong()).isZero();
                assertThat(balance.get("availableTpp").asLong()).isEqualTo(availableBefore);
            });
            assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = 'AE' "
                    + "AND payload_type LIKE '%$ReservationExpired'")).isEqualTo(1);
            assertThat(service.database().count("SELECT COUNT(*) FROM scheduled_tasks")).isZero();
        }
    }

    /**
     * Two nodes on one database both poll for due deadlines: the expiry happens exactly once, and
     * either node then decides with the quota it freed.
     */
    @Test
    void withTwoNodesAnExpiryHappensOnceAndBothNodesSeeTheQuotaBack() {
        try (LedgerOnPostgres service = LedgerOnPostgres.start(SMALL_POOL);
             RunningLedger second = RunningLedger.onPostgres(service.database(), SMALL_POOL)) {
            RunningLedger first = service.ledger();
            for (int i = 0; i < 4; i++) {
                RunningLedger node = i % 2 == 0 ? first : second;
                Response granted = node.as(TestUsers.EXPORTER_A).post("/api/v1/reservations", """
                        {"reservationId":"TWO-%d","consignee":{"id":"g42","name":"G42","headquartersCountry":"AE"},
                         "destinationCountry":"AE","tpp":%d,"expiresAt":"%s"}""".formatted(i, TPP, Instant.now().plusSeconds(3)));
                assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
            }

            // the shared server may briefly refuse a connection (too many clients): poll again then
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IllegalStateException.class)
                    .untilAsserted(() -> assertThat(service.database().count(
                            "SELECT COUNT(*) FROM reservation WHERE status = 'EXPIRED'")).isEqualTo(4));
            assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = 'AE' "
                    + "AND payload_type LIKE '%$ReservationExpired'")).isEqualTo(4);
            for (RunningLedger node : new RunningLedger[] {first, second}) {
                Response shipped = node.as(TestUsers.EXPORTER_B).post("/api/v1/shipments", """
                        {"shipmentId":"AFTER-%s","consignee":{"id":"mgx","name":"MGX","headquartersCountry":"AE"},
                         "destinationCountry":"AE","shipDate":"2025-06-01","items":[{"model":"H100","quantity":1000}]}"""
                        .formatted(node == first ? "1" : "2"));
                assertThat(shipped.status()).as(shipped.raw()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(second.get("/api/v1/balances/AE").body().get("reservedTpp").asLong()).isZero());
        }
    }
}
