package org.quotaledger.quota;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
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
     * Both kinds of command go through the retrying gateway, so a batch is retried whole on a write
     * conflict; a batch carries each row's author, as the sending thread's is only the leader's.
     */
    @Bean
    ShipmentGroupCommit shipmentGroupCommit(CommandGateway commands,
                                            @Value("${quota-ledger.group-commit.max-batch:256}") int maxBatch,
                                            MeterRegistry metrics) {
        return new ShipmentGroupCommit((batch, authors) -> commands.<List<BatchAnswer>>sendAndWait(
                        GenericCommandMessage.asCommandMessage(batch).andMetaData(Map.of(RecordShipments.AUTHORS, authors))),
                commands::sendAndWait, CommandAttribution::ofThisThread, maxBatch, metrics);
    }
}
