package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliSettingsTest {

    private static final CliSettings.Flags NO_FLAGS = new CliSettings.Flags(null, null, null, null, null);

    @TempDir
    Path home;

    @Test
    void withNothingSetTheClientTalksToLocalhostUnsignedIn() {
        CliSettings settings = CliSettings.resolve(NO_FLAGS, new CliRunner(home).environment());
        assertThat(settings.baseUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(settings.authorization()).isNull();
    }

    @Test
    void theDefaultConfigFileIsReadFromTheHomeDirectory() throws IOException {
        writeConfig(home.resolve(".config/quota-ledger/cli.properties"),
                "url=https://ledger.example/\nuser=nvidia\npassword=from-file\n");
        CliSettings settings = CliSettings.resolve(NO_FLAGS, new CliRunner(home).environment());
        assertThat(settings.baseUrl()).isEqualTo(URI.create("https://ledger.example"));
        assertThat(settings.authorization()).isEqualTo(basic("nvidia", "from-file"));
    }

    @Test
    void xdgConfigHomeMovesTheDefaultConfigFile() throws IOException {
        writeConfig(home.resolve("xdg/quota-ledger/cli.properties"), "url=http://xdg.example:9000\n");
        CliSettings settings = CliSettings.resolve(NO_FLAGS,
                new CliRunner(home).env("XDG_CONFIG_HOME", home.resolve("xdg").toString()).environment());
        assertThat(settings.baseUrl()).isEqualTo(URI.create("http://xdg.example:9000"));
    }

    @Test
    void theEnvironmentOverridesTheConfigFileAndFlagsOverrideBoth() throws IOException {
        Path config = home.resolve("cli.properties");
        writeConfig(config, "url=http://file.example\nuser=file-user\npassword=file-password\n");
        CliRunner runner = new CliRunner(home).env("LEDGER_CONFIG", config.toString())
                .env("LEDGER_URL", "http://env.example").env("LEDGER_PASSWORD", "env-password");

        CliSettings fromEnvironment = CliSettings.resolve(NO_FLAGS, runner.environment());
        assertThat(fromEnvironment.baseUrl()).isEqualTo(URI.create("http://env.example"));
        assertThat(fromEnvironment.authorization()).isEqualTo(basic("file-user", "env-password"));

        CliSettings fromFlags = CliSettings.resolve(
                new CliSettings.Flags("http://flag.example", "flag-user", null, null, null), runner.environment());
        assertThat(fromFlags.baseUrl()).isEqualTo(URI.create("http://flag.example"));
        assertThat(fromFlags.authorization()).isEqualTo(basic("flag-user", "env-password"));
    }

    @Test
    void aUserGivenMoreStronglyThanATokenWinsAndAtEqualStrengthTheTokenDoes() {
        CliRunner runner = new CliRunner(home).env("LEDGER_TOKEN", "env-token").env("LEDGER_PASSWORD", "secret");
        assertThat(CliSettings.resolve(NO_FLAGS, runner.environment()).authorization()).isEqualTo("Bearer env-token");
        assertThat(CliSettings.resolve(new CliSettings.Flags(null, "nvidia", null, null, null), runner.environment())
                .authorization()).isEqualTo(basic("nvidia", "secret"));
        runner.env("LEDGER_USER", "amd");
        assertThat(CliSettings.resolve(NO_FLAGS, runner.environment()).authorization()).isEqualTo("Bearer env-token");
        assertThat(CliSettings.resolve(new CliSettings.Flags(null, null, null, "flag-token", null), runner.environment())
                .authorization()).isEqualTo("Bearer flag-token");
    }

    @Test
    void aUserWithoutAPasswordIsAUsageError() {
        assertThatThrownBy(() -> CliSettings.resolve(new CliSettings.Flags(null, "nvidia", null, null, null),
                new CliRunner(home).environment()))
                .hasMessageContaining("user 'nvidia' has no password").hasMessageContaining("LEDGER_PASSWORD");
        CliRunner.Run run = new CliRunner(home).run("balance", "AE", "--user", "nvidia");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("user 'nvidia' has no password");
    }

    @Test
    void aNamedConfigFileMustExistAndAUrlMustBeHttp() {
        CliRunner.Run missing = new CliRunner(home).run("balance", "AE", "--config", home.resolve("absent").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("cannot read the config file");

        CliRunner.Run badUrl = new CliRunner(home).env("LEDGER_URL", "ftp://ledger.example").run("balance", "AE");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badUrl.err()).contains("is not an http(s) URL");
    }

    @Test
    void optionsGoBeforeOrAfterTheCommandName() throws Exception {
        try (StubLedger stub = new StubLedger()) {
            stub.route(request -> StubLedger.Answer.json(200, "{\"country\":\"AE\"}"));
            assertThat(new CliRunner(home).run("--url", stub.url(), "-u", "auditor", "--password", "pw", "balance", "AE")
                    .exitCode()).isZero();
            assertThat(new CliRunner(home).run("balance", "AE", "--url", stub.url(), "--token", "t").exitCode()).isZero();
            assertThat(stub.requests()).extracting(StubLedger.Request::authorization)
                    .containsExactly(basic("auditor", "pw"), "Bearer t");
        }
    }

    private static void writeConfig(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
