package org.quotaledger.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

    @Test
    void theShippedPoliciesAreValidInTheOrderTheyWereEnacted() {
        PolicyDocument january = TestPolicies.shipped("ai-diffusion-2025-01");
        PolicyDocument may = TestPolicies.shipped("ai-diffusion-rescission-2025-05");

        assertThat(PolicyValidator.validate(january, null)).isEmpty();
        assertThat(PolicyValidator.validate(may, january.effectiveFrom())).isEmpty();
        assertThat(january.rulesFor("IN").tierOn(LocalDate.of(2025, 3, 1)).capTpp()).isEqualTo(790_000_000L);
        assertThat(january.rulesFor("IN").lppThresholdTpp()).isEqualTo(26_900_000L);
        assertThat(january.rulesFor("FR").tierOn(LocalDate.of(2025, 3, 1)).treatment()).isEqualTo(Treatment.UNRESTRICTED);
        assertThat(january.rulesFor("MO").tierOn(LocalDate.of(2025, 3, 1)).treatment()).isEqualTo(Treatment.PROHIBITED);
        assertThat(may.rulesFor("IN").tierOn(LocalDate.of(2025, 6, 1)).treatment()).isEqualTo(Treatment.UNRESTRICTED);
        assertThat(may.rulesFor("KH").tierOn(LocalDate.of(2026, 2, 3)).treatment()).isEqualTo(Treatment.UNRESTRICTED);
    }

    @Test
    void listsEveryProblemOfABadDocumentAtOnce() {
        PolicyDocument bad = new PolicyDocument("Bad Id", null, null, LocalDate.of(2024, 1, 1), "NOPE",
                List.of(new Tier("A", Treatment.CAPPED, -5L, List.of("ZZ", "IN"), List.of()),
                        new Tier("B", Treatment.PROHIBITED, null, List.of("IN"), List.of())),
                new CountingWindow(LocalDate.of(2025, 1, 1), LocalDate.of(2024, 1, 1)), null, Map.of(), List.of(),
                List.of(), new BigDecimal("0.9"));

        List<PolicyProblem> problems = PolicyValidator.validate(bad, JAN_13_2025);

        assertThat(problems).extracting(PolicyProblem::field).containsExactlyInAnyOrder(
                "id", "title", "effectiveFrom", "tiers[0].capTpp", "tiers[0].countries[0]", "defaultTier",
                "tiers[1].countries[0]", "countingWindow.to");
        assertThat(problems).filteredOn(p -> p.field().equals("tiers[1].countries[0]")).singleElement()
                .extracting(PolicyProblem::message).asString().contains("IN is in tier A and tier B");
    }

    @Test
    void aCountryMayChangeTierAtADateButNotBeInTwoAtOnce() {
        PolicyDocument base = capped("p1", JAN_13_2025, 1_000, null);
        Tier dated = new Tier("TIER_1", Treatment.UNRESTRICTED, null, List.of(),
                List.of(new TierMembership("KH", LocalDate.of(2026, 2, 3), null)));
        Tier overlapping = new Tier("TIER_1", Treatment.UNRESTRICTED, null, List.of(),
                List.of(new TierMembership("KH", LocalDate.of(2026, 1, 1), null)));

        assertThat(PolicyValidator.validate(withTier1(base, dated), null)).isEmpty();
        assertThat(PolicyValidator.validate(withTier1(base, overlapping), null)).extracting(PolicyProblem::field)
                .containsExactly("tiers[2].datedMembers[0]");
    }

    @Test
    void aCappedTierNeedsACapAWindowAndACriticalThreshold() {
        PolicyDocument noWindow = new PolicyDocument("p1", "t", null, JAN_13_2025, "T2",
                List.of(new Tier("T2", Treatment.CAPPED, null, List.of(), List.of())), null, null, Map.of(), List.of(),
                List.of(), null);

        assertThat(PolicyValidator.validate(noWindow, null)).extracting(PolicyProblem::field)
                .containsExactlyInAnyOrder("tiers[0].capTpp", "countingWindow");
    }

    @Test
    void rejectsUnknownCountriesInOverridesAndNegativeOverrides() {
        PolicyDocument base = capped("p1", JAN_13_2025, 1_000, 0L);
        PolicyDocument bad = new PolicyDocument(base.id(), base.title(), base.citation(), base.effectiveFrom(),
                base.defaultTier(), base.tiers(), base.countingWindow(), base.lppException(),
                Map.of("UK", 5L, "AE", -1L), base.validatedEndUsers(), base.chipClassRules(), base.criticalThreshold());

        assertThat(PolicyValidator.validate(bad, null)).extracting(PolicyProblem::field)
                .containsExactlyInAnyOrder("capOverrides.UK", "capOverrides.AE", "lppException.thresholdTppPerConsigneePerYear");
    }

    private static PolicyDocument withTier1(PolicyDocument base, Tier tier1) {
        List<Tier> tiers = new java.util.ArrayList<>(base.tiers().subList(1, 3));
        tiers.add(tier1);
        return new PolicyDocument(base.id(), base.title(), base.citation(), base.effectiveFrom(), base.defaultTier(),
                tiers, base.countingWindow(), base.lppException(), base.capOverrides(), base.validatedEndUsers(),
                base.chipClassRules(), base.criticalThreshold());
    }

    @Test
    void aReservationLimitIsOptionalButMustBeAtLeastADayAndAtMostAYear() {
        PolicyDocument base = TestPolicies.capped("p1", JAN_13_2025, 10_000, null);

        assertThat(PolicyValidator.validate(withReservationDays(base, null), null)).isEmpty();
        assertThat(PolicyValidator.validate(withReservationDays(base, 30), null)).isEmpty();
        assertThat(PolicyValidator.validate(withReservationDays(base, 0), null)).extracting(PolicyProblem::field)
                .containsExactly("maxReservationDays");
        assertThat(PolicyValidator.validate(withReservationDays(base, 367), null)).extracting(PolicyProblem::field)
                .containsExactly("maxReservationDays");
        assertThat(withReservationDays(base, 30).rulesFor("AE").reservationDaysLimit()).isEqualTo(30);
    }

    private static PolicyDocument withReservationDays(PolicyDocument base, Integer days) {
        return new PolicyDocument(base.id(), base.title(), base.citation(), base.effectiveFrom(), base.defaultTier(),
                base.tiers(), base.countingWindow(), base.lppException(), base.capOverrides(), base.validatedEndUsers(),
                base.chipClassRules(), base.criticalThreshold(), days);
    }
}
