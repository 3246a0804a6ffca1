package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.quota.CountryQuotaTest.JANUARY;
import static org.quotaledger.quota.CountryQuotaTest.MARCH;
import static org.quotaledger.quota.CountryQuotaTest.NOW;
import static org.quotaledger.quota.CountryQuotaTest.cappedBalance;
import static org.quotaledger.quota.CountryQuotaTest.opened;
import static org.quotaledger.quota.CountryQuotaTest.record;
import static org.quotaledger.quota.CountryQuotaTest.recorded;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.quotaledger.support.LedgerJson;

/**
 * A bulk import's chunk for one country: each row decided in order, as alone. The recorded rows
 * between two other events are recorded together, as one event.
 */
class CountryQuotaBatchTest {

    private AggregateTestFixture<CountryQuota> fixture;
    private InMemoryShipmentRegistry registry;

    @BeforeEach
    void setUp() {
        QuotaFixture quota = QuotaFixture.create();
        fixture = quota.fixture();
        registry = quota.shipments();
    }

    private void registered(RecordShipment command, String contentHash, ShipmentOutcome firstAnswer) {
        registry.put(new RegisteredShipment(command.shipmentId(), command.country(), command.exporterId(),
                command.consignee().id(), command.shipDate(), command.facts().tpp(), contentHash,
                RegisteredShipment.State.RECORDED, Classification.COUNTED, firstAnswer.debitedTpp(), "p1", false,
                firstAnswer, NOW, null, null));
    }

    /** Registers {@code first} (six units to AE, recorded on an open ledger of 10,000 TPP) and returns its answer. */
    private ShipmentOutcome registeredAsFirst(RecordShipment first) {
        ShipmentOutcome answer = new ShipmentOutcome(first.shipmentId(), "AE", ShipmentOutcome.Status.RECORDED,
                Classification.COUNTED, 6_000, 6_000, 4_000L, "p1", null, null);
        registered(first, first.contentHash(), answer);
        return answer;
    }

