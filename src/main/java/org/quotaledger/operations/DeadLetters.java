package org.quotaledger.operations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.springboot.EventProcessorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The projections' dead letters (see infra/DeadLetterConfiguration): operators list them, fix the
 * cause, then retry them here; a retried sequence that succeeds leaves the queue, one that fails
 * again stays, with its new cause. Their number per processing group is the
 * {@code ledger.dead.letters} gauge.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** A sequence retried at most this often per request: a queue emptied by others ends it sooner. */
    private static final int MAX_SEQUENCES_PER_RETRY = 10_000;

    public record Letter(String processingGroup, String id, String sequence, long sequenceIndex, String eventId,
                         String eventType, Long aggregateSequenceNumber, Instant enqueuedAt, Instant lastTouched,
                         String causeType, String causeMessage) {
    }

    public record Retried(String processingGroup, int sequencesProcessed, long remaining) {
    }

    private final EventProcessingConfiguration processing;
    private final TransactionManager transactions;
    private final Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues = new TreeMap<>();

    DeadLetters(EventProcessingConfiguration processing, EventProcessorProperties processors,
                TransactionManager transactions, MeterRegistry metrics) {
        this.processing = processing;
        this.transactions = transactions;
        for (String group : processors.getProcessors().keySet()) {
            processing.deadLetterQueue(group).ifPresent(queue -> queues.put(group, queue));
        }
        queues.forEach((group, queue) -> Gauge.builder("ledger.dead.letters", queue, SequencedDeadLetterQueue::size)
                .tag("processing_group", group)
                .description("events parked in the dead-letter queue, waiting for an operator's retry")
                .register(metrics));
    }

    public List<String> processingGroups() {
        return List.copyOf(queues.keySet());
    }

    public List<Letter> list() {
        return transactions.fetchInTransaction(() -> {
            List<Letter> letters = new ArrayList<>();
            queues.forEach((group, queue) -> {
                for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                    for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                        letters.add(describe(group, letter));
                    }
                }
            });
            return letters;
        });
    }

    /** Processes every parked sequence of the group once, in order, as the processor would have. */
    public Retried retry(String processingGroup) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(processingGroup);
        var processor = processing.sequencedDeadLetterProcessor(processingGroup)
                .orElseThrow(() -> new UnknownProcessingGroupException(processingGroup, processingGroups()));
        long before = transactions.fetchInTransaction(queue::amountOfSequences);
        int processed = 0;
        for (long attempt = 0; attempt < Math.min(before, MAX_SEQUENCES_PER_RETRY); attempt++) {
            if (processor.processAny()) {
                processed++;
            }
        }
        long remaining = transactions.fetchInTransaction(queue::size);
        log.info("Retried the dead letters of {}: {} sequence(s) processed, {} letter(s) remain",
                processingGroup, processed, remaining);
        return new Retried(processingGroup, processed, remaining);
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String processingGroup) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queues.get(processingGroup);
        if (queue == null) {
            throw new UnknownProcessingGroupException(processingGroup, processingGroups());
        }
        return queue;
    }

    private static Letter describe(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        String id = letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getIdentifier() : null;
        String sequence = letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getSequenceIdentifier() : null;
        long index = letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getSequenceIndex() : -1;
        Long aggregateSequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        return new Letter(group, id, sequence, index, event.getIdentifier(), event.getPayloadType().getSimpleName(),
                aggregateSequence, letter.enqueuedAt(), letter.lastTouched(),
                letter.cause().map(cause -> cause.type()).orElse(null),
                letter.cause().map(cause -> cause.message()).orElse(null));
    }
}
