package org.quotaledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;

/** What the figures were measured on: CPU, memory, Java, PostgreSQL, and how loaded the machine was. */
final class MachineDescription {

    private MachineDescription() {
    }

    static String describe(JdbcTemplate jdbc, String loadBefore) {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
                .orElse("?");
        String postgres = jdbc.queryForObject("SHOW server_version", String.class);
        String settings = String.join(", ", jdbc.queryForList(
                "SELECT name || '=' || setting FROM pg_settings WHERE name IN "
                        + "('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections', 'wal_level') ORDER BY name",
                String.class));
        return String.format(Locale.ROOT, "machine: %d cores (%s), %s RAM, %s %s, Java %s (%s), PostgreSQL %s on localhost (%s)%n"
                        + "load average (1/5/15 min) before: %s, after: %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                postgres, settings, loadBefore, loadAverage());
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException notLinux) {
            return "?";
        }
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException notLinux) {
            return java.util.Optional.empty();
        }
    }
}
