package org.quotaledger.policy;

import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;

import java.time.Instant;
import java.time.LocalDate;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.PolicyMessages.EnactPolicy;
import org.quotaledger.policy.PolicyMessages.EnactmentReceipt;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.PolicyDocument;

class PolicyBookTest {

    private static final Instant NOW = Instant.parse("2025-05-13T09:00:00Z");
    private static final PolicyDocument JANUARY = capped("p1", JAN_13_2025, 10_000, null);

    private AggregateTestFixture<PolicyBook> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PolicyBook.class);
    }

    @Test
    void theFirstValidPolicyIsEnactedAsNumberOne() {
        fixture.givenNoPriorActivity()
                .when(EnactPolicy.of(JANUARY, NOW))
                .expectEvents(new PolicyEnacted(JANUARY, 1, NOW))
                .expectResultMessagePayload(new EnactmentReceipt("p1", 1, NOW, false));
    }

    @Test
    void aRevisionIsEnactedAfterThePolicyInForce() {
        PolicyDocument may = rescission("p2", LocalDate.of(2025, 5, 13));

        fixture.given(new PolicyEnacted(JANUARY, 1, NOW))
                .when(EnactPolicy.of(may, NOW))
                .expectEvents(new PolicyEnacted(may, 2, NOW));
    }

    @Test
    void aPolicyMayNotTakeEffectBeforeThePolicyInForce() {
        PolicyDocument backdated = rescission("p2", LocalDate.of(2024, 12, 31));

        fixture.given(new PolicyEnacted(JANUARY, 1, NOW))
                .when(EnactPolicy.of(backdated, NOW))
                .expectNoEvents()
                .expectException(PolicyRejectedException.class)
                .expectExceptionMessage(Matchers.containsString("1 problem(s)"));
    }

    @Test
    void enactingTheSameDocumentTwiceIsOneEnactment() {
        fixture.given(new PolicyEnacted(JANUARY, 1, NOW))
                .when(EnactPolicy.of(JANUARY, NOW.plusSeconds(60)))
                .expectNoEvents()
                .expectResultMessagePayload(new EnactmentReceipt("p1", 1, null, true));
    }

    @Test
    void anIdIsNeverReusedForDifferentContent() {
        PolicyDocument changed = capped("p1", JAN_13_2025, 20_000, null);

        fixture.given(new PolicyEnacted(JANUARY, 1, NOW))
                .when(EnactPolicy.of(changed, NOW))
                .expectNoEvents()
                .expectException(PolicyRejectedException.class);
    }
}
