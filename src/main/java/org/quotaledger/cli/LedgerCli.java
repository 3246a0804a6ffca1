package org.quotaledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ledger}: the Quota Ledger's command-line client. It talks to a running ledger over its
 * HTTP API, as any other client does, and depends on no other part of the product (ArchitectureTest
 * holds it to that). It starts no Spring: {@code ops/ledger} runs this class from the service's jar.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true, versionProvider = LedgerCli.Version.class,
        scope = ScopeType.INHERIT, exitCodeOnInvalidInput = ExitCodes.USAGE,
        exitCodeOnExecutionException = ExitCodes.UNAVAILABLE,
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:done",
                "1:usage error (bad option, missing argument, unreadable file or setting)",
                "2:refused by the ledger (denied, 422; an import with rows not recorded)",
                "3:not found (404)",
                "4:conflict: id taken with other content, or already resolved (409)",
                "5:authentication or permission failure (401, 403)",
                "6:ledger unreachable, failing (5xx), busy (429), or its job failed",
                "7:request invalid (400, 413): the message names the field"},
        description = "Records shipments, reserves quota, imports files, reads balances and statements, and runs "
                + "what-if replays on a Quota Ledger. Settings: flags, then LEDGER_URL, LEDGER_USER, LEDGER_PASSWORD, "
                + "LEDGER_TOKEN, then the config file.",
        subcommands = {RecordCommand.class, VoidCommand.class, ImportCommand.class, ReserveCommand.class,
                ReleaseCommand.class, ReservationsCommand.class, BalanceCommand.class, StatementCommand.class,
                ReplayCommand.class})
public final class LedgerCli implements Runnable {

    /** The version the jar's manifest names (Implementation-Version), which Maven writes from the pom. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LedgerCli.class.getPackage().getImplementationVersion();
            return new String[] {"Quota Ledger command-line client " + (version != null ? version : "(development build)")};
        }
    }

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    public LedgerCli() {
        this(CliEnvironment.system());
    }

    LedgerCli(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command, e.g. 'ledger balance AE'");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LedgerCli()).execute(args));
    }
}
