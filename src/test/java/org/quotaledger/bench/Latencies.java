package org.quotaledger.bench;

import java.util.Arrays;

/** Latencies in nanoseconds, recorded by many threads, read as percentiles in milliseconds. */
final class Latencies {

    private long[] nanos = new long[1_024];
    private int size;

    synchronized void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    synchronized int count() {
        return size;
    }

    /**
     * The {@code n} slowest, each with its place in the order they were added ("38.1 ms (#512)"),
     * to tell a burst that stalled many in a row from slow ones spread out.
     */
    synchronized String slowest(int n) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        StringBuilder slowest = new StringBuilder();
        for (int i = 0; i < Math.min(n, size); i++) {
            slowest.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.1f ms (#%d)",
                    nanos[order[i]] / 1e6, order[i] + 1));
        }
        return slowest.toString();
    }

    /** The nearest-rank percentile, in milliseconds; {@code p} in (0, 100]. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            throw new IllegalStateException("no latencies recorded");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }
}
