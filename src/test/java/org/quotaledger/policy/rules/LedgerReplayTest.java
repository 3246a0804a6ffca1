package org.quotaledger.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;
import static org.quotaledger.policy.rules.TestPolicies.shipment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Assessment.Accepted;
import org.quotaledger.policy.rules.LedgerReplay.Entry;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LedgerReplayTest {

    private static final LocalDate APRIL = LocalDate.of(2025, 4, 1);
    private static final LocalDate JUNE = LocalDate.of(2025, 6, 1);

    private static List<CountryRules> timeline(String country, PolicyDocument... policies) {
        return java.util.Arrays.stream(policies).map(p -> p.rulesFor(country)).toList();
    }

    private static Entry onRecord(ShipmentFacts shipment) {
        return new Entry.ShipmentOnRecord(shipment);
    }

    @Test
    void aSmallerCapFlagsPastShipmentsBeyondItWithoutUndoingThem() {
        List<Entry> history = List.of(onRecord(shipment("s1", "c1", APRIL, 6, 1_000)),
                onRecord(shipment("s2", "c1", APRIL, 3, 1_000)));
        PolicyDocument generous = capped("p1", JAN_13_2025, 10_000, null);
        PolicyDocument strict = capped("p2", JAN_13_2025, 7_000, null);

        LedgerReplay.Result then = LedgerReplay.replay(timeline("AE", generous), history);
        LedgerReplay.Result now = LedgerReplay.replay(timeline("AE", generous, strict), history);

        assertThat(now.beyondCap()).containsExactly("s2");
        assertThat(now.ledger().balance(APRIL).consumedTpp()).as("nothing is undone").isEqualTo(9_000);
        assertThat(now.ledger().balance(APRIL).remainingTpp()).isEqualTo(-2_000);
        assertThat(now.ledger().balance(APRIL).status()).isEqualTo(BalanceStatus.EXHAUSTED);
        assertThat(LedgerReplay.reclassifications(then, now)).extracting(Reclassification::shipmentId)
                .containsExactly("s1", "s2");
    }

    @Test
    void theRescissionReclassifiesOnlyShipmentsFromItsEffectiveDate() {
        List<Entry> history = List.of(onRecord(shipment("s1", "c1", APRIL, 6, 1_000)),
                onRecord(shipment("s2", "c1", JUNE, 3, 1_000)));
        PolicyDocument january = capped("p1", JAN_13_2025, 10_000, null);

        LedgerReplay.Result then = LedgerReplay.replay(timeline("AE", january), history);
        LedgerReplay.Result now = LedgerReplay.replay(timeline("AE", january, rescission("p2", LocalDate.of(2025, 5, 13))), history);

        assertThat(LedgerReplay.reclassifications(then, now)).containsExactly(
                new Reclassification("s2", Classification.COUNTED, Classification.UNRESTRICTED, 3_000, 0, "p2", false));
        assertThat(now.ledger().balance(JUNE).status()).isEqualTo(BalanceStatus.UNRESTRICTED);
        assertThat(now.ledger().countedByPolicy()).containsEntry("p1", 6_000L);
    }

    @Test
    void aVoidedShipmentIsOffTheBooksInAReplay() {
        List<Entry> history = List.of(onRecord(shipment("s1", "c1", APRIL, 6, 1_000)), new Entry.ShipmentVoided("s1"),
                onRecord(shipment("s2", "c1", APRIL, 2, 1_000)));

        LedgerReplay.Result result = LedgerReplay.replay(timeline("AE", capped("p1", JAN_13_2025, 10_000, null)), history);

        assertThat(result.ledger().balance(APRIL).consumedTpp()).isEqualTo(2_000);
        assertThat(result.outcomes().get("s1").voided()).isTrue();
    }

    /** One step of a generated history: a shipment, or a void of the n-th earlier shipment. */
    record Step(boolean isVoid, int voidIndex, String consignee, int units, int month) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 9).map(n -> n == 0),
                Arbitraries.integers().between(0, 1_000),
                Arbitraries.of("c1", "c2", "c3", "UVEU-1"),
                Arbitraries.integers().between(1, 4_000),
                Arbitraries.integers().between(1, 12)).as(Step::new);
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 200)
    void theFoldOfAStreamEqualsTheIncrementallyKeptBalance(@ForAll("histories") List<Step> steps) {
        List<CountryRules> timeline = timeline("AE", capped("p1", JAN_13_2025, 5_000_000, 2_000_000L),
                rescission("p2", LocalDate.of(2025, 9, 1)));
        CountryLedger incremental = CountryLedger.fresh(timeline);
        List<Entry> history = new ArrayList<>();
        List<ShipmentFacts> accepted = new ArrayList<>();
        Map<String, Accepted> assessments = new HashMap<>();
        int id = 0;
        for (Step step : steps) {
            if (step.isVoid() && !accepted.isEmpty()) {
                ShipmentFacts target = accepted.remove(step.voidIndex() % accepted.size());
                Accepted a = assessments.get(target.shipmentId());
                incremental.unrecord(target.consigneeId(), target.shipDate(), target.tpp(), a.policyId(), a.debitTpp());
                history.add(new Entry.ShipmentVoided(target.shipmentId()));
                continue;
            }
            ShipmentFacts shipment = shipment("s" + id++, step.consignee(), LocalDate.of(2025, step.month(), 15), step.units(), 1_000);
            if (incremental.assess(shipment) instanceof Accepted a) {
                incremental.record(shipment, a);
                accepted.add(shipment);
                assessments.put(shipment.shipmentId(), a);
                history.add(onRecord(shipment));
            }
        }

        LedgerReplay.Result fold = LedgerReplay.replay(timeline, history);

        assertThat(fold.ledger().countedByPolicy()).isEqualTo(incremental.countedByPolicy());
        assertThat(fold.ledger().balance(APRIL)).isEqualTo(incremental.balance(APRIL));
        assertThat(fold.beyondCap()).as("what was accepted stays within the cap").isEmpty();
    }

    @Property(tries = 100)
    void replayingOneHistoryTwiceGivesOneBalance(@ForAll("histories") List<Step> steps) {
        List<Entry> history = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            history.add(step.isVoid() && i > 0 ? new Entry.ShipmentVoided("s" + (step.voidIndex() % i))
                    : onRecord(shipment("s" + i, step.consignee(), LocalDate.of(2025, step.month(), 1), step.units(), 1_000)));
        }
        List<CountryRules> timeline = timeline("AE", capped("p1", JAN_13_2025, 3_000_000, 1_000_000L));

        LedgerReplay.Result first = LedgerReplay.replay(timeline, history);
        LedgerReplay.Result second = LedgerReplay.replay(timeline, history);

        assertThat(second.ledger().balance(APRIL)).isEqualTo(first.ledger().balance(APRIL));
        assertThat(second.outcomes()).isEqualTo(first.outcomes());
        assertThat(LedgerReplay.reclassifications(first, second)).isEmpty();
    }
}
