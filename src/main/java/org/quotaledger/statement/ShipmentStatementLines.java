package org.quotaledger.statement;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.statement.StatementLine.Kind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Shipment lines, from the shipment registry's table: a recorded shipment debits what it debits
 * now (a later policy may have reclassified it), a denial debits nothing, a void credits it back.
 */
@Component
class ShipmentStatementLines implements StatementLineSource {

    private final JdbcTemplate jdbc;

    ShipmentStatementLines(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<StatementLine> lines(String exporterId, Instant from, Instant until) {
        List<StatementLine> lines = new ArrayList<>();
        lines.addAll(jdbc.query("SELECT shipment_id, country, tpp, debited_tpp, state, decided_at FROM shipment "
                        + "WHERE exporter_id = ? AND decided_at >= ? AND decided_at < ?",
                (row, rowNum) -> {
                    boolean denied = "DENIED".equals(row.getString("state"));
                    return StatementLine.of(row.getTimestamp("decided_at").toInstant(),
                            denied ? Kind.DENIED : Kind.RECORDED, row.getString("shipment_id"), null,
                            row.getString("country").trim(), row.getLong("tpp"), denied ? 0 : row.getLong("debited_tpp"));
                },
                exporterId, Timestamp.from(from), Timestamp.from(until)));
        lines.addAll(jdbc.query("SELECT shipment_id, country, tpp, debited_tpp, voided_at FROM shipment "
                        + "WHERE exporter_id = ? AND voided_at >= ? AND voided_at < ?",
                (row, rowNum) -> StatementLine.of(row.getTimestamp("voided_at").toInstant(), Kind.VOIDED,
                        row.getString("shipment_id"), null, row.getString("country").trim(), row.getLong("tpp"),
                        -row.getLong("debited_tpp")),
                exporterId, Timestamp.from(from), Timestamp.from(until)));
        return lines;
    }
}
