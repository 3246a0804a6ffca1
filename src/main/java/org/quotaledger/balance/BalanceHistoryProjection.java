package org.quotaledger.balance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.quotaledger.balance.HistoryMessages.BalanceHistory;
import org.quotaledger.balance.HistoryMessages.BalancePoint;
import org.quotaledger.balance.HistoryMessages.Cause;
import org.quotaledger.balance.HistoryMessages.FindBalanceHistory;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every country's balance over time: one point per event that changed it, copied from the balance
 * the event carries (a denial changes nothing, so it adds no point). A point is keyed by the
 * event's sequence number in the country's stream, so replaying an event (a retried batch, a
 * rebuild) finds its point already there and adds nothing.
 */
@Component
@ProcessingGroup("balances")
class BalanceHistoryProjection {

    private static final String PENDING = BalanceHistoryProjection.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    BalanceHistoryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ShipmentRecorded event, @SequenceNumber long sequence) {
        append(event.country(), sequence, Cause.RECORDED, event.shipmentId(), event.balance(), event.recordedAt());
    }

    @EventHandler
    void on(ShipmentVoided event, @SequenceNumber long sequence) {
        append(event.country(), sequence, Cause.VOIDED, event.shipmentId(), event.balance(), event.voidedAt());
    }

    @EventHandler
    void on(PolicyApplied event, @SequenceNumber long sequence) {
        append(event.country(), sequence, Cause.POLICY, event.rules().policyId(), event.balanceAfter(), event.appliedAt());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM balance_history");
    }

    /** The batch's points are inserted together; one already there (a replayed event) is left as it is. */
    private void append(String country, long sequence, Cause cause, String causeId, Balance balance, Instant at) {
        Object[] point = {country, sequence, cause.name(), causeId, balance.policyId(), balance.capTpp(),
                balance.consumedTpp(), balance.remainingTpp(), balance.status().name(), Timestamp.from(at)};
        BatchWrites.<List<Object[]>>add(PENDING, ArrayList::new, pending -> pending.add(point),
                pending -> jdbc.batchUpdate("INSERT INTO balance_history (country, sequence_no, cause, cause_id, "
                        + "policy_id, cap_tpp, consumed_tpp, remaining_tpp, status, occurred_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", pending));
    }

    /** Thins a long history to every n-th point (keeping the first and the latest), so a chart stays small. */
    @QueryHandler
    BalanceHistory handle(FindBalanceHistory query) {
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM balance_history WHERE country = ?", Long.class,
                query.country());
        long count = total == null ? 0 : total;
        long step = Math.max(1, (count + query.maxPoints() - 1) / Math.max(1, query.maxPoints()));
        List<BalancePoint> points = jdbc.query("SELECT * FROM (SELECT h.*, ROW_NUMBER() OVER (ORDER BY sequence_no) AS rn "
                        + "FROM balance_history h WHERE country = ?) numbered WHERE MOD(rn - 1, ?) = 0 OR rn = ? "
                        + "ORDER BY sequence_no",
                this::map, query.country(), step, count);
        return new BalanceHistory(query.country(), count, points);
    }

    private BalancePoint map(ResultSet row, int rowNum) throws SQLException {
        return new BalancePoint(row.getLong("sequence_no"), Cause.valueOf(row.getString("cause")),
                row.getString("cause_id"), row.getString("policy_id"), row.getObject("cap_tpp", Long.class),
                row.getLong("consumed_tpp"), row.getObject("remaining_tpp", Long.class),
                BalanceStatus.valueOf(row.getString("status")), row.getTimestamp("occurred_at").toInstant());
    }
}
