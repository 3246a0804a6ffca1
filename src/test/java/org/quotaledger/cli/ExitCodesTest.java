package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodesTest {

    @TempDir
    Path home;

    @Test
    void eachKindOfAnswerHasItsOwnExitCode() {
        assertThat(ExitCodes.forStatus(200)).isEqualTo(0);
        assertThat(ExitCodes.forStatus(201)).isEqualTo(0);
        assertThat(ExitCodes.forStatus(202)).isEqualTo(0);
        assertThat(ExitCodes.forStatus(422)).isEqualTo(2);
        assertThat(ExitCodes.forStatus(404)).isEqualTo(3);
        assertThat(ExitCodes.forStatus(409)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(401)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(403)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(500)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(429)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(400)).isEqualTo(7);
        assertThat(ExitCodes.forStatus(413)).isEqualTo(7);
        assertThat(ExitCodes.forStatus(415)).isEqualTo(7);
    }

    @Test
    void theHelpListsTheSameCodesTheClientExitsWith() {
        String help = new CliRunner(home).run("--help").out();
        assertThat(help).contains("Exit codes:")
                .containsPattern("\\b" + ExitCodes.OK + "\\s+done")
                .containsPattern("\\b" + ExitCodes.USAGE + "\\s+usage error")
                .containsPattern("\\b" + ExitCodes.REFUSED + "\\s+refused by the ledger")
                .containsPattern("\\b" + ExitCodes.NOT_FOUND + "\\s+not found")
                .containsPattern("\\b" + ExitCodes.CONFLICT + "\\s+conflict")
                .containsPattern("\\b" + ExitCodes.AUTH + "\\s+authentication or permission failure")
                .containsPattern("\\b" + ExitCodes.UNAVAILABLE + "\\s+ledger unreachable")
                .containsPattern("\\b" + ExitCodes.INVALID + "\\s+request invalid");
    }

    @Test
    void anUnreachableLedgerExitsSix() {
        CliRunner.Run run = new CliRunner(home).run("balance", "AE", "--url", "http://127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("cannot reach the ledger at http://127.0.0.1:1");
    }

    @Test
    void usageErrorsExitOne() {
        CliRunner runner = new CliRunner(home);
        assertThat(runner.run().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(runner.run("no-such-command").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(runner.run("balance", "--no-such-option").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRunner.Run missing = runner.run("record", "--id", "S-1");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required options").contains("--to=CC");
        assertThat(runner.run("replay").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(runner.run("replay", "--policy", "p", "--policy-file", "p.json").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(runner.run("import", home.resolve("absent.csv").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
