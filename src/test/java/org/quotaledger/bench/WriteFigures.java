package org.quotaledger.bench;

import static org.quotaledger.bench.LedgerBenchmark.log;
import static org.quotaledger.bench.LedgerBenchmark.seconds;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

import org.quotaledger.bench.Figure.Target;
import org.quotaledger.policy.rules.Treatment;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Figures 1-3 of issue 8, all through HTTP: spread load and hot country against pgbench, and
 * record latency against the country's history length.
 */
final class WriteFigures {

    private final LedgerBenchmark bench;
    private final SuiteSettings sizes;
    private final BenchHttp http;
    private final Pgbench pgbench;
    private final Wrk wrk;
    private final MemoryWatch memory;
    private final List<Figure> figures;

    WriteFigures(LedgerBenchmark bench, SuiteSettings sizes, BenchHttp http, Pgbench pgbench, Wrk wrk,
                 MemoryWatch memory, List<Figure> figures) {
        this.bench = bench;
        this.sizes = sizes;
        this.http = http;
        this.pgbench = pgbench;
        this.wrk = wrk;
        this.memory = memory;
        this.figures = figures;
    }

    /** What the two write figures measured: with the suite's Java client, and with wrk. */
    record Loads(InProcessLoad.Load inProcess, Wrk.Run wrk) {
    }

    /**
     * 1. Shipments/s from {@code clients} HTTP clients over the Tier 2 countries, against pgbench with
     * as many clients: from wrk (the figure), then from the suite's client in the service's JVM.
     */
    Loads spread() throws Exception {
        List<String> countries = bench.tier2Countries();
        InProcessLoad.warmUp(sizes, i -> http.recordShipment("warm-spread", i, countries.get(i % countries.size())));
        GroupCommits commitsBefore = groupCommits();
        Pgbench.Bracketed<LoadWindow<Wrk.Run>> bracketed = pgbench.around(sizes.clients(), sizes.pgbenchSeconds(),
                () -> measured("wrk-spread", () -> shipmentsFromWrk("wrk-spread", i -> countries.get(i % countries.size()))));
        GroupCommits commits = groupCommits().since(commitsBefore);
        double baseline = bracketed.baseline().mean();
        String baselineName = bracketed.baseline().describe(sizes.clients());
        Wrk.Run wrkLoad = bracketed.load().result();
        figures.add(new Figure("1 spread: shipments/s, " + sizes.clients() + " wrk connections, " + countries.size()
                + " countries", wrkLoad.perSecond(201, 422), "shipments/s", baseline, baselineName, Target.ratioAtLeast(0.5)));
        figures.add(new Figure("  1 spread: shipments per commit (group commit), mean", commits.shipmentsPerCommit(),
                "shipments", null, null));
        figures.add(new Figure("  1 spread: countries per commit, mean", commits.countriesPerCommit(), "countries",
                null, null));
        latencyRows("1 spread (wrk)", wrkLoad);
        cpuRows("1 spread", bracketed.load().cpu(), wrkLoad.count(201) + wrkLoad.count(422));
        figures.add(Figure.memory("spread load", bracketed.load().usage()));
        InProcessLoad.Load load = InProcessLoad.concurrently(sizes.shipments(), sizes.clients(),
                i -> http.recordShipment("spread", i, countries.get(i % countries.size())));
        figures.add(new Figure("  1 spread, the suite's Java client in the service's JVM", load.perSecond(),
                "shipments/s", baseline, baselineName));
        latencyRows("1 spread (Java client)", load.latencies());
        LoadWindow<Wrk.Run> floorWindow = measured("wrk-floor", () -> wrk.post(http.base(), BenchHttp.SHIPMENTS,
                http.authorization(LedgerBenchmark.EXPORTER), bodies("wrk-floor", i -> "XX"), sizes.clients(),
                sizes.wrkSeconds()));
        Wrk.Run wrkFloor = floorWindow.result();
        wrkFloor.requireOnly("refused shipments", 400);
        figures.add(new Figure("  1 HTTP floor: same requests refused at validation (wrk)", wrkFloor.perSecond(400),
                "requests/s", baseline, baselineName));
        figures.add(new Figure("  1 HTTP floor: CPU per request, the service's JVM",
                floorWindow.cpu().jvmMillisPer(wrkFloor.count(400)), "ms", null, null));
        InProcessLoad.Load floor = InProcessLoad.concurrently(sizes.shipments(), sizes.clients(), i -> http.refusedShipment("floor", i));
        figures.add(new Figure("  1 HTTP floor, the suite's Java client", floor.perSecond(), "requests/s",
                baseline, baselineName));
        return new Loads(load, wrkLoad);
    }

