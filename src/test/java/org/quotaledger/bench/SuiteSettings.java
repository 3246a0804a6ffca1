package org.quotaledger.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The sizes of the suite's figures (issue 8), each a system property so that the same code runs
 * as a seconds-long smoke test and as the full run. Defaults are the full sizes.
 *
 * @param shipments        shipments per write figure (spread, hot): {@code bench.n}
 * @param clients          concurrent HTTP clients of the write figures: {@code bench.clients}
 * @param pgbenchSeconds   how long each pgbench baseline runs: {@code bench.pgbench.seconds}
 * @param history          history lengths at which record latency is measured, ascending: {@code bench.history}
 * @param latencySamples   commands timed at each history length, and to each of figure 3's two countries in turns: {@code bench.latency.samples}
 * @param policyShipments  recorded shipments the policy change replays: {@code bench.policy.shipments}
 * @param policyCountries  countries they are spread over: {@code bench.policy.countries}
 * @param readers          concurrent balance readers: {@code bench.readers}
 * @param readsPerReader   reads per reader: {@code bench.reads}
 * @param subscribers      balance stream subscribers: {@code bench.subscribers}
 * @param streamCommands   commands whose delivery to every subscriber is timed: {@code bench.stream.commands}
 * @param figures          which figures to run: {@code bench.figures}
 * @param docs             the Markdown file the results go to ("" for none): {@code bench.docs}
 * @param plot             the PNG of latency against history: {@code bench.plot}
 * @param warmupSeconds    untimed load before each HTTP figure (spread, hot, reads), so that the JIT
 *                         has compiled the request path: {@code bench.warmup.seconds}
 * @param warmupMaxSeconds how long a warm-up may go on while the JIT has not settled:
 *                         {@code bench.warmup.max.seconds}
 * @param wrkSeconds       how long wrk sends each write figure's load (spread, hot, the floor):
 *                         {@code bench.wrk.seconds}
 */
public record SuiteSettings(int shipments, int clients, int pgbenchSeconds, List<Long> history, int latencySamples,
                            int policyShipments, int policyCountries, int readers, int readsPerReader,
                            int subscribers, int streamCommands, List<String> figures, String docs, String plot,
                            int warmupSeconds, int warmupMaxSeconds, int wrkSeconds) {

    public static final List<String> ALL_FIGURES = List.of("spread", "hot", "history", "policy", "rebuild", "reads");

    public static SuiteSettings fromSystemProperties() {
        return new SuiteSettings(
                Integer.getInteger("bench.n", 100_000),
                Integer.getInteger("bench.clients", 16),
                Integer.getInteger("bench.pgbench.seconds", 10),
                Arrays.stream(System.getProperty("bench.history", "1000,10000,100000,1000000").split(","))
                        .map(String::trim).map(Long::valueOf).sorted().toList(),
                Integer.getInteger("bench.latency.samples", 5000),
                Integer.getInteger("bench.policy.shipments", 1_000_000),
                Integer.getInteger("bench.policy.countries", 150),
                Integer.getInteger("bench.readers", 200),
                Integer.getInteger("bench.reads", 100),
                Integer.getInteger("bench.subscribers", 500),
                Integer.getInteger("bench.stream.commands", 20),
                List.of(System.getProperty("bench.figures", String.join(",", ALL_FIGURES)).split(",")),
                System.getProperty("bench.docs", "docs/benchmarks.md"),
                System.getProperty("bench.plot", "docs/benchmarks-latency.png"),
                Integer.getInteger("bench.warmup.seconds", 60),
                Integer.getInteger("bench.warmup.max.seconds", 300),
                Integer.getInteger("bench.wrk.seconds", 30));
    }

    boolean runs(String figure) {
        return figures.contains(figure);
    }

    /** The system properties that reproduce this run, for the report. */
    String asProperties() {
        return String.format(java.util.Locale.ROOT, "-Dbench.n=%d -Dbench.clients=%d -Dbench.pgbench.seconds=%d "
                        + "-Dbench.history=%s -Dbench.latency.samples=%d -Dbench.policy.shipments=%d "
                        + "-Dbench.policy.countries=%d -Dbench.readers=%d -Dbench.reads=%d -Dbench.subscribers=%d "
                        + "-Dbench.stream.commands=%d -Dbench.figures=%s -Dbench.warmup.seconds=%d -Dbench.warmup.max.seconds=%d "
                        + "-Dbench.wrk.seconds=%d",
                shipments, clients, pgbenchSeconds, String.join(",", history.stream().map(String::valueOf).toList()),
                latencySamples, policyShipments, policyCountries, readers, readsPerReader, subscribers, streamCommands,
                String.join(",", figures), warmupSeconds, warmupMaxSeconds, wrkSeconds);
    }
}
