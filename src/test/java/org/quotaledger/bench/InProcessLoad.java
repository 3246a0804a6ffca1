package org.quotaledger.bench;

import static org.quotaledger.bench.LedgerBenchmark.log;
import static org.quotaledger.bench.LedgerBenchmark.seconds;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Load from the suite's own Java client, on threads of the service's JVM: the warm-up before every
 * HTTP figure, and the timed loads of the figures that wrk does not send (reads) or that are
 * measured beside wrk's (spread, hot, the floor).
 */
final class InProcessLoad {

    /** What a concurrent load did: its rate, its latencies, and its HTTP statuses. */
    record Load(double perSecond, Latencies latencies, Map<Integer, Long> statuses) {
    }

    /** A warm-up slice: how often it asks whether the JIT has settled. */
    private static final long SLICE_SECONDS = 10;
    /** Settled: the compiler threads busy for less than this share of a slice (of one core). */
    private static final double SETTLED_COMPILER_SHARE = 0.10;

    private InProcessLoad() {
    }

    /**
     * Untimed load before a timed one: at least {@code bench.warmup.seconds}, then on until the JIT
     * has settled (its compiler threads used less than a tenth of a core over the last 10 s), or
     * {@code bench.warmup.max.seconds} have passed. On 2 cores the JIT needs minutes of load to
     * compile a request's path: measured on a slow day, C2 spent a whole core for 3 minutes,
     * single methods 2-8 s each (Jackson's bean serializer, Spring MVC's message converters, the
     * JDBC driver), and spread ran at 273-356 shipments/s after 60 s of warm-up against 705/s
     * after 240 s. A fixed warm-up times the compiler on a slow day; a service that runs for
     * days is timed once it has settled. {@code call} gets odd numbers only: never a cluster
     * shipment (every 5,000th), so the warm-up debits no capped quota.
     */
    static void warmUp(SuiteSettings sizes, IntFunction<Integer> call) throws Exception {
        if (sizes.warmupSeconds() <= 0) {
            return;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        long atLeastUntil = started + sizes.warmupSeconds() * 1_000_000_000L;
        long atMostUntil = started + Math.max(sizes.warmupSeconds(), sizes.warmupMaxSeconds()) * 1_000_000_000L;
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(sizes.clients());
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < sizes.clients(); t++) {
                workers.add(pool.submit(() -> {
                    while (running.get()) {
                        call.apply(2 * next.getAndIncrement() + 1);
                    }
                    return null;
                }));
            }
            sleepUntil(atLeastUntil, workers);
            double compilerShare = Double.NaN;
            while (!(compilerShare < SETTLED_COMPILER_SHARE) && System.nanoTime() < atMostUntil) {
                long compiledBefore = jit.getTotalCompilationTime();
                long sliceStarted = System.nanoTime();
                sleepUntil(Math.min(atMostUntil, sliceStarted + SLICE_SECONDS * 1_000_000_000L), workers);
                compilerShare = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - sliceStarted) / 1e6);
            }
            running.set(false);
            for (Future<Void> worker : workers) {
                worker.get();
            }
            log("warm-up: %,d requests in %.0f s; the JIT's compiling in its last slice: %s", next.get(),
                    seconds(started), Double.isNaN(compilerShare) ? "not measured (no time was left)"
                            : String.format(java.util.Locale.ROOT, "%.0f %% of a core", 100 * compilerShare));
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    /** Waits until {@code deadline}; a worker that failed fails the warm-up at once. */
    private static void sleepUntil(long deadline, List<Future<Void>> workers) throws Exception {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(left / 1_000_000 + 1, 500));
            for (Future<Void> worker : workers) {
                if (worker.isDone()) {
                    worker.get();
                }
            }
        }
    }

    /** Runs {@code total} calls of {@code call} (given 0..total-1) on {@code clients} threads. */
    static Load concurrently(int total, int clients, IntFunction<Integer> call) throws Exception {
        Latencies latencies = new Latencies();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        onThreads(clients, () -> {
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long sent = System.nanoTime();
                int status = call.apply(i);
                latencies.add(System.nanoTime() - sent);
                statuses.computeIfAbsent(status, key -> new LongAdder()).increment();
                if ((i + 1) % 10_000 == 0) {
                    log("%,d requests", i + 1);
                }
            }
            return null;
        });
        double rate = total / seconds(started);
        Map<Integer, Long> tally = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> tally.put(status, count.sum()));
        log("%,d requests from %d clients: %.0f/s, statuses %s", total, clients, rate, tally);
        return new Load(rate, latencies, tally);
    }

    /** Runs {@code worker} on {@code clients} threads at once and waits for every one; a failure fails the run. */
    private static void onThreads(int clients, Callable<Void> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                done.add(pool.submit(worker));
            }
            for (Future<Void> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
