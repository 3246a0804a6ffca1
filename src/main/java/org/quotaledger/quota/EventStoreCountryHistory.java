package org.quotaledger.quota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LedgerReplay;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;

/**
 * Reads a country's whole stream from the event store. It starts at sequence 0 on purpose:
 * {@code readEvents(id)} would start at the latest snapshot.
 */
public class EventStoreCountryHistory implements CountryHistory {

    private final EventStore eventStore;

    public EventStoreCountryHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public CountryStream of(String country) {
        return asOf(country, Instant.MAX);
    }

    @Override
    public CountryStream asOf(String country, Instant instant) {
        List<CountryRules> timeline = new ArrayList<>();
        List<LedgerReplay.Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(country, 0L);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getTimestamp().isAfter(instant)) {
                break; // a stream is in recording order, so everything after this is later too
            }
            Object payload = message.getPayload();
            if (payload instanceof ShipmentRecorded recorded) {
                entries.add(new LedgerReplay.Entry.ShipmentOnRecord(recorded.facts()));
            } else if (payload instanceof ShipmentVoided voided) {
                entries.add(new LedgerReplay.Entry.ShipmentVoided(voided.shipmentId()));
            } else if (payload instanceof PolicyApplied applied) {
                timeline.add(applied.rules());
            } else if (payload instanceof ReservationEvents.QuotaReserved reserved) {
                entries.add(new LedgerReplay.Entry.Reserved(reserved.reservationId(), reserved.consignee().id(),
                        java.time.LocalDate.ofInstant(reserved.reservedAt(), java.time.ZoneOffset.UTC), reserved.tpp()));
            } else if (payload instanceof ReservationEvents.Resolution resolution) {
                entries.add(new LedgerReplay.Entry.ReservationResolved(resolution.reservationId()));
            }
        }
        return new CountryStream(timeline, entries);
    }
}
