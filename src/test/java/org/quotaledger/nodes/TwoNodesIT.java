package org.quotaledger.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.quotaledger.metrics.PrometheusText;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

/**
 * Two service nodes on one PostgreSQL, racing to ship to one country: the cap is reached exactly
 * and never exceeded, every request gets a definite answer, and no event is lost or doubled.
 * Conflicting appends surface as duplicate keys, become ConcurrencyExceptions and are retried.
 */
class TwoNodesIT {

    private static final long H100 = 15_832;
    private static final int FIT = 20;
    private static final long CAP = FIT * 1_000 * H100;
    private static final String POLICY = """
            {"id":"tight-2026","title":"A tight cap","effectiveFrom":"2026-01-01","defaultTier":"CAPPED",
             "tiers":[{"name":"CAPPED","treatment":"CAPPED","capTpp":%d,"countries":[]}],
             "countingWindow":{"from":"2026-01-01","to":"2026-12-31"},"criticalThreshold":0.9}""".formatted(CAP);

    @Test
    void concurrentShipmentsFromTwoNodesReachTheCapExactlyAndNeverExceedIt() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start();
             RunningLedger second = RunningLedger.onPostgres(service.database())) {
            RunningLedger first = service.ledger();
            first.enact(POLICY);

            int perNode = 30;
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 2 * perNode; i++) {
                RunningLedger node = i % 2 == 0 ? first : second;
                String body = """
                        {"shipmentId":"RACE-%d","consignee":{"id":"c%d","name":"C","headquartersCountry":"AE"},
                         "destinationCountry":"AE","shipDate":"2026-06-01","items":[{"model":"H100","quantity":1000}]}"""
                        .formatted(i, i);
                requests.add(clients.submit(() -> statuses.computeIfAbsent(
                        node.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body).status(),
                        status -> new AtomicInteger()).incrementAndGet()));
            }
            for (Future<?> request : requests) {
                request.get();
            }
            clients.shutdown();

            assertThat(statuses.keySet()).as("every request answered 201 or 422: %s", statuses).containsOnly(201, 422);
            assertThat(statuses.get(201).get()).isEqualTo(FIT);
            assertThat(statuses.get(422).get()).isEqualTo(2 * perNode - FIT);
            assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry "
                    + "WHERE aggregate_identifier = 'AE' AND payload_type LIKE '%$ShipmentRecorded'")).isEqualTo(FIT);
            assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry "
                    + "WHERE aggregate_identifier = 'AE' AND payload_type LIKE '%$ShipmentDenied'")).isEqualTo(2L * perNode - FIT);
            assertThat(service.database().count("SELECT COUNT(*) FROM shipment WHERE country = 'AE'")).isEqualTo(2L * perNode);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(second.get("/api/v1/balances/AE").body().get("consumedTpp").asLong()).isEqualTo(CAP);
                assertThat(first.get("/api/v1/balances/AE").body().get("status").asText()).isEqualTo("EXHAUSTED");
            });
            System.out.printf("TWO NODES TEST: 2 nodes, %d requests (%s), %.0f conflicts retried, "
                            + "consumed %d of a cap of %d TPP%n", 2 * perNode, statuses, retries(first) + retries(second),
                    second.get("/api/v1/balances/AE").body().get("consumedTpp").asLong(), CAP);
        }
    }

    private static double retries(RunningLedger node) {
        Double retries = PrometheusText.parse(node.as(TestUsers.ADMIN).get("/actuator/prometheus").raw())
                .find("ledger_command_retries_total");
        return retries == null ? 0 : retries;
    }
}