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
