package org.quotaledger.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.quotaledger.infra.NodeIdentity;
import org.quotaledger.infra.PostgresChannels;
import org.quotaledger.operations.BulkReplay.Replayed;
import org.quotaledger.operations.RebuildRecord.Rebuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

/**
 * Rebuilds a projection: stops its streaming processor, resets its tokens (its reset handlers
 * empty its tables) and replays the whole event store into it: in bulk, with the processor still
 * stopped, where a bulk replay exists ({@link BulkReplay}), then through the processor
 * from where the bulk replay ended. Progress and ETA go to the log and to metrics; while it runs,
 * readers can ask {@link #isRebuilding}.
 *
 * <p>On several nodes the rebuild is one for all of them. The node that starts it records it in
 * {@code projection_rebuild} (see {@link RebuildRecord}) and says so on a PostgreSQL channel; every
 * other node shuts that processor down (and checks the record every {@link #COORDINATION_PERIOD}
 * besides, in case it missed the message). The rebuilding node resets the tokens only once no node
 * claims a segment any more, replays alone, and when caught up removes the record: the others
 * start their processors again. A second rebuild while one runs is refused.
 */
@Component
public class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    /** The projections that replay from the event store; the registries written in-transaction do not. */
    public static final List<String> REBUILDABLE = List.of("balances");

    static final String CHANNEL = "ql_projection_rebuild";
    static final Duration COORDINATION_PERIOD = Duration.ofSeconds(2);
    /** How long the rebuilding node waits for the other nodes to let go of their segments. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(60);

    /**
     * How far a rebuild has come: {@code position} of {@code head} events, by global index.
     * {@code replayedInBulk}: how many events the last rebuild on this node replayed in bulk (none
     * when its bulk replay failed and the processor replayed them all).
     */
    public record RebuildStatus(String projection, boolean rebuilding, Instant startedAt, long position, long head,
                                double progress, Long etaSeconds, Long replayedInBulk) {
    }

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final RebuildRecord record;
    private final PostgresChannels channels;
    private final String node;
    /** Rebuilds this node runs, by projection: when they were asked for. */
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    /** Of those, the ones whose tokens are reset: from then on "caught up" means done. */
    private final Set<String> reset = ConcurrentHashMap.newKeySet();
    /** Projections whose processor this node stopped because another node rebuilds them. */
    private final Set<String> pausedForOthers = ConcurrentHashMap.newKeySet();
    /** Of the rebuilds this node runs, those in their bulk replay: the global index written up to. */
    private final Map<String, Long> bulkPositions = new ConcurrentHashMap<>();
    /** Of the last rebuild this node ran, by projection: the events its bulk replay applied. */
    private final Map<String, Long> replayedInBulk = new ConcurrentHashMap<>();
    /** The bulk replays on offer, by processor. */
    private final Map<String, BulkReplay> bulkReplays;
    private final int gapWindow;
    private final TokenStore tokens;
    private final TransactionManager transactions;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "rebuild-coordination");
        thread.setDaemon(true);
        return thread;
    });

    ProjectionRebuilds(EventProcessingConfiguration processing, JdbcTemplate jdbc, PostgresChannels channels,
                       NodeIdentity node, MeterRegistry metrics, List<BulkReplay> bulkReplays, TokenStore tokens,
                       TransactionManager transactions,
                       @Value("${quota-ledger.projections.rebuild-gap-window:10000}") int gapWindow) {
        this.bulkReplays = bulkReplays.stream().collect(Collectors.toUnmodifiableMap(BulkReplay::processor, replay -> replay));
        this.tokens = tokens;
        this.transactions = transactions;
        this.gapWindow = gapWindow;
        this.processing = processing;
        this.jdbc = jdbc;
        this.record = new RebuildRecord(jdbc);
        this.channels = channels;
        this.node = node.id();
        for (String projection : REBUILDABLE) {
            Gauge.builder("ledger.projection.rebuild.progress", () -> status(projection).progress())
                    .tag("projection", projection).description("share of the event store replayed into the projection")
                    .register(metrics);
            Gauge.builder("ledger.projection.rebuilding", () -> isRebuilding(projection) ? 1 : 0)
                    .tag("projection", projection).register(metrics);
        }
        if (channels.available()) {
            channels.listen(CHANNEL, projection -> scheduler.execute(this::coordinate));
        }
        long period = COORDINATION_PERIOD.toMillis();
        scheduler.scheduleWithFixedDelay(this::coordinate, period, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::logProgress, 5, 5, TimeUnit.SECONDS);
    }

    public RebuildStatus rebuild(String projection) {
        StreamingEventProcessor processor = processor(projection);
        Optional<Rebuild> running = record.claim(projection, node, Instant.now());
        if (running.isPresent() && running.get().node().equals(node) && !status(projection).rebuilding()) {
            finish(projection); // this node's last rebuild, over but not yet tidied up
            running = record.claim(projection, node, Instant.now());
        }
        if (running.isPresent()) {
            throw new RebuildInProgressException(projection, running.get().node());
        }
        log.info("Rebuilding projection {}: stopping its processor on every node", projection);
        started.put(projection, Instant.now());
        replayedInBulk.remove(projection);
        announce(projection);
        scheduler.execute(() -> replay(projection, processor));
        return status(projection);
    }

    /** Once no node claims a segment: reset the tokens and start again, alone. */
    private void replay(String projection, StreamingEventProcessor processor) {
        try {
            processor.shutDown();
            long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
            while (record.claimedSegments(processor.getName()) > 0 && System.nanoTime() < deadline) {
                record.heartbeat(projection, node, Instant.now());
                Thread.sleep(200);
            }
            log.info("Rebuilding projection {}: resetting its tokens", projection);
            processor.resetTokens();
            reset.add(projection);
            BulkReplay bulk = bulkReplays.get(processor.getName());
            if (bulk != null) {
                replayInBulk(projection, processor, bulk);
            }
            processor.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The rebuild of {} failed; its processor starts again where it was", projection, e);
            started.remove(projection);
            record.release(projection, node);
            announce(projection);
            processor.start();
        }
    }

    /**
     * Replays the store with the processor stopped ({@link BulkReplay}), then sets every
     * segment's token to go on from there, minding the gaps among the last {@code gapWindow} global
     * indexes as Axon's own tokens do (its JDBC event store minds 10,000). If the bulk replay fails,
     * the tokens stay reset and the processor replays the whole store, with its dead-letter queue,
     * over what the bulk replay wrote.
     */
    private void replayInBulk(String projection, StreamingEventProcessor processor, BulkReplay bulk) {
        if (!(processor instanceof AbstractEventProcessor withHandlers)) {
            return;
        }
        long begun = System.nanoTime();
        bulkPositions.put(projection, 0L);
        try {
            Replayed replayed = bulk.replay(withHandlers.eventHandlerInvoker(), gapWindow,
                    position -> bulkPositions.put(projection, position));
            replayed.handOver().ifPresent(token -> transactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(processor.getName())) {
                    tokens.storeToken(token, processor.getName(), segment);
                    tokens.releaseClaim(processor.getName(), segment);
                }
            }));
            replayedInBulk.put(projection, replayed.events());
            double seconds = (System.nanoTime() - begun) / 1e9;
            log.info("Rebuilding projection {}: {} events replayed in bulk in {} s ({} events/s); the processor goes on "
                            + "from {}", projection, replayed.events(), String.format("%.1f", seconds),
                    Math.round(replayed.events() / Math.max(seconds, 1e-3)), replayed.handOver());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("The bulk replay of {} failed; its processor replays the store instead", projection, e);
        } finally {
            bulkPositions.remove(projection);
        }
    }

    /**
     * Keeps this node in line with the rebuilds in the record: heartbeats and the end of its own,
     * its processors shut down while another node rebuilds, started again after.
     */
    private synchronized void coordinate() {
        try {
            Instant now = Instant.now();
            for (String projection : started.keySet()) {
                if (status(projection).rebuilding()) {
                    record.heartbeat(projection, node, now);
                } else {
                    finish(projection);
                }
            }
            List<Rebuild> rebuilds = record.all();
            for (String projection : REBUILDABLE) {
                boolean elsewhere = rebuilds.stream().anyMatch(rebuild -> rebuild.projection().equals(projection)
                        && !rebuild.node().equals(node) && rebuild.isLive(now));
                if (elsewhere && pausedForOthers.add(projection)) {
                    log.info("Another node rebuilds {}: stopping its processor here", projection);
                    processor(projection).shutDown();
                } else if (!elsewhere && pausedForOthers.remove(projection)) {
                    log.info("The rebuild of {} is over: starting its processor here again", projection);
                    processor(projection).start();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Cannot coordinate projection rebuilds with the other nodes now: {}", e.toString());
        }
    }

    private void finish(String projection) {
        record.release(projection, node);
        started.remove(projection);
        reset.remove(projection);
        announce(projection);
        log.info("Rebuilt projection {}", projection);
    }

    private void announce(String projection) {
        if (channels.available()) {
            channels.notify(CHANNEL, projection);
        }
    }

    /** Cheap when no rebuild was started, as on every balance read: no query then. */
    public boolean isRebuilding(String projection) {
        return pausedForOthers.contains(projection) || (started.containsKey(projection) && status(projection).rebuilding());
    }

    /**
     * Done once the tokens are reset and segments are claimed, caught up, and at the head. Right
     * after a reset no segment is claimed yet, which is not "done"; and Axon keeps a segment's
     * replay flag up until an event past the reset position arrives, so the flag alone would never
     * say "done".
     */
    private static boolean caughtUp(StreamingEventProcessor processor, long position, long head) {
        var segments = processor.processingStatus().values();
        return !segments.isEmpty() && position >= head && segments.stream().allMatch(EventTrackerStatus::isCaughtUp);
    }

    public RebuildStatus status(String projection) {
        StreamingEventProcessor processor = processor(projection);
        long head = head();
        long position = head;
        for (EventTrackerStatus segment : processor.processingStatus().values()) {
            OptionalLong current = segment.getCurrentPosition();
            position = Math.min(position, current.isPresent() ? current.getAsLong() : 0);
        }
        boolean rebuilding = pausedForOthers.contains(projection) || (started.containsKey(projection)
                && (!reset.contains(projection) || !caughtUp(processor, position, head)));
        Long bulkPosition = bulkPositions.get(projection);
        if (!rebuilding) {
            position = head;
        } else if (!reset.contains(projection)) {
            position = 0;
        } else if (bulkPosition != null) {
            position = bulkPosition;
        }
        double progress = head == 0 ? 1.0 : Math.min(1.0, position / (double) head);
        Instant since = started.get(projection);
        Long eta = null;
        if (rebuilding && since != null && progress > 0) {
            long elapsed = Duration.between(since, Instant.now()).toMillis();
            eta = Math.round(elapsed / progress * (1 - progress) / 1000.0);
        }
        return new RebuildStatus(projection, rebuilding, since, position, head, progress, eta,
                replayedInBulk.get(projection));
    }

    private void logProgress() {
        for (String projection : started.keySet()) {
            try {
                RebuildStatus status = status(projection);
                if (status.rebuilding()) {
                    log.info("Rebuilding {}: {}% ({} of {} events), ETA {} s", projection,
                            Math.round(status.progress() * 100), status.position(), status.head(), status.etaSeconds());
                }
            } catch (RuntimeException e) {
                log.warn("Cannot read the progress of the {} rebuild", projection, e);
            }
        }
    }

    private long head() {
        Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private StreamingEventProcessor processor(String projection) {
        if (!REBUILDABLE.contains(projection)) {
            throw new UnknownProjectionException(projection);
        }
        return processing.eventProcessor(projection, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor " + projection));
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        try {
            started.keySet().forEach(projection -> record.release(projection, node));
        } catch (RuntimeException e) {
            log.warn("Cannot withdraw this node's rebuilds; the other nodes will see their heartbeat stop", e);
        }
    }
}
