package org.quotaledger.balance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.quotaledger.balance.BalanceMessages.BalanceFound;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.balance.BalanceMessages.FindBalance;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Every country's live balance. Each event carries the balance after it, so this projection
 * copies rather than computes: it cannot disagree with the rules. It runs in the pooled
 * "balances" processor, batched, with its token in the same database and transaction.
 */
@Component
@ProcessingGroup("balances")
class BalanceProjection {

    private static final String PENDING = BalanceProjection.class.getName() + ".pending";
    private static final String COLUMNS = "country, policy_id, tier, treatment, cap_tpp, consumed_tpp, remaining_tpp, "
            + "utilization, status, shipments_recorded, shipments_denied, shipments_voided, updated_at, reserved_tpp, "
            + "available_tpp";

    private final JdbcTemplate jdbc;
    private final BalanceBroadcast broadcast;

    BalanceProjection(JdbcTemplate jdbc, BalanceBroadcast broadcast) {
        this.jdbc = jdbc;
        this.broadcast = broadcast;
    }

    @EventHandler
    void on(PolicyApplied event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(ShipmentRecorded event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    /** Each shipment counts; they share the event's place in the stream, so a redelivery skips them all. */
    @EventHandler
    void on(ShipmentsRecorded event, @SequenceNumber long sequence) {
        event.shipments().forEach(shipment -> apply(BalanceChange.of(shipment, sequence)));
    }

    @EventHandler
    void on(ShipmentDenied event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(ShipmentVoided event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(QuotaReserved event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(ReservationConfirmed event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(ReservationReleased event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @EventHandler
    void on(ReservationExpired event, @SequenceNumber long sequence) {
        apply(BalanceChange.of(event, sequence));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM country_balance");
    }

    /**
     * Copies the balance a change carries; the counters add up what happened. The batch's changes
     * are written together ({@link BatchWrites}); an event of the country's stream at or before
     * the last one applied is skipped, so handling it again (a retried dead letter, a redelivered
     * batch, a rebuild's overlap) cannot count it twice. The history is written by
     * {@link BalanceHistoryProjection}, from the same changes.
     */
    void apply(BalanceChange change) {
        BatchWrites.<Map<String, List<BalanceChange>>>add(PENDING, LinkedHashMap::new,
                pending -> pending.computeIfAbsent(change.country(), key -> new ArrayList<>()).add(change), this::write);
        broadcast.changed(change.country());
    }

    private void write(Map<String, List<BalanceChange>> pending) {
        Map<String, Long> lastApplied = lastApplied(pending.keySet());
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        pending.forEach((country, changes) -> {
            long last = lastApplied.getOrDefault(country, -1L);
            List<BalanceChange> fresh = changes.stream().filter(change -> change.sequence() > last).toList();
            if (fresh.isEmpty()) {
                return;
            }
            BalanceChange latest = fresh.get(fresh.size() - 1);
            Balance balance = latest.balance();
            int recorded = fresh.stream().mapToInt(BalanceChange::recorded).sum();
            int denied = fresh.stream().mapToInt(BalanceChange::denied).sum();
            int voided = fresh.stream().mapToInt(BalanceChange::voided).sum();
            Object[] values = {balance.policyId(), balance.tier(), name(balance.treatment()), balance.capTpp(),
                    balance.consumedTpp(), balance.remainingTpp(), balance.utilization(), balance.status().name(),
                    Timestamp.from(latest.at()), balance.reservedTpp(), balance.availableTpp(), recorded, denied, voided,
                    latest.sequence(), country};
            (lastApplied.containsKey(country) ? updates : inserts).add(values);
        });
        jdbc.batchUpdate("UPDATE country_balance SET policy_id = ?, tier = ?, treatment = ?, cap_tpp = ?, "
                + "consumed_tpp = ?, remaining_tpp = ?, utilization = ?, status = ?, updated_at = ?, reserved_tpp = ?, "
                + "available_tpp = ?, shipments_recorded = shipments_recorded + ?, shipments_denied = shipments_denied + ?, "
                + "shipments_voided = shipments_voided + ?, last_sequence = ? WHERE country = ?", updates);
        jdbc.batchUpdate("INSERT INTO country_balance (policy_id, tier, treatment, cap_tpp, consumed_tpp, remaining_tpp, "
                + "utilization, status, updated_at, reserved_tpp, available_tpp, shipments_recorded, shipments_denied, "
                + "shipments_voided, last_sequence, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts);
    }

    /** The last event applied to each country's row; a country without a row is absent. */
    private Map<String, Long> lastApplied(Set<String> countries) {
        Map<String, Long> applied = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(countries.size(), "?"));
        jdbc.query("SELECT country, last_sequence FROM country_balance WHERE country IN (" + marks + ")",
                (RowCallbackHandler) row -> applied.put(row.getString("country"), row.getLong("last_sequence")),
                countries.toArray());
        return applied;
    }

    @QueryHandler
    BalanceList handle(FindAllBalances query) {
        return new BalanceList(jdbc.query("SELECT " + COLUMNS + " FROM country_balance ORDER BY country", this::map));
    }

    @QueryHandler
    BalanceFound handle(FindBalance query) {
        List<CountryBalance> found = jdbc.query("SELECT " + COLUMNS + " FROM country_balance WHERE country = ?",
                this::map, query.country());
        return new BalanceFound(found.isEmpty() ? null : found.get(0));
    }

    private CountryBalance map(ResultSet row, int rowNum) throws SQLException {
        Long cap = row.getObject("cap_tpp", Long.class);
        long consumed = row.getLong("consumed_tpp");
        Long remaining = row.getObject("remaining_tpp", Long.class);
        return new CountryBalance(row.getString("country"), row.getString("policy_id"), row.getString("tier"),
                row.getString("treatment"), cap, consumed, remaining, BalanceMessages.h100e(cap),
                BalanceMessages.h100e(consumed), BalanceMessages.h100e(remaining), row.getBigDecimal("utilization"),
                BalanceStatus.valueOf(row.getString("status")), row.getLong("shipments_recorded"),
                row.getLong("shipments_denied"), row.getLong("shipments_voided"),
                row.getTimestamp("updated_at").toInstant(), row.getLong("reserved_tpp"),
                row.getObject("available_tpp", Long.class));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
