package org.quotaledger.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.quotaledger.QuotaLedgerApplication;
import org.quotaledger.policy.PolicyLibrary;
import org.quotaledger.policy.PolicyMessages.EnactPolicy;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.Consignee;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.ShipmentOutcome;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's first benchmark: command throughput through the gateway on PostgreSQL, and the
 * time a policy change takes to replay every recorded shipment. Each figure is printed next to a
 * raw PostgreSQL baseline measured just before it in the same run, because the machines that run
 * it are noisy: compare the ratios between runs, not the raw numbers.
 *
 * <p>Run it with {@code mvn -Pbench test-compile exec:exec -Dbench.n=10000} (see pom.xml). It
 * creates a throwaway database on the server named by {@code bench.jdbc.url}, starts the
 * application against it with the {@code postgres} profile and no web server, and drops the
 * database at the end. Under each throughput figure it prints what explains it: JVM CPU per
 * command, how often a command had to load its aggregate from the store rather than the cache,
 * garbage collections, and the balances projection's lag.
 *
 * <p>The shipments (see {@link #shipment}): one A100 (4,992 TPP) to one of 1,000 recurring
 * consignees, which the LPP exception exempts; every 5,000th shipment (the first one included) is
 * a 5,400-A100 cluster (26,956,800 TPP) to a consignee of its own, beyond the LPP threshold on its
 * own, so it is COUNTED. Up to about 145,000 shipments to one country stay within the Tier 2 cap:
 * nothing is denied. Ship dates are spread over 2025-02-01 .. 2025-12-27, so about two thirds fall
 * after the rescission took effect (2025-05-13) and are reclassified by it.
 */
public final class LedgerBenchmark implements AutoCloseable {

    static final String SEED_POLICY = "ai-diffusion-2025-01";
    static final String REVISION = "ai-diffusion-rescission-2025-05";
    /** The capped country that receives every shipment of the one-country phase. */
    static final String ONE_COUNTRY = "AE";
    static final int CLUSTER_EVERY = 5_000;
    static final int CLUSTER_A100S = 5_400;
    static final long A100_TPP = 4_992;
    static final LocalDate FIRST_SHIP_DATE = LocalDate.of(2025, 2, 1);
    /** The users the HTTP figures sign in as; the exporter's id is its name. */
    static final String EXPORTER = "bench-exporter";
    static final String ADMIN = "bench-admin";
    static final String REGULATOR = "bench-regulator";

    private static final int PROGRESS_EVERY = 10_000;
    private static final String SCRATCH_PAYLOAD = "x".repeat(600);

    /** What to run; every field has a system property (see {@link #fromSystemProperties}). */
    public record Settings(int n, String adminUrl, String user, String password, int countries, int threads,
                           int baselineCount, Duration timeout, List<String> phases, List<String> appArgs) {

        public static Settings fromSystemProperties() {
            return new Settings(
                    Integer.getInteger("bench.n", 10_000),
                    System.getProperty("bench.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                    System.getProperty("bench.jdbc.user", "postgres"),
                    System.getProperty("bench.jdbc.password", ""),
                    Integer.getInteger("bench.countries", 120),
                    Integer.getInteger("bench.threads", 4),
                    Integer.getInteger("bench.baseline", 5_000),
                    Duration.ofMinutes(Integer.getInteger("bench.timeout.minutes", 60)),
                    List.of(System.getProperty("bench.phases", "one,many,concurrent,policy").split(",")),
                    List.of(System.getProperty("bench.app.args", "").trim().split("\\s+")).stream()
                            .filter(arg -> !arg.isEmpty()).toList());
        }

        public Settings withSize(int n, int countries, int threads, int baselineCount) {
            return new Settings(n, adminUrl, user, password, countries, threads, baselineCount, timeout, phases, appArgs);
        }

        boolean runs(String phase) {
            return phases.contains(phase);
        }
    }

    private final Settings settings;
    private final String database;
    private final String url;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong scratchIds = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** The password of the users the HTTP figures sign in as (see {@link #start}). */
    private final String password = java.util.UUID.randomUUID().toString();
    private boolean serveHttp;
    private ConfigurableApplicationContext context;
    private CommandGateway commands;
    private JdbcTemplate jdbc;
    private List<String> tier2Countries;
    private boolean dropped;

    public LedgerBenchmark(Settings settings) {
        this.settings = settings;
        this.database = "qlbench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        this.url = withDatabase(settings.adminUrl(), database);
    }

    public static void main(String[] args) throws Exception {
        QuotaLedgerApplication.disableUpdateChecker();
        Settings settings = Settings.fromSystemProperties();
        try (LedgerBenchmark bench = new LedgerBenchmark(settings)) {
            // Interrupted runs (Ctrl-C) drop their database too.
            Runtime.getRuntime().addShutdownHook(new Thread(bench::dropDatabaseQuietly, "bench-cleanup"));
            bench.start();
            if (settings.runs("one")) {
                bench.recordToOneCountry();
            }
            if (settings.runs("many")) {
                bench.recordToManyCountries();
            }
            if (settings.runs("concurrent") && settings.threads() > 1) {
                bench.recordToManyCountriesConcurrently();
            }
            if (settings.runs("policy")) {
                bench.applyRevision();
            }
            System.out.println(bench.report());
        }
        // Axon's and Hikari's threads are gone with the context; the JVM would exit anyway.
        System.exit(0);
    }

    /** Creates the database, starts the application on it and waits until the seed policy reached every country. */
    public void start() throws SQLException {
        QuotaLedgerApplication.disableUpdateChecker();
        try (Connection admin = DriverManager.getConnection(settings.adminUrl(), settings.user(), settings.password());
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        log("database %s created; starting the application (profile postgres, %s)", database,
                serveHttp ? "HTTP on a free port" : "no web server");
        long started = System.nanoTime();
        List<String> args = new ArrayList<>(List.of(
                serveHttp ? "--server.port=0" : "--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + settings.user(),
                "--spring.datasource.password=" + settings.password(),
                "--logging.level.root=WARN",
                "--logging.level.org.quotaledger=INFO",
                // The HTTP figures measure the ledger, not the per-principal rate limit, and the
                // stream figure's subscribers all sign in as one user.
                "--quota-ledger.security.rate-limit.capacity=1000000000",
                "--quota-ledger.security.rate-limit.per-second=1000000000",
                "--quota-ledger.balance-stream.max-per-user=100000"));
        // The postgres profile refuses to start without authentication: users with the production
        // bcrypt cost, checked once per user and then remembered (security/RememberingPasswordEncoder).
        String hash = new BCryptPasswordEncoder().encode(password);
        String[][] users = {{EXPORTER, "EXPORTER", EXPORTER}, {ADMIN, "ADMIN", null}, {REGULATOR, "REGULATOR", null}};
        for (int i = 0; i < users.length; i++) {
            String prefix = "--quota-ledger.security.users[" + i + "].";
            args.addAll(List.of(prefix + "username=" + users[i][0], prefix + "password-hash=" + hash,
                    prefix + "roles=" + users[i][1]));
            if (users[i][2] != null) {
                args.add(prefix + "exporter-id=" + users[i][2]);
            }
        }
        args.addAll(settings.appArgs());
        if (!settings.appArgs().isEmpty()) {
            log("extra application arguments: %s", settings.appArgs());
        }
        context = new SpringApplicationBuilder(QuotaLedgerApplication.class)
                .profiles("postgres")
                // Command-line arguments: they win over application-postgres.yml and the environment.
                .run(args.toArray(String[]::new));
        commands = context.getBean(CommandGateway.class);
        jdbc = context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE bench_scratch (id BIGINT PRIMARY KEY, country CHAR(2) NOT NULL, payload TEXT NOT NULL)");
        int all = IsoCountries.all().size();
        await("seed policy applied to every country", () -> impactRows(SEED_POLICY) == all);
        log("application up and %s applied to %d countries in %.1f s", SEED_POLICY, all, seconds(started));

        tier2Countries = countriesTreated(treatment -> treatment == Treatment.CAPPED).stream()
                .filter(country -> !country.equals(ONE_COUNTRY))
                .limit(settings.countries())
                .toList();
    }

    /**
     * The countries (ISO order) the seed policy treats as {@code wanted} on every ship date of the
     * benchmark's mix (2025-02-01 .. 2025-12-27).
     */
    public List<String> countriesTreated(java.util.function.Predicate<Treatment> wanted) {
        PolicyDocument seed = context.getBean(PolicyLibrary.class).find(SEED_POLICY).orElseThrow();
        List<LocalDate> days = List.of(FIRST_SHIP_DATE, LocalDate.of(2025, 7, 1), FIRST_SHIP_DATE.plusDays(329));
        return IsoCountries.all().stream()
                .filter(country -> days.stream().allMatch(day -> wanted.test(seed.rulesFor(country).tierOn(day).treatment())))
                .toList();
    }

    /** Phase 1: N shipments to one capped country, one client thread. */
    public Figure recordToOneCountry() throws Exception {
        int n = settings.n();
        double baseline = insertsPerSecond(settings.baselineCount(), 1);
        Counters before = counters();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            send(shipment("one", i, ONE_COUNTRY));
        }
        Figure figure = add(new Figure("record, 1 country (" + ONE_COUNTRY + "), 1 thread", n / seconds(started),
                "cmd/s", baseline, "single-row INSERT+COMMIT/s, 1 thread"));
        catchUp("one country", before, n);
        return figure;
    }

    /** Phase 2: N shipments spread round-robin over the Tier 2 countries, one client thread. */
    public Figure recordToManyCountries() throws Exception {
        int n = settings.n();
        double baseline = insertsPerSecond(settings.baselineCount(), 1);
        Counters before = counters();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            send(shipment("many", i, tier2Countries.get(i % tier2Countries.size())));
        }
        Figure figure = add(new Figure("record, " + tier2Countries.size() + " countries, 1 thread",
                n / seconds(started), "cmd/s", baseline, "single-row INSERT+COMMIT/s, 1 thread"));
        catchUp("many countries", before, n);
        return figure;
    }

    /** Phase 3: another N shipments over the same countries from several client threads. */
    public Figure recordToManyCountriesConcurrently() throws Exception {
        int n = settings.n();
        int threads = settings.threads();
        double baseline = insertsPerSecond(settings.baselineCount(), threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Counters before = counters();
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < n; i += threads) {
                        send(shipment("conc", i, tier2Countries.get(i % tier2Countries.size())));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            Figure figure = add(new Figure("record, " + tier2Countries.size() + " countries, " + threads + " threads",
                    n / seconds(started), "cmd/s", baseline, "single-row INSERT+COMMIT/s, " + threads + " threads"));
            catchUp("many countries, " + threads + " threads", before, n);
            return figure;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Phase 4: enact the rescission and wait until every country has replayed its shipments under it. */
    public Figure applyRevision() throws Exception {
        double rawRead = rawEventReadsPerSecond();
        PolicyDocument revision = context.getBean(PolicyLibrary.class).find(REVISION).orElseThrow();
        int all = IsoCountries.all().size();
        long started = System.nanoTime();
        commands.sendAndWait(EnactPolicy.of(revision, Instant.now()));
        await(REVISION + " applied to every country", () -> impactRows(REVISION) == all);
        double elapsed = seconds(started);
        RevisionImpact impact = revisionImpact();
        long replayed = impact.replayed();
        log("%s: %d shipments replayed, %d reclassified, in %.1f s", REVISION, replayed, impact.reclassified(), elapsed);
        add(new Figure("policy change: seconds to all " + all + " countries", elapsed, "s", null, null));
        return add(new Figure("policy change: shipments replayed/s (" + replayed + ")", replayed / elapsed,
                "shipments/s", rawRead, "raw SELECT of ShipmentRecorded rows/s"));
    }

    /** The result table, the outcome tally and the conditions of the run. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nQuota Ledger benchmark: N = %,d, phases %s, %d Tier 2 countries, "
                        + "%d client threads, baseline %,d rows, %d cores, Java %s, database %s%s%n",
                settings.n(), String.join(",", settings.phases()), tier2Countries.size(), settings.threads(),
                settings.baselineCount(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                database, settings.appArgs().isEmpty() ? "" : ", application arguments " + settings.appArgs()));
        out.append(Figure.table(figures));
        out.append("outcomes:");
        new TreeMap<>(outcomes).forEach((outcome, count) -> out.append(' ').append(outcome).append('=').append(count.sum()));
        out.append(String.format(Locale.ROOT, "%n"));
        return out.toString();
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** How many commands answered with each classification (or DENIED/reason). */
    public Map<String, Long> outcomes() {
        Map<String, Long> tally = new TreeMap<>();
        outcomes.forEach((outcome, count) -> tally.put(outcome, count.sum()));
        return tally;
    }

    public List<String> tier2Countries() {
        return tier2Countries;
    }

    /** Start {@link #start} with an HTTP server on a free port (the suite's figures go through HTTP). */
    public LedgerBenchmark serveHttp() {
        this.serveHttp = true;
        return this;
    }

    /** Where the HTTP server listens, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + ((org.springframework.boot.web.context.WebServerApplicationContext) context)
                .getWebServer().getPort();
    }

    /** The password of {@link #EXPORTER}, {@link #ADMIN} and {@link #REGULATOR}. */
    String password() {
        return password;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public Settings settings() {
        return settings;
    }

    /** The JDBC URL of the throwaway database. */
    public String url() {
        return url;
    }

    /** The application's JdbcTemplate on the throwaway database, for checks. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public String database() {
        return database;
    }

    /** Stops the application and drops the database. */
    @Override
    public void close() throws SQLException {
        if (context != null) {
            context.close();
        }
        dropDatabase();
    }

    private synchronized void dropDatabase() throws SQLException {
        if (dropped) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(settings.adminUrl(), settings.user(), settings.password());
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        dropped = true;
        log("database %s dropped", database);
    }

    void dropDatabaseQuietly() {
        try {
            dropDatabase();
        } catch (SQLException e) {
            System.err.println("[bench] could not drop " + database + ": " + e.getMessage());
        }
    }

    /**
     * Shipment {@code i} of a phase. Deterministic, so a check can recompute what the ledger
     * should have made of it; see the class comment for the mix.
     */
    static RecordShipment shipment(String phase, int i, String country) {
        boolean cluster = i % CLUSTER_EVERY == 0;
        String shipmentId = "bench-" + phase + "-" + i;
        String consigneeId = cluster ? "cluster-" + phase + "-" + i : "consignee-" + (i % 1_000);
        int quantity = cluster ? CLUSTER_A100S : 1;
        LocalDate shipDate = shipDate(i);
        List<LineItem> items = List.of(new LineItem("A100", "3A090.a", quantity, A100_TPP));
        return new RecordShipment(country, shipmentId, "bench-exporter",
                new Consignee(consigneeId, "Consignee " + consigneeId, country), shipDate, items, null,
                sha256(shipmentId + '|' + country + '|' + consigneeId + '|' + shipDate + "|A100|" + quantity),
                Instant.now());
    }

    /** 37 and 330 are coprime: dates spread evenly over 2025-02-01 .. 2025-12-27, whatever N is. */
    static LocalDate shipDate(int i) {
        return FIRST_SHIP_DATE.plusDays((i * 37L) % 330);
    }

    private void send(RecordShipment command) {
        ShipmentOutcome outcome = commands.sendAndWait(command);
        String key = outcome.status() == ShipmentOutcome.Status.DENIED ? "DENIED/" + outcome.reason()
                : String.valueOf(outcome.classification());
        outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
        long count = sent.incrementAndGet();
        if (count % PROGRESS_EVERY == 0) {
            log("%,d commands sent", count);
        }
    }

    /**
     * After a phase: how much JVM CPU each command cost, how often a command had to load its
     * aggregate from the store instead of the cache (each load reads the latest snapshot, an index
     * scan on snapshot_event_entry; PostgreSQL's statistics make this approximate), and how long
     * the balances projection lagged behind the last command.
     */
    private void catchUp(String phase, Counters before, int commandCount) {
        Counters after = counters();
        long started = System.nanoTime();
        long expected = sent.get();
        await("balances projection to catch up after " + phase, () -> jdbc.queryForObject(
                "SELECT COALESCE(SUM(shipments_recorded + shipments_denied), 0) FROM country_balance", Long.class) == expected);
        double lag = seconds(started);
        add(new Figure("  JVM CPU per command (all JVM threads)", (after.cpuNanos() - before.cpuNanos()) / 1e6 / commandCount,
                "ms", null, null));
        sleep(1_500); // PostgreSQL publishes a backend's statistics at most once a second
        add(new Figure("  aggregate loads from the store per command (~)",
                (double) (counters().snapshotScans() - before.snapshotScans()) / commandCount, "", null, null));
        add(new Figure("  garbage collections during the phase", after.gcCount() - before.gcCount(), "", null, null));
        add(new Figure("  then balances projection lag", lag, "s", null, null));
    }

    private record Counters(long cpuNanos, long snapshotScans, long gcCount) {
    }

    private Counters counters() {
        long cpu = CpuWindow.jvmNanos();
        Long scans = jdbc.queryForObject("SELECT COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'snapshot_event_entry'",
                Long.class);
        long gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(count -> count > 0).sum();
        return new Counters(cpu, scans == null ? 0 : scans, gcs);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Single-row INSERT and COMMIT into a scratch table, from {@code threads} connections: what PostgreSQL does raw. */
    private double insertsPerSecond(int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                done.add(pool.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(url, settings.user(), settings.password());
                         PreparedStatement insert = connection.prepareStatement(
                                 "INSERT INTO bench_scratch (id, country, payload) VALUES (?, ?, ?)")) {
                        connection.setAutoCommit(false);
                        for (int i = 0; i < share; i++) {
                            insert.setLong(1, scratchIds.incrementAndGet());
                            insert.setString(2, ONE_COUNTRY);
                            insert.setString(3, SCRATCH_PAYLOAD);
                            insert.executeUpdate();
                            connection.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            return count / seconds(started);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads every ShipmentRecorded row's payload, streamed: the raw cost of reading what a replay
     * reads, in the order it reads it. The table is analysed first and read twice, and the faster
     * read counts: the first after seeding sets the rows' hint bits, and without statistics the
     * planner's choice varied (measured: 67,000 to 180,000 rows/s over one day's runs).
     */
    double rawEventReadsPerSecond() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, settings.user(), settings.password());
             PreparedStatement select = connection.prepareStatement(
                     "SELECT aggregate_identifier, sequence_number, payload FROM domain_event_entry "
                             + "WHERE payload_type LIKE '%ShipmentRecorded' ORDER BY aggregate_identifier, sequence_number")) {
            try (Statement analyse = connection.createStatement()) {
                analyse.execute("ANALYZE domain_event_entry");
            }
            connection.setAutoCommit(false);
            select.setFetchSize(1_000);
            double best = 0;
            for (int read = 1; read <= 2; read++) {
                long started = System.nanoTime();
                long rows = 0;
                long bytes = 0;
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        bytes += result.getBytes(3).length;
                        rows++;
                    }
                }
                double rate = rows / seconds(started);
                log("raw read %d: %d ShipmentRecorded rows, %,d payload bytes, %.0f rows/s", read, rows, bytes, rate);
                best = Math.max(best, rate);
            }
            connection.commit();
            return best;
        }
    }

    /** What the revision did, summed over the countries: shipments replayed, and of those reclassified. */
    record RevisionImpact(long replayed, long reclassified) {
    }

    RevisionImpact revisionImpact() {
        return jdbc.queryForObject("SELECT COALESCE(SUM(shipments_replayed), 0), COALESCE(SUM(reclassified), 0) "
                        + "FROM policy_impact WHERE policy_id = ?",
                (row, rowNum) -> new RevisionImpact(row.getLong(1), row.getLong(2)), REVISION);
    }

    int impactRows(String policyId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM policy_impact WHERE policy_id = ?", Integer.class, policyId);
    }

    void await(String what, BooleanSupplier condition) {
        await(what, 20, condition);
    }

    /** Waits for {@code condition}, asking every {@code pollMillis}: longer where asking costs the service work. */
    void await(String what, long pollMillis, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + settings.timeout().toNanos();
        long nextNote = started + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("timed out after " + settings.timeout() + " waiting for " + what);
            }
            if (now > nextNote) {
                log("still waiting for %s after %.0f s", what, seconds(started));
                nextNote = now + Duration.ofSeconds(30).toNanos();
            }
            sleep(pollMillis);
        }
    }

    private Figure add(Figure figure) {
        figures.add(figure);
        log("%s: %s %s%s", figure.name().strip(), Figure.number(figure.value()), figure.unit(),
                figure.baseline() == null ? "" : String.format(Locale.ROOT, " (baseline %s, ratio %.3f)",
                        Figure.number(figure.baseline()), figure.ratio()));
        return figure;
    }

    private static String withDatabase(String adminUrl, String database) {
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        String params = query < 0 ? "" : adminUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] " + format + "%n",
                prepend(java.time.LocalTime.now().withNano(0), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
