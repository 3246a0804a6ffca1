package org.quotaledger.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.quotaledger.audit.LedgerFolds.CountryComparison;
import org.quotaledger.infra.AbandonedJobs;
import org.quotaledger.policy.rules.PolicyDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;

/**
 * What-if replays run as jobs, one at a time per node, country by country: progress and an ETA
 * while they run, cancellable between countries. They only read the ledger: no event is written.
 *
 * <p>A job and each country's comparison are kept in the database ({@code replay_job}), so any node
 * answers for any job (behind the load balancer an auditor's polls land anywhere) and a finished job
 * outlives a restart; the newest {@value #KEPT} are kept. The job runs on the node that accepted
 * it. A cancel, asked on any node, is a state change that node sees before its next country.
 * The node touches its jobs' rows every {@link #HEARTBEAT}; a RUNNING job untouched for
 * {@code quota-ledger.audit.replay-abandoned-after} was on a node that stopped, and is reported
 * FAILED when next read (ask for it again: a replay writes nothing, so rerunning it is safe).
 */
@Component
class ReplayJobs {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);
    static final int KEPT = 50;
    static final Duration HEARTBEAT = Duration.ofSeconds(30);

    enum State { RUNNING, DONE, CANCELLED, FAILED }

    /** A job as stored: its progress, and the comparisons of the countries done so far, in order (null: not read). */
    record Job(String id, String policyId, Instant asOf, List<String> countries, State state, int done,
               Instant startedAt, Instant finishedAt, String error, Instant touchedAt,
               List<CountryComparison> results) {

        /** Seconds left at the pace so far; null before the first country is done; 0 once ended. */
        Long etaSeconds(Instant now) {
            if (state != State.RUNNING) {
                return 0L;
            }
            if (done == 0) {
                return null;
            }
            long elapsed = Duration.between(startedAt, now).toMillis();
            return Math.round(elapsed / (double) done * (countries.size() - done) / 1000.0);
        }
    }

    private final LedgerFolds folds;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;
    private final AbandonedJobs abandoned;
    /** The jobs this node has accepted and not finished: queued or running. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "what-if-replay");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService heartbeat = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "what-if-replay-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    ReplayJobs(LedgerFolds folds, JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json,
               Clock clock, @Value("${quota-ledger.audit.replay-abandoned-after:PT10M}") Duration abandonedAfter) {
        this.folds = folds;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        this.abandoned = new AbandonedJobs(jdbc, "replay_job", abandonedAfter);
        long period = HEARTBEAT.toMillis();
        heartbeat.scheduleWithFixedDelay(this::touchHeldJobs, period, period, TimeUnit.MILLISECONDS);
    }

    Job start(PolicyDocument policy, Instant asOf, List<String> countries) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        forgetAllButTheNewest();
        jdbc.update("INSERT INTO replay_job (job_id, policy_id, as_of, countries, state, done, started_at, touched_at) "
                        + "VALUES (?, ?, ?, ?, ?, 0, ?, ?)", id, policy.id(), Timestamp.from(asOf),
                String.join(",", countries), State.RUNNING.name(), Timestamp.from(now), Timestamp.from(now));
        held.add(id);
        executor.execute(() -> run(id, policy, asOf, List.copyOf(countries)));
        return find(id).orElseThrow();
    }

    Optional<Job> find(String id) {
        return find(id, true);
    }

    /**
     * The job, with the comparisons of the countries done so far or without them: a poll for
     * progress need not read and send a whole replay's results (a comparison per shipment) each time.
     */
    Optional<Job> find(String id, boolean withResults) {
        Optional<Job> job = read(id, withResults);
        if (job.isPresent() && abandoned.failIfAbandoned(id, job.get().state() == State.RUNNING, job.get().touchedAt(),
                clock.instant(), "start the replay again")) {
            return read(id, withResults);
        }
        return job;
    }

    /** Stops a running job after the country it is on; its partial results stay readable. */
    Optional<Job> cancel(String id) {
        jdbc.update("UPDATE replay_job SET state = ?, finished_at = ? WHERE job_id = ? AND state = ?",
                State.CANCELLED.name(), Timestamp.from(clock.instant()), id, State.RUNNING.name());
        return find(id);
    }

    private void run(String id, PolicyDocument policy, Instant asOf, List<String> countries) {
        int done = 0;
        try {
            touch(id);
            for (String country : countries) {
                if (stateOf(id) != State.RUNNING) {
                    break;
                }
                store(id, done, folds.compare(country, asOf, policy));
                done++;
            }
            end(id, State.DONE, null);
            log.info("What-if replay {} of policy {} ended after {} of {} countries", id, policy.id(), done,
                    countries.size());
        } catch (RuntimeException e) {
            log.error("What-if replay {} failed after {} of {} countries", id, done, countries.size(), e);
            end(id, State.FAILED, "the replay failed; see the service log for job " + id);
        } finally {
            held.remove(id);
        }
    }

    /** A country's comparison and the job's progress, together. */
    private void store(String id, int position, CountryComparison comparison) {
        String document;
        try {
            document = json.writeValueAsString(comparison);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the comparison of " + comparison.country(), e);
        }
        transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO replay_job_result (job_id, country_no, comparison) VALUES (?, ?, ?)", id, position,
                    document);
            jdbc.update("UPDATE replay_job SET done = ?, touched_at = ? WHERE job_id = ?", position + 1,
                    Timestamp.from(clock.instant()), id);
        });
    }

    /** Ends a job that is still running; a cancelled one stays cancelled. */
    private void end(String id, State state, String error) {
        jdbc.update("UPDATE replay_job SET state = ?, error = ?, finished_at = ? WHERE job_id = ? AND state = ?",
                state.name(), error, Timestamp.from(clock.instant()), id, State.RUNNING.name());
    }

    private void touch(String id) {
        jdbc.update("UPDATE replay_job SET touched_at = ? WHERE job_id = ?", Timestamp.from(clock.instant()), id);
    }

    /** Queued jobs wait for the one before them, and one country may take a while: both must not look abandoned. */
    private void touchHeldJobs() {
        try {
            held.forEach(this::touch);
        } catch (RuntimeException e) {
            log.warn("Cannot show the what-if replays of this node alive now: {}", e.toString());
        }
    }

    private State stateOf(String id) {
        return State.valueOf(jdbc.queryForObject("SELECT state FROM replay_job WHERE job_id = ?", String.class, id));
    }

    /** Keeps the newest {@link #KEPT} jobs, and every running one. */
    private void forgetAllButTheNewest() {
        List<Timestamp> oldestKept = jdbc.queryForList("SELECT started_at FROM replay_job ORDER BY started_at DESC "
                + "LIMIT 1 OFFSET " + (KEPT - 1), Timestamp.class);
        if (oldestKept.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            String forgotten = "SELECT job_id FROM replay_job WHERE started_at < ? AND state <> ?";
            jdbc.update("DELETE FROM replay_job_result WHERE job_id IN (" + forgotten + ")", oldestKept.get(0),
                    State.RUNNING.name());
            jdbc.update("DELETE FROM replay_job WHERE started_at < ? AND state <> ?", oldestKept.get(0),
                    State.RUNNING.name());
        });
    }

    private Optional<Job> read(String id, boolean withResults) {
        return jdbc.query("SELECT * FROM replay_job WHERE job_id = ?", (row, rowNum) -> job(row, withResults), id)
                .stream().findFirst();
    }

    private Job job(ResultSet row, boolean withResults) throws SQLException {
        String id = row.getString("job_id");
        String countries = row.getString("countries");
        Timestamp finishedAt = row.getTimestamp("finished_at");
        return new Job(id, row.getString("policy_id"), row.getTimestamp("as_of").toInstant(),
                countries.isEmpty() ? List.of() : Arrays.asList(countries.split(",")),
                State.valueOf(row.getString("state")), row.getInt("done"), row.getTimestamp("started_at").toInstant(),
                finishedAt == null ? null : finishedAt.toInstant(), row.getString("error"),
                row.getTimestamp("touched_at").toInstant(), withResults ? results(id) : null);
    }

    private List<CountryComparison> results(String id) {
        List<String> documents = jdbc.queryForList(
                "SELECT comparison FROM replay_job_result WHERE job_id = ? ORDER BY country_no", String.class, id);
        if (documents.isEmpty()) {
            return Collections.emptyList();
        }
        return documents.stream().map(document -> {
            try {
                return json.readValue(document, CountryComparison.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored comparison of replay " + id + " cannot be read", e);
            }
        }).toList();
    }

    /** This node's unfinished jobs end with it, rather than look alive until they are abandoned. */
    @PreDestroy
    void stop() {
        heartbeat.shutdownNow();
        executor.shutdownNow();
        try {
            held.forEach(id -> end(id, State.FAILED, "the node running it stopped; start the replay again"));
        } catch (RuntimeException e) {
            log.warn("Cannot end this node's what-if replays ({}); they will be reported abandoned", e.toString());
        }
    }
}
