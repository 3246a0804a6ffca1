package org.quotaledger.quota;

import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.quotaledger.security.Caller;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

    @Bean
    CountryHistory countryHistory(EventStore eventStore) {
        return new EventStoreCountryHistory(eventStore);
    }

    /** Both kinds of command go through the retrying gateway, so a batch is retried whole on a write conflict. */
    @Bean
    ShipmentGroupCommit shipmentGroupCommit(CommandGateway commands,
                                            @Value("${quota-ledger.group-commit.max-batch:256}") int maxBatch,
                                            MeterRegistry metrics) {
        return new ShipmentGroupCommit(batch -> commands.<List<BatchAnswer>>sendAndWait(batch),
                commands::sendAndWait, Caller::current, maxBatch, metrics);
    }
}
