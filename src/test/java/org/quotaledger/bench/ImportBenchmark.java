package org.quotaledger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.quotaledger.QuotaLedgerApplication;
import org.quotaledger.policy.PolicyLibrary;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.Treatment;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bulk import end to end on PostgreSQL: one CSV of N shipments over C countries, uploaded over
 * HTTP, timed from the upload to the job's end. Next to it, from the same run, the raw cost of the
 * storage: a plain JDBC batch insert of N rows shaped like the event table, without and with the
 * hash-chain trigger the event table has.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx1g -cp target/test-classes:target/classes:$(cat target/cp.txt) org.quotaledger.bench.ImportBenchmark
 * </pre>
 * Knobs (system properties): bench.n (100000), bench.warmup (rows imported first to warm the JVM up;
 * default bench.n), bench.warmup.rounds (how many such files, 5), bench.countries (150), bench.atomic (false),
 * bench.jdbc.url (jdbc:postgresql://127.0.0.1:5432/postgres), bench.jdbc.user (postgres),
 * bench.app.args (extra Spring arguments, space-separated).
 */
public final class ImportBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYLOAD = "x".repeat(1_100);

    public static void main(String[] args) throws Exception {
        QuotaLedgerApplication.disableUpdateChecker();
        int n = Integer.getInteger("bench.n", 100_000);
        int warmup = Integer.getInteger("bench.warmup", n);
        int warmupRounds = Integer.getInteger("bench.warmup.rounds", 5);
        int countryCount = Integer.getInteger("bench.countries", 150);
        boolean atomic = Boolean.getBoolean("bench.atomic");
        String adminUrl = System.getProperty("bench.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getProperty("bench.jdbc.user", "postgres");
        String database = "bench_import_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
        try (Connection admin = DriverManager.getConnection(adminUrl, user, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        ConfigurableApplicationContext context = null;
        try {
            String password = UUID.randomUUID().toString();
            List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                    "--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                    "--spring.datasource.password=", "--logging.level.root=WARN", "--logging.level.org.quotaledger=INFO",
                    "--quota-ledger.security.users[0].username=" + LedgerBenchmark.EXPORTER,
                    "--quota-ledger.security.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(password),
                    "--quota-ledger.security.users[0].roles=EXPORTER",
                    "--quota-ledger.security.users[0].exporter-id=bench-exporter",
                    // the single shipments timed during the import, with the job's polls, stay under any limit
                    "--quota-ledger.security.rate-limit.capacity=1000000000",
                    "--quota-ledger.security.rate-limit.per-second=1000000000"));
            String extra = System.getProperty("bench.app.args", "");
            if (!extra.isBlank()) {
                arguments.addAll(List.of(extra.trim().split("\\s+")));
            }
            context = new SpringApplicationBuilder(QuotaLedgerApplication.class).profiles("postgres")
                    .run(arguments.toArray(String[]::new));
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            int all = IsoCountries.all().size();
            long waited = System.nanoTime();
            while (jdbc.queryForObject("SELECT COUNT(*) FROM policy_impact", Integer.class) < all) {
                Thread.sleep(200);
            }
            log("seed policy applied to %d countries in %.1f s", all, seconds(waited));
            PolicyDocument seed = context.getBean(PolicyLibrary.class).find(LedgerBenchmark.SEED_POLICY).orElseThrow();
            List<String> countries = IsoCountries.all().stream()
                    .filter(country -> seed.rulesFor(country).tierOn(LedgerBenchmark.FIRST_SHIP_DATE).treatment() != Treatment.PROHIBITED)
                    .limit(countryCount).toList();

            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
            String authorization = "Basic " + Base64.getEncoder().encodeToString((LedgerBenchmark.EXPORTER + ":" + password).getBytes(StandardCharsets.UTF_8));
            Uploader uploader = new Uploader(HttpClient.newHttpClient(), base, authorization, atomic);
            // The JIT compiles the import's path during the first tens of thousands of rows
            // (measured: the C2 compiler thread used a third of a core through a cold run),
            // so a cold run times the compiler as much as the ledger. A running service is warm.
            // One file of 100,000 rows is not enough: C2 still compiled about 50 methods a second
            // through the window after it, a third of the JVM's CPU (thirteenth/fourteenth round).
            for (int round = 1; round <= warmupRounds && warmup > 0; round++) {
                double warmSeconds = uploader.run(csv("warm" + round, warmup, countries));
                awaitBalances(jdbc, (long) round * warmup);
                log("warm-up %d of %d: %,d rows in %.2f s (%,.0f/s), balances caught up", round, warmupRounds, warmup,
                        warmSeconds, warmup / warmSeconds);
            }
            long recorded = (long) warmupRounds * warmup;
            log("file: %,d rows over %d countries", n, countries.size());
            recorded += timed("IMPORT alone", csv("imp", n, countries), uploader, jdbc, recorded, Callable::call);
            // Each chunk's transaction holds its countries until it commits: a lone exporter's
            // shipments to one of them wait that long, and a chunk may wait for theirs. (Their own
            // rows make the balances catch up a little sooner than the import's rows alone would.)
            Latencies meanwhile = new Latencies();
            BenchHttp singles = new BenchHttp(base, password);
            recorded += timed("IMPORT with single shipments to " + countries.get(0) + " alongside",
                    csv("imp-alongside", n, countries), uploader, jdbc, recorded,
                    work -> singles.whileRecording("single", countries.get(0), meanwhile, work));
            log("meanwhile, single shipments to %s one after another: %d recorded, p50 %.1f ms, longest %.1f ms",
                    countries.get(0), meanwhile.count(), meanwhile.percentileMillis(50), meanwhile.percentileMillis(100));
            awaitBalances(jdbc, recorded + meanwhile.count());

            Baseline plain = batchInserts(url, user, n, false);
            Baseline chained = batchInserts(url, user, n, true);
            log("BASELINE: plain JDBC batch INSERT of %,d event-shaped rows (1.1 kB payload, reWriteBatchedInserts, "
                    + "1,000 per batch, one transaction): %,.0f rows/s; with the hash-chain trigger: %,.0f rows/s",
                    n, plain.rowsPerSecond(), chained.rowsPerSecond());
            if (plain.databaseCpuNanos() >= 0) {
                log("BASELINE PostgreSQL CPU: %.0f µs per row plain, %.0f µs with the hash-chain trigger",
                        plain.databaseCpuNanos() / 1e3 / n, chained.databaseCpuNanos() / 1e3 / n);
            }
        } finally {
            if (context != null) {
                context.close();
            }
            try (Connection admin = DriverManager.getConnection(adminUrl, user, "");
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
        System.exit(0);
    }

    /** How a timed import runs: on its own, or with other work alongside. */
    private interface Alongside {
        double run(Callable<Double> importing) throws Exception;
    }

    /**
     * Imports the file, timed from the upload to the job's end, and reports the rate and the CPU
     * per row of the JVM and of PostgreSQL until the balances have caught up; the rows recorded.
     */
    private static int timed(String label, String csv, Uploader uploader, JdbcTemplate jdbc, long recordedBefore,
                             Alongside alongside) throws Exception {
        int n = (int) csv.lines().count() - 1;
        long events = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        CpuWindow importing = CpuWindow.start();
        double total = alongside.run(() -> uploader.run(csv));
        long newEvents = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class) - events;
        log("%s: %,d rows in %.2f s = %,.0f shipments/s end to end (upload + spool %.2f s); %,d events appended",
                label, n, total, n / total, uploader.lastUploadSeconds, newEvents);
        long caughtUp = System.nanoTime();
        awaitBalances(jdbc, recordedBefore + n);
        log("balances projection caught up %.2f s after the job ended", seconds(caughtUp));
        // The machines are noisy: CPU per row, the job and its projections included, compares
        // changes better than the rate when other work shares the cores.
        CpuWindow.Use used = importing.stop();
        double jvmMicros = used.jvmNanos() / 1e3 / n;
        log("JVM CPU: %.0f µs per row (import and projections, until caught up)", jvmMicros);
        if (used.postgresVisible()) {
            // The same rows cost the database this much of the same cores: together they bound
            // the rate whatever the import's threads do.
            double databaseMicros = used.postgresNanos() / 1e3 / n;
            int cores = Runtime.getRuntime().availableProcessors();
            double ceiling = cores * 1e6 / (jvmMicros + databaseMicros);
            log("PostgreSQL CPU: %.0f µs per row (all its processes, same window); %d cores at %.0f µs per row "
                    + "allow %,.0f rows/s, and the import ran at %.0f %% of that", databaseMicros, cores,
                    jvmMicros + databaseMicros, ceiling, 100 * (n / total) / ceiling);
        }
        return n;
    }

    /** Uploads a file and waits for its job to end, answering the seconds from upload to end. */
    private static final class Uploader {
        private final HttpClient http;
        private final String base;
        private final String authorization;
        private final boolean atomic;
        double lastUploadSeconds;

        Uploader(HttpClient http, String base, String authorization, boolean atomic) {
            this.http = http;
            this.base = base;
            this.authorization = authorization;
            this.atomic = atomic;
        }

        double run(String csv) throws Exception {
            long started = System.nanoTime();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/shipments/batch?atomic=" + atomic))
                    .header("Authorization", authorization).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
            lastUploadSeconds = seconds(started);
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("upload answered " + accepted.statusCode() + ": " + accepted.body());
            }
            String jobId = JSON.readTree(accepted.body()).get("jobId").asText();
            JsonNode job;
            do {
                Thread.sleep(100);
                job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/shipments/batch/" + jobId))
                        .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            } while ("RUNNING".equals(job.get("state").asText()));
            double seconds = seconds(started);
            log("job %s: %s", jobId, job);
            if (!"COMPLETED".equals(job.get("state").asText()) && !"ROLLED_BACK".equals(job.get("state").asText())) {
                throw new IllegalStateException("the import job ended " + job);
            }
            return seconds;
        }
    }

    /** Waits until the balances projection has counted {@code shipments} recorded shipments. */
    private static void awaitBalances(JdbcTemplate jdbc, long shipments) throws InterruptedException {
        while (jdbc.queryForObject("SELECT COALESCE(SUM(shipments_recorded), 0) FROM country_balance", Long.class) < shipments) {
            Thread.sleep(100);
        }
    }

    /** The benchmark's file: A100 units (the catalog's TPP), round-robin over the countries. */
    private static String csv(String prefix, int n, List<String> countries) {
        StringBuilder csv = new StringBuilder(n * 110);
        csv.append("shipmentId,destinationCountry,consigneeId,consigneeName,consigneeCountry,shipDate,items\n");
        for (int i = 0; i < n; i++) {
            String country = countries.get(i % countries.size());
            LocalDate shipDate = LedgerBenchmark.shipDate(i);
            csv.append(prefix).append('-').append(i).append(',').append(country).append(",consignee-").append(i % 1_000)
                    .append(",Consignee ").append(i % 1_000).append(',').append(country).append(',').append(shipDate)
                    .append(",A100:1\n");
        }
        return csv.toString();
    }

    /** A baseline's rate, and PostgreSQL's CPU time for it (read before its backend exits). */
    /** @param databaseCpuNanos -1 when this machine does not show PostgreSQL's processes */
    private record Baseline(double rowsPerSecond, long databaseCpuNanos) {
    }

    /** Rows shaped like domain_event_entry, in batches of 1,000, in one transaction. */
    private static Baseline batchInserts(String url, String user, int n, boolean chained) throws SQLException {
        String table = chained ? "bench_chained_event" : "bench_plain_event";
        try (Connection connection = DriverManager.getConnection(url + "?reWriteBatchedInserts=true", user, "")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (LIKE domain_event_entry INCLUDING ALL)");
                if (chained) {
                    statement.execute("CREATE FUNCTION bench_chain() RETURNS TRIGGER LANGUAGE plpgsql AS $$ DECLARE previous BYTEA; "
                            + "BEGIN SELECT chain_hash INTO previous FROM " + table + " WHERE aggregate_identifier = NEW.aggregate_identifier "
                            + "AND sequence_number = NEW.sequence_number - 1; NEW.chain_hash := ledger_chain_hash(previous, "
                            + "NEW.aggregate_identifier, NEW.sequence_number, NEW.payload_type, NEW.payload_revision, NEW.time_stamp, "
                            + "NEW.payload, NEW.meta_data); RETURN NEW; END $$");
                    statement.execute("CREATE TRIGGER bench_chain BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION bench_chain()");
                }
            }
            connection.setAutoCommit(false);
            CpuWindow inserting = CpuWindow.start();
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (event_identifier, meta_data, "
                    + "payload, payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setBytes(2, "{\"principal\":\"bench\"}".getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(3, PAYLOAD.getBytes(StandardCharsets.UTF_8));
                    insert.setString(4, "1");
                    insert.setString(5, "org.quotaledger.quota.QuotaEvents$ShipmentRecorded");
                    insert.setString(6, "2025-07-01T12:00:00Z");
                    insert.setString(7, "C" + (i % 150));
                    insert.setLong(8, i / 150);
                    insert.setString(9, "CountryQuota");
                    insert.addBatch();
                    if (i % 1_000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            return new Baseline(n / seconds(started), inserting.stop().postgresNanos());
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[import-bench] " + format + "%n", args);
    }
}
