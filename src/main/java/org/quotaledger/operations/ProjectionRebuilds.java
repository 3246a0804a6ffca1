package org.quotaledger.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

/**
 * Rebuilds a projection: stops its streaming processor, resets its tokens (its reset handlers
 * empty its tables) and replays the whole event store into it. Progress and ETA go to the log
 * and to metrics; while it runs, readers can ask {@link #isRebuilding}.
 *
 * <p>This coordinates the processor of this node only; on several nodes, stop the others'
 * first (see the README's operations section).
 */
@Component
public class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    /** The projections that replay from the event store; the registries written in-transaction do not. */
    public static final List<String> REBUILDABLE = List.of("balances");

    /** How far a rebuild has come: {@code position} of {@code head} events, by global index. */
    public record RebuildStatus(String projection, boolean rebuilding, Instant startedAt, long position, long head,
                                double progress, Long etaSeconds) {
    }

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rebuild-progress");
        thread.setDaemon(true);
        return thread;
    });

    ProjectionRebuilds(EventProcessingConfiguration processing, JdbcTemplate jdbc, MeterRegistry metrics) {
        this.processing = processing;
        this.jdbc = jdbc;
        for (String projection : REBUILDABLE) {
            Gauge.builder("ledger.projection.rebuild.progress", () -> status(projection).progress())
                    .tag("projection", projection).description("share of the event store replayed into the projection")
                    .register(metrics);
            Gauge.builder("ledger.projection.rebuilding", () -> isRebuilding(projection) ? 1 : 0)
                    .tag("projection", projection).register(metrics);
        }
        reporter.scheduleAtFixedRate(this::logProgress, 5, 5, TimeUnit.SECONDS);
    }

    public RebuildStatus rebuild(String projection) {
        StreamingEventProcessor processor = processor(projection);
        log.info("Rebuilding projection {}: stopping its processor and resetting its tokens", projection);
        processor.shutDown();
        processor.resetTokens();
        started.put(projection, Instant.now());
        processor.start();
        return status(projection);
    }

    /** Cheap when no rebuild was started, as on every balance read: no query then. */
    public boolean isRebuilding(String projection) {
        return started.containsKey(projection) && status(projection).rebuilding();
    }

    /**
     * Done once segments are claimed, caught up, and at the head. Right after a reset no segment
     * is claimed yet, which is not "done"; and Axon keeps a segment's replay flag up until an
     * event past the reset position arrives, so the flag alone would never say "done".
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
        boolean rebuilding = started.containsKey(projection) && !caughtUp(processor, position, head);
        if (!rebuilding) {
            position = head;
        }
        double progress = head == 0 ? 1.0 : Math.min(1.0, position / (double) head);
        Instant since = started.get(projection);
        Long eta = null;
        if (rebuilding && since != null && progress > 0) {
            long elapsed = Duration.between(since, Instant.now()).toMillis();
            eta = Math.round(elapsed / progress * (1 - progress) / 1000.0);
        }
        return new RebuildStatus(projection, rebuilding, since, position, head, progress, eta);
    }

    private void logProgress() {
        for (String projection : started.keySet()) {
            try {
                RebuildStatus status = status(projection);
                if (status.rebuilding()) {
                    log.info("Rebuilding {}: {}% ({} of {} events), ETA {} s", projection,
                            Math.round(status.progress() * 100), status.position(), status.head(), status.etaSeconds());
                } else {
                    log.info("Rebuilt projection {} ({} events)", projection, status.head());
                    started.remove(projection);
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
        reporter.shutdownNow();
    }
}
