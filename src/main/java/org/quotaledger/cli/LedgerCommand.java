package org.quotaledger.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.quotaledger.cli.LedgerApi.LedgerApiException;
import org.quotaledger.cli.LedgerApi.LedgerUnreachableException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code ledger} command shares: it connects with the resolved settings, runs, and
 * turns the ledger's refusals into the documented exit codes and a message on standard error.
 */
abstract class LedgerCommand implements Callable<Integer> {

    /** The longest wait between two polls: a replay's answer carries every result so far, so long jobs are polled gently. */
    static final Duration LONGEST_POLL_INTERVAL = Duration.ofSeconds(2);

    @ParentCommand
    LedgerCli root;

    @Spec
    CommandSpec spec;

    CommonOptions options() {
        return root.options;
    }

    /** Runs the command against the ledger; returns an exit code from {@link ExitCodes}. */
    abstract int run(LedgerApi api) throws Exception;

    @Override
    public final Integer call() throws Exception {
        CliSettings settings;
        try {
            settings = CliSettings.resolve(options().flags(), root.environment());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            return run(new LedgerApi(settings));
        } catch (LedgerApiException e) {
            if (options().json && e.problem() != null) {
                printJson(e.problem());
            }
            err().println(spec.qualifiedName() + ": " + e.getMessage()
                    + (e.status() == 401 ? hintSignIn(settings) : ""));
            err().flush();
            return ExitCodes.forStatus(e.status());
        } catch (LedgerUnreachableException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            err().flush();
            return ExitCodes.UNAVAILABLE;
        }
    }

    private static String hintSignIn(CliSettings settings) {
        return settings.authorization() == null
                ? " (no credentials given: set LEDGER_USER and LEDGER_PASSWORD, LEDGER_TOKEN, or a config file)"
                : " (signed in as " + settings.signedInAs() + ")";
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(JsonNode node) throws JsonProcessingException {
        out().println(LedgerApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out().flush();
    }

    ProgressBar progressBar(String label, String unit) {
        return new ProgressBar(err(), root.environment().interactive() && !options().quiet, label, unit);
    }

    /**
     * Polls a job until it leaves {@code running}, redrawing the bar from the job's own figures;
     * the wait doubles from the environment's poll interval up to {@link #LONGEST_POLL_INTERVAL}.
     * Interrupting the client (Ctrl-C) leaves the job running on the ledger.
     */
    JsonNode awaitJob(LedgerApi api, String path, JsonNode job, Predicate<JsonNode> running, ProgressBar bar,
                      String doneField, String totalField) throws InterruptedException {
        JsonNode current = job;
        Duration wait = root.environment().pollInterval();
        try {
            while (true) {
                bar.update(current.path(doneField).asLong(), longOrNull(current, totalField),
                        longOrNull(current, "etaSeconds"));
                if (!running.test(current)) {
                    return current;
                }
                Thread.sleep(wait.toMillis());
                wait = min(wait.multipliedBy(2), LONGEST_POLL_INTERVAL);
                current = api.get(path);
            }
        } finally {
            bar.finish();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Long longOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
