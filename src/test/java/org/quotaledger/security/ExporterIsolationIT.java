package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An exporter sees, records and voids only its own shipments; every event names who caused it. */
class ExporterIsolationIT {

    private static final String A_SHIPMENT = """
            {"shipmentId":"A-1","consignee":{"id":"c1","name":"C1","headquartersCountry":"SA"},
             "destinationCountry":"SA","shipDate":"2025-03-01","items":[{"model":"H100","quantity":2000}]}""";

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", A_SHIPMENT).status()).isEqualTo(201);
    }

    /** The stored metadata of the latest event of a type, as written to the event table. */
    private static JsonNode metadataOfTheLatest(String eventType) throws Exception {
        try (Connection connection = service.database().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT meta_data FROM domain_event_entry WHERE payload_type LIKE '%$"
                     + eventType + "' ORDER BY global_index DESC LIMIT 1")) {
            row.next();
            return new ObjectMapper().readTree(new String(row.getBytes(1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theExporterOfARecordedShipmentIsTheSignedInOne() {
        JsonNode shipment = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/shipments/A-1").body();

        assertThat(shipment.get("exporterId").asText()).isEqualTo(TestUsers.EXPORTER_A);
    }

    @Test
    void aBodyNamingAnotherExporterIsRefused() {
        long events = service.events();

        Response response = ledger.as(TestUsers.EXPORTER_B).post("/api/v1/shipments",
                A_SHIPMENT.replace("\"A-1\"", "\"B-FAKE\",\"exporterId\":\"exporter-a\""));

        assertThat(response.status()).isEqualTo(403);
        assertThat(service.events()).isEqualTo(events);
    }

    @Test
    void anotherExportersShipmentIsNotFoundForReadingOrVoiding() {
        long events = service.events();

        Response read = ledger.as(TestUsers.EXPORTER_B).get("/api/v1/shipments/A-1");
        Response voided = ledger.as(TestUsers.EXPORTER_B).post("/api/v1/shipments/A-1/void", "{\"reason\":\"mine now\"}");
        Response listed = ledger.as(TestUsers.EXPORTER_B).get("/api/v1/shipments?exporterId=exporter-a");
        Response own = ledger.as(TestUsers.EXPORTER_B).get("/api/v1/shipments");

        assertThat(read.status()).isEqualTo(404);
        assertThat(voided.status()).isEqualTo(404);
        assertThat(listed.status()).isEqualTo(403);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).isEmpty();
        assertThat(service.events()).isEqualTo(events);
        assertThat(ledger.as(TestUsers.AUDITOR).get("/api/v1/shipments/A-1").status()).isEqualTo(200);
    }

    @Test
    void everyEventRecordsWhoCausedItAndTheRequest() throws Exception {
        JsonNode meta = metadataOfTheLatest("ShipmentRecorded");

        assertThat(meta.get("principal").asText()).isEqualTo(TestUsers.EXPORTER_A);
        assertThat(meta.get("roles").toString()).isEqualTo("[\"EXPORTER\"]");
        assertThat(meta.get("requestId").asText()).isNotBlank();
    }

    @Test
    void aPolicyFanOutCarriesTheRegulatorWhoEnactedIt() throws Exception {
        ledger.enactShipped("ai-diffusion-rescission-2025-05");

        JsonNode meta = metadataOfTheLatest("PolicyApplied");

        assertThat(meta.get("principal").asText()).isEqualTo(TestUsers.REGULATOR);
        assertThat(meta.get("roles").toString()).isEqualTo("[\"REGULATOR\"]");
        // Each country is sent from the fan-out's own thread, outside the event's unit of work:
        // every one of them still names the regulator (the seed policy's name nobody).
        assertThat(service.database().count("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE "
                + "'%PolicyApplied' AND convert_from(meta_data, 'UTF8')::jsonb ->> 'principal' = '" + TestUsers.REGULATOR
                + "'")).isEqualTo(249);
    }
}
