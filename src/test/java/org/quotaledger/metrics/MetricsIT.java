package org.quotaledger.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quotaledger.ops.MonitoringFilesTest;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a regulator's Prometheus scrapes: a shipment recorded and one denied over HTTP show up in
 * /actuator/prometheus with the right values, next to Axon's command timers and processor lag;
 * /actuator/health shows the database and the event processors.
 */
class MetricsIT {

    private static final String RECORDED = """
            {"shipmentId":"M-1","consignee":{"id":"c1","name":"C1","headquartersCountry":"SA"},
             "destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"H100","quantity":2000}]}""";
    private static final String DENIED = """
            {"shipmentId":"M-2","consignee":{"id":"c2","name":"C2","headquartersCountry":"CN"},
             "destinationCountry":"CN","shipDate":"2025-03-01","items":[{"model":"H20","quantity":10}]}""";
    private static final String VOIDED = """
            {"shipmentId":"M-3","consignee":{"id":"c3","name":"C3","headquartersCountry":"AE"},
             "destinationCountry":"AE","shipDate":"2025-03-01","items":[{"model":"H100","quantity":2000}]}""";
    private static final long H100_TPP = 15_832;

    private static LedgerOnPostgres service;
    private static RunningLedger ledger;
    private static PrometheusText scraped;

