package org.quotaledger.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

import picocli.CommandLine;

/**
 * Runs {@code ledger} in this JVM, as {@code ops/ledger} would run it, with a chosen environment,
 * and captures what it prints.
 */
final class CliRunner {

    record Run(int exitCode, String out, String err) {
    }

    private final Map<String, String> variables = new HashMap<>();
    private final Path home;
    private boolean interactive;

    CliRunner(Path home) {
        this.home = home;
    }

    /** Signed in to a running ledger as one of the test users, through the environment as a user would. */
    static CliRunner signedIn(Path home, RunningLedger ledger, String user) {
        return new CliRunner(home).env("LEDGER_URL", ledger.baseUrl()).env("LEDGER_USER", user)
                .env("LEDGER_PASSWORD", TestUsers.PASSWORD);
    }

    CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** As if a person watched the terminal: progress bars are drawn. */
    CliRunner interactive() {
        interactive = true;
        return this;
    }

    CliEnvironment environment() {
        return new CliEnvironment(Map.copyOf(variables), home, interactive, Duration.ofMillis(20),
                LocalDate.of(2025, 12, 31));
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new LedgerCli(environment()))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
