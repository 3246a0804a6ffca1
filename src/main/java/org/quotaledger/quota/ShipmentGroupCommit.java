package org.quotaledger.quota;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.quotaledger.quota.MultiCountryCommit.CountryAnswers;
import org.quotaledger.quota.MultiCountryCommit.CountryBatch;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.RecordShipments;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Group commit of shipment requests. Requests that arrive while a commit is in flight, to any
 * countries, are decided together in the next: one {@link RecordShipments} per country, all in
 * one unit of work and one commit ({@link MultiCountryCommit}). A country's commands are
 * serialised by its aggregate anyway, and the commit is what a shipment costs most, so neither a
 * hot country nor many countries at once pay a transaction per shipment. The aggregate still
 * decides each row in order exactly as alone, so the cap check is unchanged.
 *
 * <p>No thread of its own: the first request leads, sends what has queued (itself, at once, when
 * alone) and answers the others; whoever is first in the queue when a commit ends leads the
 * next. The leader's thread sends the batch, so each request's attribution (who, which request)
 * is taken on its own thread and goes with its row: its events name their own author, never the
 * leader's. One commit is in flight at a time; that is what gathers the next one.
 *
 * <p>A request to a country whose lock an import holds (its chunk in progress, or an atomic
 * import until it ends) is sent alone, on its own thread: it waits for the import as it would
 * anyway, and no request to another country waits behind it.
 */
class ShipmentGroupCommit {

    /** A follower's answer that means "lead the next batch"; compared by identity only. */
    private static final Object YOUR_TURN = new Object();
    /** An answer that means "send your shipment alone, on your own thread"; compared by identity only. */
    private static final Object SEND_ALONE = new Object();

    private final Function<List<CountryBatch>, List<CountryAnswers>> commit;
    private final Function<RecordShipment, ShipmentOutcome> sendAlone;
    private final Predicate<String> heldByAUnitOfWork;
    private final Supplier<Map<String, Object>> author;
    private final int maxBatch;
    private final DistributionSummary sizes;
    private final DistributionSummary countries;
    /** Requests not yet taken into a batch; guarded by itself, as is {@link #leading}. */
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    /** A leader is sending, or has handed on to the head of the queue: newcomers wait their turn. */
    private boolean leading;

    /** One request; its answer is a {@link BatchAnswer}, a failure, {@link #YOUR_TURN} or {@link #SEND_ALONE}. */
    private record Waiting(RecordShipment command, Map<String, Object> author, CompletableFuture<Object> answer) {
    }

