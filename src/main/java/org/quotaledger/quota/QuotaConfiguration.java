package org.quotaledger.quota;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

    @Bean
    CountryHistory countryHistory(EventStore eventStore) {
        return new EventStoreCountryHistory(eventStore);
    }
}