    /** 2. Every shipment to one country from {@code clients} clients, against pgbench with one client. */
    Loads hot() throws Exception {
        InProcessLoad.warmUp(sizes, i -> http.recordShipment("warm-hot", i, LedgerBenchmark.ONE_COUNTRY));
        GroupCommits commitsBefore = groupCommits();
        Pgbench.Bracketed<LoadWindow<Wrk.Run>> bracketed = pgbench.around(1, sizes.pgbenchSeconds(),
                () -> measured("wrk-hot", () -> shipmentsFromWrk("wrk-hot", i -> LedgerBenchmark.ONE_COUNTRY)));
        GroupCommits commits = groupCommits().since(commitsBefore);
        double baseline = bracketed.baseline().mean();
        String baselineName = bracketed.baseline().describe(1);
        Wrk.Run wrkLoad = bracketed.load().result();
        figures.add(new Figure("2 hot: shipments/s to " + LedgerBenchmark.ONE_COUNTRY + ", " + sizes.clients()
                + " wrk connections", wrkLoad.perSecond(201, 422), "shipments/s", baseline, baselineName,
                Target.ratioAtLeast(0.5)));
        figures.add(new Figure("  2 hot: shipments per commit (group commit), mean", commits.shipmentsPerCommit(),
                "shipments", null, null));
        latencyRows("2 hot (wrk)", wrkLoad);
        cpuRows("2 hot", bracketed.load().cpu(), wrkLoad.count(201) + wrkLoad.count(422));
        figures.add(Figure.memory("hot country", bracketed.load().usage()));
        InProcessLoad.Load load = InProcessLoad.concurrently(sizes.shipments(), sizes.clients(),
                i -> http.recordShipment("hot", i, LedgerBenchmark.ONE_COUNTRY));
        figures.add(new Figure("  2 hot, the suite's Java client in the service's JVM", load.perSecond(), "shipments/s",
                baseline, baselineName));
        latencyRows("2 hot (Java client)", load.latencies());
        return new Loads(load, wrkLoad);
    }

    /** A load's result with the service's memory and the CPU used while it ran. */
    private record LoadWindow<T>(T result, MemoryWatch.Usage usage, CpuWindow.Use cpu) {
    }

    /** Runs the load, measured; its window's CPU per thread group (and statements, if preloaded) is logged. */
    private <T> LoadWindow<T> measured(String label, Callable<T> load) throws Exception {
        memory.start();
        WindowDiagnostics window = WindowDiagnostics.start(bench.jdbc());
        CpuWindow cpu = CpuWindow.start();
        T result = load.call();
        CpuWindow.Use used = cpu.stop();
        window.log(label);
        return new LoadWindow<>(result, memory.stop(), used);
    }

    /**
     * What each shipment cost the JVM and PostgreSQL over wrk's window. Shipments recorded while
     * wrk stopped, unanswered, are not counted: a slight overstatement, at most one per connection.
     */
    private void cpuRows(String figure, CpuWindow.Use cpu, long shipments) {
        figures.add(new Figure("  " + figure + ": CPU per shipment, the service's JVM", cpu.jvmMillisPer(shipments),
                "ms", null, null));
        if (cpu.postgresVisible()) {
            figures.add(new Figure("  " + figure + ": CPU per shipment, PostgreSQL", cpu.postgresMillisPer(shipments),
                    "ms", null, null));
        }
    }

