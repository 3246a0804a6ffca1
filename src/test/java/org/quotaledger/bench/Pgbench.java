package org.quotaledger.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw ceiling of the write figures: PostgreSQL's own {@code pgbench} running a custom script
 * of one single-row INSERT, committed on its own (no explicit transaction: autocommit), on the
 * ledger's database while the ledger is idle. The row is about an event's size. The write figures
 * measure it right before and right after their load ({@link #around}).
 */
final class Pgbench {

    static final String TABLE = "bench_pgbench";
    private static final String SCRIPT = "INSERT INTO " + TABLE + " (country, payload) VALUES ('AE', repeat('x', 600));\n";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final long SETTLE_MILLIS = 2_000;

    private final String executable;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    Pgbench(String executable, String jdbcUrl, String user, String password) {
        this.executable = executable;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * A baseline measured right before and right after a figure's load: on these machines pgbench
     * moved by up to 40 % within minutes (1 client: 2,553 and 3,586 commits/s ten minutes apart),
     * so one measurement minutes away from the load compares the figure with another moment.
     */
    record Bracket(double before, double after) {

        double mean() {
            return (before + after) / 2;
        }

        /** The baseline column's description, with both measurements. */
        String describe(int clients) {
            return String.format(Locale.ROOT, "pgbench INSERT+COMMIT/s, %d client%s: mean of %,.0f before and %,.0f after",
                    clients, clients == 1 ? "" : "s", before, after);
        }
    }

    /** Runs pgbench, the load, then pgbench again, once the service has finished the load's tail. */
    <T> Bracketed<T> around(int clients, int seconds, Callable<T> load) throws Exception {
        double before = insertsPerSecond(clients, seconds);
        T result = load.call();
        // The balances projection and the snapshotter finish the load's last events meanwhile.
        Thread.sleep(SETTLE_MILLIS);
        return new Bracketed<>(result, new Bracket(before, insertsPerSecond(clients, seconds)));
    }

    record Bracketed<T>(T load, Bracket baseline) {
    }

    /** Inserts committed per second by {@code clients} connections over {@code seconds}. */
    double insertsPerSecond(int clients, int seconds) throws IOException, InterruptedException, SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (id BIGSERIAL PRIMARY KEY, country CHAR(2) NOT NULL, payload TEXT NOT NULL)");
        }
        Path script = Files.createTempFile("bench-insert", ".sql");
        Files.writeString(script, SCRIPT);
        try {
            URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
            List<String> command = new ArrayList<>(List.of(executable, "-n", "-f", script.toString(),
                    "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                    "-T", Integer.toString(seconds), "-h", server.getHost(),
                    "-p", Integer.toString(server.getPort() < 0 ? 5432 : server.getPort()),
                    "-U", user, server.getPath().substring(1)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (!password.isEmpty()) {
                builder.environment().put("PGPASSWORD", password);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed: " + String.join(" ", command) + "\n" + output);
            }
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IllegalStateException("no tps in pgbench's output:\n" + output);
            }
            double rate = Double.parseDouble(tps.group(1));
            LedgerBenchmark.log("pgbench, %d client(s), %d s: %.0f single-row INSERT+COMMIT/s", clients, seconds, rate);
            return rate;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** pgbench from PATH, else the newest under /usr/lib/postgresql (Debian's postgresql-client). */
    static String find() throws IOException {
        var configuredOrOnPath = Executables.configuredOrOnPath("bench.pgbench", "pgbench");
        if (configuredOrOnPath.isPresent()) {
            return configuredOrOnPath.get();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (var versions = Files.list(debian)) {
                var found = versions.map(version -> version.resolve("bin/pgbench")).filter(Files::isExecutable)
                        .sorted().reduce((first, second) -> second);
                if (found.isPresent()) {
                    return found.get().toString();
                }
            }
        }
        throw new IllegalStateException("pgbench not found: install postgresql-client or set -Dbench.pgbench=/path/to/pgbench");
    }
}
