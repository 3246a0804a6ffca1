package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LedgerReplay.Entry;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.ShipmentFacts;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.CountryHistory.CountryStream;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationDenied;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;
import org.quotaledger.support.LedgerJson;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a replay reads of each stored event, from the JSON the service stores. */
class HistoryFormsTest {

    private static final ObjectMapper JSON = LedgerJson.STRICT;
    /** Events that are on the record but change nothing a replay counts. */
    private static final Set<Class<?>> NOT_HISTORY = Set.of(ShipmentDenied.class, QuotaStatusChanged.class,
            ReservationDenied.class);

    private static final Consignee G42 = new Consignee("g42", "G42", "AE");
    private static final Balance OPEN = new Balance("p1", "TIER_2", Treatment.CAPPED, 1_000_000L, 31_664, 968_336L,
            new java.math.BigDecimal("0.031664"), BalanceStatus.OPEN);
    private static final Instant AT = Instant.parse("2025-03-10T16:45:00.123Z");

    private final HistoryForms forms = new HistoryForms(JSON);

    @Test
    void everyQuotaEventIsEitherReadInItsCurrentRevisionOrDeclaredNoHistory() throws Exception {
        Set<Class<?>> events = Stream.of(QuotaEvents.class, ReservationEvents.class)
                .flatMap(holder -> Arrays.stream(holder.getDeclaredClasses())).filter(Class::isRecord)
                .collect(Collectors.toSet());
        assertThat(events).hasSize(HistoryForms.READINGS.size() + NOT_HISTORY.size());
        for (Class<?> event : events) {
            if (NOT_HISTORY.contains(event)) {
                assertThat(HistoryForms.READINGS).doesNotContainKey(event.getName());
                continue;
            }
            assertThat(HistoryForms.READINGS).as("a replay's reading of %s", event.getSimpleName())
                    .containsKey(event.getName());
            assertThat(HistoryForms.READINGS.get(event.getName()).revisions())
                    .as("the revision %s is stored in today", event.getSimpleName())
                    .contains(event.getAnnotation(Revision.class).value());
        }
    }

    @Test
    void aStreamReadsAsItsPoliciesAndItsShipmentsVoidsAndReservationsInOrder() throws Exception {
        CountryRules rules = capped("p1", JAN_13_2025, 1_000_000, null).rulesFor("AE");
        ShipmentRecorded recorded = recorded("AE-1");
        HistoryForms.Builder stream = forms.stream();
        add(stream, new PolicyApplied("AE", rules, OPEN, OPEN, Map.of("p1", 0L), 0, List.of(), List.of(), AT), "2");
        add(stream, recorded, "2");
        add(stream, new ShipmentDenied("AE", "AE-2", "nvidia", G42, recorded.shipDate(), recorded.items(), null,
                31_664, org.quotaledger.policy.rules.DenialReason.QUOTA_EXCEEDED, "over", "p1", OPEN, "h2", AT), "2");
        add(stream, new QuotaReserved("AE", "R-1", "nvidia", G42, 5_000, Classification.COUNTED, 5_000, "p1",
                AT.plusSeconds(86_400), OPEN, "h3", Instant.parse("2025-03-10T23:59:59Z")), "1");
        add(stream, new ShipmentVoided("AE", "AE-1", "nvidia", "g42", recorded.shipDate(), 31_664, "typo", 31_664,
                "p1", OPEN, AT), "2");
        add(stream, new ReservationReleased("AE", "R-1", "nvidia", 5_000, OPEN, AT), "1");

        CountryStream read = stream.build();

        assertThat(read.timeline()).containsExactly(rules);
        assertThat(read.entries()).containsExactly(
                new Entry.ShipmentOnRecord(recorded.facts()),
                new Entry.Reserved("R-1", "g42", LocalDate.of(2025, 3, 10), 5_000),
                new Entry.ShipmentVoided("AE-1"),
                new Entry.ReservationResolved("R-1"));
    }

    @Test
    void shipmentsRecordedTogetherReadAsEachShipmentInItsOrder() throws Exception {
        ShipmentRecorded first = recorded("AE-1");
        ShipmentRecorded second = recorded("AE-2");
        HistoryForms.Builder stream = forms.stream();
        add(stream, recorded("AE-0"), "2");
        add(stream, new ShipmentsRecorded("AE", List.of(first, second)), "1");
        add(stream, new ShipmentVoided("AE", "AE-1", "nvidia", "g42", first.shipDate(), 31_664, "typo", 31_664,
                "p1", OPEN, AT), "2");

        assertThat(stream.build().entries()).containsExactly(
                new Entry.ShipmentOnRecord(recorded("AE-0").facts()),
                new Entry.ShipmentOnRecord(first.facts()),
                new Entry.ShipmentOnRecord(second.facts()),
                new Entry.ShipmentVoided("AE-1"));
    }

    @Test
    void aShipmentStoredBeforeReservationsReadsTheSame() throws Exception {
        ShipmentRecorded recorded = recorded("AE-OLD");
        ObjectNode old = JSON.valueToTree(recorded);
        ((ObjectNode) old.get("balance")).remove(List.of("reservedTpp", "availableTpp"));
        HistoryForms.Builder stream = forms.stream();

        stream.add(ShipmentRecorded.class.getName(), "1", JSON.writeValueAsBytes(old));

        assertThat(stream.build().entries()).containsExactly(new Entry.ShipmentOnRecord(recorded.facts()));
    }

    @Test
    void aRevisionNotReadHereIsRefusedRatherThanGuessedAt() throws Exception {
        byte[] payload = JSON.writeValueAsBytes(recorded("AE-1"));
        HistoryForms.Builder stream = forms.stream();

        assertThatThrownBy(() -> stream.add(ShipmentRecorded.class.getName(), "3", payload))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no reading of " + ShipmentRecorded.class.getName() + " revision 3 for replays");
        assertThat(stream.build().entries()).isEmpty();
    }

    private static ShipmentRecorded recorded(String shipmentId) {
        ShipmentFacts facts = new ShipmentFacts(shipmentId, "g42", LocalDate.of(2025, 3, 10),
                List.of(new LineItem("H100", "3A090.a", 2, 15_832)), "LIC-7");
        return new ShipmentRecorded("AE", shipmentId, "nvidia", G42, facts.shipDate(), facts.items(),
                facts.licenseReference(), 31_664, Classification.COUNTED, 31_664, "p1", OPEN, "h1", AT);
    }

    private static void add(HistoryForms.Builder stream, Object event, String revision) throws Exception {
        stream.add(event.getClass().getName(), revision, JSON.writeValueAsBytes(event));
    }
}
