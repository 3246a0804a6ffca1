package org.quotaledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
 * The exporter's workflow through {@code ledger} against the whole service on PostgreSQL:
 * reserve, confirm, release; import a file with good, denied and invalid rows; read the
 * statement.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerCliWorkflowIT {

    @TempDir
    static Path home;

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();

    private static CliRunner as(String user) {
        return CliRunner.signedIn(home, service.ledger(), user);
    }

    private static CliRunner.Run reserve(String id, String country, long tpp, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("reserve", "--id", id, "--to", country, "--tpp",
                Long.toString(tpp), "--consignee-id", "g42", "--consignee-name", "G42 Cloud", "--consignee-country", country));
        args.addAll(List.of(more));
        return as(TestUsers.EXPORTER_A).run(args.toArray(String[]::new));
    }

    private static String row(String id, String country, String model, int quantity) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"Consignee %s","headquartersCountry":"%s"},\
                "destinationCountry":"%s","shipDate":"2025-06-20","items":[{"model":"%s","quantity":%d}]}"""
                .formatted(id, id, id, country, country, model, quantity);
    }

    private static JsonNode json(String text) throws Exception {
        return LedgerApi.JSON.readTree(text);
    }

    @Test
    @Order(1)
    void anExporterReservesConfirmsWithAShipmentAndCannotReleaseAfterwards() throws Exception {
        CliRunner.Run reserved = reserve("R-CLI-1", "AE", 100_000_000L, "--json");
        assertThat(reserved.exitCode()).as(reserved.err()).isZero();
        JsonNode view = json(reserved.out());
        assertThat(view.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(view.path("reservedTpp").asLong()).isEqualTo(100_000_000L);
        assertThat(view.path("availableTpp").asLong()).isEqualTo(690_000_000L);

        CliRunner.Run shown = as(TestUsers.EXPORTER_A).run("reservations", "R-CLI-1");
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).containsPattern("R-CLI-1\\s+exporter-a\\s+AE\\s+g42\\s+100,000,000\\s+0\\s+ACTIVE");

        CliRunner.Run confirmed = as(TestUsers.EXPORTER_A).run("record", "--id", "S-CLI-1", "--to", "AE",
                "--ship-date", "2025-06-20", "--consignee-id", "g42", "--consignee-name", "G42 Cloud",
                "--consignee-country", "AE", "--item", "H100=2000", "--reservation", "R-CLI-1");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("RECORDED", "31,664,000");

        CliRunner.Run release = as(TestUsers.EXPORTER_A).run("release", "R-CLI-1");
        assertThat(release.exitCode()).as("a confirmed reservation is resolved").isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    @Order(2)
    void anExporterReleasesAReservationOnceAndAReservationBeyondTheCapIsRefused() {
        assertThat(reserve("R-CLI-2", "AE", 1_000_000L).exitCode()).isZero();

        CliRunner.Run released = as(TestUsers.EXPORTER_A).run("release", "R-CLI-2");
        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(released.out()).contains("RELEASED");
        assertThat(as(TestUsers.EXPORTER_A).run("release", "R-CLI-2").exitCode()).isEqualTo(ExitCodes.CONFLICT);

        CliRunner.Run tooMuch = reserve("R-CLI-3", "AE", 1_000_000_000_000L);
        assertThat(tooMuch.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(tooMuch.err()).contains("[QUOTA_EXCEEDED]");

        assertThat(as(TestUsers.EXPORTER_A).run("reservations").out()).contains("R-CLI-1", "R-CLI-2");
        assertThat(as(TestUsers.EXPORTER_B).run("reservations", "R-CLI-1").exitCode())
                .as("another exporter's reservation is not found").isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(3)
    void anImportRecordsTheGoodRowsReportsTheOthersAndAReimportRecordsNothingNew() throws Exception {
        Path file = home.resolve("shipments.ndjson");
        Files.writeString(file, String.join("\n", row("S-CLI-10", "SA", "H100", 100), row("S-CLI-11", "CN", "H20", 10),
                row("S-CLI-12", "SA", "H100", -5)) + "\n", StandardCharsets.UTF_8);
        Path results = home.resolve("results.csv");

        CliRunner.Run run = as(TestUsers.EXPORTER_A).interactive().run("import", file.toString(), "--results",
                results.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("\rimport ").contains("3/3 rows");
        assertThat(run.out()).containsPattern("COMPLETED\\s+false\\s+3\\s+1\\s+1\\s+1")
                .containsPattern("S-CLI-11\\s+DENIED\\s+DESTINATION_PROHIBITED")
                .containsPattern("S-CLI-12\\s+INVALID");
        assertThat(Files.readAllLines(results)).hasSize(4);
        assertThat(service.ledger().as(TestUsers.EXPORTER_A).get("/api/v1/shipments/S-CLI-10").status()).isEqualTo(200);

        long events = service.events();
        CliRunner.Run again = as(TestUsers.EXPORTER_A).run("import", file.toString(), "--json");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.REFUSED);
        JsonNode job = json(again.out());
        assertThat(job.path("recorded").asLong()).isEqualTo(1);
        assertThat(job.path("denied").asLong()).isEqualTo(1);
        assertThat(job.path("invalid").asLong()).isEqualTo(1);
        assertThat(service.events()).as("a re-import records nothing new").isEqualTo(events);
    }

    @Test
    @Order(4)
    void anAtomicImportWithADeniedRowRecordsNothing() throws Exception {
        Path file = home.resolve("atomic.ndjson");
        Files.writeString(file, row("S-CLI-20", "SA", "H100", 100) + "\n" + row("S-CLI-21", "CN", "H20", 10) + "\n",
                StandardCharsets.UTF_8);

        CliRunner.Run run = as(TestUsers.EXPORTER_A).run("import", file.toString(), "--atomic", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(json(run.out()).path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(service.ledger().as(TestUsers.EXPORTER_A).get("/api/v1/shipments/S-CLI-20").status()).isEqualTo(404);
    }

    /** The period spans ship dates (2025) and recording times (today) alike, whichever the statement goes by. */
    @Test
    @Order(5)
    void anExporterReadsItsStatementAndNotAnothers() throws Exception {
        CliRunner.Run run = as(TestUsers.EXPORTER_A).run("statement", "--exporter", "exporter-a", "--from", "2025-01-01",
                "--to", "2030-12-31");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Statement of exporter-a from 2025-01-01 to 2030-12-31")
                .containsPattern("RECORDED\\s+S-CLI-1\\s+AE\\s+31,664,000")
                .containsPattern("DENIED\\s+S-CLI-11\\s+CN")
                .containsPattern("(?m)^AE\\s+31,664,000$");

        JsonNode statement = json(as(TestUsers.AUDITOR).run("statement", "--exporter", "exporter-a", "--from",
                "2025-01-01", "--to", "2030-12-31", "--json").out());
        assertThat(statement.path("totals").path("AE").asLong()).isEqualTo(31_664_000L);

        CliRunner.Run csv = as(TestUsers.EXPORTER_A).run("statement", "--exporter", "exporter-a", "--from", "2025-01-01",
                "--to", "2030-12-31", "--csv");
        assertThat(csv.exitCode()).isZero();
        assertThat(csv.out()).contains("S-CLI-1");

        assertThat(as(TestUsers.EXPORTER_B).run("statement", "--exporter", "exporter-a").exitCode())
                .as("another exporter's statement is refused or not found").isIn(ExitCodes.NOT_FOUND, ExitCodes.AUTH);
    }
}
