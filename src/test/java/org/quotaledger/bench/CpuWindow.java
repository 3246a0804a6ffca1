package org.quotaledger.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * The CPU time this JVM (the service and the suite, which is idle while wrk loads it) and the
 * local PostgreSQL use over one window of a load. On two shared cores a figure's throughput is
 * what its CPU per operation allows, so these tell which side a change made cheaper, where the
 * throughput alone moves as much with the machine's noise (measured: 20-40 % between runs).
 */
final class CpuWindow {

    private final long jvmAtStart;
    private final Map<String, Long> postgresAtStart;

    private CpuWindow() {
        this.jvmAtStart = jvmNanos();
        this.postgresAtStart = PostgresCpu.ticksByProcess();
    }

    static CpuWindow start() {
        return new CpuWindow();
    }

    Use stop() {
        long postgres = postgresAtStart.isEmpty() ? -1 : PostgresCpu.nanosSince(postgresAtStart);
        return new Use(jvmNanos() - jvmAtStart, postgres);
    }

    /** @param postgresNanos -1 when this machine does not show PostgreSQL's processes */
    record Use(long jvmNanos, long postgresNanos) {

        double jvmMillisPer(long operations) {
            return operations == 0 ? 0 : jvmNanos / 1e6 / operations;
        }

        boolean postgresVisible() {
            return postgresNanos >= 0;
        }

        double postgresMillisPer(long operations) {
            return operations == 0 ? 0 : postgresNanos / 1e6 / operations;
        }
    }

    static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
