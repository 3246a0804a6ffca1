package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;
import static org.quotaledger.policy.rules.TestPolicies.rescission;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.CountryLedger;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.policy.rules.Hold;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.ReservationCommands.ReleaseReservation;
import org.quotaledger.quota.ReservationCommands.ReservationDeadline;
import org.quotaledger.quota.ReservationCommands.ReserveQuota;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;
import org.quotaledger.quota.ReservationRegistry.RegisteredReservation;
import org.quotaledger.quota.ReservationRegistry.Status;
import org.quotaledger.quota.ReservationRejectedException.Reason;

/** A reservation's life in a country's quota: granted, then resolved exactly once. */
class CountryQuotaReservationTest {

    private static final Instant NOW = Instant.parse("2025-07-01T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    private static final Instant IN_14_DAYS = NOW.plus(Duration.ofDays(14));
    private static final long CAP = 10_000;
    private static final PolicyDocument POLICY = capped("p1", JAN_13_2025, CAP, null);
    private static final Consignee G42 = new Consignee("c1", "G42", "AE");

    private AggregateTestFixture<CountryQuota> fixture;
    private InMemoryReservationRegistry reservations;

    @BeforeEach
    void setUp() {
        QuotaFixture quota = QuotaFixture.create();
        fixture = quota.fixture();
        reservations = quota.reservations();
    }

    private static PolicyApplied opened() {
        CountryRules rules = POLICY.rulesFor("AE");
        Balance after = CountryLedger.fresh(List.of(rules)).balance(TODAY);
        return new PolicyApplied("AE", rules, new Balance(null, null, null, null, 0, null, null, BalanceStatus.UNRESTRICTED),
                after, Map.of(), 0, List.of(), List.of(), NOW);
    }

    private static Balance balance(long consumed, long reserved) {
        BigDecimal utilization = BigDecimal.valueOf(consumed).divide(BigDecimal.valueOf(CAP), 6, RoundingMode.HALF_UP);
        return new Balance("p1", "TIER_2", Treatment.CAPPED, CAP, consumed, CAP - consumed, utilization,
                BalanceStatus.OPEN, reserved, CAP - consumed - reserved);
    }

    private static ReserveQuota reserve(String id, long tpp, Instant expiresAt) {
        return new ReserveQuota("AE", id, "nvidia", G42, tpp, expiresAt, "hash-" + id, NOW);
    }

    private static QuotaReserved reserved(String id, long tpp, Instant expiresAt) {
        return new QuotaReserved("AE", id, "nvidia", G42, tpp, Classification.COUNTED, tpp, "p1", expiresAt,
                balance(0, tpp), "hash-" + id, NOW);
    }

    private void registered(String id, long tpp, Status status, Instant expiresAt) {
        reservations.put(new RegisteredReservation(id, "AE", "nvidia", "c1", "G42", "AE", tpp, 0, status, expiresAt,
                "hash-" + id, null, null, NOW, null));
    }

    private static RecordShipment confirming(String shipmentId, String reservationId, int units, Instant at) {
        return new RecordShipment("AE", shipmentId, "nvidia", G42, TODAY, List.of(new LineItem("TEST-CHIP", "3A090.a", units, 1_000)),
                null, "hash-" + shipmentId, at, reservationId);
    }

    private static <T> org.hamcrest.Matcher<T> predicate(java.util.function.Predicate<T> test) {
        return org.axonframework.test.matchers.Matchers.predicate(test);
    }

    private static org.hamcrest.Matcher<Object> refusedFor(Reason reason) {
        return predicate(e -> e instanceof ReservationRejectedException refused && refused.why() == reason);
    }

    @Test
    void aReservationHoldsTppAndSchedulesItsExpiryAfterTheDefaultFourteenDays() {
        fixture.givenCurrentTime(NOW).andGiven(opened())
                .when(reserve("R-1", 4_000, null))
                .expectEvents(reserved("R-1", 4_000, IN_14_DAYS))
                .expectScheduledDeadline(IN_14_DAYS, new ReservationDeadline("R-1", "nvidia", IN_14_DAYS))
                .expectResultMessagePayload(new ReservationOutcome("R-1", "AE", "nvidia", "c1", 4_000, Status.ACTIVE,
                        IN_14_DAYS, 6_000L, null, null, "p1"));
    }

    @Test
    void aReservationBeyondTheAvailableIsDeniedOnTheRecordAndHoldsNothing() {
        String detail = "reservation of 4001 TPP exceeds the remaining 10000 TPP, of which 6000 TPP are reserved";
        fixture.given(opened(), reserved("R-1", 6_000, IN_14_DAYS))
                .when(reserve("R-2", 4_001, null))
                .expectEvents(new ReservationEvents.ReservationDenied("AE", "R-2", "nvidia", G42, 4_001,
                        DenialReason.QUOTA_EXCEEDED, detail, "p1", balance(0, 6_000), NOW))
                .expectNoScheduledDeadlines()
                .expectResultMessagePayload(new ReservationOutcome("R-2", "AE", "nvidia", "c1", 4_001, null, IN_14_DAYS,
                        4_000L, DenialReason.QUOTA_EXCEEDED, detail, "p1"));
    }

    @Test
    void anExpiryBeyondThePolicysLimitIsRefused() {
        fixture.given(opened())
                .when(reserve("R-1", 1_000, NOW.plus(Duration.ofDays(CountryRules.DEFAULT_MAX_RESERVATION_DAYS + 1))))
                .expectNoEvents()
                .expectException(org.quotaledger.infra.InvalidRequestException.class);
    }

    @Test
    void aPartialConfirmationDebitsTheShipmentAndReturnsTheRemainder() {
        registered("R-1", 4_000, Status.ACTIVE, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(confirming("S-1", "R-1", 3, NOW))
                .expectEvents(new ShipmentRecorded("AE", "S-1", "nvidia", G42, TODAY,
                                List.of(new LineItem("TEST-CHIP", "3A090.a", 3, 1_000)), null, 3_000,
                                Classification.COUNTED, 3_000, "p1", balance(3_000, 0), "hash-S-1", NOW),
                        new ReservationConfirmed("AE", "R-1", "nvidia", "S-1", 4_000, 3_000, 1_000, balance(3_000, 0), NOW));
    }

    @Test
    void aConfirmationMayNotNeedMoreThanWasReserved() {
        registered("R-1", 4_000, Status.ACTIVE, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(confirming("S-1", "R-1", 5, NOW))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                predicate(event -> event instanceof ShipmentDenied denied
                                        && denied.reason() == DenialReason.RESERVATION_EXCEEDED),
                                org.axonframework.test.matchers.Matchers.andNoMore())));
    }

