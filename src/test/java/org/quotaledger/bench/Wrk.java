package org.quotaledger.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * HTTP load from {@code wrk}: a C program in a process of its own, as pgbench is for the database
 * baselines. The suite's in-process Java client shares the service's JVM and spends a large part
 * of the 2 cores on itself (measured: the floor's refused requests went from 441-452/s with it to
 * 1,200-1,400/s with wrk); against pgbench's lean C client that charged the ledger for its load
 * generator. Each run sends its load for a fixed time from {@code connections} connections
 * ({@code wrk-shipments.lua}: each request a new shipment; {@code wrk-reads.lua}: GETs of the given
 * paths), and reads back the statuses, the duration and the latency percentiles
 * ({@code wrk-tally.lua}).
 */
final class Wrk {

    /** What a run did: how long it ran, each status's count, and latency percentiles. */
    record Run(double seconds, Map<Integer, Long> statuses, double p50Millis, double p99Millis, long errors) {

        /** Answers per second with one of {@code statuses}: the requests that did what was measured. */
        double perSecond(int... counted) {
            long answered = 0;
            for (int status : counted) {
                answered += statuses.getOrDefault(status, 0L);
            }
            return answered / seconds;
        }

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        /** Fails unless there were answers, each with one of {@code expected}, and no socket error. */
        void requireOnly(String what, Integer... expected) {
            if (errors > 0 || !List.of(expected).containsAll(statuses.keySet()) || statuses.isEmpty()) {
                throw new IllegalStateException(what + " from wrk: statuses " + statuses + ", " + errors
                        + " socket errors; expected only " + List.of(expected));
            }
        }
    }

    /** One per core, as pgbench's -j. */
    static final int THREADS = 2;
    /** What every load's script shares: the statuses' tally and the summary for {@link #parse}. */
    private static final String TALLY = "wrk-tally.lua";

    private final String executable;

    Wrk(String executable) {
        this.executable = executable;
    }

    /**
     * POSTs the bodies to {@code baseUrl + path} for {@code seconds} from {@code connections}
     * connections, signed in with {@code authorization}; starts over with new shipment ids when
     * every body is sent.
     */
    Run post(String baseUrl, String path, String authorization, List<String> bodies, int connections, int seconds)
            throws IOException, InterruptedException {
        return run("wrk-shipments.lua", Map.of("path", lua(path)), baseUrl, authorization, bodies, connections, seconds);
    }

    /** GETs the paths, in turn and round again, for {@code seconds} from {@code connections} connections. */
    Run get(String baseUrl, String authorization, List<String> paths, int connections, int seconds)
            throws IOException, InterruptedException {
        return run("wrk-reads.lua", Map.of(), baseUrl, authorization, paths, connections, seconds);
    }

    /**
     * As {@link #get}, but each connection is a reader who pauses between reads, for a random time
     * (exponential) of {@code meanPauseMillis} on average: the latency readers see at a load below
     * what the service can take, rather than at saturation.
     */
    Run getPaced(String baseUrl, String authorization, List<String> paths, int connections, int seconds,
                 long meanPauseMillis) throws IOException, InterruptedException {
        return run("wrk-reads.lua", Map.of("mean_pause_ms", Long.toString(meanPauseMillis)), baseUrl, authorization,
                paths, connections, seconds);
    }

    /**
     * Runs wrk with the load's script, its items (one per line) shared out among wrk's threads;
     * {@code loadParams} (Lua values, by name) go into the scripts' {@code PARAMS} with the ones
     * every load has.
     */
    private Run run(String loadScript, Map<String, String> loadParams, String baseUrl, String authorization,
                    List<String> items, int connections, int seconds) throws IOException, InterruptedException {
        Path itemsFile = Files.createTempFile("bench-wrk-items", ".txt");
        Path script = Files.createTempFile("bench-wrk", ".lua");
        try {
            Files.write(itemsFile, items, StandardCharsets.UTF_8);
            Map<String, String> params = new TreeMap<>(loadParams);
            params.put("authorization", lua(authorization));
            params.put("items", lua(itemsFile.toString()));
            params.put("threads", Integer.toString(THREADS));
            Files.writeString(script, "PARAMS = { " + params.entrySet().stream()
                    .map(param -> param.getKey() + " = " + param.getValue()).collect(Collectors.joining(", ")) + " }\n"
                    + scriptText(TALLY) + scriptText(loadScript));
            List<String> command = List.of(executable, "-t", Integer.toString(THREADS), "-c", Integer.toString(connections),
                    "-d", seconds + "s", "--timeout", "60s", "-s", script.toString(), URI.create(baseUrl).resolve("/").toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + output);
            }
            Run run = parse(output);
            LedgerBenchmark.log("wrk, %d connections, %d s: statuses %s, %d socket errors, p50 %.2f ms, p99 %.2f ms",
                    connections, seconds, run.statuses(), run.errors(), run.p50Millis(), run.p99Millis());
            return run;
        } finally {
            Files.deleteIfExists(itemsFile);
            Files.deleteIfExists(script);
        }
    }

    static Run parse(String output) {
        Map<Integer, Long> statuses = new TreeMap<>();
        Long durationMicros = null;
        Long p50 = null;
        Long p99 = null;
        long errors = 0;
        for (String line : output.split("\n")) {
            String[] words = line.trim().split(" ");
            if (words.length < 3 || !words[0].equals("QL")) {
                continue;
            }
            switch (words[1]) {
                case "duration_us" -> durationMicros = Long.valueOf(words[2]);
                case "p50_us" -> p50 = Long.valueOf(words[2]);
                case "p99_us" -> p99 = Long.valueOf(words[2]);
                case "errors" -> errors = Long.parseLong(words[2]);
                case "status" -> statuses.put(Integer.valueOf(words[2]), Long.valueOf(words[3]));
                default -> { }
            }
        }
        if (durationMicros == null || p50 == null || p99 == null) {
            throw new IllegalStateException("wrk's output lacks the script's summary:\n" + output);
        }
        return new Run(durationMicros / 1e6, statuses, p50 / 1e3, p99 / 1e3, errors);
    }

    private static String scriptText(String name) throws IOException {
        try (InputStream in = Wrk.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A Lua string literal. */
    private static String lua(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /** wrk from PATH, or {@code -Dbench.wrk}: Debian's wrk package. */
    static String find() {
        return Executables.configuredOrOnPath("bench.wrk", "wrk").orElseThrow(() -> new IllegalStateException(
                "wrk not found: install Debian's wrk package or set -Dbench.wrk=/path/to/wrk"));
    }
}
