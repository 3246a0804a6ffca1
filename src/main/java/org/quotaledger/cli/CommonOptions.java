package org.quotaledger.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes: where and as whom to connect, and how to answer. They are the
 * root command's, inherited by every subcommand, so they go before or after the command's name.
 */
final class CommonOptions {

    @Option(scope = ScopeType.INHERIT, names = "--url", paramLabel = "URL", description = "The ledger's base URL (env LEDGER_URL; default "
            + CliSettings.DEFAULT_URL + ").")
    String url;

    @Option(scope = ScopeType.INHERIT, names = {"-u", "--user"}, paramLabel = "USER", description = "Sign in as this user, HTTP Basic (env LEDGER_USER).")
    String user;

    @Option(scope = ScopeType.INHERIT, names = "--password", paramLabel = "PASSWORD", description = "The user's password (env LEDGER_PASSWORD; "
            + "prefer it or the config file: the command line is visible to other users of the machine).")
    String password;

    @Option(scope = ScopeType.INHERIT, names = "--token", paramLabel = "JWT", description = "Sign in with a bearer token instead (env LEDGER_TOKEN).")
    String token;

    @Option(scope = ScopeType.INHERIT, names = "--config", paramLabel = "FILE", description = "A properties file with url, user, password, token "
            + "(env LEDGER_CONFIG; default ~/.config/quota-ledger/cli.properties).")
    Path config;

    @Option(scope = ScopeType.INHERIT, names = "--json", description = "Print the ledger's JSON answers, for machines, instead of tables.")
    boolean json;

    @Option(scope = ScopeType.INHERIT, names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    CliSettings.Flags flags() {
        return new CliSettings.Flags(url, user, password, token, config);
    }
}
