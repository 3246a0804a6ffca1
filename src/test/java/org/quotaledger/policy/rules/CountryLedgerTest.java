package org.quotaledger.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;
import static org.quotaledger.policy.rules.TestPolicies.shipment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Assessment.Accepted;
import org.quotaledger.policy.rules.Assessment.Denied;

class CountryLedgerTest {

    private static final LocalDate MARCH = LocalDate.of(2025, 3, 1);

    private static CountryLedger ledger(String country, PolicyDocument... policies) {
        return CountryLedger.fresh(java.util.Arrays.stream(policies).map(p -> p.rulesFor(country)).toList());
    }

    private static Accepted recordAccepted(CountryLedger ledger, ShipmentFacts shipment) {
        Assessment assessment = ledger.assess(shipment);
        assertThat(assessment).isInstanceOf(Accepted.class);
        ledger.record(shipment, (Accepted) assessment);
        return (Accepted) assessment;
    }

    @Test
    void countsAShipmentToACappedCountryAgainstItsCap() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));

        Accepted accepted = recordAccepted(ledger, shipment("s1", "c1", MARCH, 3, 1_000));

        assertThat(accepted).isEqualTo(new Accepted(Classification.COUNTED, "p1", 3_000, false));
        assertThat(ledger.balance(MARCH).consumedTpp()).isEqualTo(3_000);
        assertThat(ledger.balance(MARCH).remainingTpp()).isEqualTo(7_000);
        assertThat(ledger.balance(MARCH).status()).isEqualTo(BalanceStatus.OPEN);
    }

    @Test
    void acceptsAShipmentThatReachesTheCapExactly() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));
        recordAccepted(ledger, shipment("s1", "c1", MARCH, 6, 1_000));

        recordAccepted(ledger, shipment("s2", "c1", MARCH, 4, 1_000));

        Balance balance = ledger.balance(MARCH);
        assertThat(balance.remainingTpp()).isZero();
        assertThat(balance.status()).isEqualTo(BalanceStatus.EXHAUSTED);
    }

    @Test
    void deniesAShipmentThatWouldExceedTheCapByOneTpp() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));
        recordAccepted(ledger, shipment("s1", "c1", MARCH, 9, 1_000));

        Assessment assessment = ledger.assess(shipment("s2", "c1", MARCH, 1, 1_001));

        assertThat(assessment).isInstanceOf(Denied.class);
        assertThat(((Denied) assessment).reason()).isEqualTo(DenialReason.QUOTA_EXCEEDED);
        assertThat(ledger.balance(MARCH).remainingTpp()).isEqualTo(1_000);
    }

    @Test
    void deniesAnyShipmentToAProhibitedDestination() {
        CountryLedger ledger = ledger("CN", capped("p1", JAN_13_2025, 10_000, null));

        Assessment assessment = ledger.assess(shipment("s1", "c1", MARCH, 1, 1));

        assertThat(assessment).isEqualTo(new Denied(DenialReason.DESTINATION_PROHIBITED, "p1",
                "destination is in tier TIER_3 (PROHIBITED)"));
        assertThat(ledger.balance(MARCH).status()).isEqualTo(BalanceStatus.PROHIBITED);
    }

    @Test
    void neverDebitsAnUnrestrictedDestination() {
        CountryLedger ledger = ledger("US", capped("p1", JAN_13_2025, 10_000, null));

        Accepted accepted = recordAccepted(ledger, shipment("s1", "c1", MARCH, 1_000, 1_000));

        assertThat(accepted.classification()).isEqualTo(Classification.UNRESTRICTED);
        assertThat(ledger.balance(MARCH).status()).isEqualTo(BalanceStatus.UNRESTRICTED);
        assertThat(ledger.balance(MARCH).capTpp()).isNull();
    }

    @Test
    void lppExemptionIsPerConsigneePerCalendarYear() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 100_000, 5_000L));

        assertThat(recordAccepted(ledger, shipment("s1", "c1", MARCH, 3, 1_000)).classification())
                .isEqualTo(Classification.LPP_EXEMPT);
        assertThat(recordAccepted(ledger, shipment("s2", "c1", MARCH, 2, 1_000)).classification())
                .as("the consignee's year total reaches the threshold exactly").isEqualTo(Classification.LPP_EXEMPT);
        assertThat(recordAccepted(ledger, shipment("s3", "c1", MARCH, 1, 1_000)).classification())
                .as("over the threshold for c1 in 2025").isEqualTo(Classification.COUNTED);
        assertThat(recordAccepted(ledger, shipment("s4", "c2", MARCH, 1, 1_000)).classification())
                .as("another consignee has its own allowance").isEqualTo(Classification.LPP_EXEMPT);
        assertThat(recordAccepted(ledger, shipment("s5", "c1", LocalDate.of(2026, 1, 5), 1, 1_000)).classification())
                .as("a new calendar year starts a new allowance").isEqualTo(Classification.LPP_EXEMPT);
        assertThat(ledger.balance(MARCH).consumedTpp()).isEqualTo(1_000);
    }

    @Test
    void lppExceptionIsNotSplitAcrossAShipment() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 100_000, 5_000L));
        recordAccepted(ledger, shipment("s1", "c1", MARCH, 4, 1_000));

        Accepted accepted = recordAccepted(ledger, shipment("s2", "c1", MARCH, 2, 1_000));

        assertThat(accepted).isEqualTo(new Accepted(Classification.COUNTED, "p1", 2_000, false));
    }

    @Test
    void shipmentsToAValidatedEndUserDoNotDebitTheCap() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));

        Accepted accepted = recordAccepted(ledger, shipment("s1", "UVEU-1", MARCH, 50, 1_000));

        assertThat(accepted.classification()).isEqualTo(Classification.VEU_EXEMPT);
        assertThat(ledger.balance(MARCH).consumedTpp()).isZero();
    }

    @Test
    void shipmentsBeforeAnyPolicyTookEffectAreNotCovered() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));

        Accepted accepted = recordAccepted(ledger, shipment("s1", "c1", LocalDate.of(2024, 12, 1), 50, 1_000));

        assertThat(accepted).isEqualTo(new Accepted(Classification.NOT_COVERED, null, 0, false));
    }

    @Test
    void thePolicyInForceOnTheShipDateClassifiesTheShipment() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null),
                rescission("p2", LocalDate.of(2025, 5, 13)));

        Accepted before = recordAccepted(ledger, shipment("s1", "c1", LocalDate.of(2025, 5, 12), 2, 1_000));
        Accepted after = recordAccepted(ledger, shipment("s2", "c1", LocalDate.of(2025, 5, 13), 50, 1_000));

        assertThat(before).isEqualTo(new Accepted(Classification.COUNTED, "p1", 2_000, false));
        assertThat(after).isEqualTo(new Accepted(Classification.UNRESTRICTED, "p2", 0, false));
        assertThat(ledger.balance(LocalDate.of(2025, 6, 1)).policyId()).as("balances show the current policy").isEqualTo("p2");
        assertThat(ledger.countedByPolicy()).containsEntry("p1", 2_000L);
    }

    @Test
    void aDatedTierMembershipEndsOnItsUntilDate() {
        CountryLedger ledger = ledger("KH", capped("p1", JAN_13_2025, 10_000, null));

        assertThat(ledger.assess(shipment("s1", "c1", LocalDate.of(2026, 2, 2), 1, 1_000))).isInstanceOf(Denied.class);
        assertThat(ledger.assess(shipment("s2", "c1", LocalDate.of(2026, 2, 3), 1, 1_000)))
                .isEqualTo(new Accepted(Classification.COUNTED, "p1", 1_000, false));
    }

    @Test
    void aChipClassRuleNeedsALicenceAndTheLicenceLiftsTheProhibition() {
        PolicyDocument base = capped("p1", JAN_13_2025, 10_000, null);
        PolicyDocument withRule = new PolicyDocument(base.id(), base.title(), base.citation(), base.effectiveFrom(),
                base.defaultTier(), base.tiers(), base.countingWindow(), base.lppException(), base.capOverrides(),
                base.validatedEndUsers(), List.of(new ChipClassRule("h200-case-by-case", "test", List.of("CN"), null, 21_000L)),
                base.criticalThreshold());
        CountryLedger ledger = ledger("CN", withRule);
        ShipmentFacts unlicensed = shipment("s1", "c1", MARCH, 1, 15_832);
        ShipmentFacts licensed = new ShipmentFacts("s2", "c1", MARCH, unlicensed.items(), "LIC-42");
        ShipmentFacts tooStrong = new ShipmentFacts("s3", "c1", MARCH, List.of(new LineItem("B200", "3A090.a", 1, 36_000)), "LIC-42");

        assertThat(((Denied) ledger.assess(unlicensed)).reason()).isEqualTo(DenialReason.LICENSE_REQUIRED);
        assertThat(ledger.assess(licensed)).isEqualTo(new Accepted(Classification.LICENSED, "p1", 0, false));
        assertThat(((Denied) ledger.assess(tooStrong)).reason()).isEqualTo(DenialReason.DESTINATION_PROHIBITED);
    }

    @Test
    void unrecordingAVoidedShipmentCreditsTheCapAndTheConsigneeBack() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, 3_000L));
        ShipmentFacts big = shipment("s1", "c1", MARCH, 5, 1_000);
        Accepted accepted = recordAccepted(ledger, big);

        ledger.unrecord("c1", MARCH, big.tpp(), accepted.policyId(), accepted.debitTpp());

        assertThat(ledger.balance(MARCH).consumedTpp()).isZero();
        assertThat(ledger.assess(shipment("s2", "c1", MARCH, 3, 1_000)))
                .as("the consignee's allowance is whole again").isEqualTo(new Accepted(Classification.LPP_EXEMPT, "p1", 0, false));
    }

    @Test
    void aBalanceTurnsCriticalAtTheThreshold() {
        CountryLedger ledger = ledger("AE", capped("p1", JAN_13_2025, 10_000, null));
        recordAccepted(ledger, shipment("s1", "c1", MARCH, 8_999, 1));
        assertThat(ledger.balance(MARCH).status()).isEqualTo(BalanceStatus.OPEN);

        recordAccepted(ledger, shipment("s2", "c1", MARCH, 1, 1));

        assertThat(ledger.balance(MARCH).status()).isEqualTo(BalanceStatus.CRITICAL);
        assertThat(ledger.balance(MARCH).utilization()).isEqualByComparingTo(new BigDecimal("0.9"));
    }

    @Test
    void aCapOverrideReplacesTheTierCap() {
        PolicyDocument base = capped("p1", JAN_13_2025, 10_000, null);
        PolicyDocument doubled = new PolicyDocument(base.id(), base.title(), base.citation(), base.effectiveFrom(),
                base.defaultTier(), base.tiers(), base.countingWindow(), base.lppException(), java.util.Map.of("AE", 20_000L),
                base.validatedEndUsers(), base.chipClassRules(), base.criticalThreshold());

        assertThat(ledger("AE", doubled).balance(MARCH).capTpp()).isEqualTo(20_000);
        assertThat(ledger("SA", doubled).balance(MARCH).capTpp()).isEqualTo(10_000);
    }
}
