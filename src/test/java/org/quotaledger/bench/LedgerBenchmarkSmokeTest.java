package org.quotaledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.Treatment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the benchmark's phases with N = 50 and the suite's figures with tiny sizes on PostgreSQL,
 * and checks what they left in the ledger, so that neither can rot. It asserts outcomes, never
 * timings.
 */
class LedgerBenchmarkSmokeTest {

    private static final int N = 50;
    private static final int COUNTRIES = 7;
    private static final long CLUSTER_TPP = LedgerBenchmark.CLUSTER_A100S * LedgerBenchmark.A100_TPP;
    private static final int SUITE_SHIPMENTS = 20;
    private static final int POLICY_SHIPMENTS = 600;
    private static final int POLICY_COUNTRIES = 10;

    @Test
    void benchmarkAndSuiteRecordEveryShipmentAndTheRevisionReplaysThemAll() throws Exception {
        var settings = LedgerBenchmark.Settings.fromSystemProperties().withSize(N, COUNTRIES, 2, 20);
        String database;
        try (LedgerBenchmark bench = new LedgerBenchmark(settings).serveHttp()) {
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
            assertThat(bench.report().lines()).anyMatch(line -> line.startsWith("record, 1 country (AE), 1 thread"));

            suiteRunsEveryFigureAndLeavesAValidLedger(bench, jdbc);
        }
        try (Connection admin = DriverManager.getConnection(settings.adminUrl(), settings.user(), settings.password());
             Statement statement = admin.createStatement();
             ResultSet left = statement.executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = '" + database + "'")) {
            left.next();
            assertThat(left.getInt(1)).as("throwaway database dropped").isZero();
        }
    }

