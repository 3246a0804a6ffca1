package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class LedgerCliHelpTest {

    private static final Set<String> COMMANDS = Set.of("record", "void", "import", "reserve", "release",
            "reservations", "balance", "statement", "replay");

    @TempDir
    Path home;

    @Test
    void theClientHasTheCommandsTheIssueAsksFor() {
        CommandLine ledger = new CommandLine(new LedgerCli(new CliRunner(home).environment()));
        assertThat(ledger.getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(COMMANDS);
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageOptionsAndExitCodes() {
        CliRunner runner = new CliRunner(home);
        for (String command : COMMANDS) {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRunner.Run run = runner.run(command, flag);
                assertThat(run.exitCode()).as(command + " " + flag).isZero();
                assertThat(run.out()).as(command)
                        .startsWith("Usage: ledger " + command)
                        .contains("--url=URL", "--user=USER", "--token=JWT", "--config=FILE", "--json", "--quiet")
                        .contains("Exit codes:", "refused by the ledger");
                assertThat(run.err()).isEmpty();
            }
        }
    }

    @Test
    void theTopLevelHelpNamesEveryCommand() {
        CliRunner.Run run = new CliRunner(home).run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: ledger");
        COMMANDS.forEach(command -> assertThat(run.out()).containsPattern("(?m)^  " + command + "\\s"));
    }

    @Test
    void versionNamesTheClient() {
        CliRunner.Run run = new CliRunner(home).run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Quota Ledger command-line client ");
    }

    @Test
    void commandsDescribeTheirOwnOptions() {
        CliRunner runner = new CliRunner(home);
        assertThat(runner.run("record", "--help").out()).contains("--item=MODEL=QUANTITY", "--ship-date=DATE",
                "--reservation=RESERVATION_ID", "--consignee-country=CC");
        assertThat(runner.run("import", "--help").out()).contains("FILE", "--atomic", "--results=OUT", "--format");
        assertThat(runner.run("reserve", "--help").out()).contains("--tpp=TPP", "--expires-at=INSTANT", "--to=CC");
        assertThat(runner.run("statement", "--help").out()).contains("--from=DATE", "--to=DATE", "--csv", "--exporter");
        assertThat(runner.run("replay", "--help").out()).contains("--policy=POLICY_ID", "--policy-file=FILE",
                "--as-of=INSTANT|DATE", "--country=CC");
        assertThat(runner.run("balance", "--help").out()).contains("[CC...]");
    }
}
