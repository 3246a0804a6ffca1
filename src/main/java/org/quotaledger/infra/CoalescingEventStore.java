package org.quotaledger.infra;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, whose reader of new events (the one that feeds the event
 * processors) is woken at most once per {@code window} after commits, rather than after each.
 *
 * <p>Woken, Axon's reader fetches until a fetch comes back empty, each fetch in a transaction of
 * its own, and asks for the next event beyond a gap after the empty one. Measured with
 * {@code pg_stat_statements} over 25 s of the benchmark's hot figure (150 commits/s): that was
 * 13,051 event reads and 8,634 gap checks, nearly a third of all the statements PostgreSQL ran, for
 * events the commits had just written. Waking it once per window reads the events of every
 * commit in that window together. A projection sees an event at most {@code window} later; none
 * is missed, because a commit either schedules a wake-up or finds one not yet begun, which then
 * reads after it. The reader's own poll ({@code fetchDelay}, for other nodes' events) is unchanged.
 */
class CoalescingEventStore extends EmbeddedEventStore {

    private final long windowNanos;
    /** A daemon: a store nobody shut down (a test's) must not keep the JVM alive. */
    private final ScheduledExecutorService wakeUps = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-wake-up");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();

    CoalescingEventStore(Builder builder, Duration window) {
        super(builder);
        if (window.isNegative()) {
            throw new IllegalArgumentException("quota-ledger.event-store.wake-up-window must not be negative: " + window);
        }
        this.windowNanos = window.toNanos();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (windowNanos == 0) {
            super.afterCommit(events);
        } else if (wakeUpPending.compareAndSet(false, true)) {
            try {
                // Axon's afterCommit only wakes the reader, whatever events it is given; the one
                // wake-up stands for every commit in the window, so it holds on to none of them.
                wakeUps.schedule(() -> {
                    wakeUpPending.set(false);
                    super.afterCommit(List.of());
                }, windowNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // A commit that ends while the service stops: woken at once, as Axon would.
                wakeUpPending.set(false);
                super.afterCommit(events);
            }
        }
    }

    @Override
    public void shutDown() {
        stopWakeUps();
        super.shutDown();
    }

    /**
     * From here on each commit wakes the reader at once. A wake-up still waiting is dropped: its
     * events are read at the next commit's, or at the reader's own poll, while the store stops.
     */
    void stopWakeUps() {
        wakeUps.shutdownNow();
        wakeUpPending.set(false);
    }
}
