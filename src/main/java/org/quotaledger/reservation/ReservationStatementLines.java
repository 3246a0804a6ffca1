package org.quotaledger.reservation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.statement.StatementLine;
import org.quotaledger.statement.StatementLine.Kind;
import org.quotaledger.statement.StatementLineSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reservation lines for exporters' statements, from the reservation table: the hold when it was
 * taken, and how it ended. A hold debits nothing (the shipment that confirms it does, on its own
 * line), so these lines carry the TPP held or given back and a debit of 0.
 */
@Component
class ReservationStatementLines implements StatementLineSource {

    private final JdbcTemplate jdbc;

    ReservationStatementLines(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<StatementLine> lines(String exporterId, Instant from, Instant until) {
        List<StatementLine> lines = new ArrayList<>(jdbc.query(
                "SELECT reservation_id, country, reserved_tpp, reserved_at FROM reservation "
                        + "WHERE exporter_id = ? AND reserved_at >= ? AND reserved_at < ?",
                (row, rowNum) -> StatementLine.of(row.getTimestamp("reserved_at").toInstant(), Kind.RESERVED, null,
                        row.getString("reservation_id"), row.getString("country").trim(), row.getLong("reserved_tpp"), 0),
                exporterId, Timestamp.from(from), Timestamp.from(until)));
        lines.addAll(jdbc.query("SELECT reservation_id, country, reserved_tpp, confirmed_tpp, confirmed_by, status, "
                        + "resolved_at FROM reservation WHERE exporter_id = ? AND resolved_at >= ? AND resolved_at < ?",
                ReservationStatementLines::resolution, exporterId, Timestamp.from(from), Timestamp.from(until)));
        return lines;
    }

    private static StatementLine resolution(ResultSet row, int rowNum) throws SQLException {
        Instant at = row.getTimestamp("resolved_at").toInstant();
        String reservationId = row.getString("reservation_id");
        String country = row.getString("country").trim();
        long held = row.getLong("reserved_tpp");
        return switch (row.getString("status")) {
            case "CONFIRMED" -> StatementLine.of(at, Kind.RESERVATION_CONFIRMED, row.getString("confirmed_by"),
                    reservationId, country, row.getLong("confirmed_tpp"), 0);
            case "RELEASED" -> StatementLine.of(at, Kind.RESERVATION_RELEASED, null, reservationId, country, held, 0);
            case "EXPIRED" -> StatementLine.of(at, Kind.RESERVATION_EXPIRED, null, reservationId, country, held, 0);
            default -> throw new IllegalStateException("reservation " + reservationId + " is resolved but "
                    + row.getString("status"));
        };
    }
}
