package org.quotaledger.quota;

import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.CountryLedger;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.Reclassification;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.VoidShipment;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;

class CountryQuotaTest {

    static final Instant NOW = Instant.parse("2025-07-01T12:00:00Z");
    static final LocalDate MARCH = LocalDate.of(2025, 3, 1);
    private static final LocalDate JUNE = LocalDate.of(2025, 6, 2);
    static final PolicyDocument JANUARY = capped("p1", JAN_13_2025, 10_000, 3_000L);
    private static final PolicyDocument MAY = rescission("p2", LocalDate.of(2025, 5, 13));

    private AggregateTestFixture<CountryQuota> fixture;
    private InMemoryShipmentRegistry registry;

    @BeforeEach
    void setUp() {
        QuotaFixture quota = QuotaFixture.create();
        fixture = quota.fixture();
        registry = quota.shipments();
    }

    /** The event that opens a country's ledger; its balance comes from the (separately tested) rules engine. */
    static PolicyApplied opened(String country, PolicyDocument policy) {
        CountryRules rules = policy.rulesFor(country);
        Balance after = CountryLedger.fresh(List.of(rules)).balance(LocalDate.ofInstant(NOW, ZoneOffset.UTC));
        return new PolicyApplied(country, rules, new Balance(null, null, null, null, 0, null, null, BalanceStatus.UNRESTRICTED),
                after, Map.of(), 0, List.of(), List.of(), NOW);
    }

    static Balance cappedBalance(long cap, long consumed) {
        long remaining = cap - consumed;
        BigDecimal utilization = BigDecimal.valueOf(consumed).divide(BigDecimal.valueOf(cap), 6, java.math.RoundingMode.HALF_UP);
        BalanceStatus status = remaining <= 0 ? BalanceStatus.EXHAUSTED
                : utilization.compareTo(new BigDecimal("0.90")) >= 0 ? BalanceStatus.CRITICAL : BalanceStatus.OPEN;
        return new Balance("p1", "TIER_2", Treatment.CAPPED, cap, consumed, remaining, utilization, status);
    }

    static RecordShipment record(String country, String id, String consignee, LocalDate date, int units) {
        return new RecordShipment(country, id, "exporter-a", new Consignee(consignee, consignee + " Ltd", "AE"), date,
                items(units), null, "hash-" + id + "-" + units, NOW);
    }

    private static List<LineItem> items(int units) {
        return List.of(new LineItem("TEST-CHIP", "3A090.a", units, 1_000));
    }

    static ShipmentRecorded recorded(RecordShipment command, Classification classification, long debit,
                                             Balance balance, String policyId) {
        return new ShipmentRecorded(command.country(), command.shipmentId(), command.exporterId(), command.consignee(),
                command.shipDate(), command.items(), null, command.facts().tpp(), classification, debit, policyId,
                balance, command.contentHash(), NOW);
    }

