package org.quotaledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes a run into docs/benchmarks.md: the generated section between two markers is replaced,
 * the hand-written rest of the file is kept. The latency plot is written next to it.
 */
final class SuiteReport {

    static final String BEGIN = "<!-- bench:results:begin (written by BenchmarkSuite; edits here are overwritten) -->";
    static final String END = "<!-- bench:results:end -->";

    private SuiteReport() {
    }

    static void write(Path markdown, Path png, Instant started, SuiteSettings sizes, String machine, String table,
                      List<LatencyPlot.Point> latencyByHistory) throws IOException {
        String image = "";
        if (!latencyByHistory.isEmpty()) {
            LatencyPlot.write(latencyByHistory, "Record latency against history length (" + started.truncatedTo(ChronoUnit.MINUTES)
                    + ")", png);
            Path relative = markdown.toAbsolutePath().getParent().relativize(png.toAbsolutePath());
            image = "\n![Record latency against history length](" + relative.toString().replace('\\', '/') + ")\n";
        }
        String section = BEGIN + "\n\n"
                + "Run of " + started.truncatedTo(ChronoUnit.SECONDS) + " ("
                + Math.round(java.time.Duration.between(started, Instant.now()).toSeconds() / 60.0) + " min):\n\n"
                + "```sh\nmvn -Pbench test-compile exec:exec " + sizes.asProperties() + "\n```\n\n"
                + "```\n" + machine + "\n\n" + table + "```\n" + image + "\n" + END;
        String existing = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n";
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? existing.substring(0, begin) + section + existing.substring(end + END.length())
                : existing.stripTrailing() + "\n\n## Latest run\n\n" + section + "\n";
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, updated);
    }
}
