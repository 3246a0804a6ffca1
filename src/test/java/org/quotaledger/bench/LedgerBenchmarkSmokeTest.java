package org.quotaledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.IsoCountries;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs the benchmark's phases with N = 50 on PostgreSQL and checks what they left in the ledger,
 * so that the benchmark cannot rot. It asserts outcomes, never timings.
 */
class LedgerBenchmarkSmokeTest {

    private static final int N = 50;
    private static final int COUNTRIES = 7;
    private static final long CLUSTER_TPP = LedgerBenchmark.CLUSTER_A100S * LedgerBenchmark.A100_TPP;
    private static final LocalDate RESCISSION_EFFECTIVE = LocalDate.of(2025, 5, 13);

    @Test
    void benchmarkRecordsEveryShipmentAndTheRevisionReplaysThemAll() throws Exception {
        var settings = LedgerBenchmark.Settings.fromSystemProperties().withSize(N, COUNTRIES, 2, 20);
        String database;
        try (LedgerBenchmark bench = new LedgerBenchmark(settings)) {
            database = bench.database();
            bench.start();
            JdbcTemplate jdbc = bench.jdbc();
            assertThat(bench.tier2Countries()).hasSize(COUNTRIES).doesNotContain("AE", "US", "CN");

            bench.recordToOneCountry();
            // Shipment 0 is a cluster beyond the LPP threshold on its own; the other 49 are LPP-exempt.
            assertThat(recordedEvents(jdbc, "AE")).isEqualTo(N);
            assertThat(debits(jdbc, "AE")).isEqualTo(CLUSTER_TPP);
            assertThat(balance(jdbc, "AE")).containsEntry("consumed_tpp", CLUSTER_TPP)
                    .containsEntry("shipments_recorded", (long) N).containsEntry("shipments_denied", 0L);

            bench.recordToManyCountries();
            bench.recordToManyCountriesConcurrently();
            assertThat(recordedEvents(jdbc, null)).isEqualTo(3L * N);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ShipmentDenied'"))
                    .isZero();
            for (String country : bench.tier2Countries()) {
                assertThat(balance(jdbc, country).get("consumed_tpp")).as(country).isEqualTo(debits(jdbc, country));
            }
            // Shipment 0 of each of the two phases went to the first country, and counted.
            assertThat(debits(jdbc, bench.tier2Countries().get(0))).isEqualTo(2 * CLUSTER_TPP);
            assertThat(bench.outcomes()).isEqualTo(Map.of("COUNTED", 3L, "LPP_EXEMPT", 3L * N - 3));

            bench.applyRevision();
            assertThat(count(jdbc, "SELECT COUNT(*) FROM policy_impact WHERE policy_id = '" + LedgerBenchmark.REVISION + "'"))
                    .isEqualTo(IsoCountries.all().size());
            assertThat(count(jdbc, "SELECT SUM(shipments_replayed) FROM policy_impact WHERE policy_id = '"
                    + LedgerBenchmark.REVISION + "'")).isEqualTo(3L * N);
            // What shipped after the rescission took effect is no longer capped; the rest is unchanged.
            long afterRescission = IntStream.range(0, N)
                    .filter(i -> !LedgerBenchmark.shipDate(i).isBefore(RESCISSION_EFFECTIVE)).count();
            assertThat(afterRescission).isBetween(1L, N - 1L);
            Map<String, Object> impact = jdbc.queryForMap("SELECT consumed_before_tpp, consumed_after_tpp, reclassified, "
                    + "shipments_replayed FROM policy_impact WHERE policy_id = ? AND country = 'AE'", LedgerBenchmark.REVISION);
            assertThat(impact).containsEntry("consumed_before_tpp", CLUSTER_TPP).containsEntry("consumed_after_tpp", 0L)
                    .containsEntry("shipments_replayed", N).containsEntry("reclassified", (int) afterRescission);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE country = 'AE' AND policy_id = '"
                    + LedgerBenchmark.REVISION + "' AND classification = 'UNRESTRICTED'")).isEqualTo(afterRescission);
            assertThat(balance(jdbc, "AE")).containsEntry("consumed_tpp", 0L);

            List<String> table = bench.report().lines().toList();
            assertThat(table).anyMatch(line -> line.startsWith("record, 1 country (AE), 1 thread"))
                    .anyMatch(line -> line.startsWith("policy change: shipments replayed/s"));
        }
        try (Connection admin = DriverManager.getConnection(settings.adminUrl(), settings.user(), settings.password());
             Statement statement = admin.createStatement();
             ResultSet left = statement.executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = '" + database + "'")) {
            left.next();
            assertThat(left.getInt(1)).as("throwaway database dropped").isZero();
        }
    }

    private static long recordedEvents(JdbcTemplate jdbc, String country) {
        return country == null
                ? count(jdbc, "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ShipmentRecorded'")
                : count(jdbc, "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ShipmentRecorded' "
                + "AND aggregate_identifier = '" + country + "'");
    }

    private static long debits(JdbcTemplate jdbc, String country) {
        return count(jdbc, "SELECT COALESCE(SUM(debited_tpp), 0) FROM shipment WHERE country = '" + country + "'");
    }

    private static Map<String, Object> balance(JdbcTemplate jdbc, String country) {
        return jdbc.queryForMap("SELECT consumed_tpp, shipments_recorded, shipments_denied FROM country_balance "
                + "WHERE country = ?", country);
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long value = jdbc.queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }
}
