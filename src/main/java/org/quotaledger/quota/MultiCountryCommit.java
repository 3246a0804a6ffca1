package org.quotaledger.quota;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.quotaledger.infra.DatabaseUnreachable;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decides shipments to several countries with one commit: each country's {@link RecordShipments}
 * runs nested in one unit of work and database transaction, so their events, registry rows and
 * aggregate locks commit together. A commit is what a shipment costs most, so this is what lets
 * a bulk import's chunk, or concurrent requests to different countries, go at the speed of one.
 *
 * <p>Each row's answer is the one it would have alone: denials and conflicts are answers, not
 * failures. Should the shared transaction fail (another node wrote to one of the countries, a
 * lock cycle with another writer, a fault in one country), it is rolled back and the countries
 * go one by one, each in its own transaction with the gateway's retries. So one country's
 * failure is its own answer only, never another's. A database that cannot be reached is every
 * country's failure alike: each is answered with it at once.
 *
 * <p>Callers give one batch per country, in alphabetical order (checked): every commit takes its
 * countries' locks in that order, so two commits never wait on each other in a cycle. An atomic
 * import holds its countries across chunks, whose countries come in no such order, so it takes
 * all of them at its start, in the same order ({@link #holdAllUntilTheUnitEnds}). An import holds
 * its countries for a whole chunk, an atomic one until it ends: the countries an import holds are
 * marked ({@link #heldByAUnitOfWork}), so that the group commit keeps requests to them out of its
 * shared commits. The group commit's own commits mark nothing: it is the only one that looks, and
 * its commits are over whenever it looks.
 */
@Component
public class MultiCountryCommit {

    private static final Logger log = LoggerFactory.getLogger(MultiCountryCommit.class);
    /** The unit-of-work resource naming the countries it holds. */
    private static final String HELD = MultiCountryCommit.class.getName() + ".held";

    /** One country's rows, with each row's author when the rows come from several callers. */
    public record CountryBatch(RecordShipments command, List<Map<String, Object>> authors) {

        /** Rows attributed to whoever sends them (an import's job runs as its caller). */
        public CountryBatch(RecordShipments command) {
            this(command, null);
        }

        String country() {
            return command.country();
        }

        CommandMessage<RecordShipments> message() {
            CommandMessage<RecordShipments> message = GenericCommandMessage.asCommandMessage(command);
            return authors == null ? message : message.andMetaData(Map.of(RecordShipments.AUTHORS, authors));
        }
    }

    /** What one country's batch came to: its rows' answers, or the failure that is each row's answer. */
    public record CountryAnswers(CountryBatch batch, List<BatchAnswer> answers, RuntimeException failure) {

        /** The answers, or the country's failure thrown. */
        public List<BatchAnswer> answersOrThrow() {
            if (failure != null) {
                throw failure;
            }
            return answers;
        }
    }

    private final Repository<CountryQuota> countries;
    private final CommandGateway retryingCommands;
    /** In a shared transaction nothing may retry: a retry runs on another thread, outside it. */
    private final CommandGateway commandsInTransaction;
    private final TransactionManager transactions;
    private final Counter fallbacks;
    /** Countries held by units of work in progress, with how many hold each. */
    private final ConcurrentHashMap<String, Integer> heldByUnits = new ConcurrentHashMap<>();

    /**
     * @param dispatchInterceptors what Axon registers on the application's gateway (who sent a
     *                             command, for its events' authors); this gateway of its own needs
     *                             them as much
     */
    MultiCountryCommit(Repository<CountryQuota> countries, CommandGateway commands, CommandBus commandBus,
                       Optional<List<MessageDispatchInterceptor<? super CommandMessage<?>>>> dispatchInterceptors,
                       TransactionManager transactions, MeterRegistry metrics) {
        this.countries = countries;
        this.retryingCommands = commands;
        this.commandsInTransaction = DefaultCommandGateway.builder().commandBus(commandBus)
                .dispatchInterceptors(dispatchInterceptors.orElse(List.of())).build();
        this.transactions = transactions;
        this.fallbacks = Counter.builder("ledger.shipment.shared.commit.fallbacks")
                .description("shared commits of several countries' shipments that failed and were redone one "
                        + "country at a time")
                .register(metrics);
    }

    /**
     * Decides the batches, one per country in alphabetical order, with one commit; the answers
     * come in the same order. For the group commit: the countries are not marked held, and the
     * shipment ids are taken as new, not looked up in the registry first (the lookup was a fifth of
     * the time a commit holds its countries: sixteenth round of docs/benchmarks.md). An id the
     * registry holds already, a client's retry, fails the commit on the registry's primary key,
     * and the countries go one by one, each looking its ids up.
     */
    public List<CountryAnswers> commit(List<CountryBatch> batches) {
        return commit(batches, false, true);
    }

    /**
     * As {@link #commit(List)}, for an import's chunk: its countries are marked held until the
     * commit ends, so that the group commit sends requests to them alone meanwhile.
     */
    public List<CountryAnswers> commitHolding(List<CountryBatch> batches) {
        return commit(batches, true, false);
    }

    /**
     * @param idsTakenAsNew whether the countries skip the registry's lookup of the shipment ids
     *                      ({@link RecordShipments#IDS_TAKEN_AS_NEW}); an import's file is
     *                      uploaded again after a failure, so its ids are looked up
     */
    private List<CountryAnswers> commit(List<CountryBatch> batches, boolean markHeld, boolean idsTakenAsNew) {
        requireAlphabetical(batches);
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(batches.size() + " countries"));
        List<CountryAnswers> decided;
        try {
            unit.attachTransaction(transactions);
            if (markHeld) {
                holdUntilTheUnitEnds(batches);
            }
            decided = inCurrentUnitOfWork(batches, idsTakenAsNew);
        } catch (RuntimeException | Error e) {
            // A transaction that could not start (the database away) has closed the unit already.
            if (unit.isActive()) {
                unit.rollback(e);
            }
            return oneByOne(batches, e);
        }
        try {
            unit.commit();
        } catch (RuntimeException e) {
            return oneByOne(batches, e);
        }
        return decided;
    }

    /**
     * Decides the batches, one per country in alphabetical order, inside the unit of work already
     * running (an atomic import's, which took its countries first: {@link #holdAllUntilTheUnitEnds}):
     * nothing is committed or retried here, and the first failure is thrown, to fail the whole unit.
     */
    public List<List<BatchAnswer>> decideInCurrentUnitOfWork(List<CountryBatch> batches) {
        requireAlphabetical(batches);
        holdUntilTheUnitEnds(batches);
        return inCurrentUnitOfWork(batches, false).stream().map(CountryAnswers::answers).toList();
    }

    /**
     * Takes the countries' aggregate locks in the unit of work already running, in alphabetical
     * order, and marks them held until it ends. An atomic import does this before its first row,
     * with every country its file names: as every other writer of several countries takes them
     * in this order too, no two can wait on each other in a cycle (which Axon would break by
     * failing one, and with it the whole import). A country with no ledger yet has no lock to take.
     */
    public void holdAllUntilTheUnitEnds(SortedSet<String> countryCodes) {
        markHeldUntilTheUnitEnds(countryCodes);
        for (String country : countryCodes) {
            try {
                countries.load(country);
            } catch (AggregateNotFoundException none) {
                // nothing to lock; a row to it is answered as a lone request to it would be
            }
        }
    }

    /**
     * Whether an import holds the country's aggregate lock now: its chunk until it commits
     * ({@link #commitHolding}), an atomic import from its start until it ends ({@link #holdAllUntilTheUnitEnds}).
     * A request to the country waits that long whatever is done; the group commit sends it alone,
     * so that requests to other countries do not wait behind it.
     */
    public boolean heldByAUnitOfWork(String country) {
        return heldByUnits.containsKey(country);
    }

    private void holdUntilTheUnitEnds(List<CountryBatch> batches) {
        markHeldUntilTheUnitEnds(batches.stream().map(CountryBatch::country).toList());
    }

    /** Marked before the locks are taken, and cleared when the unit ends, committed or rolled back. */
    private void markHeldUntilTheUnitEnds(Iterable<String> countryCodes) {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Set<String> held = root.getOrComputeResource(HELD, key -> {
            Set<String> marked = new HashSet<>();
            root.onCleanup(unit -> marked.forEach(country ->
                    heldByUnits.computeIfPresent(country, (k, units) -> units == 1 ? null : units - 1)));
            return marked;
        });
        for (String country : countryCodes) {
            if (held.add(country)) {
                heldByUnits.merge(country, 1, Integer::sum);
            }
        }
    }

    private List<CountryAnswers> inCurrentUnitOfWork(List<CountryBatch> batches, boolean idsTakenAsNew) {
        List<CountryAnswers> decided = new ArrayList<>(batches.size());
        for (CountryBatch batch : batches) {
            CommandMessage<RecordShipments> message = batch.message();
            if (idsTakenAsNew) {
                message = message.andMetaData(Map.of(RecordShipments.IDS_TAKEN_AS_NEW, true));
            }
            decided.add(new CountryAnswers(batch, commandsInTransaction.sendAndWait(message), null));
        }
        return decided;
    }

    /**
     * After a failed shared commit. Its rollback has dropped the countries' aggregates from the
     * cache (Axon does, for every aggregate a rolled-back unit loaded), so each decides again from
     * what is stored.
     */
    private List<CountryAnswers> oneByOne(List<CountryBatch> batches, Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        if (DatabaseUnreachable.causes(cause)) {
            // Each country alone, with retries, would wait for a connection as long again, one
            // after another: every request would be answered much later, and with the same 503.
            log.warn("A commit of {} countries could not reach the database ({}); each is answered with that",
                    batches.size(), cause.toString());
            RuntimeException unreachable = (RuntimeException) cause;
            return batches.stream().map(batch -> new CountryAnswers(batch, null, unreachable)).toList();
        }
        fallbacks.increment();
        if (aShipmentIdWasRecordedBefore(cause)) {
            // A client's retry in a commit that took its ids as new: expected, and answered below.
            log.debug("A commit of {} countries met a row recorded before (a client's retry); sending them one by one",
                    batches.size());
        } else if (batches.size() > 1) {
            log.warn("A shared commit of {} countries failed ({}); sending them one by one", batches.size(),
                    cause.toString());
        } else {
            // One country's write conflict with another node: the gateway's retries are the usual answer.
            log.debug("A commit to {} failed ({}); sending it again with retries", batches.get(0).country(),
                    cause.toString());
        }
        List<CountryAnswers> decided = new ArrayList<>(batches.size());
        for (CountryBatch batch : batches) {
            try {
                decided.add(new CountryAnswers(batch, retryingCommands.sendAndWait(batch.message()), null));
            } catch (RuntimeException failure) {
                decided.add(new CountryAnswers(batch, null, failure));
            }
        }
        return decided;
    }

    /** Whether the failure is the registry's primary key refusing a shipment id it holds already. */
    private static boolean aShipmentIdWasRecordedBefore(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }

    /** The order every writer of several countries takes their locks in: see the class comment. */
    private static void requireAlphabetical(List<CountryBatch> batches) {
        for (int i = 1; i < batches.size(); i++) {
            if (batches.get(i - 1).country().compareTo(batches.get(i).country()) >= 0) {
                throw new IllegalArgumentException("batches must be one per country, in alphabetical order: "
                        + batches.stream().map(CountryBatch::country).toList());
            }
        }
    }
}
