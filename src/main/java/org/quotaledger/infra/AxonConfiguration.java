package org.quotaledger.infra;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon wiring: what Spring Boot's auto-configuration gets wrong for this ledger.
 * Serializers come from auto-configuration and application.yml.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    /** How often a command waiting for a country's lock tries it again (Axon's default). */
    private static final int LOCK_ATTEMPT_MILLIS = 10;

    /**
     * The JDBC event storage engine as Axon's auto-configuration builds it, which it stops doing
     * once the application has an event store of its own (the next bean). Built with the same
     * arguments as Axon 4.13's JdbcAutoConfiguration: compare them when upgrading Axon.
     */
    @Bean
    EventStorageEngine eventStorageEngine(@Qualifier("serializer") Serializer snapshotSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }

    /**
     * The event store as Axon's auto-configuration builds it, with its reader of new events woken
     * at most once per {@code quota-ledger.event-store.wake-up-window} after commits
     * ({@link CoalescingEventStore}), and as many recent events kept for the projections as
     * {@code quota-ledger.event-store.cached-events} says.
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  @Value("${quota-ledger.event-store.wake-up-window:10ms}") Duration window,
                                  @Value("${quota-ledger.event-store.cached-events:1000}") int cachedEvents) {
        return new CoalescingEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .cachedEvents(cachedEvents)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)), window);
    }

    /** The event tables as Flyway creates them (Axon's defaults are camelCase). */
    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .metaDataColumn("meta_data")
                .payloadColumn("payload")
                .payloadRevisionColumn("payload_revision")
                .payloadTypeColumn("payload_type")
                .timestampColumn("time_stamp")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    NodeIdentity nodeIdentity() {
        return NodeIdentity.generate();
    }

    /** As Axon's auto-configured token store, but segments are claimed as this node (see {@link NodeIdentity}). */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, @Qualifier("serializer") Serializer serializer,
                          TokenSchema tokenSchema, TokenStoreProperties properties, NodeIdentity node) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(node.id())
                .build();
    }

    /** Axon's own correlation and trace ids, which a provider bean of ours would otherwise replace. */
    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }

    /**
     * The query bus as Axon 4.13's auto-configuration builds it ({@code AxonAutoConfiguration.queryBus}:
     * compare when upgrading Axon), but without a transaction around each query. Every query
     * handler of the ledger only reads a projection, with one or two SELECTs at READ COMMITTED,
     * where a transaction buys no consistency (each statement sees its own snapshot either way)
     * and costs a round trip for its COMMIT: in a CPU profile of balance reads the transaction
     * was 29 % of the query's samples (seventeenth round of docs/benchmarks.md). A handler that
     * ever needs one snapshot across statements must open its own transaction.
     */
    @Bean
    @Qualifier("localSegment")
    SimpleQueryBus queryBus(org.axonframework.config.Configuration configuration) {
        return SimpleQueryBus.builder()
                .messageMonitor(configuration.messageMonitor(QueryBus.class, "queryBus"))
                .errorHandler(configuration.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(configuration.getComponent(QueryUpdateEmitter.class))
                .spanFactory(configuration.getComponent(QueryBusSpanFactory.class))
                .build();
    }

    /** Keeps loaded country aggregates in memory, so a command does not re-read history. */
    @Bean
    Cache countryQuotaCache() {
        return new CountryAggregateCache();
    }

    /**
     * How long a command waits for a country's lock (held by another command to it, or by an
     * atomic import until it ends) before it gives up: the caller is answered 503 with Retry-After.
     * Axon's own lock factory, asked to try every {@value #LOCK_ATTEMPT_MILLIS} ms; its default is
     * a minute, which is this setting's default too.
     */
    @Bean
    LockFactory countryQuotaLockFactory(@Value("${quota-ledger.country-lock-wait:PT1M}") Duration wait) {
        if (wait.toMillis() < LOCK_ATTEMPT_MILLIS) {
            throw new IllegalArgumentException("quota-ledger.country-lock-wait must be at least "
                    + LOCK_ATTEMPT_MILLIS + " ms, was " + wait);
        }
        return PessimisticLockFactory.builder().lockAttemptTimeout(LOCK_ATTEMPT_MILLIS)
                .acquireAttempts(Math.toIntExact(wait.toMillis() / LOCK_ATTEMPT_MILLIS)).build();
    }

    @Bean
    SnapshotTriggerDefinition countryQuotaSnapshotTrigger(Snapshotter snapshotter,
                                                          @Value("${quota-ledger.snapshot-every:500}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** As Axon's auto-configured snapshotter, but snapshots are taken off the command thread. */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory) {
        Executor executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "snapshotter");
            thread.setDaemon(true);
            return thread;
        });
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(executor)
                .build();
    }

    /**
     * The pooled processors read on as soon as their work packages have room, and look for new
     * events every {@code idle-poll} when they have read everything (see
     * {@link PromptCoordinatorExecutor}): the balances then follow the ledger within milliseconds,
     * and a projection catches up after downtime without pauses.
     */
    @Bean
    ConfigurerModule promptCoordinators(
            @Value("${quota-ledger.projections.full-buffer-retry:5ms}") Duration fullBufferRetry,
            @Value("${quota-ledger.projections.idle-poll:20ms}") Duration idlePoll) {
        // The configuration every pooled processor starts from (balances, policy fan-out, any later one).
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (config, builder) -> builder.coordinatorExecutor(name -> {
                    PromptCoordinatorExecutor executor = new PromptCoordinatorExecutor(name, fullBufferRetry, idlePoll);
                    config.onShutdown(executor::shutdown);
                    return executor;
                }));
    }

    /**
     * A failing event handler fails its unit of work; Axon's default would log the error and go
     * on, skipping the event for good. A handler in the command's transaction (the shipment
     * registry, the policies) then fails the command; a projection's batch is rolled back with its
     * token and retried, so a projection never silently misses an event. A processor with a
     * dead-letter queue (see {@link DeadLetterConfiguration}) parks the failing event instead, so one
     * poison event does not stall it.
     */
    @Bean
    ConfigurerModule failingHandlersFailTheirUnitOfWork() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }
}
