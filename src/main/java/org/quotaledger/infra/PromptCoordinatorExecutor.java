package org.quotaledger.infra;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.axonframework.common.AxonThreadFactory;

/**
 * The coordinator thread of a pooled streaming processor, checking back sooner when its work
 * packages were full.
 *
 * <p>Axon's coordinator reads events into a buffer of 1,024 per work package. When one is full it
 * schedules itself again {@value #AXON_FULL_BUFFER_RETRY_MILLIS} ms later, a fixed delay that
 * cannot be configured (Axon 4.13, {@code Coordinator.CoordinationTask#run}). A work package
 * empties its buffer in a fraction of that, then waits: measured on a projection rebuild, the
 * coordinator spent 16 of 26 s in that wait and the work packages 20 s of their thread time.
 * This executor runs that one retry after {@code fullBufferRetry} instead. Every other delay
 * (claim intervals, error back-off) is kept as Axon asked.
 */
final class PromptCoordinatorExecutor extends ScheduledThreadPoolExecutor {

    static final long AXON_FULL_BUFFER_RETRY_MILLIS = 100;

    private final long fullBufferRetryNanos;

    PromptCoordinatorExecutor(String processorName, Duration fullBufferRetry) {
        super(1, new AxonThreadFactory("Coordinator[" + processorName + "]"));
        this.fullBufferRetryNanos = fullBufferRetry.toNanos();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(command, prompter(delay, unit), TimeUnit.NANOSECONDS);
    }

    /** The delay to wait: the full-buffer retry shortened, any other as given. */
    long prompter(long delay, TimeUnit unit) {
        long nanos = unit.toNanos(delay);
        return nanos == TimeUnit.MILLISECONDS.toNanos(AXON_FULL_BUFFER_RETRY_MILLIS)
                ? Math.min(nanos, fullBufferRetryNanos) : nanos;
    }
}
