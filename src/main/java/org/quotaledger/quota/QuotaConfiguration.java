package org.quotaledger.quota;

import javax.sql.DataSource;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.quotaledger.security.CommandAttribution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

    @Bean
    CountryHistory countryHistory(DataSource dataSource, PlatformTransactionManager transactions, ObjectMapper json,
                                  EventSchema schema) {
        return new JdbcCountryHistory(dataSource, transactions, new HistoryForms(json), schema);
    }

    /**
     * Batches commit through the shared commit, which redoes a failed one country by country with
     * the gateway's retries; a batch carries each row's author, as the sending thread's is only
     * the leader's.
     */
    @Bean
    ShipmentGroupCommit shipmentGroupCommit(MultiCountryCommit sharedCommit, CommandGateway commands,
                                            @Value("${quota-ledger.group-commit.max-batch:256}") int maxBatch,
                                            MeterRegistry metrics) {
        return new ShipmentGroupCommit(sharedCommit::commit, commands::sendAndWait, sharedCommit::heldByAUnitOfWork,
                CommandAttribution::ofThisThread, maxBatch, metrics);
    }
}
