package org.quotaledger.balance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.postgresql.PGStatement;
import org.quotaledger.operations.BulkReplay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A rebuild's fast way through the event store into the "balances" projections, with their
 * processor stopped: one query reads the store in order, and each of its events is applied by the
 * projections' own code, in transactions of {@value #EVENTS_PER_TRANSACTION} events. The common
 * events are read lean ({@link StoredBalanceChanges}) and handed to {@link BalanceProjection} and
 * {@link BalanceHistoryProjection} as changes; every other event is upcast, deserialised and
 * handed to every handler of the processor, as the processor would. One thread reads and decodes
 * while another writes.
 *
 * <p>It stops at the first failure: the caller then lets the processor replay the store instead,
 * with its dead-letter queue, over what was written (the projections skip what they already hold,
 * so applying an event twice changes nothing).
 */
@Component
public class BalancesBulkReplay implements BulkReplay {

    /** The processor whose projections this replays. */
    public static final String PROCESSOR = "balances";

    /** Events per write transaction: the history points of as many in one statement. */
    public static final int EVENTS_PER_TRANSACTION = 2_000;
    /** The projections that take a lean change instead of the event. */
    private static final Set<Class<?>> TAKE_CHANGES = Set.of(BalanceProjection.class, BalanceHistoryProjection.class);
    private static final int FETCH_SIZE = 1_000;
    /** PostgreSQL's driver: a negative threshold forces binary transfer from the first execution. */
    private static final int FORCE_BINARY_TRANSFER = -1;
    /** Chunks decoded ahead of the writer: enough to keep both threads busy, and memory bounded. */
    private static final int CHUNKS_AHEAD = 2;
    private static final Duration WRITER_STOP = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final TransactionManager transactions;
    private final EventSchema schema;
    private final StoredBalanceChanges lean;
    private final BalanceProjection balances;
    private final BalanceHistoryProjection history;
    private final ObjectProvider<org.axonframework.config.Configuration> axon;

