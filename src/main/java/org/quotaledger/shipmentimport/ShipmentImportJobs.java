package org.quotaledger.shipmentimport;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.quotaledger.infra.AbandonedJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Import jobs and their row outcomes, in the database: any node answers for any job. Every write
 * is a transaction of its own, apart from an atomic import's, so progress and outcomes survive
 * that import's rollback.
 *
 * <p>A running job touches its row with each chunk it stores. One that has not for
 * {@code quota-ledger.import.abandoned-after} ran on a node that stopped: it is reported FAILED when
 * next read (what it recorded stays recorded; uploading the file again finishes it, row by row).
 */
@Component
class ShipmentImportJobs {

    enum State { RUNNING, COMPLETED, ROLLED_BACK, FAILED }

    enum Outcome { RECORDED, DENIED, INVALID, NOT_RECORDED }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"jobId", "state", "atomic", "rowsTotal", "rowsProcessed", "recorded", "denied", "invalid", "error"})
    record Job(String jobId, @JsonIgnore String exporterId, State state, boolean atomic, Integer rowsTotal,
               int rowsProcessed, int recorded, int denied, int invalid, String error, @JsonIgnore Instant touchedAt) {
    }

    /** One row's outcome. {@code fresh}: recorded by this job (not a repeat of an earlier answer). */
    @JsonPropertyOrder({"row", "shipmentId", "outcome", "reason", "field", "detail", "tpp"})
    record Result(int row, String shipmentId, Outcome outcome, String reason, String field, String detail, Long tpp,
                  @JsonIgnore boolean fresh) {
    }

    private static final int PAGE = 5_000;
    private static final String RESULT_COLUMNS = "row_no, shipment_id, outcome, reason, field, detail, tpp, fresh";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final AbandonedJobs abandoned;

    ShipmentImportJobs(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock,
                       @Value("${quota-ledger.import.abandoned-after:PT10M}") Duration abandonedAfter) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.abandoned = new AbandonedJobs(jdbc, "shipment_import_job", abandonedAfter);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void create(String jobId, String exporterId, boolean atomic, ShipmentImportFile.Format format, Instant at) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "INSERT INTO shipment_import_job (job_id, exporter_id, atomic, format, state, rows_processed, recorded, "
                        + "denied, invalid, created_at, touched_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)",
                jobId, exporterId, atomic, format.name(), State.RUNNING.name(), Timestamp.from(at), Timestamp.from(at)));
    }

    /** Stores a chunk's outcomes and advances the job's counts, together. */
    void saveChunk(String jobId, List<Result> results) {
        int recorded = count(results, Outcome.RECORDED);
        int denied = count(results, Outcome.DENIED);
        int invalid = count(results, Outcome.INVALID);
        ownTransaction.executeWithoutResult(status -> {
            jdbc.batchUpdate("INSERT INTO shipment_import_result (job_id, " + RESULT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    results, 1000, (statement, result) -> {
                        statement.setString(1, jobId);
                        statement.setInt(2, result.row());
                        statement.setString(3, clip(result.shipmentId(), 64));
                        statement.setString(4, result.outcome().name());
                        statement.setString(5, clip(result.reason(), 64));
                        statement.setString(6, clip(result.field(), 200));
                        statement.setString(7, clip(result.detail(), 1000));
                        statement.setObject(8, result.tpp());
                        statement.setBoolean(9, result.fresh());
                    });
            jdbc.update("UPDATE shipment_import_job SET rows_processed = rows_processed + ?, recorded = recorded + ?, "
                    + "denied = denied + ?, invalid = invalid + ?, touched_at = ? WHERE job_id = ?", results.size(), recorded,
                    denied, invalid, Timestamp.from(clock.instant()), jobId);
        });
    }

    void finish(String jobId, State state, Integer rowsTotal, String error, Instant at) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE shipment_import_job SET state = ?, rows_total = ?, error = ?, finished_at = ? WHERE job_id = ?",
                state.name(), rowsTotal, clip(error, 500), Timestamp.from(at), jobId));
    }

    /** An atomic import was rolled back: what it had recorded is not recorded after all. */
    void rollBack(String jobId, String why) {
        ownTransaction.executeWithoutResult(status -> {
            jdbc.update("UPDATE shipment_import_result SET outcome = ?, reason = 'ROLLED_BACK', detail = ?, fresh = FALSE "
                    + "WHERE job_id = ? AND fresh", Outcome.NOT_RECORDED.name(), clip(why, 1000), jobId);
            jdbc.update("UPDATE shipment_import_job SET recorded = (SELECT COUNT(*) FROM shipment_import_result "
                    + "WHERE job_id = ? AND outcome = ?) WHERE job_id = ?", jobId, Outcome.RECORDED.name(), jobId);
        });
    }

    Optional<Job> find(String jobId) {
        Optional<Job> job = read(jobId);
        if (job.isPresent() && abandoned.failIfAbandoned(jobId, job.get().state() == State.RUNNING, job.get().touchedAt(),
                clock.instant(), "rows recorded stay recorded, upload the file again to finish it")) {
            return read(jobId);
        }
        return job;
    }

    private Optional<Job> read(String jobId) {
        return jdbc.query("SELECT * FROM shipment_import_job WHERE job_id = ?", ShipmentImportJobs::job, jobId)
                .stream().findFirst();
    }

    /** Every row's outcome in row order, a page at a time, so a large job is never held whole. */
    void eachResult(String jobId, Consumer<Result> consumer) {
        int after = 0;
        while (true) {
            List<Result> page = jdbc.query("SELECT " + RESULT_COLUMNS + " FROM shipment_import_result WHERE job_id = ? "
                    + "AND row_no > ? ORDER BY row_no LIMIT " + PAGE, ShipmentImportJobs::result, jobId, after);
            page.forEach(consumer);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).row();
        }
    }

    private static Job job(ResultSet row, int rowNum) throws SQLException {
        return new Job(row.getString("job_id"), row.getString("exporter_id"), State.valueOf(row.getString("state")),
                row.getBoolean("atomic"), row.getObject("rows_total", Integer.class), row.getInt("rows_processed"),
                row.getInt("recorded"), row.getInt("denied"), row.getInt("invalid"), row.getString("error"), row.getTimestamp("touched_at").toInstant());
    }

    private static Result result(ResultSet row, int rowNum) throws SQLException {
        return new Result(row.getInt("row_no"), row.getString("shipment_id"), Outcome.valueOf(row.getString("outcome")),
                row.getString("reason"), row.getString("field"), row.getString("detail"), row.getObject("tpp", Long.class),
                row.getBoolean("fresh"));
    }

    private static int count(List<Result> results, Outcome outcome) {
        return (int) results.stream().filter(result -> result.outcome() == outcome).count();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
