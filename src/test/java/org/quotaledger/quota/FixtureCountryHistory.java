package org.quotaledger.quota;

import java.time.Instant;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.quotaledger.support.LedgerJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A fixture's history: the events in its in-memory store, stored as the service stores them (JSON,
 * with their revision) and read back through the service's own {@link HistoryForms}.
 */
class FixtureCountryHistory implements CountryHistory {

    private static final ObjectMapper JSON = LedgerJson.STRICT;
    private static final AnnotationRevisionResolver REVISIONS = new AnnotationRevisionResolver();

    private final EventStore eventStore;
    private final HistoryForms forms = new HistoryForms(JSON);

    FixtureCountryHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public CountryStream of(String country) {
        return asOf(country, Instant.MAX);
    }

    @Override
    public CountryStream asOf(String country, Instant instant) {
        HistoryForms.Builder stream = forms.stream();
        DomainEventStream events = eventStore.readEvents(country, 0L);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getTimestamp().isAfter(instant)) {
                break;
            }
            try {
                stream.add(event.getPayloadType().getName(), REVISIONS.revisionOf(event.getPayloadType()),
                        JSON.writeValueAsBytes(event.getPayload()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return stream.build();
    }
}
