package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.Assessment;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.CountryLedger;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.ShipmentFacts;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A database written before reservations existed: Oman's ledger holds a PolicyApplied and a
 * ShipmentRecorded of revision 1 (no reserved or available TPP in their balances, no holds, no
 * reservation limit in the rules). The service of today migrates it, reads those events through its
 * upcasters into the projections and the aggregate, and goes on deciding from them.
 */
class EventsStoredBeforeReservationsIT {

    private static final long H100_TPP = 15_832;
    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();

    @Test
    void oldEventsAreUpcastIntoBalancesAndTheLedgerKeepsCountingFromThem() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                    .locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
                    .target("3").load().migrate();
            storeOmanAsBeforeReservations(database);

            try (RunningLedger ledger = RunningLedger.onPostgres(database)) {
                assertThat(revisionAfterTheServicesUpcasters(ledger, ShipmentRecorded.class.getName())).isEqualTo("2");
                assertThat(revisionAfterTheServicesUpcasters(ledger, PolicyApplied.class.getName())).isEqualTo("2");
                assertThat(revisionAfterTheServicesUpcasters(ledger, PolicyEnacted.class.getName())).isEqualTo("2");
                JsonNode balance = awaitBalance(ledger, "OM", 2_000 * H100_TPP);
                assertThat(balance.get("reservedTpp").asLong()).isZero();
                assertThat(balance.get("availableTpp").asLong()).isEqualTo(balance.get("remainingTpp").asLong());
                assertThat(balance.get("shipmentsRecorded").asLong()).isEqualTo(1);

                RunningLedger.Response next = ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                        {"shipmentId":"OM-NEW","consignee":{"id":"omantel","name":"Omantel","headquartersCountry":"OM"},
                         "destinationCountry":"OM","shipDate":"2025-04-01","items":[{"model":"H100","quantity":1000}]}""");
                assertThat(next.status()).as(next.raw()).isEqualTo(201);
                assertThat(next.body().get("remainingTpp").asLong())
                        .as("the aggregate, loaded from the old events, counts the old shipment too")
                        .isEqualTo(balance.get("capTpp").asLong() - 3_000 * H100_TPP);
                awaitBalance(ledger, "OM", 3_000 * H100_TPP);
                JsonNode folded = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/countries/OM/balance").body();
                assertThat(folded.toString()).as("the auditors' fold of the event store reads the old events too")
                        .contains("\"consumedTpp\":" + 3_000 * H100_TPP);

                String projected = omanAsProjected(database);
                // The seed policy may still be reaching other countries: the bulk replay reads what was
                // stored when it began, from the old events on (global indexes 1 and 2).
                assertThat(rebuild(ledger).get("replayedInBulk").asLong()).as("the bulk replay read the old events")
                        .isBetween(4L, database.count("SELECT COUNT(*) FROM domain_event_entry"));
                assertThat(omanAsProjected(database)).isEqualTo(projected);

                storeAgainInARevisionNoRebuildReads(database, "OM-NEW");
                awaitBalance(ledger, "OM", 3_000 * H100_TPP, 3);
                String withTheCopy = omanAsProjected(database);
                assertThat(rebuild(ledger).get("replayedInBulk").isNull()).as("the bulk replay refused revision 9")
                        .isTrue();
                assertThat(omanAsProjected(database)).as("the processor replayed the store instead")
                        .isEqualTo(withTheCopy);
            }
        }
    }

    /** The upcasters are beans: the event store the service configured must apply them. */
    private static String revisionAfterTheServicesUpcasters(RunningLedger ledger, String type) {
        Configuration axon = ledger.bean(Configuration.class);
        var stored = new GenericDomainEventEntry<>("CountryQuota", "OM", 0, "probe", Instant.EPOCH, type, "1",
                "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return axon.upcasterChain().upcast(Stream.of(new InitialEventRepresentation(stored, axon.eventSerializer())))
                .findFirst().orElseThrow().getType().getRevision();
    }

    private static JsonNode awaitBalance(RunningLedger ledger, String country, long consumed) throws InterruptedException {
        return awaitBalance(ledger, country, consumed, -1);
    }

    /** The country's balance once it shows that much consumed (and that many shipments, unless -1). */
    private static JsonNode awaitBalance(RunningLedger ledger, String country, long consumed, long shipments)
            throws InterruptedException {
        JsonNode balance = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            balance = ledger.as(TestUsers.REGULATOR).get("/api/v1/balances/" + country).body();
            if (balance != null && balance.path("consumedTpp").asLong() == consumed
                    && (shipments < 0 || balance.path("shipmentsRecorded").asLong() == shipments)) {
                return balance;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the balances projection never showed " + consumed + " TPP consumed: " + balance);
    }

    /** Rebuilds the balances projections; their status once done. */
    private static JsonNode rebuild(RunningLedger ledger) throws InterruptedException {
        RunningLedger.Response started = ledger.as(TestUsers.ADMIN).post("/api/v1/admin/projections/balances/rebuild", "");
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        JsonNode status = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            Thread.sleep(100);
            status = ledger.as(TestUsers.ADMIN).get("/api/v1/admin/projections/balances").body();
            if (!status.get("rebuilding").asBoolean()) {
                return status;
            }
        }
        throw new AssertionError("the rebuild never ended: " + status);
    }

    /** Oman's balance row and its history, as the processor's tables hold them. */
    private static String omanAsProjected(PostgresDatabase database) throws Exception {
        StringBuilder rows = new StringBuilder();
        try (Connection connection = database.connect(); var statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM country_balance WHERE country = 'OM'",
                    "SELECT * FROM balance_history WHERE country = 'OM' ORDER BY sequence_no")) {
                try (var row = statement.executeQuery(query)) {
                    while (row.next()) {
                        for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                            rows.append(row.getString(column)).append('|');
                        }
                        rows.append('\n');
                    }
                }
            }
        }
        assertThat(rows).as("Oman's projected rows").contains("OM-OLD", "OM-NEW");
        return rows.toString();
    }

    /**
     * The shipment's event once more, as the country's next event, in a revision no rebuild reads
     * (Axon's serializer reads it all the same: revisions only pick upcasters).
     */
    private static void storeAgainInARevisionNoRebuildReads(PostgresDatabase database, String shipmentId)
            throws Exception {
        try (Connection connection = database.connect(); PreparedStatement copy = connection.prepareStatement(
                "INSERT INTO domain_event_entry (event_identifier, payload, payload_type, payload_revision, time_stamp, "
                        + "aggregate_identifier, sequence_number, type, meta_data) SELECT 'copy-' || event_identifier, "
                        + "payload, payload_type, '9', time_stamp, aggregate_identifier, "
                        + "(SELECT MAX(sequence_number) + 1 FROM domain_event_entry WHERE aggregate_identifier = 'OM'), "
                        + "type, meta_data FROM domain_event_entry WHERE payload_type = ? "
                        + "AND convert_from(payload, 'UTF8')::jsonb ->> 'shipmentId' = ?")) {
            copy.setString(1, ShipmentRecorded.class.getName());
            copy.setString(2, shipmentId);
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }
    }

    /** Oman's first two events, in the form the ledger stored before reservations. */
    private static void storeOmanAsBeforeReservations(PostgresDatabase database) throws Exception {
        PolicyDocument january;
        try (InputStream in = EventsStoredBeforeReservationsIT.class.getResourceAsStream("/policies/ai-diffusion-2025-01.json")) {
            january = JSON.readValue(in, PolicyDocument.class);
        }
        CountryRules rules = january.rulesFor("OM");
        CountryLedger ledger = CountryLedger.fresh(List.of(rules));
        LocalDate day = LocalDate.of(2025, 3, 10);
        Balance none = new Balance(null, null, null, null, 0, null, null, BalanceStatus.UNRESTRICTED);
        Balance opened = ledger.balance(day);
        PolicyApplied applied = new PolicyApplied("OM", rules, none, opened, Map.of(), 0, List.of(), List.of(),
                Instant.parse("2025-01-15T00:00:00Z"));

        ShipmentFacts facts = new ShipmentFacts("OM-OLD", "omantel", day,
                List.of(new LineItem("H100", "3A090.a", 2_000, H100_TPP)), null);
        Assessment.Accepted accepted = (Assessment.Accepted) ledger.assess(facts);
        ledger.record(facts, accepted);
        ShipmentRecorded recorded = new ShipmentRecorded("OM", "OM-OLD", TestUsers.EXPORTER_A,
                new Consignee("omantel", "Omantel", "OM"), day, facts.items(), null, facts.tpp(),
                accepted.classification(), accepted.debitTpp(), accepted.policyId(), ledger.balance(day), "old-hash",
                Instant.parse("2025-03-10T09:00:00Z"));

        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO domain_event_entry (event_identifier, payload, payload_type, payload_revision, time_stamp, "
                        + "aggregate_identifier, sequence_number, type, meta_data) "
                        + "VALUES (?, ?, ?, '1', ?, 'OM', ?, 'CountryQuota', '{}')")) {
            insertOld(insert, 0, applied, applied.appliedAt());
            insertOld(insert, 1, recorded, recorded.recordedAt());
        }
    }

    private static void insertOld(PreparedStatement insert, long sequence, Object event, Instant at) throws Exception {
        insert.setString(1, "old-OM-" + sequence);
        insert.setBytes(2, JSON.writeValueAsBytes(revisionOne(JSON.valueToTree(event))));
        insert.setString(3, event.getClass().getName());
        insert.setString(4, at.toString());
        insert.setLong(5, sequence);
        insert.executeUpdate();
    }

    /** Takes away what reservations added, leaving the stored form of revision 1. */
    private static ObjectNode revisionOne(ObjectNode event) {
        event.remove("holds");
        if (event.get("rules") instanceof ObjectNode rules) {
            rules.remove("maxReservationDays");
        }
        for (String field : List.of("balance", "balanceBefore", "balanceAfter")) {
            if (event.get(field) instanceof ObjectNode balance) {
                balance.remove(List.of("reservedTpp", "availableTpp"));
            }
        }
        return event;
    }
}
