package org.quotaledger.infra;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Jobs that one node runs and every node reads (bulk imports, what-if replays), each a row with
 * {@code job_id}, {@code state}, {@code error}, {@code finished_at} and {@code touched_at}. The
 * running node touches its job's row as it goes; a RUNNING job untouched for {@code abandonedAfter}
 * was on a node that stopped, and the first read after that reports it FAILED, whichever node reads.
 */
public final class AbandonedJobs {

    private static final Logger log = LoggerFactory.getLogger(AbandonedJobs.class);

    private final JdbcTemplate jdbc;
    private final String table;
    private final Duration abandonedAfter;

    /** @param table the jobs' table, a constant of the caller's (it is put in the SQL as it is) */
    public AbandonedJobs(JdbcTemplate jdbc, String table, Duration abandonedAfter) {
        this.jdbc = jdbc;
        this.table = table;
        this.abandonedAfter = abandonedAfter;
    }

    /**
     * Reports the job FAILED if it is running and its node has not touched it for too long; true
     * when it now is, so the caller reads it again.
     *
     * @param whatNow what the user can do about it, the end of the job's error
     */
    public boolean failIfAbandoned(String jobId, boolean running, Instant touchedAt, Instant now, String whatNow) {
        Instant before = now.minus(abandonedAfter);
        if (!running || !touchedAt.isBefore(before)) {
            return false;
        }
        int failed = jdbc.update("UPDATE " + table + " SET state = 'FAILED', error = ?, finished_at = ? "
                        + "WHERE job_id = ? AND state = 'RUNNING' AND touched_at < ?",
                "abandoned: no progress for " + abandonedAfter.toMinutes() + " minutes (the node running it stopped); "
                        + whatNow, Timestamp.from(now), jobId, Timestamp.from(before));
        if (failed > 0) {
            log.warn("{} {} showed no progress for {}: reported FAILED", table, jobId, abandonedAfter);
        }
        return true; // failed here, or by another node reading it at the same moment
    }
}