    @Test
    void recordsAShipmentThatReachesTheCapExactly() {
        RecordShipment first = record("AE", "s1", "c1", MARCH, 6);
        RecordShipment second = record("AE", "s2", "c2", MARCH, 4);

        fixture.given(opened("AE", JANUARY), recorded(first, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(second)
                .expectEvents(recorded(second, Classification.COUNTED, 4_000, cappedBalance(10_000, 10_000), "p1"),
                        new QuotaStatusChanged("AE", "p1", BalanceStatus.OPEN, BalanceStatus.EXHAUSTED,
                                cappedBalance(10_000, 10_000), "s2", NOW))
                .expectResultMessagePayload(new ShipmentOutcome("s2", "AE", ShipmentOutcome.Status.RECORDED,
                        Classification.COUNTED, 4_000, 4_000, 0L, "p1", null, null));
    }

    @Test
    void deniesAShipmentOneTppOverTheCapAndRecordsTheDenial() {
        RecordShipment first = record("AE", "s1", "c1", MARCH, 6);
        RecordShipment over = new RecordShipment("AE", "s2", "exporter-a", new Consignee("c2", "c2 Ltd", "AE"), MARCH,
                List.of(new LineItem("TEST-CHIP", "3A090.a", 1, 4_001)), null, "hash-s2", NOW);

        fixture.given(opened("AE", JANUARY), recorded(first, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(over)
                .expectEvents(new ShipmentDenied("AE", "s2", "exporter-a", over.consignee(), MARCH, over.items(), null,
                        4_001, DenialReason.QUOTA_EXCEEDED, "shipment of 4001 TPP exceeds the remaining 4000 TPP", "p1",
                        cappedBalance(10_000, 6_000), "hash-s2", NOW));
    }

    @Test
    void deniesEveryShipmentToAProhibitedDestination() {
        RecordShipment toChina = record("CN", "s1", "c1", MARCH, 1);
        Balance prohibited = new Balance("p1", "TIER_3", Treatment.PROHIBITED, 0L, 0, 0L, null, BalanceStatus.PROHIBITED);

        fixture.given(opened("CN", JANUARY))
                .when(toChina)
                .expectEvents(new ShipmentDenied("CN", "s1", "exporter-a", toChina.consignee(), MARCH, toChina.items(),
                        null, 1_000, DenialReason.DESTINATION_PROHIBITED, "destination is in tier TIER_3 (PROHIBITED)",
                        "p1", prohibited, toChina.contentHash(), NOW))
                .expectResultMessagePayload(new ShipmentOutcome("s1", "CN", ShipmentOutcome.Status.DENIED, null, 1_000, 0,
                        0L, "p1", DenialReason.DESTINATION_PROHIBITED, "destination is in tier TIER_3 (PROHIBITED)"));
    }

    @Test
    void aQuotaTurningCriticalIsAnAlertOnTheRecord() {
        RecordShipment first = record("AE", "s1", "c1", MARCH, 8);
        RecordShipment second = record("AE", "s2", "c1", MARCH, 1);

        fixture.given(opened("AE", JANUARY), recorded(first, Classification.COUNTED, 8_000, cappedBalance(10_000, 8_000), "p1"))
                .when(second)
                .expectEvents(recorded(second, Classification.COUNTED, 1_000, cappedBalance(10_000, 9_000), "p1"),
                        new QuotaStatusChanged("AE", "p1", BalanceStatus.OPEN, BalanceStatus.CRITICAL,
                                cappedBalance(10_000, 9_000), "s2", NOW));
    }

    @Test
    void aVoidThatLeavesTheCriticalZoneIsOnTheRecordToo() {
        RecordShipment shipped = record("AE", "s1", "c1", MARCH, 9);
        registry.put(new RegisteredShipment("s1", "AE", "exporter-a", "c1", MARCH, 9_000, shipped.contentHash(),
                RegisteredShipment.State.RECORDED, Classification.COUNTED, 9_000, "p1", false, null, NOW, null, null));

        fixture.given(opened("AE", JANUARY), recorded(shipped, Classification.COUNTED, 9_000, cappedBalance(10_000, 9_000), "p1"))
                .when(new VoidShipment("AE", "s1", "exporter-a", "cancelled order", NOW))
                .expectEvents(new ShipmentVoided("AE", "s1", "exporter-a", "c1", MARCH, 9_000, "cancelled order", 9_000,
                                "p1", cappedBalance(10_000, 0), NOW),
                        new QuotaStatusChanged("AE", "p1", BalanceStatus.CRITICAL, BalanceStatus.OPEN,
                                cappedBalance(10_000, 0), "s1", NOW));
    }

    @Test
    void lppExemptionIsPerConsigneePerCalendarYear() {
        RecordShipment within = record("AE", "s1", "c1", MARCH, 3);
        RecordShipment beyond = record("AE", "s2", "c1", MARCH, 1);

        fixture.given(opened("AE", JANUARY), recorded(within, Classification.LPP_EXEMPT, 0, cappedBalance(10_000, 0), "p1"))
                .when(beyond)
                .expectEvents(recorded(beyond, Classification.COUNTED, 1_000, cappedBalance(10_000, 1_000), "p1"));
    }

    @Test
    void aNewCalendarYearGivesTheConsigneeANewLppAllowance() {
        RecordShipment within = record("AE", "s1", "c1", MARCH, 3);
        RecordShipment nextYear = record("AE", "s2", "c1", LocalDate.of(2026, 1, 10), 3);

        fixture.given(opened("AE", JANUARY), recorded(within, Classification.LPP_EXEMPT, 0, cappedBalance(10_000, 0), "p1"))
                .when(nextYear)
                .expectEvents(recorded(nextYear, Classification.LPP_EXEMPT, 0, cappedBalance(10_000, 0), "p1"));
    }

    @Test
    void aVoidCreditsTheQuotaBackWithACompensatingEvent() {
        RecordShipment shipped = record("AE", "s1", "c1", MARCH, 6);
        registry.put(new RegisteredShipment("s1", "AE", "exporter-a", "c1", MARCH, 6_000, shipped.contentHash(),
                RegisteredShipment.State.RECORDED, Classification.COUNTED, 6_000, "p1", false, null, NOW, null, null));

        fixture.given(opened("AE", JANUARY), recorded(shipped, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(new VoidShipment("AE", "s1", "exporter-a", "wrong quantity", NOW))
                .expectEvents(new ShipmentVoided("AE", "s1", "exporter-a", "c1", MARCH, 6_000, "wrong quantity", 6_000,
                        "p1", cappedBalance(10_000, 0), NOW))
                .expectResultMessagePayload(new VoidOutcome("s1", "AE", 6_000, 10_000L));
    }

    @Test
    void anAlreadyVoidedShipmentCannotBeVoidedAgain() {
        registry.put(new RegisteredShipment("s1", "AE", "exporter-a", "c1", MARCH, 6_000, "h",
                RegisteredShipment.State.VOIDED, Classification.COUNTED, 6_000, "p1", false, null, NOW, NOW, "typo"));

        fixture.given(opened("AE", JANUARY))
                .when(new VoidShipment("AE", "s1", "exporter-a", "again", NOW))
                .expectNoEvents()
                .expectException(ShipmentNotVoidableException.class);
    }

    @Test
    void aRepeatedShipmentGetsItsFirstAnswerAndNoSecondDebit() {
        RecordShipment shipped = record("AE", "s1", "c1", MARCH, 6);
        ShipmentOutcome firstAnswer = new ShipmentOutcome("s1", "AE", ShipmentOutcome.Status.RECORDED,
                Classification.COUNTED, 6_000, 6_000, 4_000L, "p1", null, null);
        registry.put(new RegisteredShipment("s1", "AE", "exporter-a", "c1", MARCH, 6_000, shipped.contentHash(),
                RegisteredShipment.State.RECORDED, Classification.COUNTED, 6_000, "p1", false, firstAnswer, NOW, null, null));

        fixture.given(opened("AE", JANUARY), recorded(shipped, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(shipped)
                .expectNoEvents()
                .expectResultMessagePayload(firstAnswer);
    }

    @Test
    void aDifferentShipmentUnderATakenIdIsAConflict() {
        RecordShipment shipped = record("AE", "s1", "c1", MARCH, 6);
        registry.put(new RegisteredShipment("s1", "AE", "exporter-a", "c1", MARCH, 6_000, shipped.contentHash(),
                RegisteredShipment.State.RECORDED, Classification.COUNTED, 6_000, "p1", false, null, NOW, null, null));

        fixture.given(opened("AE", JANUARY), recorded(shipped, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"))
                .when(record("AE", "s1", "c1", MARCH, 7))
                .expectNoEvents()
                .expectException(ShipmentConflictException.class);
    }

    @Test
    void applyingAPolicyReplaysTheRecordedHistoryUnderIt() {
        RecordShipment march = record("AE", "s1", "c1", MARCH, 6);
        RecordShipment june = record("AE", "s2", "c2", JUNE, 4);

        fixture.given(opened("AE", JANUARY),
                        recorded(march, Classification.COUNTED, 6_000, cappedBalance(10_000, 6_000), "p1"),
                        recorded(june, Classification.COUNTED, 4_000, cappedBalance(10_000, 10_000), "p1"))
                .when(new ApplyPolicy("AE", MAY.rulesFor("AE"), NOW))
                .expectEvents(new PolicyApplied("AE", MAY.rulesFor("AE"), cappedBalance(10_000, 10_000),
                        new Balance("p2", "ALL", Treatment.UNRESTRICTED, null, 0, null, null, BalanceStatus.UNRESTRICTED),
                        Map.of("p1", 6_000L), 2,
                        List.of(new Reclassification("s2", Classification.COUNTED, Classification.UNRESTRICTED, 4_000, 0, "p2", false)),
                        List.of(), NOW),
                        new QuotaStatusChanged("AE", "p2", BalanceStatus.EXHAUSTED, BalanceStatus.UNRESTRICTED,
                                new Balance("p2", "ALL", Treatment.UNRESTRICTED, null, 0, null, null, BalanceStatus.UNRESTRICTED),
                                "p2", NOW));
    }

    @Test
    void applyingTheSamePolicyTwiceChangesNothing() {
        fixture.given(opened("AE", JANUARY))
                .when(new ApplyPolicy("AE", JANUARY.rulesFor("AE"), NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theFirstPolicyOpensTheCountrysLedger() {
        fixture.givenNoPriorActivity()
                .when(new ApplyPolicy("AE", JANUARY.rulesFor("AE"), NOW))
                .expectEvents(opened("AE", JANUARY));
    }
}
