package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.quotaledger.quota.MultiCountryCommit.CountryAnswers;
import org.quotaledger.quota.MultiCountryCommit.CountryBatch;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.springframework.transaction.CannotCreateTransactionException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An atomic import's countries taken in alphabetical order before its first row, and held until
 * its unit of work ends.
 *
 * <p>The shared commit when its transaction cannot even start (the database is away): every
 * country is answered at once with the database's failure, which the API maps to 503, rather
 * than tried alone one after another, each waiting for a connection again; and no unit of work is
 * left behind on the thread. (On PostgreSQL: {@code ShipmentGroupCommitIT}, and
 * {@code DatabaseRestartIT} for the outage.)
 */
class MultiCountryCommitTest {

    @Test
    void aTransactionThatCannotStartIsEveryCountrysAnswerAtOnce() {
        CannotCreateTransactionException databaseAway = new CannotCreateTransactionException("the database is away");
        AtomicInteger sentAlone = new AtomicInteger();
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(RecordShipments.class.getName(), command -> {
            sentAlone.incrementAndGet();
            throw databaseAway;
        });
        TransactionManager unreachable = () -> {
            throw databaseAway;
        };
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        MultiCountryCommit sharedCommit = new MultiCountryCommit(ledgers(), DefaultCommandGateway.builder().commandBus(bus).build(),
                bus, Optional.empty(), unreachable, metrics);
        CountryBatch emirates = new CountryBatch(new RecordShipments("AE",
                List.of(ShipmentGroupCommitTest.shipment("AE", "s1", "exporter-a"))));
        CountryBatch brazil = new CountryBatch(new RecordShipments("BR",
                List.of(ShipmentGroupCommitTest.shipment("BR", "s2", "exporter-a"))));

        List<CountryAnswers> answers = sharedCommit.commit(List.of(emirates, brazil));

        assertThat(answers).extracting(CountryAnswers::batch).containsExactly(emirates, brazil);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.failure()).isSameAs(databaseAway));
        assertThat(sentAlone).as("no country tried alone").hasValue(0);
        assertThat(metrics.get("ledger.shipment.shared.commit.fallbacks").counter().count()).isZero();
        assertThat(CurrentUnitOfWork.isStarted()).as("no unit of work left on the thread").isFalse();
    }

    @Test
    void theCommandsOfASharedCommitCarryWhatTheApplicationsDispatchInterceptorsAdd() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        List<Object> authors = new CopyOnWriteArrayList<>();
        bus.subscribe(RecordShipments.class.getName(), command -> {
            authors.add(command.getMetaData().get("principal"));
            return List.of();
        });
        MessageDispatchInterceptor<CommandMessage<?>> stampsTheSender = messages -> (index, command) ->
                command.andMetaData(Map.of("principal", "exporter-a"));
        MultiCountryCommit sharedCommit = new MultiCountryCommit(ledgers(), DefaultCommandGateway.builder().commandBus(bus)
                .build(), bus, Optional.of(List.of(stampsTheSender)), NoTransactionManager.INSTANCE, new SimpleMeterRegistry());
        List<CountryBatch> emirates = List.of(new CountryBatch(new RecordShipments("AE",
                List.of(ShipmentGroupCommitTest.shipment("AE", "s1", "exporter-a")))));

        sharedCommit.commitHolding(emirates);
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        sharedCommit.decideInCurrentUnitOfWork(emirates);
        unit.commit();

        assertThat(authors).as("a chunk's commit, then an atomic import's").containsExactly("exporter-a", "exporter-a");
    }

    @Test
    void onlyTheGroupCommitsCommandsTakeTheirIdsAsNewAnImportsAreLookedUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        List<Object> takenAsNew = new CopyOnWriteArrayList<>();
        bus.subscribe(RecordShipments.class.getName(), command -> {
            takenAsNew.add(String.valueOf(command.getMetaData().get(RecordShipments.IDS_TAKEN_AS_NEW)));
            return List.of();
        });
        MultiCountryCommit sharedCommit = new MultiCountryCommit(ledgers(), DefaultCommandGateway.builder().commandBus(bus)
                .build(), bus, Optional.empty(), NoTransactionManager.INSTANCE, new SimpleMeterRegistry());
        List<CountryBatch> emirates = List.of(new CountryBatch(new RecordShipments("AE",
                List.of(ShipmentGroupCommitTest.shipment("AE", "s1", "exporter-a")))));

        sharedCommit.commit(emirates);
        sharedCommit.commitHolding(emirates);
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        sharedCommit.decideInCurrentUnitOfWork(emirates);
        unit.commit();

        assertThat(takenAsNew).as("the group commit's, an import chunk's, an atomic import's")
                .containsExactly("true", "null", "null");
    }

    @Test
    void batchesOutOfAlphabeticalOrderAreRefusedBeforeAnyLockIsTaken() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        AtomicInteger sent = new AtomicInteger();
        bus.subscribe(RecordShipments.class.getName(), command -> sent.incrementAndGet());
        MultiCountryCommit sharedCommit = new MultiCountryCommit(ledgers(), DefaultCommandGateway.builder().commandBus(bus).build(),
                bus, Optional.empty(), () -> {
                    throw new AssertionError("no transaction for a refused call");
                }, new SimpleMeterRegistry());
        List<CountryBatch> unordered = List.of(
                new CountryBatch(new RecordShipments("BR", List.of(ShipmentGroupCommitTest.shipment("BR", "s1", "x")))),
                new CountryBatch(new RecordShipments("AE", List.of(ShipmentGroupCommitTest.shipment("AE", "s2", "x")))));

        assertThatThrownBy(() -> sharedCommit.commit(unordered))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[BR, AE]");
        assertThatThrownBy(() -> sharedCommit.decideInCurrentUnitOfWork(unordered))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sent).hasValue(0);
        assertThat(CurrentUnitOfWork.isStarted()).isFalse();
    }

    @Test
    void onlyAnImportsCommitMarksItsCountriesHeldAndOnlyWhileItRuns() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        MultiCountryCommit[] sharedCommit = new MultiCountryCommit[1];
        List<Boolean> heldWhileDeciding = new CopyOnWriteArrayList<>();
        bus.subscribe(RecordShipments.class.getName(), command -> {
            heldWhileDeciding.add(sharedCommit[0].heldByAUnitOfWork("AE"));
            return List.of();
        });
        sharedCommit[0] = new MultiCountryCommit(ledgers(), DefaultCommandGateway.builder().commandBus(bus).build(), bus,
                Optional.empty(), NoTransactionManager.INSTANCE, new SimpleMeterRegistry());
        List<CountryBatch> emirates = List.of(new CountryBatch(new RecordShipments("AE",
                List.of(ShipmentGroupCommitTest.shipment("AE", "s1", "x")))));

        sharedCommit[0].commit(emirates);
        sharedCommit[0].commitHolding(emirates);

        assertThat(heldWhileDeciding).as("the group commit's own commit, then an import's chunk")
                .containsExactly(false, true);
        assertThat(sharedCommit[0].heldByAUnitOfWork("AE")).as("after the chunk").isFalse();
    }

    @Test
    void anAtomicImportTakesEachCountryInAlphabeticalOrderAndHoldsItUntilItsUnitEnds() {
        List<String> taken = new CopyOnWriteArrayList<>();
        List<String> released = new CopyOnWriteArrayList<>();
        EventStore events = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        for (String country : List.of("AE", "SA")) {
            events.publish(new GenericDomainEventMessage<>("CountryQuota", country, 0,
                    CountryQuotaTest.opened(country, CountryQuotaTest.JANUARY)));
        }
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        MultiCountryCommit sharedCommit = new MultiCountryCommit(ledgers(events, recording(taken, released)),
                DefaultCommandGateway.builder().commandBus(bus).build(), bus, Optional.empty(),
                NoTransactionManager.INSTANCE, new SimpleMeterRegistry());
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);

        sharedCommit.holdAllUntilTheUnitEnds(new TreeSet<>(List.of("SA", "IN", "AE")));

        assertThat(taken).containsExactly("AE", "IN", "SA");
        assertThat(released).as("India has no ledger to hold").containsExactly("IN");
        assertThat(List.of("AE", "IN", "SA")).allMatch(sharedCommit::heldByAUnitOfWork);
        unit.commit();
        assertThat(released).containsExactlyInAnyOrder("IN", "AE", "SA");
        assertThat(List.of("AE", "IN", "SA")).noneMatch(sharedCommit::heldByAUnitOfWork);
    }

    /** Locks that say which country was taken and which released, in order. */
    private static LockFactory recording(List<String> taken, List<String> released) {
        LockFactory locks = PessimisticLockFactory.usingDefaults();
        return country -> {
            taken.add(country);
            Lock lock = locks.obtainLock(country);
            return new Lock() {
                @Override
                public void release() {
                    released.add(country);
                    lock.release();
                }

                @Override
                public boolean isHeld() {
                    return lock.isHeld();
                }
            };
        };
    }

    private static EventSourcingRepository<CountryQuota> ledgers(EventStore events, LockFactory locks) {
        return EventSourcingRepository.builder(CountryQuota.class).eventStore(events).lockFactory(locks).build();
    }

    /** No country has a ledger: for the tests that never take a country's lock. */
    private static EventSourcingRepository<CountryQuota> ledgers() {
        return ledgers(EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build(),
                PessimisticLockFactory.usingDefaults());
    }
}
