package org.quotaledger.infra;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.axonframework.common.AxonThreadFactory;

/**
 * The coordinator thread of a pooled streaming processor, looking again sooner than Axon would in
 * the two cases where Axon waits a fixed time (Axon 4.13, {@code Coordinator.CoordinationTask#run};
 * neither can be configured):
 * <ul>
 *   <li>When a work package's buffer (1,024 events) is full, Axon reads on
 *       {@value #AXON_FULL_BUFFER_RETRY_MILLIS} ms later. A work package empties its buffer in a
 *       fraction of that, then waits: measured on a projection rebuild, the coordinator spent 16 of
 *       26 s in that wait and the work packages 20 s of their thread time.</li>
 *   <li>When it has read everything, Axon looks for new events {@value #AXON_IDLE_POLL_MILLIS} ms
 *       later, unless the event source calls back when one arrives, which Axon's embedded event
 *       store does not. A live event then waits 0-500 ms before its projection sees it: that was
 *       most of the balance stream's delay (benchmark figure 6, p50 489 ms, p99 648 ms).</li>
 * </ul>
 * This executor runs those two retries after {@code fullBufferRetry} and {@code idlePoll}. Every
 * other delay (claim intervals, error back-off, which starts at 1 s) is kept as Axon asked.
 */
final class PromptCoordinatorExecutor extends ScheduledThreadPoolExecutor {

    static final long AXON_FULL_BUFFER_RETRY_MILLIS = 100;
    static final long AXON_IDLE_POLL_MILLIS = 500;

    private final long fullBufferRetryNanos;
    private final long idlePollNanos;

    PromptCoordinatorExecutor(String processorName, Duration fullBufferRetry, Duration idlePoll) {
        super(1, new AxonThreadFactory("Coordinator[" + processorName + "]"));
        this.fullBufferRetryNanos = fullBufferRetry.toNanos();
        this.idlePollNanos = idlePoll.toNanos();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(command, prompter(delay, unit), TimeUnit.NANOSECONDS);
    }

    /** The delay to wait: Axon's two fixed waits shortened, any other as given. */
    long prompter(long delay, TimeUnit unit) {
        long nanos = unit.toNanos(delay);
        if (nanos == TimeUnit.MILLISECONDS.toNanos(AXON_FULL_BUFFER_RETRY_MILLIS)) {
            return Math.min(nanos, fullBufferRetryNanos);
        }
        if (nanos == TimeUnit.MILLISECONDS.toNanos(AXON_IDLE_POLL_MILLIS)) {
            return Math.min(nanos, idlePollNanos);
        }
        return nanos;
    }
}
