package org.quotaledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.quotaledger.audit.LedgerFolds.CountryComparison;
import org.quotaledger.policy.rules.PolicyDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * What-if replays run as jobs, one at a time, country by country: progress and an ETA while
 * they run, cancellable between countries. They only read: no event is written. Jobs live in
 * memory (the last {@value #KEPT} of them); a restart forgets them, and they are cheap to rerun.
 */
@Component
class ReplayJobs {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);
    static final int KEPT = 50;

    enum State { RUNNING, DONE, CANCELLED, FAILED }

    /** A replay job; its state changes only on the job's own thread, or by cancel. */
    static final class Job {
        final String id = UUID.randomUUID().toString();
        final PolicyDocument policy;
        final Instant asOf;
        final List<String> countries;
        final Instant startedAt = Instant.now();
        final AtomicInteger done = new AtomicInteger();
        final List<CountryComparison> results = Collections.synchronizedList(new ArrayList<>());
        volatile State state = State.RUNNING;
        volatile Instant finishedAt;
        volatile String error;

        Job(PolicyDocument policy, Instant asOf, List<String> countries) {
            this.policy = policy;
            this.asOf = asOf;
            this.countries = List.copyOf(countries);
        }

        /** Seconds left at the pace so far; null before the first country is done. */
        Long etaSeconds() {
            int finished = done.get();
            if (state != State.RUNNING || finished == 0) {
                return state == State.RUNNING ? null : 0L;
            }
            long elapsed = Duration.between(startedAt, Instant.now()).toMillis();
            return Math.round(elapsed / (double) finished * (countries.size() - finished) / 1000.0);
        }
    }

    private final LedgerFolds folds;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "what-if-replay");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > KEPT && eldest.getValue().state != State.RUNNING;
        }
    });

    ReplayJobs(LedgerFolds folds) {
        this.folds = folds;
    }

    Job start(PolicyDocument policy, Instant asOf, List<String> countries) {
        Job job = new Job(policy, asOf, countries);
        jobs.put(job.id, job);
        executor.submit(() -> run(job));
        return job;
    }

    Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Stops a running job after the country it is on; its partial results stay readable. */
    Optional<Job> cancel(String id) {
        Optional<Job> job = find(id);
        job.filter(j -> j.state == State.RUNNING).ifPresent(j -> j.state = State.CANCELLED);
        return job;
    }

    private void run(Job job) {
        try {
            for (String country : job.countries) {
                if (job.state != State.RUNNING) {
                    break;
                }
                job.results.add(folds.compare(country, job.asOf, job.policy));
                job.done.incrementAndGet();
            }
            if (job.state == State.RUNNING) {
                job.state = State.DONE;
            }
        } catch (RuntimeException e) {
            log.error("What-if replay {} failed", job.id, e);
            job.error = "the replay failed; see the service log for job " + job.id;
            job.state = State.FAILED;
        } finally {
            job.finishedAt = Instant.now();
            log.info("What-if replay {} of policy {} ended {} after {} of {} countries", job.id, job.policy.id(),
                    job.state, job.done.get(), job.countries.size());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
