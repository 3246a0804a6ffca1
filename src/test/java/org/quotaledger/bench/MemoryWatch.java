package org.quotaledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap and resident set size of this JVM, sampled while a workload runs. The service runs in the
 * benchmark's JVM, so both include the load generator's share (small: its threads and latencies).
 */
final class MemoryWatch implements AutoCloseable {

    /** Peaks during a workload, and the heap left after a full GC at its end (what it retains). */
    record Usage(double peakHeapMb, double peakRssMb, double retainedHeapMb) {
    }

    private static final Path STATUS = Path.of("/proc/self/status");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-memory");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long peakHeap;
    private volatile long peakRss;
    private ScheduledFuture<?> sampling;

    /** Starts sampling every 100 ms, forgetting earlier peaks. */
    void start() {
        peakHeap = 0;
        peakRss = 0;
        sampling = sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    Usage stop() {
        sampling.cancel(false);
        sample();
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed();
        return new Usage(peakHeap / 1e6, peakRss / 1e6, retained / 1e6);
    }

    private void sample() {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        peakRss = Math.max(peakRss, rss());
    }

    /**
     * Logs the classes that hold the most heap (a full GC first), as {@code jcmd GC.class_histogram}
     * would: the evidence when the retained heap changes between workloads.
     */
    static void logHeapHistogram(int top) {
        try {
            Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = histogram.toString().split("\n");
            StringBuilder out = new StringBuilder("heap histogram (top " + top + "):");
            for (int i = 0; i < Math.min(lines.length, top + 3); i++) {
                out.append("\n    ").append(lines[i]);
            }
            out.append("\n    ").append(lines[lines.length - 1].trim());
            LedgerBenchmark.log("%s", out);
        } catch (javax.management.JMException e) {
            LedgerBenchmark.log("no heap histogram: %s", e.getMessage());
        }
    }

    /** VmRSS from /proc (Linux); 0 elsewhere. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
