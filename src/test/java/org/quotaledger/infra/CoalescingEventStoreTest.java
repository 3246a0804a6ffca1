package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event store's reader is woken once per window after commits, never before it ends, and
 * never misses a commit ({@link CoalescingEventStore}).
 */
class CoalescingEventStoreTest {

    /** Longer than any test: the reader is never woken by its own poll here, only by commits. */
    private static final long NO_POLL_HOURS = 1;

    private final CountingEngine engine = new CountingEngine();
    private CoalescingEventStore store;

    @AfterEach
    void shutDown() {
        if (store != null) {
            store.shutDown();
        }
    }

    @Test
    void commitsWithinOneWindowAreReadTogetherAndNoneIsMissed() throws InterruptedException {
        store = storeWithWindow(Duration.ofSeconds(2));
        try (BlockingStream<TrackedEventMessage<?>> stream = tailing(store)) {
            int readsBefore = engine.reads.get();

            IntStream.range(0, 20).forEach(i -> store.publish(GenericEventMessage.asEventMessage("event-" + i)));

            assertThat(payloads(stream, 20)).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "event-" + i).toList());
            // Twenty commits, one wake-up: Axon's reader reads until a read comes back empty. The
            // stream may have the events before the reader's empty read: wait for it, then a
            // little longer for any further read (woken at every commit, it would read after each).
            awaitReads(readsBefore + 2, Duration.ofSeconds(1));
            Thread.sleep(200);
            assertThat(engine.reads.get() - readsBefore).isEqualTo(2);
        }
    }

    @Test
    void aCommitWakesTheReaderAfterTheWindowNotAtOnce() throws InterruptedException {
        store = storeWithWindow(Duration.ofSeconds(2));
        try (BlockingStream<TrackedEventMessage<?>> stream = tailing(store)) {
            store.publish(GenericEventMessage.asEventMessage("late"));

            assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(payloads(stream, 1)).containsExactly("late");
        }
    }

    @Test
    void aWindowOfZeroWakesTheReaderAtEveryCommit() throws InterruptedException {
        store = storeWithWindow(Duration.ZERO);
        try (BlockingStream<TrackedEventMessage<?>> stream = tailing(store)) {
            assertPublishedAndReadAtOnce(stream, "at once");
        }
    }

    @Test
    void aCommitAfterTheWakeUpsStoppedStillWakesTheReader() throws InterruptedException {
        store = storeWithWindow(Duration.ofSeconds(2));
        try (BlockingStream<TrackedEventMessage<?>> stream = tailing(store)) {
            store.stopWakeUps();

            assertPublishedAndReadAtOnce(stream, "while stopping");
        }
    }

    /** Read within a second: sooner than any window these tests set, and than the reader's own poll. */
    private void assertPublishedAndReadAtOnce(BlockingStream<TrackedEventMessage<?>> stream, String payload)
            throws InterruptedException {
        store.publish(GenericEventMessage.asEventMessage(payload));

        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).as("read at once").isTrue();
        assertThat(payloads(stream, 1)).containsExactly(payload);
    }

    private CoalescingEventStore storeWithWindow(Duration window) {
        return new CoalescingEventStore(EmbeddedEventStore.builder().storageEngine(engine)
                .fetchDelay(TimeUnit.HOURS.toMillis(NO_POLL_HOURS)), window);
    }

    /**
     * A stream that has read everything there is, so that new events reach it through the store's
     * reader, returned once that reader has made its first read (the stream's own read came first).
     */
    private BlockingStream<TrackedEventMessage<?>> tailing(CoalescingEventStore store) throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null);
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
        awaitReads(2, Duration.ofSeconds(10));
        assertThat(engine.reads.get()).as("the stream's read and the store's reader's first").isEqualTo(2);
        return stream;
    }

    /** Waits for the reads to reach {@code count}, at most {@code patience}. */
    private void awaitReads(int count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (engine.reads.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static List<Object> payloads(BlockingStream<TrackedEventMessage<?>> stream, int count) throws InterruptedException {
        List<Object> payloads = new ArrayList<>();
        while (payloads.size() < count && stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
            payloads.add(stream.nextAvailable().getPayload());
        }
        return payloads;
    }

    /** Counts the reads of the event stream (Axon's reader makes one each time it is woken). */
    private static final class CountingEngine extends InMemoryEventStorageEngine {

        private final AtomicInteger reads = new AtomicInteger();

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            reads.incrementAndGet();
            return super.readEvents(trackingToken, mayBlock);
        }
    }
}
