package org.quotaledger.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.QuotaLedgerApplication;

/**
 * The service in a JVM of its own, started from this test's classpath on the {@code postgres}
 * profile, so that a test can kill it as the operating system would ({@code kill -9}). Its output
 * goes to {@code target/ledger-process-*.log}.
 */
public final class LedgerProcess implements AutoCloseable {

    private final Process process;
    private final RunningLedger ledger;
    private final Path log;

    private LedgerProcess(Process process, RunningLedger ledger, Path log) {
        this.process = process;
        this.ledger = ledger;
        this.log = log;
    }

    /** Starts it on the database and waits until it answers its health check. Settings are "--name=value". */
    public static LedgerProcess start(PostgresDatabase database, String... settings) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), QuotaLedgerApplication.class.getName(),
                "--spring.profiles.active=postgres", "--server.port=" + port,
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password()));
        command.addAll(TestUsers.settings());
        command.addAll(List.of(settings));
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve("ledger-process-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            Process process = builder.start();
            LedgerProcess started = new LedgerProcess(process,
                    RunningLedger.at("http://127.0.0.1:" + port, TestUsers.PASSWORD), log);
            started.awaitHealthy();
            return started;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the service process", e);
        }
    }

    private void awaitHealthy() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service process ended with " + process.exitValue()
                        + "; see " + log.toAbsolutePath());
            }
            try {
                return ledger.anonymous().get("/actuator/health").status() == 200;
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
    }

    public RunningLedger ledger() {
        return ledger;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