    @Test
    void decidesEachRowInOrderAndAnswersRepeatsAndConflictsRowByRow() {
        RecordShipment first = record("AE", "s1", "c1", MARCH, 6);
        ShipmentOutcome firstAnswer = registeredAsFirst(first);
        RecordShipment taken = record("AE", "s3", "c3", MARCH, 1);
        registered(taken, "hash-of-other-content", firstAnswer);
        RecordShipment fits = record("AE", "s2", "c1", MARCH, 3);
        RecordShipment over = record("AE", "s4", "c1", MARCH, 2);
        RecordShipment conflicting = record("AE", "s3", "c3", MARCH, 1);
        RecordShipment fitsAgain = fits;

        fixture.given(opened("AE", JANUARY), recorded(first, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(new RecordShipments("AE", List.of(fits, over, first, conflicting, fitsAgain)))
                .expectEvents(new ShipmentsRecorded("AE", List.of(
                                recorded(fits, Classification.COUNTED, 3_000, cappedBalance(10_000, 9_000), "p1"))),
                        new QuotaStatusChanged("AE", "p1", BalanceStatus.OPEN, BalanceStatus.CRITICAL,
                                cappedBalance(10_000, 9_000), "s2", NOW),
                        new ShipmentDenied("AE", "s4", "exporter-a", over.consignee(), MARCH, over.items(), null, 2_000,
                                DenialReason.QUOTA_EXCEEDED, "shipment of 2000 TPP exceeds the remaining 1000 TPP", "p1",
                                cappedBalance(10_000, 9_000), over.contentHash(), NOW))
                .expectResultMessagePayload(List.of(
                        new BatchAnswer(new ShipmentOutcome("s2", "AE", ShipmentOutcome.Status.RECORDED,
                                Classification.COUNTED, 3_000, 3_000, 1_000L, "p1", null, null), false, false),
                        new BatchAnswer(new ShipmentOutcome("s4", "AE", ShipmentOutcome.Status.DENIED, null, 2_000, 0,
                                1_000L, "p1", DenialReason.QUOTA_EXCEEDED,
                                "shipment of 2000 TPP exceeds the remaining 1000 TPP"), false, false),
                        new BatchAnswer(firstAnswer, true, false),
                        new BatchAnswer(null, true, true),
                        new BatchAnswer(new ShipmentOutcome("s2", "AE", ShipmentOutcome.Status.RECORDED,
                                Classification.COUNTED, 3_000, 3_000, 1_000L, "p1", null, null), true, false)));
    }

    @Test
    void aBatchThatTakesItsIdsAsNewDecidesARegisteredIdAgainForTheRegistrysPrimaryKeyToRefuse() {
        RecordShipment first = record("AE", "s1", "c1", MARCH, 6);
        ShipmentOutcome firstAnswer = registeredAsFirst(first);
        RecordShipment twice = record("AE", "s2", "c1", MARCH, 1);
        ShipmentOutcome secondAnswer = new ShipmentOutcome("s2", "AE", ShipmentOutcome.Status.RECORDED,
                Classification.COUNTED, 1_000, 1_000, 3_000L, "p1", null, null);

        // Not asked, the registry cannot answer s1 as a repeat; within the batch, s2's second row still is one.
        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(first, twice, twice)),
                        Map.of(RecordShipments.IDS_TAKEN_AS_NEW, true))
                .expectEvents(new ShipmentsRecorded("AE", List.of(
                        recorded(first, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"),
                        recorded(twice, Classification.COUNTED, 1_000, cappedBalance(10_000, 7_000), "p1"))))
                .expectResultMessagePayload(List.of(new BatchAnswer(firstAnswer, false, false),
                        new BatchAnswer(secondAnswer, false, false), new BatchAnswer(secondAnswer, true, false)));
        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(first)))
                .expectNoEvents()
                .expectResultMessagePayload(List.of(new BatchAnswer(firstAnswer, true, false)));
    }

    @Test
    void aShipmentToAnotherCountryFailsTheBatchAndRecordsNothing() {
        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(record("AE", "s1", "c1", MARCH, 1), record("SA", "s2", "c1", MARCH, 1))))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void aRowDrawingOnAnUnknownReservationIsRefusedAloneAndTheOthersAreDecided() {
        RecordShipment fits = record("AE", "s1", "c1", MARCH, 3);
        RecordShipment plain = record("AE", "s2", "c1", MARCH, 1);
        RecordShipment drawing = new RecordShipment("AE", plain.shipmentId(), plain.exporterId(), plain.consignee(),
                MARCH, plain.items(), null, plain.contentHash(), NOW, "no-such-reservation");

        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(drawing, fits)))
                .expectEvents(new ShipmentsRecorded("AE", List.of(
                        recorded(fits, Classification.LPP_EXEMPT, 0, cappedBalance(10_000, 0), "p1"))))
                .expectResultMessagePayload(List.of(
                        new BatchAnswer(null, false, false, new BatchAnswer.Refusal("RESERVATION_NOT_FOUND",
                                "no reservation no-such-reservation for this exporter and destination", "reservationId")),
                        new BatchAnswer(new ShipmentOutcome("s1", "AE", ShipmentOutcome.Status.RECORDED,
                                Classification.LPP_EXEMPT, 3_000, 0, 10_000L, "p1", null, null), false, false)));
    }

    @Test
    void eachRowsEventsNameTheRowsOwnAuthorWhenTheBatchCarriesThem() {
        RecordShipment fits = record("AE", "s1", "c1", MARCH, 3);
        RecordShipment over = record("AE", "s2", "c2", MARCH, 11);
        Map<String, Object> authors = Map.of(RecordShipments.AUTHORS, List.of(
                Map.of("principal", "exporter-a", "requestId", "r-1"),
                Map.of("principal", "exporter-b", "requestId", "r-2")));

        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(fits, over)), authors)
                .expectEventsMatching(new CustomTypeSafeMatcher<List<EventMessage<?>>>("decisions by r-1 and r-2") {
                    @Override
                    protected boolean matchesSafely(List<EventMessage<?>> events) {
                        Map<Object, Object> requestByShipment = new HashMap<>();
                        for (EventMessage<?> event : events) {
                            if (event.getPayload() instanceof ShipmentRecorded recorded) {
                                requestByShipment.put(recorded.shipmentId(), event.getMetaData().get("requestId"));
                            } else if (event.getPayload() instanceof ShipmentDenied denied) {
                                requestByShipment.put(denied.shipmentId(), event.getMetaData().get("requestId"));
                            }
                        }
                        return requestByShipment.equals(Map.of("s1", "r-1", "s2", "r-2"));
                    }
                });
    }

    @Test
    void authorsThatDoNotMatchTheRowsAreRefused() {
        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(record("AE", "s1", "c1", MARCH, 1))),
                        Map.of(RecordShipments.AUTHORS, List.of()))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    /** Two rows to fresh consignees, beyond their LPP allowance: 8,000 of the cap of 10,000 counted. */
    private static final RecordShipment FIRST = record("AE", "s1", "c1", MARCH, 4);
    private static final RecordShipment SECOND = record("AE", "s2", "c2", MARCH, 4);
    private static final ShipmentsRecorded FIRST_TWO = new ShipmentsRecorded("AE", List.of(
            recorded(FIRST, Classification.COUNTED, 4_000, cappedBalance(10_000, 4_000), "p1"),
            recorded(SECOND, Classification.COUNTED, 4_000, cappedBalance(10_000, 8_000), "p1")));
    /** 4,000 more, with 2,000 left after the first two. */
    private static final RecordShipment TOO_MUCH = record("AE", "s3", "c3", MARCH, 4);
    private static final ShipmentDenied TOO_MUCH_DENIED = new ShipmentDenied("AE", "s3", "exporter-a",
            TOO_MUCH.consignee(), MARCH, TOO_MUCH.items(), null, 4_000, DenialReason.QUOTA_EXCEEDED,
            "shipment of 4000 TPP exceeds the remaining 2000 TPP", "p1", cappedBalance(10_000, 8_000),
            TOO_MUCH.contentHash(), NOW);

    @Test
    void recordedRowsAreOneEventUntilAnotherEventComesBetweenAndEachCountsForTheNext() {
        RecordShipment third = record("AE", "s4", "c1", MARCH, 1);

        fixture.given(opened("AE", JANUARY))
                .when(new RecordShipments("AE", List.of(FIRST, SECOND, TOO_MUCH, third)))
                .expectEvents(FIRST_TWO, TOO_MUCH_DENIED,
                        new ShipmentsRecorded("AE", List.of(
                                recorded(third, Classification.COUNTED, 1_000, cappedBalance(10_000, 9_000), "p1"))),
                        new QuotaStatusChanged("AE", "p1", BalanceStatus.OPEN, BalanceStatus.CRITICAL,
                                cappedBalance(10_000, 9_000), "s4", NOW));
    }

    @Test
    void aLedgerSourcedFromShipmentsRecordedTogetherCountsEachOfThem() {
        fixture.given(opened("AE", JANUARY), FIRST_TWO)
                .when(TOO_MUCH)
                .expectEvents(TOO_MUCH_DENIED);
    }

    /** Snapshots serialise the aggregate itself: the batch being decided is not state. */
    @Test
    void aSnapshotOfALedgerThatRecordedShipmentsTogetherHoldsOnlyItsState() throws Exception {
        CountryQuota ledger = new CountryQuota();
        ledger.on(opened("AE", JANUARY));
        ledger.on(FIRST_TWO);

        String snapshot = LedgerJson.STRICT.writeValueAsString(ledger);

        assertThat(LedgerJson.STRICT.readTree(snapshot).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("country", "timeline", "countedByPolicy", "consigneeYearTotals", "holds");
        assertThat(LedgerJson.STRICT.readTree(snapshot).get("countedByPolicy").get("p1").asLong()).isEqualTo(8_000);
        assertThat(LedgerJson.STRICT.writeValueAsString(LedgerJson.STRICT.readValue(snapshot, CountryQuota.class)))
                .isEqualTo(snapshot);
    }
}
