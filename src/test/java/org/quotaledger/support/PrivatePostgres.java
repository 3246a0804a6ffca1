package org.quotaledger.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own, in a temporary directory on a free port, that the test
 * may stop and start (the shared server on 5432 is left alone). Built with the machine's
 * {@code initdb} and {@code pg_ctl} (Debian: /usr/lib/postgresql/VERSION/bin). PostgreSQL refuses
 * to run as root: when the tests run as root (as CI does), its commands run as the {@code postgres}
 * user through {@code runuser}, in a directory handed over to that user. Trust authentication,
 * 127.0.0.1 only.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path directory;
    private final Path bin;
    private final int port;

    private PrivatePostgres(Path directory, Path bin, int port) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
    }

    public static PrivatePostgres start() {
        try {
            Path bin = binaries();
            Path directory = Files.createTempDirectory("ql-private-pg-");
            if (asRoot()) {
                run(List.of("chown", "postgres:postgres", directory.toString()), false);
            }
            PrivatePostgres server = new PrivatePostgres(directory, bin, LedgerProcess.freePort());
            run(List.of(bin.resolve("initdb").toString(), "-D", server.data(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), asRoot());
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up a private PostgreSQL server", e);
        }
    }

    public String serverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/";
    }

    /** Stops the server as an operator would ({@code pg_ctl stop -m fast}: sessions are cut). */
    public void stopServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"), asRoot());
    }

    public void startServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", directory.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start"),
                asRoot());
    }

    @Override
    public void close() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"), asRoot());
        } catch (IllegalStateException alreadyStopped) {
            // nothing to stop
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private String data() {
        return directory.resolve("data").toString();
    }

    private static Path binaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql "
                            + "(Debian: apt-get install postgresql)"));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean asPostgres) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", full) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
