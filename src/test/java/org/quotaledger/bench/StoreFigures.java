package org.quotaledger.bench;

import static org.quotaledger.bench.LedgerBenchmark.log;
import static org.quotaledger.bench.LedgerBenchmark.seconds;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.quotaledger.balance.BalanceChange;
import org.quotaledger.balance.BalanceHistoryProjection;
import org.quotaledger.balance.BalancesBulkReplay;
import org.quotaledger.bench.Figure.Target;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.JdbcShipmentRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Figures 4 and 5 of issue 8: replaying a large store for a policy change, and rebuilding a projection from it. */
final class StoreFigures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerBenchmark bench;
    private final SuiteSettings sizes;
    private final BenchHttp http;
    private final MemoryWatch memory;
    private final List<Figure> figures;

    StoreFigures(LedgerBenchmark bench, SuiteSettings sizes, BenchHttp http, MemoryWatch memory, List<Figure> figures) {
        this.bench = bench;
        this.sizes = sizes;
        this.http = http;
        this.memory = memory;
        this.figures = figures;
    }

    /**
     * 4. Seeds the store up to {@code policyShipments} recorded shipments over {@code policyCountries}
     * countries (snapshotted, as they would be), then enacts the rescission and times it until
     * every country replayed its history: shipments/s against a raw JDBC read of those rows. The
     * change also rewrites each reclassified shipment's registry row, so the database's own share
     * is measured too: the read, and the registry's update of as many rows.
     */
    void policyChange(HistorySeeder seeder) throws Exception {
        List<String> countries = bench.countriesTreated(treatment -> treatment != Treatment.PROHIBITED).stream()
                .limit(sizes.policyCountries()).toList();
        // Each country is brought to its share; what the other figures recorded there counts.
        long share = (sizes.policyShipments() + countries.size() - 1) / countries.size();
        java.util.Map<String, Long> recorded = new java.util.HashMap<>();
        bench.jdbc().query("SELECT country, COUNT(*) FROM shipment WHERE state = 'RECORDED' GROUP BY country",
                (ResultSet row) -> {
                    recorded.put(row.getString(1), row.getLong(2));
                });
        long started = System.nanoTime();
        for (int c = 0; c < countries.size(); c++) {
            String country = countries.get(c);
            long missing = share - recorded.getOrDefault(country, 0L);
            if (missing > 0) {
                seeder.append(country, (int) missing);
                seeder.snapshot(country, bench);
            }
            if ((c + 1) % 10 == 0) {
                log("seeded %d of %d countries", c + 1, countries.size());
            }
        }
        seeder.settle(bench);
        log("store at %,d recorded shipments, at least %,d in each of %d countries (seeded in %.1f s)",
                recordedShipments(), share, countries.size(), seconds(started));
        memory.start();
        // The first country the fan-out reaches: a fan-out that held each country until the last
        // was done would show here as a wait of nearly the whole fan-out.
        Latencies during = new Latencies();
        Figure replay = http.whileRecording("during-policy-change", countries.get(0), during, bench::applyRevision);
        MemoryWatch.Usage usage = memory.stop();
        figures.add(replay.named("4 policy change: shipments replayed/s (" + String.format(Locale.ROOT, "%,d",
                recordedShipments()) + ")").withTarget(Target.ratioAtLeast(0.5)));
        figures.add(new Figure("  4 record latency during the policy change, p50", during.percentileMillis(50), "ms",
                null, null));
        figures.add(new Figure("  4 record latency during the policy change, max of " + during.count(),
                during.percentileMillis(100), "ms", null, null));
        LedgerBenchmark.RevisionImpact impact = bench.revisionImpact();
        long reclassified = impact.reclassified();
        if (reclassified > 0) {
            double rawMerge = rawReclassificationsPerSecond((int) Math.min(reclassified, 200_000),
                    (int) Math.max(1, reclassified / countries.size()));
            figures.add(new Figure("  4 raw MERGE of reclassified shipment rows", rawMerge, "rows/s", null, null));
            figures.add(new Figure("  4 the database alone: reads and reclassifying updates",
                    1 / (1 / replay.baseline() + (double) reclassified / impact.replayed() / rawMerge), "shipments/s", null, null));
        }
        figures.add(Figure.memory("policy change", usage));
    }

    /**
     * What updating the reclassified shipments' registry rows costs the database alone: a copy of
     * {@code shipment} (logged, with its indexes, rows as the seeding wrote them), updated with the
     * registry's statement (one MERGE from arrays) a country's share of rows per commit, as each
     * country's transaction does.
     */
    private double rawReclassificationsPerSecond(int rows, int perCommit) {
        return bench.jdbc().execute((Connection connection) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE raw_shipment (LIKE shipment INCLUDING ALL)");
                statement.execute("INSERT INTO raw_shipment SELECT * FROM shipment ORDER BY country, decided_at LIMIT " + rows);
            }
            List<String> ids = new ArrayList<>(rows);
            try (Statement statement = connection.createStatement();
                 ResultSet found = statement.executeQuery("SELECT shipment_id FROM raw_shipment")) {
                while (found.next()) {
                    ids.add(found.getString(1));
                }
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement merge = connection.prepareStatement(JdbcShipmentRegistry.reclassifyStatement("raw_shipment"))) {
                for (int from = 0; from < ids.size(); from += perCommit) {
                    List<String> slice = ids.subList(from, Math.min(ids.size(), from + perCommit));
                    int n = slice.size();
                    merge.setArray(1, connection.createArrayOf("varchar", slice.toArray()));
                    merge.setArray(2, connection.createArrayOf("varchar", Collections.nCopies(n, "UNRESTRICTED").toArray()));
                    merge.setArray(3, connection.createArrayOf("bigint", Collections.nCopies(n, 0L).toArray()));
                    merge.setArray(4, connection.createArrayOf("varchar", Collections.nCopies(n, LedgerBenchmark.REVISION).toArray()));
                    merge.setArray(5, connection.createArrayOf("boolean", Collections.nCopies(n, false).toArray()));
                    merge.executeUpdate();
                    connection.commit();
                }
            } finally {
                connection.setAutoCommit(autoCommit);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE raw_shipment");
                }
            }
            double rate = ids.size() / seconds(started);
            log("raw merge: %,d shipment rows reclassified, %,d per commit: %.0f rows/s", ids.size(), perCommit, rate);
            return rate;
        });
    }

    /** 5. Rebuilds the balances projection through the admin endpoint: events/s over the whole store. */
    void rebuild(HistorySeeder seeder) throws Exception {
        seeder.settle(bench);
        double rawRead = bench.rawEventReadsPerSecond();
        long events = bench.jdbc().queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        memory.start();
        long started = System.nanoTime();
        HttpResponse<String> accepted = http.post(LedgerBenchmark.ADMIN, "/api/v1/admin/projections/balances/rebuild", "");
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("rebuild: HTTP " + accepted.statusCode() + " " + accepted.body());
        }
        // Each poll is an authenticated request (a bcrypt check) and a MAX(global_index) query:
        // polled every 20 ms, they took two fifths of the service's CPU samples during a rebuild.
        bench.await("balances rebuilt", 500, () -> !status().path("rebuilding").asBoolean(true));
        double elapsed = seconds(started);
        MemoryWatch.Usage usage = memory.stop();
        log("rebuilt balances from %,d events in %.1f s", events, elapsed);
        figures.add(new Figure("5 rebuild balances: events/s (" + String.format(Locale.ROOT, "%,d", events) + ")",
                events / elapsed, "events/s", rawRead, "raw SELECT of ShipmentRecorded rows/s", Target.valueAtLeast(50_000)));
        double rawInsert = rawHistoryInsertsPerSecond((int) Math.min(events, 200_000));
        figures.add(new Figure("  5 raw INSERT of balance_history rows, " + String.format(Locale.ROOT, "%,d",
                BalancesBulkReplay.EVENTS_PER_TRANSACTION) + " per commit", rawInsert, "rows/s", null, null));
        figures.add(new Figure("  5 the database alone: a read and a history row per event",
                1 / (1 / rawRead + 1 / rawInsert), "events/s", null, null));
        figures.add(Figure.memory("rebuild", usage));
    }

    /**
     * What writing the rebuild's one history row per event costs the database alone: rows shaped
     * like {@code balance_history}'s, into a copy of it (logged, as the real one: a temporary table
     * would skip the write-ahead log), with the projection's statement (one per batch, its columns
     * as arrays), as many per commit as a rebuild's transaction holds events. Read and write each
     * event's share, and the database's time per event is at least 1 / read + 1 / insert, whatever
     * the service does.
     */
    private double rawHistoryInsertsPerSecond(int rows) {
        int perCommit = BalancesBulkReplay.EVENTS_PER_TRANSACTION;
        return bench.jdbc().execute((Connection connection) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE raw_history (LIKE balance_history INCLUDING ALL)");
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            try {
                Instant now = Instant.now();
                for (int first = 0; first < rows; first += perCommit) {
                    List<BalanceChange> points = new ArrayList<>(perCommit);
                    for (int i = first; i < Math.min(rows, first + perCommit); i++) {
                        Balance balance = new Balance("ai-diffusion-2025-01", "TIER_2", Treatment.CAPPED, 790_000_000L, i,
                                790_000_000L - i, BigDecimal.ZERO, BalanceStatus.OPEN);
                        points.add(new BalanceChange("Z" + (char) ('A' + i % 26), i, BalanceChange.Kind.RECORDED,
                                "bench-raw-" + i, balance, now));
                    }
                    try (PreparedStatement insert = BalanceHistoryProjection.insertInto("raw_history", points)
                            .createPreparedStatement(connection)) {
                        insert.executeUpdate();
                    }
                    connection.commit();
                }
            } finally {
                connection.setAutoCommit(autoCommit);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE raw_history");
                }
            }
            double rate = rows / seconds(started);
            log("raw insert: %,d balance_history rows, %,d per statement and commit: %.0f rows/s", rows, perCommit, rate);
            return rate;
        });
    }

    private JsonNode status() {
        HttpResponse<String> response = http.get(LedgerBenchmark.ADMIN, "/api/v1/admin/projections/balances");
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("rebuild status: " + response.body(), e);
        }
    }

    private long recordedShipments() {
        return bench.jdbc().queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ShipmentRecorded'", Long.class);
    }
}
