package org.quotaledger.infra;

import java.sql.SQLException;
import java.util.List;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;

/**
 * Dead letters: a projection event whose handler fails is parked in {@code dead_letter_entry}
 * (Axon's JdbcSequencedDeadLetterQueue) instead of being retried forever, and the later events of
 * its sequence (its country) queue up behind it, so a country's order holds while other countries
 * flow on. Which processors have a queue is said in application.yml
 * ({@code axon.eventhandling.processors.NAME.dlq.enabled}); operators list and retry them through
 * operations/DeadLetters.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    /** The table as Flyway creates it (V7); Axon's defaults are camelCase. */
    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * Only the event's own fault parks it. A failing database is nobody's event's fault (and on
     * PostgreSQL a failed statement has already doomed the batch's transaction, the enqueue with
     * it): that failure propagates, the batch rolls back with its token and is retried, as before.
     * A rebuild replays every event, so it empties the queue of the processors it resets.
     */
    @Bean
    ConfigurerModule deadLetterPolicy(EventProcessorProperties processors) {
        EnqueuePolicy<EventMessage<?>> policy = (letter, cause) -> {
            if (isDatabaseFailure(cause)) {
                throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
            }
            return Decisions.enqueue(ThrowableCause.truncated(cause));
        };
        return configurer -> {
            configurer.eventProcessing().registerDefaultDeadLetterPolicy(c -> policy);
            for (String group : deadLetteredGroups(processors)) {
                // This replaces the invoker configuration Axon's auto-configuration registers for
                // the group, so the cache it would have set from application.yml is set here.
                EventProcessorProperties.DlqCache cache = processors.getProcessors().get(group).getDlq().getCache();
                configurer.eventProcessing().registerDeadLetteringEventHandlerInvokerConfiguration(group,
                        (c, builder) -> cache != null && cache.isEnabled()
                                ? builder.allowReset(true).enableSequenceIdentifierCache()
                                        .sequenceIdentifierCacheSize(cache.getSize())
                                : builder.allowReset(true));
            }
        };
    }

    /** The processing groups with a dead-letter queue (each processor here handles one group of its name). */
    private static List<String> deadLetteredGroups(EventProcessorProperties processors) {
        return processors.getProcessors().entrySet().stream()
                .filter(entry -> entry.getValue().getDlq() != null && entry.getValue().getDlq().isEnabled())
                .map(java.util.Map.Entry::getKey).sorted().toList();
    }

    private static boolean isDatabaseFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException || cause instanceof DataAccessException) {
                return true;
            }
        }
        return false;
    }
}