    /**
     * @param commit    the countries' batches, with each row's author, decided with one commit;
     *                  a country's failure is the answer of its rows only, and what this throws is
     *                  every member's answer
     * @param sendAlone the single command, used when {@code maxBatch} is 1 (group commit off), and
     *                  for a country held by another unit of work
     * @param heldByAUnitOfWork whether another unit of work (an import's) holds a country's lock
     *                  now: its requests are sent alone, each on its own thread,
     *                  so that they wait for it and no other request waits behind them
     * @param author    the attribution of the request on this thread
     */
    ShipmentGroupCommit(Function<List<CountryBatch>, List<CountryAnswers>> commit,
                        Function<RecordShipment, ShipmentOutcome> sendAlone, Predicate<String> heldByAUnitOfWork,
                        Supplier<Map<String, Object>> author, int maxBatch, MeterRegistry metrics) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("quota-ledger.group-commit.max-batch must be at least 1, not " + maxBatch);
        }
        this.commit = commit;
        this.sendAlone = sendAlone;
        this.heldByAUnitOfWork = heldByAUnitOfWork;
        this.author = author;
        this.maxBatch = maxBatch;
        this.sizes = DistributionSummary.builder("ledger.shipment.group.commit.size")
                .description("shipments decided per commit of POST /api/v1/shipments: above 1 when concurrent "
                        + "requests were batched")
                .register(metrics);
        this.countries = DistributionSummary.builder("ledger.shipment.group.commit.countries")
                .description("destination countries per commit of POST /api/v1/shipments: above 1 when concurrent "
                        + "requests to several countries shared a commit")
                .register(metrics);
    }

    /**
     * Decides one shipment: its outcome, or the exception a lone {@link RecordShipment} would have
     * thrown (a conflict, a refused reservation, or the failure of its country's batch).
     */
    ShipmentOutcome record(RecordShipment command) {
        if (maxBatch == 1) {
            return alone(command);
        }
        Waiting me = new Waiting(command, author.get(), new CompletableFuture<>());
        boolean leader;
        synchronized (queue) {
            queue.add(me);
            leader = !leading;
            leading = true;
        }
        Object answer = leader ? YOUR_TURN : await(me);
        if (answer == YOUR_TURN) {
            answer = lead(me);
        }
        return answer == SEND_ALONE ? alone(command) : ((BatchAnswer) answer).asSingleAnswer(command.shipmentId());
    }

    private ShipmentOutcome alone(RecordShipment command) {
        ShipmentOutcome outcome = sendAlone.apply(command);
        sizes.record(1);
        countries.record(1);
        return outcome;
    }

    /**
     * Sends one batch, with {@code me} at the head of the queue, answers the others in it and
     * hands on. Its own answer ({@link #SEND_ALONE} when its country is held) is returned rather
     * than put in its future, which may already hold {@link #YOUR_TURN}. Requests to a country
     * held by another unit of work are told to send alone before anything is sent.
     */
    private Object lead(Waiting me) {
        List<Waiting> batch = new ArrayList<>();
        synchronized (queue) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
        }
        Object mine = null;
        Map<String, List<Waiting>> byCountry = new TreeMap<>(); // the order MultiCountryCommit takes
        for (Waiting waiting : batch) {
            if (!heldByAUnitOfWork.test(waiting.command().country())) {
                byCountry.computeIfAbsent(waiting.command().country(), country -> new ArrayList<>()).add(waiting);
            } else if (waiting == me) {
                mine = SEND_ALONE;
            } else {
                waiting.answer().complete(SEND_ALONE);
            }
        }
        if (byCountry.isEmpty()) {
            handOn();
            return mine;
        }
        List<CountryAnswers> decided;
        try {
            decided = send(byCountry);
        } catch (RuntimeException | Error e) {
            batch.stream().filter(waiting -> waiting != me).forEach(waiting -> waiting.answer().completeExceptionally(e));
            handOn();
            if (mine == SEND_ALONE) {
                return mine;
            }
            throw e;
        }
        RuntimeException myFailure = null;
        try {
            int country = 0;
            for (List<Waiting> rows : byCountry.values()) {
                CountryAnswers answers = decided.get(country++);
                for (int row = 0; row < rows.size(); row++) {
                    Waiting waiting = rows.get(row);
                    if (waiting == me) {
                        mine = answers.failure() == null ? answers.answers().get(row) : null;
                        myFailure = answers.failure();
                    } else if (answers.failure() != null) {
                        waiting.answer().completeExceptionally(answers.failure());
                    } else {
                        waiting.answer().complete(answers.answers().get(row));
                    }
                }
            }
        } finally {
            handOn();
        }
        if (myFailure != null) {
            throw myFailure;
        }
        return mine;
    }

    private List<CountryAnswers> send(Map<String, List<Waiting>> byCountry) {
        List<CountryBatch> batches = byCountry.entrySet().stream()
                .map(group -> new CountryBatch(
                        new RecordShipments(group.getKey(), group.getValue().stream().map(Waiting::command).toList()),
                        group.getValue().stream().map(Waiting::author).toList()))
                .toList();
        List<CountryAnswers> decided = commit.apply(batches);
        if (decided == null || decided.size() != batches.size()) {
            throw new IllegalStateException("batches to " + byCountry.size() + " countries got "
                    + (decided == null ? "no" : decided.size()) + " answers");
        }
        for (int country = 0; country < batches.size(); country++) {
            CountryAnswers answers = decided.get(country);
            int rows = batches.get(country).command().shipments().size();
            if (answers.failure() == null && (answers.answers() == null || answers.answers().size() != rows)) {
                throw new IllegalStateException("a batch of " + rows + " shipments to "
                        + batches.get(country).command().country() + " got "
                        + (answers.answers() == null ? "no" : answers.answers().size()) + " answers");
            }
        }
        List<CountryAnswers> committed = decided.stream().filter(answers -> answers.failure() == null).toList();
        if (!committed.isEmpty()) {
            sizes.record(committed.stream().mapToInt(answers -> answers.answers().size()).sum());
            countries.record(committed.size());
        }
        return decided;
    }

    /**
     * Leadership ends with an empty queue; otherwise the first still waiting leads. Done under the
     * same lock as enqueueing, so a request either sees no leader (and leads itself) or is in the
     * queue this looks at: none is left waiting with nobody to send it.
     */
    private void handOn() {
        Waiting next;
        synchronized (queue) {
            next = queue.peek();
            leading = next != null;
        }
        if (next != null) {
            next.answer().complete(YOUR_TURN);
        }
    }

    /** Requests queued behind a commit in flight: for tests, which wait for followers to queue. */
    int waiting() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Whether a commit is in flight or handed on: false when idle. */
    boolean busy() {
        synchronized (queue) {
            return leading;
        }
    }

    private static Object await(Waiting waiting) {
        try {
            return waiting.answer().join();
        } catch (CompletionException e) {
            throw rethrown(Objects.requireNonNullElse(e.getCause(), e));
        }
    }

    /** The batch's own failure, unwrapped, so that each request is answered as a lone one would be. */
    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure);
    }
}
