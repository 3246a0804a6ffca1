package org.quotaledger.balance;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.stereotype.Component;

/**
 * Every country's balance over time: one point per event that changed it, copied from the balance
 * the event carries (a denial changes nothing, so it adds no point). A point is keyed by the
 * event's sequence number in the country's stream, so replaying an event (a retried batch, a
 * rebuild) finds its point already there and adds nothing.
 */
@Component
@ProcessingGroup("balances")
public class BalanceHistoryProjection {

    private static final String PENDING = BalanceHistoryProjection.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    BalanceHistoryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * From ten arrays in the table's column order (times as ISO-8601 text). Standard SQL but for
     * PostgreSQL's ON CONFLICT, which H2 takes in its PostgreSQL mode (the embedded default).
     */
    private static String insertStatement(String table) {
        return "INSERT INTO " + table + " (country, sequence_no, cause, cause_id, policy_id, "
                + "cap_tpp, consumed_tpp, remaining_tpp, status, occurred_at) SELECT country, sequence_no, cause, cause_id, "
                + "policy_id, cap_tpp, consumed_tpp, remaining_tpp, status, CAST(occurred_at AS TIMESTAMP WITH TIME ZONE) "
                + "FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY), CAST(? AS VARCHAR ARRAY), "
                + "CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY), CAST(? AS BIGINT ARRAY), "
                + "CAST(? AS BIGINT ARRAY), CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS point (country, "
                + "sequence_no, cause, cause_id, policy_id, cap_tpp, consumed_tpp, remaining_tpp, status, occurred_at) "
                + "ON CONFLICT DO NOTHING";
    }

    @EventHandler
    void on(ShipmentRecorded event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    /**
     * Shipments recorded together (a bulk import's chunk) are one point, as they are one event:
     * the balance after the last of them.
     */
    @EventHandler
    void on(ShipmentsRecorded event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event.shipments().get(event.shipments().size() - 1), sequence));
    }

    @EventHandler
    void on(ShipmentVoided event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(PolicyApplied event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    /** Emptied at once: the table holds a point per event, and a row-by-row delete of a million took seconds. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE TABLE balance_history");
    }

    /**
     * The batch's points are inserted together; one already there (a replayed event) is left as it
     * is. A change that makes no point (a denial, a reservation) is passed over.
     */
    void apply(BalanceChange change) {
        if (change.kind().historyCause == null) {
            return;
        }
        BatchWrites.<List<BalanceChange>>add(PENDING, ArrayList::new, pending -> pending.add(change), this::insert);
    }

    private void insert(List<BalanceChange> points) {
        jdbc.update(insertInto("balance_history", points));
    }

    /**
     * Inserts {@code points} (changes that make one) into {@code table}, shaped as
     * balance_history, in one statement with its columns bound as arrays (a rebuild writes a point
     * per event, and row by row, even as a JDBC batch, the binding cost more than the inserting); a
     * point already there is left as it is. The benchmark runs it on a copy of the table for what
     * the database alone allows.
     */
    public static PreparedStatementCreator insertInto(String table, List<BalanceChange> points) {
        int size = points.size();
        String[] countries = new String[size];
        Long[] sequences = new Long[size];
        String[] causes = new String[size];
        String[] causeIds = new String[size];
        String[] policies = new String[size];
        Long[] caps = new Long[size];
        Long[] consumed = new Long[size];
        Long[] remaining = new Long[size];
        String[] statuses = new String[size];
        String[] times = new String[size];
        for (int i = 0; i < size; i++) {
            BalanceChange point = points.get(i);
            Balance balance = point.balance();
            countries[i] = point.country();
            sequences[i] = point.sequence();
            causes[i] = point.kind().historyCause.name();
            causeIds[i] = point.causeId();
            policies[i] = balance.policyId();
            caps[i] = balance.capTpp();
            consumed[i] = balance.consumedTpp();
            remaining[i] = balance.remainingTpp();
            statuses[i] = balance.status().name();
            times[i] = point.at().toString();
        }
        return connection -> {
            PreparedStatement insert = connection.prepareStatement(insertStatement(table));
            insert.setArray(1, connection.createArrayOf("varchar", countries));
            insert.setArray(2, connection.createArrayOf("bigint", sequences));
            insert.setArray(3, connection.createArrayOf("varchar", causes));
            insert.setArray(4, connection.createArrayOf("varchar", causeIds));
            insert.setArray(5, connection.createArrayOf("varchar", policies));
            insert.setArray(6, connection.createArrayOf("bigint", caps));
            insert.setArray(7, connection.createArrayOf("bigint", consumed));
            insert.setArray(8, connection.createArrayOf("bigint", remaining));
            insert.setArray(9, connection.createArrayOf("varchar", statuses));
            insert.setArray(10, connection.createArrayOf("varchar", times));
            return insert;
        };
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
