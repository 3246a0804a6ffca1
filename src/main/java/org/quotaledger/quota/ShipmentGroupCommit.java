package org.quotaledger.quota;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.RecordShipments;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Group commit of shipments to one country. A country's commands are serialised by its aggregate
 * anyway, so requests that would queue for it one by one, each paying a transaction and a commit,
 * are sent together as one {@link RecordShipments}: one unit of work, one commit. The aggregate
 * still decides each in order exactly as alone, so the cap check is unchanged.
 *
 * <p>No thread of its own: the first request for a country leads, sends what has queued (itself,
 * at once, when alone) and answers the others; whoever is first in the queue when a batch ends
 * leads the next. The leader's thread sends the batch, so each request's attribution (who, which
 * request) is taken on its own thread and goes with its row: its events name their own author,
 * never the leader's.
 */
class ShipmentGroupCommit {

    /** A follower's answer that means "lead the next batch"; compared by identity only. */
    private static final BatchAnswer YOUR_TURN = new BatchAnswer(null, false, false, null);

    private final BiFunction<RecordShipments, List<Map<String, Object>>, List<BatchAnswer>> sendBatch;
    private final Function<RecordShipment, ShipmentOutcome> sendAlone;
    private final Supplier<Map<String, Object>> author;
    private final int maxBatch;
    private final DistributionSummary sizes;
    /**
     * Only groups with a leader are here, and a leader leaving an empty queue removes its group:
     * the map holds the countries being written now, not every country ever seen. Every change to
     * a group happens inside {@code compute} on its key, which is what makes "enqueue or lead" and
     * "hand on or remove" atomic with respect to each other.
     */
    private final ConcurrentHashMap<String, ArrayDeque<Waiting>> groups = new ConcurrentHashMap<>();

    private record Waiting(RecordShipment command, Map<String, Object> author, CompletableFuture<BatchAnswer> answer) {
    }

    /**
     * @param sendBatch a batch, with each row's author, through the retrying gateway; what it
     *                  throws is every member's answer
     * @param sendAlone the single command, used when {@code maxBatch} is 1 (group commit off)
     * @param author    the attribution of the request on this thread
     */
    ShipmentGroupCommit(BiFunction<RecordShipments, List<Map<String, Object>>, List<BatchAnswer>> sendBatch,
                        Function<RecordShipment, ShipmentOutcome> sendAlone, Supplier<Map<String, Object>> author,
                        int maxBatch, MeterRegistry metrics) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("quota-ledger.group-commit.max-batch must be at least 1, not " + maxBatch);
        }
        this.sendBatch = sendBatch;
        this.sendAlone = sendAlone;
        this.author = author;
        this.maxBatch = maxBatch;
        this.sizes = DistributionSummary.builder("ledger.shipment.group.commit.size")
                .description("shipments decided per commit of POST /api/v1/shipments: above 1 when requests to one "
                        + "country were batched")
                .register(metrics);
    }

    /**
     * Decides one shipment: its outcome, or the exception a lone {@link RecordShipment} would have
     * thrown (a conflict, a refused reservation, or the failure of the whole batch).
     */
    ShipmentOutcome record(RecordShipment command) {
        if (maxBatch == 1) {
            ShipmentOutcome outcome = sendAlone.apply(command);
            sizes.record(1);
            return outcome;
        }
        String key = command.country();
        Waiting me = new Waiting(command, author.get(), new CompletableFuture<>());
        boolean[] leading = new boolean[1];
        groups.compute(key, (k, queue) -> {
            if (queue == null) {
                queue = new ArrayDeque<>();
                leading[0] = true;
            }
            queue.add(me);
            return queue;
        });
        if (!leading[0]) {
            BatchAnswer answer = await(me);
            if (answer != YOUR_TURN) {
                return answer.asSingleAnswer(command.shipmentId());
            }
        }
        return lead(key, me).asSingleAnswer(command.shipmentId());
    }

    /**
     * Sends one batch, with {@code me} at the head of the queue, answers the others in it and
     * hands on. Its own answer is returned rather than put in its future, which may already hold
     * {@link #YOUR_TURN}.
     */
    private BatchAnswer lead(String country, Waiting me) {
        List<Waiting> batch = new ArrayList<>();
        groups.compute(country, (k, queue) -> {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            return queue;
        });
        List<BatchAnswer> answers = null;
        Throwable failure = null;
        try {
            answers = send(country, batch);
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Waiting waiting = batch.get(i);
                    if (waiting == me) {
                        continue;
                    }
                    if (failure == null) {
                        waiting.answer().complete(answers.get(i));
                    } else {
                        waiting.answer().completeExceptionally(failure);
                    }
                }
            } finally {
                handOn(country);
            }
        }
        if (failure != null) {
            throw rethrown(failure);
        }
        return answers.get(batch.indexOf(me));
    }

    private List<BatchAnswer> send(String country, List<Waiting> batch) {
        List<BatchAnswer> answers = sendBatch.apply(
                new RecordShipments(country, batch.stream().map(Waiting::command).toList()),
                batch.stream().map(Waiting::author).toList());
        if (answers == null || answers.size() != batch.size()) {
            throw new IllegalStateException("a batch of " + batch.size() + " shipments to " + country + " got "
                    + (answers == null ? "no" : answers.size()) + " answers");
        }
        sizes.record(batch.size());
        return answers;
    }

    /**
     * The group goes with its last member; otherwise the first still waiting leads. Done under the
     * same key lock as enqueueing, so a request either sees no group (and leads itself) or is in
     * the queue this looks at: none is left waiting with nobody to send it.
     */
    private void handOn(String country) {
        Waiting[] next = new Waiting[1];
        groups.compute(country, (k, queue) -> {
            if (queue.isEmpty()) {
                return null;
            }
            next[0] = queue.peek();
            return queue;
        });
        if (next[0] != null) {
            next[0].answer().complete(YOUR_TURN);
        }
    }

    /** Requests queued behind a batch in flight, of every group: for tests, which wait for followers to queue. */
    int waiting() {
        int[] count = new int[1];
        for (String key : groups.keySet()) {
            groups.computeIfPresent(key, (k, queue) -> {
                count[0] += queue.size();
                return queue;
            });
        }
        return count[0];
    }

    /** Groups with a batch in flight: zero when idle, however many countries were written. */
    int groups() {
        return groups.size();
    }

    private static BatchAnswer await(Waiting waiting) {
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
