package org.quotaledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time all local PostgreSQL processes have used, read from /proc (Linux, with the server
 * on this machine). A figure's work is shared between the JVM and the database on the same two
 * cores, so the database's own share per row tells what the JVM may spend within a target.
 * A window is measured per process ({@link #nanosSince}): one that exits within it takes its
 * time in the window with it (the service's pool keeps its connections open, so they do not).
 */
final class PostgresCpu {

    /** Clock ticks per second of /proc's utime and stime: USER_HZ, 100 on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private PostgresCpu() {
    }

    /**
     * Each {@code postgres} process's CPU time so far, in clock ticks, by process id; empty when
     * this machine does not show PostgreSQL's processes (no local server, or not Linux).
     */
    static Map<String, Long> ticksByProcess() {
        Map<String, Long> ticks = new HashMap<>();
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return ticks;
        }
        try (Stream<Path> processes = Files.list(proc)) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                long used = postgresTicks(process);
                if (used > 0) {
                    ticks.put(process.getFileName().toString(), used);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /**
     * The CPU time, in nanoseconds, the {@code postgres} processes used since {@code before}: what
     * each process still running used meanwhile, a process that started since counted whole. A
     * process that ended meanwhile is left out rather than subtracted: otherwise pgbench's
     * connections, ending just after a baseline as a load starts, took their whole run's time
     * off the load's (measured: a window's total came out negative in the smoke run).
     */
    static long nanosSince(Map<String, Long> before) {
        long ticks = 0;
        for (Map.Entry<String, Long> process : ticksByProcess().entrySet()) {
            ticks += Math.max(0, process.getValue() - before.getOrDefault(process.getKey(), 0L));
        }
        return toNanos(ticks);
    }

    private static long toNanos(long ticks) {
        return (long) (ticks / TICKS_PER_SECOND * 1e9);
    }

    private static long postgresTicks(Path process) {
        if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
            return 0;
        }
        try {
            String stat = Files.readString(process.resolve("stat"));
            int nameEnd = stat.lastIndexOf(')');
            if (nameEnd < 0 || !stat.substring(stat.indexOf('(') + 1, nameEnd).equals("postgres")) {
                return 0;
            }
            // After the name: state is field 3; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(nameEnd + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended while it was read
        }
    }
}
