package org.quotaledger.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;
import static org.quotaledger.policy.rules.TestPolicies.shipment;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Assessment.Accepted;
import org.quotaledger.policy.rules.Assessment.Denied;
import org.quotaledger.policy.rules.LedgerReplay.Entry;

/** Reservations in the rules engine: available = cap − consumed − reserved. */
class CountryLedgerReservationTest {

    private static final LocalDate MARCH = LocalDate.of(2025, 3, 1);

    private static CountryLedger ledger(PolicyDocument... policies) {
        return CountryLedger.fresh(java.util.Arrays.stream(policies).map(p -> p.rulesFor("AE")).toList());
    }

    private static void reserve(CountryLedger ledger, String reservationId, long tpp) {
        Assessment assessment = ledger.assessHold("c1", MARCH, tpp);
        assertThat(assessment).isInstanceOf(Accepted.class);
        ledger.hold(reservationId, "c1", MARCH, tpp, (Accepted) assessment);
    }

    private static void ship(CountryLedger ledger, ShipmentFacts shipment) {
        ledger.record(shipment, (Accepted) ledger.assess(shipment));
    }

    @Test
    void availableIsTheCapLessWhatIsConsumedAndWhatIsReserved() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 10_000, null));
        ship(ledger, shipment("s1", "c1", MARCH, 3, 1_000));

        reserve(ledger, "R-1", 4_000);

        Balance balance = ledger.balance(MARCH);
        assertThat(balance.consumedTpp()).isEqualTo(3_000);
        assertThat(balance.remainingTpp()).isEqualTo(7_000);
        assertThat(balance.reservedTpp()).isEqualTo(4_000);
        assertThat(balance.availableTpp()).isEqualTo(3_000);
    }

    @Test
    void aReservationDeniesAShipmentThatFitsTheRemainingButNotTheAvailable() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 10_000, null));
        reserve(ledger, "R-1", 6_000);

        Assessment fits = ledger.assess(shipment("s1", "c2", MARCH, 4, 1_000));
        Assessment tooMuch = ledger.assess(shipment("s2", "c2", MARCH, 4, 1_001));

        assertThat(fits).isEqualTo(new Accepted(Classification.COUNTED, "p1", 4_000, false));
        assertThat(tooMuch).isInstanceOf(Denied.class);
        assertThat(((Denied) tooMuch).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
        assertThat(((Denied) tooMuch).detail()).contains("6000 TPP are reserved");
    }

    @Test
    void aReservationIsDeniedWhenItExceedsTheAvailable() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 10_000, null));
        reserve(ledger, "R-1", 6_000);

        Assessment second = ledger.assessHold("c2", MARCH, 4_001);

        assertThat(second).isInstanceOf(Denied.class);
        assertThat(((Denied) second).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
        assertThat(ledger.assessHold("c2", MARCH, 4_000)).isInstanceOf(Accepted.class);
    }

    @Test
    void theConfirmingShipmentMayUseItsOwnHold() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 10_000, null));
        reserve(ledger, "R-1", 10_000);

        Assessment confirming = ledger.assessConfirming(shipment("s1", "c1", MARCH, 8, 1_000), "R-1");
        Assessment other = ledger.assess(shipment("s2", "c1", MARCH, 1, 1));

        assertThat(confirming).isEqualTo(new Accepted(Classification.COUNTED, "p1", 8_000, false));
        assertThat(other).isInstanceOf(Denied.class);
    }

    @Test
    void aConfirmingShipmentMayNotNeedMoreThanWasReserved() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 100_000, null));
        reserve(ledger, "R-1", 5_000);

        Assessment assessment = ledger.assessConfirming(shipment("s1", "c1", MARCH, 5, 1_001), "R-1");

        assertThat(assessment).isInstanceOf(Denied.class);
        assertThat(((Denied) assessment).reason()).isEqualTo(DenialReason.RESERVATION_EXCEEDED);
    }

    @Test
    void releasingAHoldMakesItsTppAvailableAgain() {
        CountryLedger ledger = ledger(capped("p1", JAN_13_2025, 10_000, null));
        reserve(ledger, "R-1", 10_000);

        Hold released = ledger.release("R-1");

        assertThat(released.heldTpp()).isEqualTo(10_000);
        assertThat(ledger.balance(MARCH).reservedTpp()).isZero();
        assertThat(ledger.balance(MARCH).availableTpp()).isEqualTo(10_000);
    }

    @Test
    void reservationsToProhibitedDestinationsAreDeniedAndUncappedOnesHoldNothing() {
        CountryLedger china = CountryLedger.fresh(List.of(capped("p1", JAN_13_2025, 10_000, null).rulesFor("CN")));
        CountryLedger us = CountryLedger.fresh(List.of(capped("p1", JAN_13_2025, 10_000, null).rulesFor("US")));

        Assessment prohibited = china.assessHold("c1", MARCH, 1);
        Assessment unrestricted = us.assessHold("c1", MARCH, 1_000_000);

        assertThat(((Denied) prohibited).reason()).isEqualTo(DenialReason.DESTINATION_PROHIBITED);
        assertThat(unrestricted).isEqualTo(new Accepted(Classification.UNRESTRICTED, "p1", 0, false));
    }

    @Test
    void aReplayHoldsActiveReservationsUnderTheNewRulesAndDropsResolvedOnes() {
        List<Entry> history = List.of(new Entry.Reserved("R-1", "c1", MARCH, 4_000),
                new Entry.Reserved("R-2", "c1", MARCH, 2_000), new Entry.ReservationResolved("R-2"));
        PolicyDocument january = capped("p1", JAN_13_2025, 10_000, null);

        LedgerReplay.Result capped = LedgerReplay.replay(List.of(january.rulesFor("AE")), history);
        LedgerReplay.Result rescinded = LedgerReplay.replay(List.of(january.rulesFor("AE"),
                rescission("p2", LocalDate.of(2025, 2, 1)).rulesFor("AE")), history);

        assertThat(capped.ledger().holds()).containsOnlyKeys("R-1");
        assertThat(capped.ledger().balance(MARCH).availableTpp()).isEqualTo(6_000);
        assertThat(rescinded.ledger().holdOf("R-1").heldTpp()).isZero();
        assertThat(rescinded.ledger().balance(MARCH).reservedTpp()).isZero();
    }

    @Test
    void aPolicyWithoutAReservationLimitGetsTheDefault() {
        CountryRules rules = capped("p1", JAN_13_2025, 10_000, null).rulesFor("AE");

        assertThat(rules.reservationDaysLimit()).isEqualTo(CountryRules.DEFAULT_MAX_RESERVATION_DAYS);
        assertThat(rules.defaultReservationDays()).isEqualTo(14);
    }
}