    @Test
    void aReleaseReturnsTheHeldTppToTheQuota() {
        registered("R-1", 4_000, Status.ACTIVE, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(new ReleaseReservation("AE", "R-1", "nvidia", NOW))
                .expectEvents(new ReservationReleased("AE", "R-1", "nvidia", 4_000, balance(0, 0), NOW));
    }

    @Test
    void anUnconfirmedReservationExpiresThroughItsDeadline() {
        fixture.givenCurrentTime(NOW).andGiven(opened())
                .andGivenCommands(reserve("R-1", 4_000, null))
                .whenTimeElapses(Duration.ofDays(14).plusSeconds(1))
                .expectDeadlinesMet(new ReservationDeadline("R-1", "nvidia", IN_14_DAYS))
                .expectEvents(new ReservationExpired("AE", "R-1", "nvidia", 4_000, expiredBalance(), IN_14_DAYS));
    }

    /** On its expiry day, a balance with nothing consumed and nothing reserved. */
    private static Balance expiredBalance() {
        return balance(0, 0);
    }

    @Test
    void aReservationResolvedBeforeItsDeadlineDoesNotExpire() {
        fixture.givenCurrentTime(NOW).andGiven(opened())
                .andGivenCommands(reserve("R-1", 4_000, null))
                .andGiven(new ReservationReleased("AE", "R-1", "nvidia", 4_000, balance(0, 0), NOW))
                .whenTimeElapses(Duration.ofDays(15))
                .expectNoEvents();
    }

    @Test
    void aReservationResolvesOnlyOnce() {
        registered("R-1", 4_000, Status.RELEASED, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS),
                        new ReservationReleased("AE", "R-1", "nvidia", 4_000, balance(0, 0), NOW))
                .when(new ReleaseReservation("AE", "R-1", "nvidia", NOW))
                .expectNoEvents()
                .expectException(ReservationRejectedException.class)
                .expectExceptionMessage("reservation R-1 is already released");
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS),
                        new ReservationReleased("AE", "R-1", "nvidia", 4_000, balance(0, 0), NOW))
                .when(confirming("S-1", "R-1", 1, NOW))
                .expectNoEvents()
                .expectException(refusedFor(Reason.RESERVATION_RESOLVED));
    }

    @Test
    void confirmingAfterTheExpiryIsRefusedEvenBeforeTheDeadlineHasRun() {
        registered("R-1", 4_000, Status.ACTIVE, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(confirming("S-1", "R-1", 1, IN_14_DAYS))
                .expectNoEvents()
                .expectException(refusedFor(Reason.RESERVATION_EXPIRED));
    }

    @Test
    void confirmingAnExpiredReservationIsRefused() {
        registered("R-1", 4_000, Status.EXPIRED, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS),
                        new ReservationExpired("AE", "R-1", "nvidia", 4_000, balance(0, 0), IN_14_DAYS))
                .when(confirming("S-1", "R-1", 1, IN_14_DAYS.plusSeconds(60)))
                .expectNoEvents()
                .expectException(refusedFor(Reason.RESERVATION_EXPIRED));
    }

    @Test
    void anotherExportersReservationIsNotFound() {
        registered("R-1", 4_000, Status.ACTIVE, IN_14_DAYS);
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(new ReleaseReservation("AE", "R-1", "amd", NOW))
                .expectNoEvents()
                .expectException(refusedFor(Reason.RESERVATION_NOT_FOUND));
    }

    @Test
    void aPolicyChangeReplaysActiveReservationsUnderTheNewRules() {
        fixture.given(opened(), reserved("R-1", 4_000, IN_14_DAYS))
                .when(new ApplyPolicy("AE", rescission("p2", LocalDate.of(2025, 5, 13)).rulesFor("AE"), NOW))
                .expectSuccessfulHandlerExecution();

        PolicyApplied applied = (PolicyApplied) fixture.getEventStore().readEvents("AE").asStream()
                .map(DomainEventMessage::getPayload).filter(PolicyApplied.class::isInstance)
                .reduce((first, second) -> second).orElseThrow();
        assertThat(applied.balanceBefore().reservedTpp()).isEqualTo(4_000);
        assertThat(applied.holds()).containsExactly(Map.entry("R-1", new Hold("R-1", "c1", TODAY, 4_000, "p2", 0)));
        assertThat(applied.balanceAfter().status()).isEqualTo(BalanceStatus.UNRESTRICTED);
        assertThat(applied.balanceAfter().reservedTpp()).isZero();
    }
}
