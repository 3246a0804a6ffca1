package org.quotaledger.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the JVM and the database did during one measured window, logged next to its latencies:
 * CPU time per thread group (pool numbers stripped), garbage collections, and, when PostgreSQL
 * has {@code pg_stat_statements} loaded, the costliest statements. Figure 3 compares windows
 * that should differ only in the country's history; when their latencies differ, this says
 * where the time went.
 */
final class WindowDiagnostics {

    private final JdbcTemplate jdbc;
    private final boolean statements;
    private final Map<String, Long> threadCpu;
    private final long collections;
    private final long collectionMillis;

    private WindowDiagnostics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.statements = resetStatements(jdbc);
        this.threadCpu = threadCpu();
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += collector.getCollectionCount();
            millis += collector.getCollectionTime();
        }
        this.collections = count;
        this.collectionMillis = millis;
    }

    static WindowDiagnostics start(JdbcTemplate jdbc) {
        return new WindowDiagnostics(jdbc);
    }

    /** Logs what happened since {@link #start}; call it before anything else runs (a GC, a query). */
    void log(String label) {
        Map<String, Long> now = threadCpu();
        long count = -collections;
        long millis = -collectionMillis;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += collector.getCollectionCount();
            millis += collector.getCollectionTime();
        }
        StringBuilder busiest = new StringBuilder();
        now.entrySet().stream()
                .map(group -> Map.entry(group.getKey(), group.getValue() - threadCpu.getOrDefault(group.getKey(), 0L)))
                .filter(group -> group.getValue() >= 5_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(group -> busiest.append(String.format(Locale.ROOT, " %s %d,", group.getKey(), group.getValue() / 1_000_000)));
        LedgerBenchmark.log("%s: %d GC(s), %d ms; thread CPU ms:%s", label, count, millis, busiest);
        if (statements) {
            logStatements(label);
        }
    }

    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = thread == null ? -1 : threads.getThreadCpuTime(thread.getThreadId());
            if (cpu > 0) {
                byGroup.merge(thread.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return byGroup;
    }

    /** Whether the statistics are there (the library must be preloaded); if so, they are zeroed. */
    private static boolean resetStatements(JdbcTemplate jdbc) {
        try {
            jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            jdbc.queryForList("SELECT pg_stat_statements_reset()");
            return true;
        } catch (RuntimeException notLoaded) {
            return false;
        }
    }

    private void logStatements(String label) {
        jdbc.query("SELECT calls, total_exec_time, mean_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
                + "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "ORDER BY total_exec_time DESC LIMIT 8", row -> {
            LedgerBenchmark.log("%s: %6d calls %8.1f ms, mean %.3f ms  %s", label, row.getLong(1), row.getDouble(2),
                    row.getDouble(3), row.getString(4));
        });
    }
}
