package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.quotaledger.balance.BalanceChange.Kind;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.Consignee;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;
import org.quotaledger.support.LedgerJson;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a rebuild reads of the common events, from the JSON the service stores. */
class StoredBalanceChangesTest {

    private static final ObjectMapper JSON = LedgerJson.STRICT;
    private static final Consignee G42 = new Consignee("g42", "G42", "AE");
    private static final Balance BALANCE = new Balance("p1", "TIER_2", Treatment.CAPPED, 1_000_000L, 31_664, 968_336L,
            new BigDecimal("0.031664"), BalanceStatus.OPEN, 5_000L, 963_336L);
    private static final Instant AT = Instant.parse("2025-03-10T16:45:00.123456Z");
    private static final List<LineItem> ITEMS = List.of(new LineItem("H100", "3A090.a", 2, 15_832));
    private static final LocalDate SHIPPED = LocalDate.of(2025, 3, 10);

    private final StoredBalanceChanges changes = new StoredBalanceChanges(JSON);

    /**
     * An event read lean bypasses the handlers, so in the service only the two projections that take
     * changes handle it. (A rebuild reads an event whole when another handler wants it, as a test's
     * handler in the processor does: {@code BalancesBulkReplayTest}; then it gains nothing.)
     */
    @Test
    void everyEventReadLeanIsHandledInTheBalancesProcessorOnlyByTheProjectionsThatTakeChanges() throws Exception {
        Map<Class<?>, Set<Class<?>>> handledBy = handlersOfTheBalancesProcessor();
        Set<String> lean = StoredBalanceChanges.READINGS.keySet();

        assertThat(handledBy.keySet().stream().map(Class::getName).filter(lean::contains).collect(Collectors.toSet()))
                .as("every event read lean is one the processor handles").isEqualTo(lean);
        for (Class<?> event : handledBy.keySet()) {
            if (lean.contains(event.getName())) {
                assertThat(handledBy.get(event)).as("handlers of %s", event.getSimpleName())
                        .isSubsetOf(BalanceProjection.class, BalanceHistoryProjection.class)
                        .contains(BalanceProjection.class);
                assertThat(StoredBalanceChanges.READINGS.get(event.getName()).revisions())
                        .as("the revision %s is stored in today", event.getSimpleName())
                        .contains(event.getAnnotation(Revision.class).value());
            }
        }
        assertThat(handledBy).as("the processor's other events, read whole").containsKey(PolicyApplied.class);
    }

    @Test
    void eachCommonEventReadsAsTheChangeItsHandlerMakes() throws Exception {
        assertThat(read(new ShipmentRecorded("AE", "AE-1", "nvidia", G42, SHIPPED, ITEMS, "LIC-7", 31_664,
                Classification.COUNTED, 31_664, "p1", BALANCE, "h1", AT), "2", 7))
                .isEqualTo(new BalanceChange("AE", 7, Kind.RECORDED, "AE-1", BALANCE, AT));
        assertThat(read(new ShipmentDenied("AE", "AE-2", "nvidia", G42, SHIPPED, ITEMS, null, 31_664,
                DenialReason.QUOTA_EXCEEDED, "over", "p1", BALANCE, "h2", AT), "2", 8))
                .isEqualTo(new BalanceChange("AE", 8, Kind.DENIED, "AE-2", BALANCE, AT));
        assertThat(read(new ShipmentVoided("AE", "AE-1", "nvidia", "g42", SHIPPED, 31_664, "typo", 31_664, "p1",
                BALANCE, AT), "2", 9))
                .isEqualTo(new BalanceChange("AE", 9, Kind.VOIDED, "AE-1", BALANCE, AT));
        assertThat(read(new QuotaReserved("AE", "R-1", "nvidia", G42, 5_000, Classification.COUNTED, 5_000, "p1",
                AT.plusSeconds(86_400), BALANCE, "h3", AT), "1", 10))
                .as("the reservation's expiry is not its time").isEqualTo(new BalanceChange("AE", 10, Kind.RESERVATION,
                        "R-1", BALANCE, AT));
        assertThat(read(new ReservationConfirmed("AE", "R-1", "nvidia", "AE-3", 5_000, 4_000, 1_000, BALANCE, AT),
                "1", 11)).isEqualTo(new BalanceChange("AE", 11, Kind.RESERVATION, "R-1", BALANCE, AT));
        assertThat(read(new ReservationReleased("AE", "R-2", "nvidia", 5_000, BALANCE, AT), "1", 12))
                .isEqualTo(new BalanceChange("AE", 12, Kind.RESERVATION, "R-2", BALANCE, AT));
        assertThat(read(new ReservationExpired("AE", "R-3", "nvidia", 5_000, BALANCE, AT), "1", 13))
                .isEqualTo(new BalanceChange("AE", 13, Kind.RESERVATION, "R-3", BALANCE, AT));
    }

