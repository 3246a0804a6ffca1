package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.ReservationLimitUpcaster;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Events in the form they were stored before reservations (revision 1), read the way the event
 * store reads them: through the upcaster chain, then deserialized. The upcast JSON must carry the
 * new fields itself, not lean on defaults.
 */
class ReservationEraUpcasterTest {

    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final JacksonSerializer SERIALIZER = JacksonSerializer.builder().objectMapper(STRICT).build();
    private static final EventUpcasterChain CHAIN =
            new EventUpcasterChain(new ReservationEraUpcaster(), new ReservationLimitUpcaster());

    private static final String OLD_BALANCE = """
            {"policyId":"p1","tier":"TIER_2","treatment":"CAPPED","capTpp":10000,"consumedTpp":3000,
             "remainingTpp":7000,"utilization":0.300000,"status":"OPEN"}""";

    @Test
    void aShipmentRecordedBeforeReservationsGainsNothingReservedAndAvailableEqualToRemaining() {
        String stored = """
                {"country":"AE","shipmentId":"S-1","exporterId":"nvidia",
                 "consignee":{"id":"g42","name":"G42","headquartersCountry":"AE"},"shipDate":"2025-03-01",
                 "items":[{"model":"H100","eccn":"3A090.a","quantity":1,"tppPerUnit":3000}],"licenseReference":null,"tpp":3000,
                 "classification":"COUNTED","debitedTpp":3000,"policyId":"p1","balance":%s,
                 "contentHash":"h","recordedAt":"2025-03-01T10:00:00Z"}""".formatted(OLD_BALANCE);

        IntermediateEventRepresentation upcast = upcast(ShipmentRecorded.class.getName(), stored);
        JsonNode balance = json(upcast).get("balance");
        ShipmentRecorded event = (ShipmentRecorded) read(ShipmentRecorded.class.getName(), stored).getPayload();

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat(balance.get("reservedTpp").asLong()).isZero();
        assertThat(balance.get("availableTpp").asLong()).isEqualTo(7_000);
        assertThat(event.balance().reservedTpp()).isZero();
        assertThat(event.balance().availableTpp()).isEqualTo(7_000);
        assertThat(event.balance().status()).isEqualTo(BalanceStatus.OPEN);
    }

    @Test
    void aPolicyAppliedBeforeReservationsGainsNoHoldsAndBothBalancesGainTheirFields() {
        String stored = """
                {"country":"AE","rules":null,"balanceBefore":%s,"balanceAfter":%s,"countedByPolicy":{"p1":3000},
                 "shipmentsReplayed":1,"reclassifications":[],"beyondCap":[],"appliedAt":"2025-07-01T12:00:00Z"}"""
                .formatted(OLD_BALANCE, OLD_BALANCE);

        JsonNode upcast = json(upcast(PolicyApplied.class.getName(), stored));
        PolicyApplied event = (PolicyApplied) read(PolicyApplied.class.getName(), stored).getPayload();

        assertThat(upcast.get("holds").isObject()).isTrue();
        assertThat(upcast.get("holds").size()).isZero();
        for (String field : List.of("balanceBefore", "balanceAfter")) {
            assertThat(upcast.get(field).get("reservedTpp").asLong()).as(field).isZero();
            assertThat(upcast.get(field).get("availableTpp").asLong()).as(field).isEqualTo(7_000);
        }
        assertThat(event.holds()).isEmpty();
        assertThat(event.balanceAfter().availableTpp()).isEqualTo(7_000);
    }

    @Test
    void anUncappedBalanceStaysWithoutAvailable() {
        JsonNode upcast = ReservationEraUpcaster.upcast(parse("""
                {"balance":{"policyId":"p2","tier":"ALL","treatment":"UNRESTRICTED","capTpp":null,"consumedTpp":0,
                 "remainingTpp":null,"utilization":null,"status":"UNRESTRICTED"}}"""));

        assertThat(upcast.get("balance").get("reservedTpp").asLong()).isZero();
        assertThat(upcast.get("balance").get("availableTpp").isNull()).isTrue();
    }

    @Test
    void aPolicyEnactedBeforeReservationLimitsGainsTheDefaultLimitExplicitly() {
        String stored = """
                {"document":{"id":"p1","title":"t"},"sequence":1,"enactedAt":"2025-01-15T00:00:00Z"}""";

        IntermediateEventRepresentation upcast = upcast(PolicyEnacted.class.getName(), stored);

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat(json(upcast).get("document").has("maxReservationDays")).isTrue();
        assertThat(json(upcast).get("document").get("maxReservationDays").isNull()).isTrue();
    }

    @Test
    void eventsOfTheCurrentRevisionPassUntouched() {
        IntermediateEventRepresentation current = upcastAt(ShipmentRecorded.class.getName(), "2", "{\"balance\":{}}");

        assertThat(current.getType().getRevision()).isEqualTo("2");
        assertThat(json(current).get("balance").has("reservedTpp")).isFalse();
    }

    private static IntermediateEventRepresentation upcast(String type, String json) {
        return upcastAt(type, "1", json);
    }

    private static IntermediateEventRepresentation upcastAt(String type, String revision, String json) {
        return CHAIN.upcast(Stream.of(new InitialEventRepresentation(entry(type, revision, json), SERIALIZER)))
                .findFirst().orElseThrow();
    }

    /** As a tracking processor reads it from the store. */
    private static EventMessage<?> read(String type, String json) {
        var stored = new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(7), entry(type, "1", json));
        return EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(stored), SERIALIZER, CHAIN).findFirst().orElseThrow();
    }

    private static GenericDomainEventEntry<byte[]> entry(String type, String revision, String json) {
        return new GenericDomainEventEntry<>("CountryQuota", "AE", 3, "event-1", Instant.parse("2025-03-01T10:00:00Z"),
                type, revision, json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(IntermediateEventRepresentation event) {
        return event.getData(JsonNode.class).getData();
    }

    private static JsonNode parse(String json) {
        try {
            return STRICT.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