    @BeforeAll
    static void recordAndScrape() throws IOException {
        service = LedgerOnPostgres.start();
        ledger = service.ledger();
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", RECORDED).status()).isEqualTo(201);
        Response denied = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", DENIED);
        assertThat(denied.status()).as(denied.raw()).isEqualTo(422);
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", VOIDED).status()).isEqualTo(201);
        Response voided = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/M-3/void", "{\"reason\":\"twice\"}");
        assertThat(voided.status()).as(voided.raw()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ledger.get("/api/v1/balances/SA").body().get("consumedTpp").asLong() == 2000 * H100_TPP);
        scraped = scrape();
        // Kept for inspection, and for comparing the ops files against what the service exports.
        Path names = Path.of("target", "scraped-metric-names.txt");
        Files.createDirectories(names.getParent());
        Files.write(names, scraped.names());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static PrometheusText scrape() throws IOException {
        Response response = ledger.as(TestUsers.ADMIN).get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "scraped-metrics.txt"), response.raw());
        return PrometheusText.parse(response.raw());
    }

    @Test
    void prometheusNeedsAnAdmin() {
        assertThat(ledger.anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(ledger.as(TestUsers.AUDITOR).get("/actuator/prometheus").status()).isEqualTo(403);
    }

    @Test
    void shipmentsRecordedAndDeniedAreCountedByTierAndReason() {
        assertThat(scraped.value("ledger_shipments_recorded_total{tier=\"TIER_2\"}")).isEqualTo(2.0);
        assertThat(scraped.seriesOf("ledger_shipments_recorded_total")).hasSize(1);
        assertThat(scraped.value("ledger_shipments_denied_total{reason=\"DESTINATION_PROHIBITED\",tier=\"TIER_3\"}"))
                .isEqualTo(1.0);
        assertThat(scraped.seriesOf("ledger_shipments_denied_total")).hasSize(1);
        assertThat(scraped.value("ledger_tpp_debited_total{tier=\"TIER_2\"}")).isEqualTo(2 * 2000.0 * H100_TPP);
    }

    @Test
    void voidsAreCountedAndCreditTheirTpp() {
        assertThat(scraped.value("ledger_shipments_voided_total{tier=\"TIER_2\"}")).isEqualTo(1.0);
        assertThat(scraped.value("ledger_tpp_credited_total{tier=\"TIER_2\"}")).isEqualTo(2000.0 * H100_TPP);
    }

    @Test
    void everyCountryApplyingTheSeedPolicyIsCountedOnce() {
        assertThat(scraped.value("ledger_policy_applied_total{policy=\"ai-diffusion-2025-01\"}"))
                .isEqualTo((double) LedgerOnPostgres.COUNTRIES);
    }

    @Test
    void utilizationPerCountryMatchesTheBalance() {
        JsonNode sa = ledger.get("/api/v1/balances/SA").body();
        assertThat(scraped.value("ledger_quota_utilization{country=\"SA\"}"))
                .isEqualTo(sa.get("utilization").asDouble());
        assertThat(scraped.value("ledger_quota_remaining_tpp{country=\"SA\"}"))
                .isEqualTo(sa.get("remainingTpp").asDouble());
        assertThat(scraped.value("ledger_quota_utilization{country=\"AE\"}")).isEqualTo(0.0);
        assertThat(scraped.value("ledger_quota_utilization{country=\"CN\"}")).as("prohibited, not capped").isNull();
        assertThat(scraped.value("ledger_quota_utilization{country=\"GB\"}")).as("unrestricted").isNull();
    }

    @Test
    void aQuotaTurningCriticalIsCountedAsAnAlert() throws IOException {
        String critical = """
                {"shipmentId":"M-4","consignee":{"id":"c4","name":"C4","headquartersCountry":"PL"},
                 "destinationCountry":"PL","shipDate":"2025-03-01","items":[{"model":"H100","quantity":45000}]}""";
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", critical).status()).isEqualTo(201);

        PrometheusText now = scrape();

        assertThat(now.value("ledger_quota_status_changes_total{from=\"OPEN\",to=\"CRITICAL\"}")).isEqualTo(1.0);
    }

    @Test
    void commandLatencyIsAHistogram() {
        assertThat(scraped.names()).anyMatch(name -> name.startsWith("commandBus") && name.endsWith("_bucket"));
    }

    /**
     * Each processor's lag is live: set from the events it handled (the seed policy, the shipments
     * above), not a gauge registered and left at 0. (Axon 4.13's monitor registers its gauge again
     * at every event; Micrometer keeps the first and logs "This Gauge has been already registered"
     * once, at start-up. The gauge reads the same monitor's value, which this checks moved.)
     */
    @Test
    void processorLagIsReportedPerProcessorFromTheEventsItHandled() {
        assertThat(scraped.names()).contains("eventProcessor_latency");
        for (String processor : new String[] {"balances", "policy-fanout"}) {
            assertThat(scraped.find("eventProcessor_latency", "processorName=\"" + processor + "\"")).as(processor)
                    .isNotNull().isPositive();
        }
    }

    /**
     * Axon monitors only what ops/ reads (metrics/AxonMonitors): its auto-configured set would also
     * count, time and measure capacity for every event in every processor, at a measured CPU cost.
     */
    @Test
    void axonMonitorsEventProcessorsForTheirLagOnly() {
        assertThat(scraped.names()).filteredOn(name -> name.startsWith("eventProcessor"))
                .containsOnly("eventProcessor_latency");
        assertThat(scraped.find("eventProcessor_latency", "processorName=\"in-transaction-views\"")).isNull();
    }

    /**
     * Requests are timed as a whole (http.server.requests, which ops/ reads), not filter by
     * filter: Spring Security's observations of each filter took about 8 % of a shipment's CPU
     * and nothing read them (security/SecurityConfiguration).
     */
    @Test
    void requestsAreTimedButNotEverySecurityFilter() {
        assertThat(scraped.find("http_server_requests_seconds_count", "uri=\"/api/v1/shipments\"", "status=\"201\""))
                .as("the two shipments recorded").isEqualTo(2.0);
        assertThat(scraped.names()).noneMatch(name -> name.startsWith("spring_security"));
    }

    /** What the Grafana dashboard and the alerts query is what the service exports. */
    @Test
    void theOpsFilesQueryOnlyMetricsTheServiceExports() throws IOException {
        assertThat(scraped.names()).containsAll(MonitoringFilesTest.EXPORTED_METRICS);
        java.util.Set<String> queried = new java.util.TreeSet<>();
        MonitoringFilesTest.dashboardQueries().values().forEach(q -> queried.addAll(MonitoringFilesTest.metricNames(q)));
        MonitoringFilesTest.alerts().values().forEach(q -> queried.addAll(MonitoringFilesTest.metricNames(q)));
        queried.removeAll(MonitoringFilesTest.PROMETHEUS_OWN);
        assertThat(queried).isNotEmpty();
        assertThat(scraped.names()).as("metrics the scrape has").containsAll(queried);
    }

    @Test
    void healthShowsTheDatabaseAndTheEventProcessors() {
        Response health = ledger.anonymous().get("/actuator/health");
        assertThat(health.status()).as(health.raw()).isEqualTo(200);
        JsonNode components = health.body().get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        JsonNode processors = components.get("eventProcessors");
        assertThat(processors.get("status").asText()).as(processors.toString()).isEqualTo("UP");
        for (String processor : new String[] {"balances", "policy-fanout", "metrics", "in-transaction-views"}) {
            assertThat(processors.get("details").get("processors").get(processor).get("status").asText())
                    .as(processor).isEqualTo("UP");
        }
    }
}
