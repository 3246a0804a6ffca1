package org.quotaledger.balance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.quotaledger.balance.HistoryMessages.AlertList;
import org.quotaledger.balance.HistoryMessages.FindAlerts;
import org.quotaledger.balance.HistoryMessages.QuotaAlert;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger's alerts, one row per {@link QuotaStatusChanged}. It runs in the "balances" processor
 * beside the balances themselves, so an alert is committed no later than the batch that wrote the
 * balance after it. Keyed by the event's place in the country's stream: a replay adds nothing.
 */
@Component
@ProcessingGroup("balances")
class QuotaAlertProjection {

    private final JdbcTemplate jdbc;

    QuotaAlertProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(QuotaStatusChanged event, @SequenceNumber long sequence) {
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM quota_alert WHERE country = ? AND sequence_no = ?",
                Integer.class, event.country(), sequence);
        if (known != null && known > 0) {
            return;
        }
        jdbc.update("INSERT INTO quota_alert (country, sequence_no, policy_id, status_from, status_to, caused_by, "
                        + "utilization, remaining_tpp, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.country(), sequence, event.policyId(), event.from().name(), event.to().name(), event.causedBy(),
                event.balance().utilization(), event.balance().remainingTpp(), Timestamp.from(event.changedAt()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM quota_alert");
    }

    @QueryHandler
    AlertList handle(FindAlerts query) {
        String where = query.country() == null ? "" : " WHERE country = ?";
        Object[] arguments = query.country() == null ? new Object[] {query.limit()}
                : new Object[] {query.country(), query.limit()};
        return new AlertList(jdbc.query("SELECT * FROM quota_alert" + where
                + " ORDER BY changed_at DESC, sequence_no DESC, country LIMIT ?", this::map, arguments));
    }

    private QuotaAlert map(ResultSet row, int rowNum) throws SQLException {
        return new QuotaAlert(row.getString("country"), BalanceStatus.valueOf(row.getString("status_from")),
                BalanceStatus.valueOf(row.getString("status_to")), row.getString("policy_id"),
                row.getString("caused_by"), row.getBigDecimal("utilization"),
                row.getObject("remaining_tpp", Long.class), row.getTimestamp("changed_at").toInstant());
    }
}
