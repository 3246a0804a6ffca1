package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ledger} against the whole service on PostgreSQL, over real HTTP on a random port: an
 * exporter records, is refused, voids; an auditor reads balances and runs a what-if replay. The
 * steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerCliIT {

    private static final String MAY = "ai-diffusion-rescission-2025-05";

    @TempDir
    static Path home;

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();

    private static CliRunner as(String user) {
        return CliRunner.signedIn(home, service.ledger(), user);
    }

    private static CliRunner.Run record(String id, String country, String model, int quantity, String... more) {
        return recordOn("2025-03-10", id, country, model, quantity, more);
    }

    private static CliRunner.Run recordOn(String shipDate, String id, String country, String model, int quantity,
                                          String... more) {
        String[] args = {"record", "--id", id, "--to", country, "--ship-date", shipDate, "--consignee-id", "g42",
                "--consignee-name", "G42 Cloud", "--consignee-country", country, "--item", model + "=" + quantity};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return as(TestUsers.EXPORTER_A).run(all);
    }

    private static JsonNode json(String text) throws Exception {
        return LedgerApi.JSON.readTree(text);
    }

    @Test
    @Order(1)
    void anExporterRecordsAShipmentAndTheSameOneAgainGetsTheSameAnswer() throws Exception {
        long before = service.events();
        CliRunner.Run run = record("CLI-0001", "AE", "H100", 2000);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("CLI-0001\\s+AE\\s+RECORDED\\s+COUNTED\\s+31,664,000\\s+31,664,000\\s+758,336,000");
        assertThat(service.ledger().as(TestUsers.EXPORTER_A).get("/api/v1/shipments/CLI-0001").status()).isEqualTo(200);
        long after = service.events();
        assertThat(after).isGreaterThan(before);

        CliRunner.Run again = record("CLI-0001", "AE", "H100", 2000, "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(json(again.out()).path("debitedTpp").asLong()).isEqualTo(31_664_000L);
        assertThat(service.events()).as("a repeat records nothing").isEqualTo(after);
    }

    @Test
    @Order(2)
    void theSameIdWithOtherContentIsAConflict() {
        CliRunner.Run run = record("CLI-0001", "AE", "H100", 1);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(run.err()).contains("HTTP 409");
        assertThat(run.out()).isEmpty();
    }

    @Test
    @Order(3)
    void aDeniedShipmentExitsTwoWithTheReason() throws Exception {
        CliRunner.Run run = record("CLI-0002", "CN", "H20", 10, "--json");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("HTTP 422", "[DESTINATION_PROHIBITED]");
        assertThat(json(run.out()).path("reason").asText()).isEqualTo("DESTINATION_PROHIBITED");

        CliRunner.Run overdraw = record("CLI-0003", "AE", "H100", 50_000);
        assertThat(overdraw.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(overdraw.err()).contains("[QUOTA_EXCEEDED]");
    }

    @Test
    @Order(4)
    void badInputExitsSevenNamingTheField() {
        CliRunner.Run run = record("CLI-0004", "ae", "H100", 1);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).contains("HTTP 400", "destinationCountry:");

        CliRunner.Run unknownCountry = as(TestUsers.AUDITOR).run("balance", "ZZ");
        assertThat(unknownCountry.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(unknownCountry.err()).contains("unknown country code");
    }

    @Test
    @Order(5)
    void balanceShowsTheCountrysQuota() throws Exception {
        CliRunner auditor = as(TestUsers.AUDITOR);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            CliRunner.Run run = auditor.run("balance", "AE", "--json");
            assertThat(run.exitCode()).isZero();
            assertThat(json(run.out()).path("consumedTpp").asLong()).isEqualTo(31_664_000L);
        });

        CliRunner.Run table = auditor.run("balance", "AE", "cn");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).containsPattern("country\\s+tier\\s+policy\\s+status\\s+cap tpp\\s+consumed tpp")
                .containsPattern("AE\\s+\\S+\\s+ai-diffusion-2025-01\\s+OPEN\\s+790,000,000\\s+31,664,000\\s+758,336,000")
                .containsPattern("CN\\s+\\S+\\s+ai-diffusion-2025-01\\s+PROHIBITED");

        CliRunner.Run every = as(TestUsers.EXPORTER_A).run("balance", "--json");
        assertThat(every.exitCode()).isZero();
        assertThat(json(every.out()).path("balances")).hasSize(LedgerOnPostgres.COUNTRIES);
    }

    @Test
    @Order(6)
    void anExporterVoidsItsShipmentAndAnUnknownOneIsNotFound() {
        CliRunner exporter = as(TestUsers.EXPORTER_A);
        CliRunner.Run run = exporter.run("void", "CLI-0001", "--reason", "entered twice");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("CLI-0001\\s+AE\\s+31,664,000\\s+790,000,000");

        assertThat(exporter.run("void", "CLI-9999", "--reason", "no such").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(as(TestUsers.EXPORTER_B).run("void", "CLI-0001", "--reason", "not mine").exitCode())
                .as("another exporter's shipment is not found").isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(7)
    void anAuditorRunsAWhatIfReplayWithAProgressBar() throws Exception {
        // After the revision's effective date (2025-05-13): counted now, unrestricted under the revision.
        CliRunner.Run recorded = recordOn("2025-06-20", "CLI-0005", "AE", "H100", 3000);
        assertThat(recorded.out()).as(recorded.err()).contains("COUNTED");
        CliRunner.Run run = as(TestUsers.AUDITOR).interactive()
                .run("replay", "--policy", MAY, "--as-of", Instant.now().plusSeconds(5).toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("\rreplay [").contains("249/249 countries").endsWith("\n");
        assertThat(run.out()).contains("Replay ", " of " + MAY + " as of ", "249 countries")
                .containsPattern("AE\\s+OPEN\\s+47,496,000\\s+742,504,000\\s+UNRESTRICTED\\s+\\S+\\s+-\\s+1\\s+0");

        CliRunner.Run some = as(TestUsers.AUDITOR).run("replay", "--policy", MAY, "--country", "AE,CN", "--json");
        assertThat(some.exitCode()).isZero();
        JsonNode job = json(some.out());
        assertThat(job.path("state").asText()).isEqualTo("DONE");
        assertThat(job.path("countriesDone").asInt()).isEqualTo(2);
        assertThat(job.path("results")).hasSize(2);
        assertThat(some.err()).as("no bar when nobody watches").isEmpty();

        CliRunner.Run csv = as(TestUsers.AUDITOR).run("replay", "--policy", MAY, "--country", "AE", "--csv");
        assertThat(csv.exitCode()).isZero();
        assertThat(csv.out().lines()).hasSize(2).anyMatch(line -> line.startsWith("AE,"));
    }

    @Test
    @Order(8)
    void anUnknownPolicyIsInvalid() {
        CliRunner.Run run = as(TestUsers.AUDITOR).run("replay", "--policy", "no-such-policy");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).contains("policyId: is neither enacted nor shipped");
    }

    /**
     * How users run it: ops/ledger starts the client from the repackaged jar (mvn verify packages
     * before the integration tests run) through Boot's PropertiesLauncher, with no Spring context.
     */
    @Test
    @Order(9)
    void theLauncherRunsTheClientFromThePackagedJar() throws Exception {
        ProcessBuilder launcher = new ProcessBuilder("bash", "ops/ledger", "balance", "AE", "--json");
        launcher.environment().put("LEDGER_URL", service.ledger().baseUrl());
        launcher.environment().put("LEDGER_USER", TestUsers.AUDITOR);
        launcher.environment().put("LEDGER_PASSWORD", TestUsers.PASSWORD);
        Path out = home.resolve("launcher.out");
        Path err = home.resolve("launcher.err");
        Process process = launcher.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher ends").isTrue();

        String errors = Files.readString(err);
        assertThat(process.exitValue()).as(errors).isZero();
        assertThat(json(Files.readString(out)).path("country").asText()).isEqualTo("AE");
        assertThat(errors).as("no Spring banner, no logging").isEmpty();

        Process refused = new ProcessBuilder("bash", "ops/ledger", "balance", "AE", "--url", "http://127.0.0.1:1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as("the exit code reaches the shell").isEqualTo(ExitCodes.UNAVAILABLE);
    }

    @Test
    @Order(10)
    void signInAndPermissionFailuresExitFive() {
        CliRunner.Run wrongPassword = as(TestUsers.AUDITOR).env("LEDGER_PASSWORD", "wrong").run("balance", "AE");
        assertThat(wrongPassword.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(wrongPassword.err()).contains("HTTP 401", "signed in as auditor");

        CliRunner.Run nobody = new CliRunner(home).env("LEDGER_URL", service.ledger().baseUrl()).run("balance", "AE");
        assertThat(nobody.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(nobody.err()).contains("no credentials given");

        CliRunner.Run exporterReplays = as(TestUsers.EXPORTER_A).run("replay", "--policy", MAY);
        assertThat(exporterReplays.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(exporterReplays.err()).contains("HTTP 403");
    }
}
