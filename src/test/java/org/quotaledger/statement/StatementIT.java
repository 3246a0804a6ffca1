package org.quotaledger.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/** An exporter's statement: its shipments, denials and voids in time order, with running totals per destination. */
class StatementIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static RunningLedger ledger;
    private static long sa1;
    private static long ae1;
    private static long sa2;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
        sa1 = recorded("ST-1", "SA", 100);
        ae1 = recorded("ST-2", "AE", 50);
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("ST-3", "CN", 1)).status()).isEqualTo(422);
        sa2 = recorded("ST-4", "SA", 30);
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/ST-1/void", "{\"reason\":\"typo\"}").status())
                .isEqualTo(200);
        assertThat(ledger.as(TestUsers.EXPORTER_B).post("/api/v1/shipments", shipment("OTHER-1", "SA", 10)).status())
                .isEqualTo(201);
    }

    private static String shipment(String id, String country, int units) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c1","name":"C1","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2025-03-01","items":[{"model":"H100","quantity":%d}]}"""
                .formatted(id, country, country, units);
    }

    private static long recorded(String id, String country, int units) {
        Response response = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment(id, country, units));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.body().get("debitedTpp").asLong();
    }

    @Test
    void listsEveryFactInTimeOrderWithARunningTotalPerDestination() {
        Response response = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/exporters/exporter-a/statement");

        assertThat(response.status()).isEqualTo(200);
        JsonNode statement = response.body();
        assertThat(statement.get("exporterId").asText()).isEqualTo("exporter-a");
        JsonNode lines = statement.get("lines");
        assertThat(lines.findValuesAsText("kind")).containsExactly("RECORDED", "RECORDED", "DENIED", "RECORDED", "VOIDED");
        assertThat(lines.findValuesAsText("shipmentId")).containsExactly("ST-1", "ST-2", "ST-3", "ST-4", "ST-1");
        assertThat(lines.findValuesAsText("destinationCountry")).containsExactly("SA", "AE", "CN", "SA", "SA");
        List<Long> running = lines.findValues("runningDebitedTpp").stream().map(JsonNode::asLong).toList();
        assertThat(running).containsExactly(sa1, ae1, 0L, sa1 + sa2, sa2);
        assertThat(lines.get(4).get("debitedTpp").asLong()).isEqualTo(-sa1);
        assertThat(lines.get(2).get("debitedTpp").asLong()).isZero();
        assertThat(statement.get("totals").get("SA").asLong()).isEqualTo(sa2);
        assertThat(statement.get("totals").get("AE").asLong()).isEqualTo(ae1);
        assertThat(statement.get("totals").get("CN").asLong()).isZero();
    }

    @Test
    void downloadsAsCsv() {
        Response response = ledger.as(TestUsers.EXPORTER_A).get("/api/v1/exporters/exporter-a/statement?format=csv");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        List<String> rows = response.raw().lines().toList();
        assertThat(rows.get(0)).isEqualTo("at,kind,shipmentId,reservationId,destinationCountry,tpp,debitedTpp,runningDebitedTpp");
        assertThat(rows).hasSize(6);
        assertThat(rows.get(5)).contains(",VOIDED,ST-1,,SA,").endsWith("," + (-sa1) + "," + sa2);
    }

    @Test
    void aPeriodWithoutFactsIsEmptyAndAnInvertedOneIsRefused() {
        JsonNode empty = ledger.as(TestUsers.EXPORTER_A)
                .get("/api/v1/exporters/exporter-a/statement?from=2020-01-01&to=2020-12-31").body();
        Response inverted = ledger.as(TestUsers.EXPORTER_A)
                .get("/api/v1/exporters/exporter-a/statement?from=2021-01-01&to=2020-12-31");

        assertThat(empty.get("lines")).isEmpty();
        assertThat(inverted.status()).isEqualTo(400);
        assertThat(inverted.raw()).contains("from");
    }

    @Test
    void anExporterReadsOnlyItsOwnAndAnAuditorReadsAny() {
        Response another = ledger.as(TestUsers.EXPORTER_B).get("/api/v1/exporters/exporter-a/statement");
        JsonNode own = ledger.as(TestUsers.EXPORTER_B).get("/api/v1/exporters/exporter-b/statement").body();
        Response audited = ledger.as(TestUsers.AUDITOR).get("/api/v1/exporters/exporter-a/statement");

        assertThat(another.status()).isEqualTo(403);
        assertThat(another.raw()).doesNotContain("ST-1");
        assertThat(own.get("lines").findValuesAsText("shipmentId")).containsExactly("OTHER-1");
        assertThat(audited.status()).isEqualTo(200);
        assertThat(audited.body().get("lines")).hasSize(5);
        assertThat(ledger.as(TestUsers.REGULATOR).get("/api/v1/exporters/exporter-a/statement").status()).isEqualTo(403);
    }
}