    BalancesBulkReplay(DataSource dataSource, TransactionManager transactions, EventSchema schema, ObjectMapper json,
                       BalanceProjection balances, BalanceHistoryProjection history,
                       ObjectProvider<org.axonframework.config.Configuration> axon) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.schema = schema;
        this.lean = new StoredBalanceChanges(json);
        this.balances = balances;
        this.history = history;
        this.axon = axon;
    }

    @Override
    public String processor() {
        return PROCESSOR;
    }

    @Override
    public Replayed replay(EventHandlerInvoker invoker, int gapWindow, LongConsumer progress) throws Exception {
        List<EventMessageHandler> handlers = handlersOf(invoker);
        Set<String> leanTypes = leanTypes(handlers);
        org.axonframework.config.Configuration configuration = axon.getObject();
        Serializer serializer = configuration.eventSerializer();
        EventUpcaster upcasters = configuration.upcasterChain();
        long[] lastIndexes = new long[Math.max(1, gapWindow)];
        long events = 0;
        ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "balances-bulk-replay");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore ahead = new Semaphore(CHUNKS_AHEAD);
        CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // else PostgreSQL's driver fetches every row at once
            connection.setReadOnly(true);
            try (PreparedStatement query = connection.prepareStatement(query())) {
                query.setFetchSize(FETCH_SIZE);
                if (query.isWrapperFor(PGStatement.class)) {
                    // Payloads then arrive as bytes, not as hexadecimal text both sides spend time on.
                    query.unwrap(PGStatement.class).setPrepareThreshold(FORCE_BINARY_TRANSFER);
                }
                try (ResultSet row = query.executeQuery()) {
                    List<Object> chunk = new ArrayList<>(EVENTS_PER_TRANSACTION);
                    long index = -1;
                    while (row.next() && !written.isCompletedExceptionally()) {
                        index = row.getLong(1);
                        chunk.add(decode(row, leanTypes, serializer, upcasters));
                        lastIndexes[(int) (events % lastIndexes.length)] = index;
                        events++;
                        if (chunk.size() == EVENTS_PER_TRANSACTION) {
                            written = writeAfter(written, chunk, index, handlers, ahead, writer, progress);
                            chunk = new ArrayList<>(EVENTS_PER_TRANSACTION);
                        }
                    }
                    if (!chunk.isEmpty()) {
                        written = writeAfter(written, chunk, index, handlers, ahead, writer, progress);
                    }
                }
            } finally {
                connection.rollback();
            }
            written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            // After a failure too: the caller must not start the processor while a chunk is being written.
            writer.shutdown();
            writer.awaitTermination(WRITER_STOP.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new Replayed(events, events == 0 ? Optional.empty() : Optional.of(handOver(lastIndexes, events)));
    }

    /**
     * A token after the last index read, with a gap at each index of the window not read. The
     * ring holds the last indexes read, in order, the latest at {@code (events - 1) % length}.
     */
    static TrackingToken handOver(long[] lastIndexes, long events) {
        int kept = (int) Math.min(events, lastIndexes.length);
        long last = lastIndexes[(int) ((events - 1) % lastIndexes.length)];
        long oldest = lastIndexes[(int) ((events - kept) % lastIndexes.length)];
        Set<Long> read = new HashSet<>(kept * 2);
        for (int i = 0; i < kept; i++) {
            read.add(lastIndexes[i]);
        }
        SortedSet<Long> gaps = new TreeSet<>();
        for (long index = Math.max(oldest, last - lastIndexes.length + 1); index < last; index++) {
            if (!read.contains(index)) {
                gaps.add(index);
            }
        }
        return GapAwareTrackingToken.newInstance(last, gaps);
    }

    private String query() {
        return "SELECT " + String.join(", ", schema.globalIndexColumn(), schema.payloadTypeColumn(),
                schema.payloadRevisionColumn(), schema.payloadColumn(), schema.sequenceNumberColumn(),
                schema.typeColumn(), schema.aggregateIdentifierColumn(), schema.eventIdentifierColumn(),
                schema.timestampColumn(), schema.metaDataColumn())
                + " FROM " + schema.domainEventTable() + " ORDER BY " + schema.globalIndexColumn();
    }

    /** A lean change, or the stored event itself, upcast and ready to deserialise. */
    private Object decode(ResultSet row, Set<String> leanTypes, Serializer serializer, EventUpcaster upcasters)
            throws SQLException {
        String type = row.getString(2);
        String revision = row.getString(3);
        if (leanTypes.contains(type)) {
            return lean.read(type, revision, row.getBytes(4), row.getLong(5));
        }
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(row.getString(6), row.getString(7),
                row.getLong(5), row.getString(8), row.getString(9), type, revision, row.getBytes(4), row.getBytes(10));
        DomainEventStream upcast = EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(entry), serializer,
                upcasters);
        List<EventMessage<?>> messages = new ArrayList<>(1);
        upcast.forEachRemaining(messages::add);
        return messages;
    }

    private CompletableFuture<Void> writeAfter(CompletableFuture<Void> previous, List<Object> chunk, long upTo,
                                               List<EventMessageHandler> handlers, Semaphore ahead,
                                               ExecutorService writer, LongConsumer progress)
            throws InterruptedException {
        ahead.acquire();
        return previous.thenRunAsync(() -> {
            write(chunk, handlers);
            progress.accept(upTo);
        }, writer).whenComplete((done, failure) -> ahead.release());
    }

    /** One transaction: the changes gathered by the projections' batch writes, written as it commits. */
    private void write(List<Object> chunk, List<EventMessageHandler> handlers) {
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        try {
            unit.attachTransaction(transactions);
            for (Object item : chunk) {
                if (item instanceof BalanceChange change) {
                    balances.apply(change);
                    history.apply(change);
                } else {
                    for (Object message : (List<?>) item) {
                        for (EventMessageHandler handler : handlers) {
                            handler.handle((EventMessage<?>) message);
                        }
                    }
                }
            }
            unit.commit();
        } catch (Exception e) {
            if (unit.isActive()) {
                unit.rollback(e);
            }
            throw new IllegalStateException("the bulk replay of the balances failed", e);
        }
    }

    /**
     * The event types read lean: of those {@link StoredBalanceChanges} reads, the ones no handler of
     * the processor but the two projections that take changes handles. An event another handler
     * wants (a projection added to the processor, say) is read whole and goes to every handler.
     */
    static Set<String> leanTypes(List<EventMessageHandler> handlers) {
        Set<String> types = new HashSet<>();
        for (String type : StoredBalanceChanges.READINGS.keySet()) {
            Class<?> payload = ClassUtils.resolveClassName(type, BalancesBulkReplay.class.getClassLoader());
            boolean wantedElsewhere = handlers.stream().anyMatch(handler -> handler.canHandleType(payload)
                    && !TAKE_CHANGES.contains(ClassUtils.getUserClass(handler.getTargetType())));
            if (!wantedElsewhere) {
                types.add(type);
            }
        }
        return types;
    }

    /** The processor's handlers, each as the processor calls it (annotated handler adapters). */
    static List<EventMessageHandler> handlersOf(EventHandlerInvoker invoker) {
        List<EventMessageHandler> handlers = new ArrayList<>();
        if (invoker instanceof MultiEventHandlerInvoker multi) {
            multi.delegates().forEach(delegate -> handlers.addAll(handlersOf(delegate)));
        } else if (invoker instanceof SimpleEventHandlerInvoker simple) {
            handlers.addAll(simple.eventHandlers());
        } else {
            throw new IllegalArgumentException("cannot see the handlers of " + invoker);
        }
        return handlers;
    }
}