    /**
     * Shipments of {@code phase} from wrk for {@code bench.wrk.seconds}, {@code clients}
     * connections: recorded (201) or denied (422), nothing else, and every one answered is in the
     * registry (a request in flight when wrk stops may be recorded unanswered, so at least as many).
     */
    private Wrk.Run shipmentsFromWrk(String phase, IntFunction<String> country) throws Exception {
        Wrk.Run run = wrk.post(http.base(), BenchHttp.SHIPMENTS, http.authorization(LedgerBenchmark.EXPORTER),
                bodies(phase, country), sizes.clients(), sizes.wrkSeconds());
        run.requireOnly(phase, 201, 422);
        long answered = run.count(201) + run.count(422);
        long registered = bench.jdbc().queryForObject("SELECT COUNT(*) FROM shipment WHERE shipment_id LIKE ?",
                Long.class, "bench-" + phase + "-%");
        if (registered < answered) {
            throw new IllegalStateException(phase + ": wrk saw " + answered + " shipments answered, the registry holds "
                    + registered);
        }
        log("%s: %,d shipments answered in %.1f s (%.0f/s), %,d in the registry", phase, answered, run.seconds(),
                run.perSecond(201, 422), registered);
        return run;
    }

    /** The bodies wrk cycles through: the suite's shipments, {@code bench.n} of them. */
    private List<String> bodies(String phase, IntFunction<String> country) {
        int count = Math.max(Wrk.THREADS, sizes.shipments());
        List<String> bodies = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            bodies.add(BenchHttp.shipmentJson(phase, i, country.apply(i)));
        }
        return bodies;
    }

    /**
     * 3. Record latency (one client, sequential) at each history length: the country's history is
     * seeded to that length, snapshotted and evicted from the cache first, as after a restart.
     * Those windows answer the plot's points; the figure compares the longest with the shortest
     * timed in turns ({@link #timedInTurns}).
     */
    List<LatencyPlot.Point> history(HistorySeeder seeder) throws Exception {
        String country = historyCountry();
        if (!sizes.runs("spread") && !sizes.runs("hot")) {
            // Alone, the shortest history would be timed on a cold JVM (measured: p50 8.8-13.4 ms at
            // 1,000 events against 3.4-5.0 ms at 1,000,000), a ratio of the compiler, not of history.
            List<String> countries = bench.tier2Countries();
            InProcessLoad.warmUp(sizes, i -> http.recordShipment("warm-history", i, countries.get(i % countries.size())));
        }
        List<LatencyPlot.Point> points = new ArrayList<>();
        List<MemoryWatch.Usage> usages = new ArrayList<>();
        for (long length : sizes.history()) {
            Measured measured = seedAndMeasure(seeder, country, length, "history-");
            figures.add(new Figure(String.format(java.util.Locale.ROOT, "  3 first record after restart, history %,d",
                    measured.point().history()), measured.coldMillis(), "ms", null, null));
            points.add(measured.point());
            usages.add(measured.usage());
        }
        LatencyPlot.Point first = points.get(0);
        LatencyPlot.Point longest = points.get(points.size() - 1);
        InTurns inTurns = timedInTurns(seeder, country, controlCountry(country));
        String firstName = String.format(java.util.Locale.ROOT, "%,d prior events, measured first", first.history());
        figures.add(new Figure("  3 record latency p50, " + firstName, first.p50Millis(), "ms", null, null));
        figures.add(new Figure("  3 record latency p99, " + firstName, first.p99Millis(), "ms", null, null));
        String at = String.format(java.util.Locale.ROOT, "%,d", longest.history());
        figures.add(new Figure("  3 record latency p50, " + at + " prior events, measured alone", longest.p50Millis(), "ms", null, null));
        figures.add(new Figure("  3 record latency p99, " + at + " prior events, measured alone", longest.p99Millis(), "ms", null, null));
        String baselineName = String.format(java.util.Locale.ROOT, "%,d prior events, timed in turns with it",
                inTurns.shortest().history());
        String inTurnsName = String.format(java.util.Locale.ROOT, "%,d prior events, in turns", inTurns.longest().history());
        figures.add(new Figure("3 record latency p50, " + inTurnsName, inTurns.longest().p50Millis(), "ms",
                inTurns.shortest().p50Millis(), baselineName, Target.ratioAtMost(1.2)));
        figures.add(new Figure("3 record latency p99, " + inTurnsName, inTurns.longest().p99Millis(), "ms",
                inTurns.shortest().p99Millis(), baselineName, Target.ratioAtMost(1.2)));
        String heapBaseline = String.format(java.util.Locale.ROOT, "same, %,d prior events", first.history());
        for (int i = 0; i < points.size(); i++) {
            figures.add(Figure.memory(String.format(java.util.Locale.ROOT, "history %,d", points.get(i).history()), usages.get(i)));
        }
        figures.add(new Figure("7 heap retained, " + at + " prior events", usages.get(usages.size() - 1).retainedHeapMb(),
                "MB", usages.get(0).retainedHeapMb(), heapBaseline, Target.ratioAtMost(1.2)));
        return points;
    }

    private record Measured(LatencyPlot.Point point, MemoryWatch.Usage usage, double coldMillis) {
    }

    /**
     * Seeds the country to {@code length} events, snapshots it and evicts it from the cache (as
     * after a restart), then times the first command (the aggregate load) and
     * {@code bench.latency.samples} more, one after another.
     */
    private Measured seedAndMeasure(HistorySeeder seeder, String country, long length, String idPrefix) {
        seed(seeder, country, length);
        long prior = priorEvents(country);
        memory.start();
        long first = System.nanoTime();
        http.recordShipment(idPrefix + length, 0, country);
        double coldMillis = (System.nanoTime() - first) / 1e6;
        Latencies latencies = new Latencies();
        WindowDiagnostics window = WindowDiagnostics.start(bench.jdbc());
        for (int i = 1; i <= sizes.latencySamples(); i++) {
            latencies.add(timedShipment(idPrefix + length, i, country));
        }
        window.log(String.format(java.util.Locale.ROOT, "%s %,d", country, prior));
        MemoryWatch.Usage usage = memory.stop();
        MemoryWatch.logHeapHistogram(8);
        LatencyPlot.Point point = point(prior, latencies);
        log("%s %,d: first command (aggregate load) %.1f ms, then p50 %.2f ms, p99 %.2f ms", country, prior, coldMillis,
                point.p50Millis(), point.p99Millis());
        return new Measured(point, usage, coldMillis);
    }

    /** The longest history and the shortest, timed in the same window. */
    private record InTurns(LatencyPlot.Point longest, LatencyPlot.Point shortest) {
    }

    /**
     * The figure itself: the shortest history, seeded on a second country right after the longest
     * was measured, and both timed in turns, a command to one then a command to the other,
     * {@code bench.latency.samples} each. Timed one window after the other (until the thirteenth
     * round), the p99 ratio moved with the run rather than with history: 0.60-1.50 over the ninth to
     * twelfth rounds' runs, while the p50 ratio stayed within 0.95-1.10. In turns, both series share
     * the run's state, its GCs and the machine's noise.
     */
    private InTurns timedInTurns(HistorySeeder seeder, String longCountry, String shortCountry) {
        seed(seeder, shortCountry, sizes.history().get(0));
        long longPrior = priorEvents(longCountry);
        long shortPrior = priorEvents(shortCountry);
        // The second country's aggregate load (the first command after its snapshot), untimed: its
        // own row at each length says what a load costs.
        http.recordShipment("in-turns-short", 0, shortCountry);
        Latencies longLatencies = new Latencies();
        Latencies shortLatencies = new Latencies();
        WindowDiagnostics window = WindowDiagnostics.start(bench.jdbc());
        for (int i = 1; i <= sizes.latencySamples(); i++) {
            // Which goes first alternates, so that neither always follows the other.
            if (i % 2 == 0) {
                longLatencies.add(timedShipment("in-turns-long", i, longCountry));
                shortLatencies.add(timedShipment("in-turns-short", i, shortCountry));
            } else {
                shortLatencies.add(timedShipment("in-turns-short", i, shortCountry));
                longLatencies.add(timedShipment("in-turns-long", i, longCountry));
            }
        }
        window.log(String.format(java.util.Locale.ROOT, "%s %,d and %s %,d in turns", longCountry, longPrior, shortCountry,
                shortPrior));
        InTurns inTurns = new InTurns(point(longPrior, longLatencies), point(shortPrior, shortLatencies));
        log("in turns: %s %,d p50 %.2f ms, p99 %.2f ms; %s %,d p50 %.2f ms, p99 %.2f ms", longCountry, longPrior,
                inTurns.longest().p50Millis(), inTurns.longest().p99Millis(), shortCountry, shortPrior,
                inTurns.shortest().p50Millis(), inTurns.shortest().p99Millis());
        // Pair #n is the n-th command to each: slow ones at the same numbers in both were one stall of the run.
        log("in turns, slowest of %s: %s", longCountry, longLatencies.slowest(12));
        log("in turns, slowest of %s: %s", shortCountry, shortLatencies.slowest(12));
        return inTurns;
    }

    /**
     * Brings the country to {@code length} events, snapshots it and evicts it from the cache, as
     * after a restart.
     */
    private void seed(HistorySeeder seeder, String country, long length) {
        long missing = length - seeder.historyLength(country);
        long started = System.nanoTime();
        while (missing > 0) {
            int chunk = (int) Math.min(missing, 100_000);
            seeder.append(country, chunk);
            missing -= chunk;
            log("%s: %,d events of history", country, seeder.historyLength(country));
        }
        seeder.snapshot(country, bench);
        seeder.settle(bench);
        log("%s seeded to %,d events and snapshotted in %.1f s", country, seeder.historyLength(country), seconds(started));
    }

    /** The events in the country's stream: its next command's sequence number. */
    private long priorEvents(String country) {
        return bench.jdbc().queryForObject("SELECT COALESCE(MAX(sequence_number) + 1, 0) FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", Long.class, country);
    }

    private long timedShipment(String phase, int i, String country) {
        long sent = System.nanoTime();
        http.recordShipment(phase, i, country);
        return System.nanoTime() - sent;
    }

    private static LatencyPlot.Point point(long prior, Latencies latencies) {
        return new LatencyPlot.Point(prior, latencies.percentileMillis(50), latencies.percentileMillis(99));
    }

    /** The group commit's summaries: commits, and the shipments and countries in them. */
    private record GroupCommits(double commits, double shipments, double countries) {

        GroupCommits since(GroupCommits before) {
            return new GroupCommits(commits - before.commits, shipments - before.shipments, countries - before.countries);
        }

        double shipmentsPerCommit() {
            return commits == 0 ? 0 : shipments / commits;
        }

        double countriesPerCommit() {
            return commits == 0 ? 0 : countries / commits;
        }
    }

    private GroupCommits groupCommits() {
        MeterRegistry registry = bench.context().getBean(MeterRegistry.class);
        DistributionSummary sizes = registry.find("ledger.shipment.group.commit.size").summary();
        DistributionSummary countries = registry.find("ledger.shipment.group.commit.countries").summary();
        return new GroupCommits(sizes == null ? 0 : sizes.count(), sizes == null ? 0 : sizes.totalAmount(),
                countries == null ? 0 : countries.totalAmount());
    }

    /** A capped country that no other figure writes to. */
    String historyCountry() {
        return capped("").reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("every capped country is in the spread figure: lower bench.countries"));
    }

    /**
     * Another, for the shortest history timed in turns with the longest: from the end of the list, as the policy
     * figure takes its countries from the start, and one with no longer history than that yet.
     */
    private String controlCountry(String historyCountry) {
        List<String> candidates = new ArrayList<>(capped(historyCountry).toList());
        java.util.Collections.reverse(candidates);
        return candidates.stream().filter(country -> priorEvents(country) <= sizes.history().get(0))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no second capped country that other figures leave "
                        + "alone: lower bench.countries or bench.policy.countries"));
    }

    private java.util.stream.Stream<String> capped(String except) {
        return bench.countriesTreated(treatment -> treatment == Treatment.CAPPED).stream()
                .filter(country -> !bench.tier2Countries().contains(country))
                .filter(country -> !country.equals(LedgerBenchmark.ONE_COUNTRY))
                .filter(country -> !country.equals(except));
    }

    private void latencyRows(String figure, Latencies latencies) {
        latencyRows(figure, latencies.percentileMillis(50), latencies.percentileMillis(99));
    }

    private void latencyRows(String figure, Wrk.Run run) {
        latencyRows(figure, run.p50Millis(), run.p99Millis());
    }

    private void latencyRows(String figure, double p50Millis, double p99Millis) {
        figures.add(new Figure("  " + figure + ": latency p50", p50Millis, "ms", null, null));
        figures.add(new Figure("  " + figure + ": latency p99", p99Millis, "ms", null, null));
    }
}
