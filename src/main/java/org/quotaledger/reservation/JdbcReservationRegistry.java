package org.quotaledger.reservation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.quotaledger.infra.InTransactionViews;
import org.quotaledger.infra.PlannedEachTime;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;
import org.quotaledger.quota.ReservationRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The reservation registry on the {@code reservation} table. Its handlers run in a subscribing
 * processor, inside the transaction that appends the event, so a row never disagrees with the
 * stream; the primary key turns two racing grants of one id into one.
 */
@Component
@ProcessingGroup(InTransactionViews.PROCESSING_GROUP)
class JdbcReservationRegistry implements ReservationRegistry {

    private static final String COLUMNS = "reservation_id, country, exporter_id, consignee_id, consignee_name, "
            + "consignee_country, reserved_tpp, confirmed_tpp, status, expires_at, content_hash, confirmed_by, "
            + "available_tpp, reserved_at, resolved_at";

    private final JdbcTemplate jdbc;

    JdbcReservationRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<RegisteredReservation> find(String reservationId) {
        // Planned at each execution, as the shipment lookups are: see PlannedEachTime.
        return jdbc.query(PlannedEachTime.query("SELECT " + COLUMNS + " FROM reservation WHERE reservation_id = ?",
                reservationId), this::map).stream().findFirst();
    }

    /** An exporter's most recent reservations, newest first. */
    List<RegisteredReservation> byExporter(String exporterId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reservation WHERE exporter_id = ? "
                + "ORDER BY reserved_at DESC, reservation_id LIMIT ?", this::map, exporterId, limit);
    }

    @EventHandler
    void on(QuotaReserved event) {
        jdbc.update("INSERT INTO reservation (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'ACTIVE', ?, ?, NULL, ?, ?, NULL)",
                event.reservationId(), event.country(), event.exporterId(), event.consignee().id(),
                event.consignee().name(), event.consignee().headquartersCountry(), event.tpp(),
                Timestamp.from(event.expiresAt()), event.contentHash(), event.balance().availableTpp(),
                Timestamp.from(event.reservedAt()));
    }

    @EventHandler
    void on(ReservationConfirmed event) {
        resolve(event.reservationId(), Status.CONFIRMED, event.confirmedTpp(), event.shipmentId(),
                event.balance().availableTpp(), event.confirmedAt());
    }

    @EventHandler
    void on(ReservationReleased event) {
        resolve(event.reservationId(), Status.RELEASED, 0, null, event.balance().availableTpp(), event.releasedAt());
    }

    @EventHandler
    void on(ReservationExpired event) {
        resolve(event.reservationId(), Status.EXPIRED, 0, null, event.balance().availableTpp(), event.expiredAt());
    }

    private void resolve(String reservationId, Status status, long confirmedTpp, String confirmedBy, Long availableTpp,
                         Instant at) {
        jdbc.update("UPDATE reservation SET status = ?, confirmed_tpp = ?, confirmed_by = ?, available_tpp = ?, "
                        + "resolved_at = ? WHERE reservation_id = ?",
                status.name(), confirmedTpp, confirmedBy, availableTpp, Timestamp.from(at), reservationId);
    }

    private RegisteredReservation map(ResultSet row, int rowNum) throws SQLException {
        Timestamp resolvedAt = row.getTimestamp("resolved_at");
        return new RegisteredReservation(row.getString("reservation_id"), row.getString("country"),
                row.getString("exporter_id"), row.getString("consignee_id"), row.getString("consignee_name"),
                row.getString("consignee_country"), row.getLong("reserved_tpp"), row.getLong("confirmed_tpp"),
                Status.valueOf(row.getString("status")), row.getTimestamp("expires_at").toInstant(),
                row.getString("content_hash"), row.getString("confirmed_by"), row.getObject("available_tpp", Long.class),
                row.getTimestamp("reserved_at").toInstant(), resolvedAt == null ? null : resolvedAt.toInstant());
    }
}
