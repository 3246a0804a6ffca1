package org.quotaledger.operations;

import java.util.Optional;
import java.util.function.LongConsumer;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.TrackingToken;

/**
 * A faster way than its processor to replay the whole event store into a processor's projections,
 * run by {@link ProjectionRebuilds} with that processor stopped on every node and its tokens reset.
 * A feature that offers one implements it as a component (balance/BalancesBulkReplay).
 */
public interface BulkReplay {

    /** The processor whose projections it replays. */
    String processor();

    /**
     * Replays every stored event into the projections of the processor whose handlers
     * {@code invoker} holds; {@code progress} hears the global index written up to. Any failure
     * is thrown: the processor then replays the store itself, over what was written.
     *
     * @param gapWindow how many global indexes before the last event read the hand-over token minds
     */
    Replayed replay(EventHandlerInvoker invoker, int gapWindow, LongConsumer progress) throws Exception;

    /**
     * What a replay did.
     *
     * @param events   events read and applied
     * @param handOver where the processor goes on: after the last event read, and at every global
     *                 index of the last {@code gapWindow} before it that was not read (an event whose
     *                 transaction was still open when the read began; usually a number skipped for
     *                 good by a rolled-back one). Empty when nothing was read.
     */
    record Replayed(long events, Optional<TrackingToken> handOver) {
    }
}