    /**
     * The suite's figures with tiny sizes on the same service (one start keeps this test short),
     * then the ledger they leave: every hash chain intact, every projection equal to a fresh fold,
     * the seeded history loaded by its aggregate, the revision replayed over every shipment.
     */
    private void suiteRunsEveryFigureAndLeavesAValidLedger(LedgerBenchmark bench, JdbcTemplate jdbc) throws Exception {
        Path docs = Files.createTempDirectory("bench-docs");
        SuiteSettings sizes = new SuiteSettings(SUITE_SHIPMENTS, 4, 1, List.of(20L, 200L), 10, POLICY_SHIPMENTS, POLICY_COUNTRIES,
                8, 5, 5, 3, SuiteSettings.ALL_FIGURES, docs.resolve("benchmarks.md").toString(),
                docs.resolve("latency.png").toString(), 1, 1, 1);
        BenchmarkSuite suite = new BenchmarkSuite(bench, sizes);
        BenchmarkSuite.Result result = suite.run();
        suite.publish(result, java.time.Instant.now(), MachineDescription.loadAverage());

        assertThat(result.spread().inProcess().statuses()).isEqualTo(Map.of(201, (long) SUITE_SHIPMENTS));
        assertThat(result.hot().inProcess().statuses()).isEqualTo(Map.of(201, (long) SUITE_SHIPMENTS));
        // wrk's shipments: recorded, each a new one (the bodies start over with new ids), all in the registry.
        for (var wrkLoad : List.of(result.spread().wrk(), result.hot().wrk())) {
            assertThat(wrkLoad.statuses()).containsOnlyKeys(201);
            assertThat(wrkLoad.count(201)).isGreaterThan(SUITE_SHIPMENTS);
        }
        long answeredByWrk = result.spread().wrk().count(201) + result.hot().wrk().count(201);
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'bench-wrk-%'"))
                .isBetween(answeredByWrk, answeredByWrk + 2L * 4);
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'bench-wrk-hot-%-r1'"))
                .as("wrk went round its bodies again with new ids").isPositive();
        assertThat(result.streamDeliveriesMissing()).isZero();
        // Measured with at least that many prior events (the first includes the seed policy's).
        assertThat(result.latencyByHistory()).extracting(LatencyPlot.Point::history)
                .satisfiesExactly(first -> assertThat(first).isBetween(20L, 21L), second -> assertThat(second).isBetween(200L, 232L));
        List<String> withTargets = result.figures().stream().filter(figure -> figure.target() != null)
                .map(figure -> figure.name().substring(0, 1)).toList();
        assertThat(withTargets).containsExactly("1", "2", "6", "6", "4", "3", "3", "7", "5");
        assertThat(result.figures()).allMatch(figure -> figure.value() >= 0 && Double.isFinite(figure.value()));
        // Figure 3 compares the longest history with the shortest on a country of its own, timed in turns.
        List<Figure> historyFigures = result.figures().stream().filter(figure -> figure.name().startsWith("3 record latency"))
                .toList();
        assertThat(historyFigures).extracting(Figure::name).satisfiesExactly(
                name -> assertThat(name).matches("3 record latency p50, 2\\d\\d prior events, in turns"),
                name -> assertThat(name).matches("3 record latency p99, 2\\d\\d prior events, in turns"));
        assertThat(historyFigures).extracting(Figure::baselineName)
                .allMatch(name -> name.matches("2[01] prior events, timed in turns with it"));
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'bench-in-turns-long-%'"))
                .isEqualTo(sizes.latencySamples());
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'bench-in-turns-short-%'"))
                .isEqualTo(sizes.latencySamples() + 1);
        assertThat(result.figures()).extracting(Figure::name).contains("  4 raw MERGE of reclassified shipment rows",
                "  4 the database alone: reads and reclassifying updates", "  5 the database alone: a read and a history row per event");

        // The seeded history is one unbroken stream that the aggregate went on from.
        String historyCountry = jdbc.queryForObject(
                "SELECT DISTINCT country FROM shipment WHERE shipment_id LIKE 'bench-history-%'", String.class);
        long streamLength = count(jdbc, "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = '"
                + historyCountry + "'");
        assertThat(streamLength).isGreaterThanOrEqualTo(200 + 2 * 11);
        assertThat(count(jdbc, "SELECT MAX(sequence_number) + 1 FROM domain_event_entry WHERE aggregate_identifier = '"
                + historyCountry + "'")).isEqualTo(streamLength);
        // Seeded and commanded shipments alike are in the shipment registry, written in their transaction.
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE country = '" + historyCountry + "'"))
                .isEqualTo(recordedEvents(jdbc, historyCountry));
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE country = '" + historyCountry
                + "' AND shipment_id LIKE 'bench-history-%'")).isEqualTo(2 * 11);

        // The revision (each country's last policy) replayed every shipment recorded before it
        // reached that country, the seeded ones included: not the history figure's, which come
        // after it, nor those recorded to the first country while the fan-out went on to the rest.
        assertThat(count(jdbc, "SELECT COUNT(*) FROM policy_impact WHERE policy_id = '" + LedgerBenchmark.REVISION + "'"))
                .isEqualTo(IsoCountries.all().size());
        assertThat(count(jdbc, "SELECT SUM(shipments_replayed) FROM policy_impact WHERE policy_id = '"
                + LedgerBenchmark.REVISION + "'")).isEqualTo(count(jdbc, "SELECT COUNT(*) FROM domain_event_entry shipment "
                + "WHERE payload_type LIKE '%ShipmentRecorded' AND sequence_number < (SELECT MAX(sequence_number) "
                + "FROM domain_event_entry policy WHERE policy.aggregate_identifier = shipment.aggregate_identifier "
                + "AND policy.payload_type LIKE '%PolicyApplied')"));
        assertThat(count(jdbc, "SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE 'bench-during-policy-change-%'"))
                .as("an exporter recorded while the policy changed").isPositive();
        assertThat(bench.countriesTreated(treatment -> treatment != Treatment.PROHIBITED).stream().limit(POLICY_COUNTRIES))
                .allSatisfy(country -> assertThat(recordedEvents(jdbc, country)).as(country)
                        .isGreaterThanOrEqualTo(POLICY_SHIPMENTS / POLICY_COUNTRIES));
        // AE: the cluster of the gateway phase and the one of the hot figure counted; the rescission counts nothing.
        assertThat(jdbc.queryForObject("SELECT consumed_before_tpp FROM policy_impact WHERE policy_id = ? AND country = 'AE'",
                Long.class, LedgerBenchmark.REVISION)).isEqualTo(2 * CLUSTER_TPP);
        assertThat(balance(jdbc, "AE")).containsEntry("consumed_tpp", 0L);

        // After the rebuild, the projection holds every shipment, and the audit finds nothing amiss.
        assertThat(count(jdbc, "SELECT SUM(shipments_recorded) FROM country_balance")).isEqualTo(recordedEvents(jdbc, null));
        HttpResponse<String> verify = new BenchHttp(bench.baseUrl(), bench.password())
                .get(LedgerBenchmark.ADMIN, "/api/v1/audit/verify");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(verify.body()).path("intact").asBoolean()).as(verify.body()).isTrue();

        String markdown = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(markdown).contains(SuiteReport.BEGIN, SuiteReport.END, "1 spread: shipments/s", "pgbench",
                "machine: ", "![Record latency against history length](latency.png)");
        // The write figures' baselines bracket their loads, and spread's commits were counted (at
        // least one country in each: 0 would mean the group commit's summaries were not found).
        assertThat(markdown).containsPattern("pgbench INSERT\\+COMMIT/s, 1 client: mean of [\\d,]+ before and [\\d,]+ after")
                .containsPattern("1 spread: countries per commit, mean +[1-9]")
                .containsPattern("2 hot: shipments per commit \\(group commit\\), mean +[1-9]");
        // What each shipment cost on either side, over wrk's window: some of it, not nothing (the
        // database's row needs its processes on this machine, as the suite's tests have them).
        assertThat(markdown).containsPattern("1 spread: CPU per shipment, the service's JVM +[0-9.]*[1-9]")
                .containsPattern("2 hot: CPU per shipment, PostgreSQL +[0-9.]*[1-9]")
                .containsPattern("1 HTTP floor: CPU per request, the service's JVM +[0-9.]*[1-9]")
                .containsPattern("6 balance read: CPU per read, the service's JVM +[0-9.]*[1-9]");
        // The reads' figure comes from wrk, which got only 200s; the Java client's reads are rows of their own.
        assertThat(markdown).containsPattern("6 balance read p99, 8 wrk connections +[0-9.]*[1-9]")
                .containsPattern("6 balance reads/s \\(wrk\\) +[0-9,.]*[1-9]")
                .containsPattern("6 balance reads/s \\(Java client\\) +[0-9,.]*[1-9]")
                .containsPattern("6 balance read, 8 readers pausing [0-9]+ ms on average \\(25 % of the reads/s above\\): "
                        + "p99 +[0-9.]*[1-9]")
                .containsPattern("6 balance read, 8 readers pausing [0-9]+ ms on average \\(50 % of the reads/s above\\): "
                        + "reads/s +[0-9,.]*[1-9]")
                .containsPattern("6 read floor: chip models from memory, reads/s \\(wrk\\) +[0-9,.]*[1-9]")
                .containsPattern("6 read floor: CPU per read, the service's JVM +[0-9.]*[1-9]");
        assertThat(javax.imageio.ImageIO.read(docs.resolve("latency.png").toFile()).getWidth()).isPositive();
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
