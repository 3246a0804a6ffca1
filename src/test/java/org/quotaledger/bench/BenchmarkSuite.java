package org.quotaledger.bench;

import static org.quotaledger.bench.LedgerBenchmark.log;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.QuotaLedgerApplication;

/**
 * Issue 8's benchmark suite: every figure through the service's HTTP API on PostgreSQL, next to
 * a raw baseline measured in the same run, with the target. One table goes to the
 * console and to {@code docs/benchmarks.md} (with the machine, the command and a PNG of record
 * latency against history length).
 *
 * <p>Run: {@code mvn -Pbench test-compile exec:exec} (full sizes; see docs/benchmarks.md for the
 * properties). {@code LedgerBenchmarkSmokeTest} runs it with tiny sizes in the normal test run.
 */
public final class BenchmarkSuite {

    /** What a run measured. */
    public record Result(List<Figure> figures, List<LatencyPlot.Point> latencyByHistory, long streamDeliveriesMissing,
                         WriteFigures.Loads spread, WriteFigures.Loads hot) {
    }

    private final LedgerBenchmark bench;
    private final SuiteSettings sizes;

    public BenchmarkSuite(LedgerBenchmark bench, SuiteSettings sizes) {
        this.bench = bench;
        this.sizes = sizes;
    }

    public static void main(String[] args) throws Exception {
        QuotaLedgerApplication.disableUpdateChecker();
        SuiteSettings sizes = SuiteSettings.fromSystemProperties();
        Instant started = Instant.now();
        String loadBefore = MachineDescription.loadAverage();
        try (LedgerBenchmark bench = new LedgerBenchmark(LedgerBenchmark.Settings.fromSystemProperties()).serveHttp()) {
            Runtime.getRuntime().addShutdownHook(new Thread(bench::dropDatabaseQuietly, "bench-cleanup"));
            bench.start();
            BenchmarkSuite suite = new BenchmarkSuite(bench, sizes);
            suite.publish(suite.run(), started, loadBefore);
        }
        System.exit(0);
    }

    /**
     * Prints the table with the machine's description and, unless {@code bench.docs} is empty,
     * writes both into the Markdown file with the latency plot.
     */
    public void publish(Result result, Instant started, String loadBefore) throws java.io.IOException {
        String machine = MachineDescription.describe(bench.jdbc(), loadBefore);
        String table = Figure.table(result.figures());
        System.out.printf("%nQuota Ledger benchmark suite (issue 8), %s%n%s%n%n%s", sizes.asProperties(), machine, table);
        if (!sizes.docs().isBlank()) {
            SuiteReport.write(Path.of(sizes.docs()), Path.of(sizes.plot()), started, sizes, machine, table,
                    result.latencyByHistory());
            log("results written to %s and %s", sizes.docs(), sizes.plot());
        }
    }

    /** Runs the chosen figures on the started benchmark, in an order where each leaves the next a valid store. */
    public Result run() throws Exception {
        List<Figure> figures = new ArrayList<>();
        BenchHttp http = new BenchHttp(bench.baseUrl(), bench.password());
        Pgbench pgbench = new Pgbench(Pgbench.find(), bench.url(), bench.settings().user(), bench.settings().password());
        HistorySeeder seeder = new HistorySeeder(bench.context());
        List<LatencyPlot.Point> points = List.of();
        long missing = 0;
        WriteFigures.Loads spread = null;
        WriteFigures.Loads hot = null;
        try (MemoryWatch memory = new MemoryWatch()) {
            Wrk wrk = sizes.runs("spread") || sizes.runs("hot") || sizes.runs("reads") ? new Wrk(Wrk.find()) : null;
            WriteFigures writes = new WriteFigures(bench, sizes, http, pgbench, wrk, memory, figures);
            StoreFigures store = new StoreFigures(bench, sizes, http, memory, figures);
            ReadFigures reads = new ReadFigures(bench, sizes, http, wrk, memory, figures);
            if (sizes.runs("spread")) {
                spread = writes.spread();
            }
            if (sizes.runs("hot")) {
                hot = writes.hot();
            }
            if (sizes.runs("reads")) {
                reads.balanceReads();
                missing = reads.streamDelay();
            }
            // The revision is enacted once: before the long history, so that the replay covers
            // the 150 countries' shipments rather than one country's seeded million.
            if (sizes.runs("policy")) {
                store.policyChange(seeder);
            }
            if (sizes.runs("history")) {
                points = writes.history(seeder);
            }
            if (sizes.runs("rebuild")) {
                store.rebuild(seeder);
            }
        }
        return new Result(figures, points, missing, spread, hot);
    }
}