    @Test
    void aBalanceStoredBeforeReservationsReadsAsTheUpcasterMakesIt() throws Exception {
        Balance before = new Balance("p1", "TIER_2", Treatment.CAPPED, 1_000_000L, 31_664, 968_336L,
                new BigDecimal("0.031664"), BalanceStatus.OPEN);
        ObjectNode old = JSON.valueToTree(new ShipmentRecorded("AE", "AE-OLD", "nvidia", G42, SHIPPED, ITEMS, null,
                31_664, Classification.COUNTED, 31_664, "p1", before, "h1", AT));
        ((ObjectNode) old.get("balance")).remove(List.of("reservedTpp", "availableTpp"));

        BalanceChange change = changes.read(ShipmentRecorded.class.getName(), "1", JSON.writeValueAsBytes(old), 3);

        assertThat(change.balance().reservedTpp()).isZero();
        assertThat(change.balance().availableTpp()).isEqualTo(968_336L);
        assertThat(change.balance()).isEqualTo(before);
    }

    @Test
    void aRevisionNotReadHereIsRefusedRatherThanGuessedAt() throws Exception {
        byte[] payload = JSON.writeValueAsBytes(new ShipmentVoided("AE", "AE-1", "nvidia", "g42", SHIPPED, 31_664,
                "typo", 31_664, "p1", BALANCE, AT));

        assertThatThrownBy(() -> changes.read(ShipmentVoided.class.getName(), "3", payload, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no reading of " + ShipmentVoided.class.getName() + " revision 3 for a rebuild");
        assertThatThrownBy(() -> changes.read(PolicyApplied.class.getName(), "2", payload, 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventWithoutItsBalanceIsRefused() {
        byte[] payload = "{\"country\":\"AE\",\"shipmentId\":\"AE-1\",\"voidedAt\":\"2025-03-10T16:45:00Z\"}".getBytes();

        assertThatThrownBy(() -> changes.read(ShipmentVoided.class.getName(), "2", payload, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("it lacks its country, balance or time");
    }

    @Test
    void instantsReadWithoutTheFormatterAreTheInstantsJavaTimeReads() {
        for (String text : List.of("2025-03-10T16:45:00Z", "2025-03-10T16:45:00.1Z", "2025-03-10T16:45:00.123Z",
                "2025-12-31T23:59:59.123456Z", "2024-02-29T00:00:00.000000001Z", "1969-07-20T20:17:40Z")) {
            assertThat(StoredBalanceChanges.plainUtcInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("2025-03-10T16:45:00+01:00", "2025-03-10 16:45:00Z", "2025-02-30T16:45:00Z",
                "2025-03-10T24:00:00Z", "2025-03-10T16:45:00.Z", "2025-03-10T16:45:00,1Z", "+12025-03-10T16:45:00Z")) {
            assertThat(StoredBalanceChanges.plainUtcInstant(text)).as(text).isNull();
        }
    }

    @Test
    void anInstantInAnotherFormIsLeftToJackson() throws Exception {
        ObjectNode voided = JSON.valueToTree(new ShipmentVoided("AE", "AE-1", "nvidia", "g42", SHIPPED, 31_664,
                "typo", 31_664, "p1", BALANCE, AT));
        voided.put("voidedAt", "2025-03-10T17:45:00.123456+01:00");

        BalanceChange change = changes.read(ShipmentVoided.class.getName(), "2", JSON.writeValueAsBytes(voided), 1);

        assertThat(change.at()).isEqualTo(AT);
    }

    private BalanceChange read(Object event, String revision, long sequence) throws Exception {
        return changes.read(event.getClass().getName(), revision, JSON.writeValueAsBytes(event), sequence);
    }

    /** Each event type the "balances" processor handles, and the classes with a handler of it. */
    private static Map<Class<?>, Set<Class<?>>> handlersOfTheBalancesProcessor() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ProcessingGroup.class));
        Map<Class<?>, Set<Class<?>>> handledBy = new java.util.HashMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.quotaledger")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            if (type.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes")) {
                continue; // a test's handler, added to a test's service only
            }
            if (!type.getAnnotation(ProcessingGroup.class).value().equals(BalancesBulkReplay.PROCESSOR)) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(EventHandler.class)) {
                    handledBy.computeIfAbsent(method.getParameterTypes()[0], key -> new HashSet<>()).add(type);
                }
            }
        }
        assertThat(handledBy.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("the scan found the processor's projections").contains(BalanceProjection.class,
                        BalanceHistoryProjection.class, QuotaAlertProjection.class, PolicyImpactProjection.class);
        return handledBy;
    }
}
