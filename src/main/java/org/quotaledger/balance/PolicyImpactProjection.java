package org.quotaledger.balance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.quotaledger.balance.BalanceMessages.CountryImpact;
import org.quotaledger.balance.BalanceMessages.FindPolicyImpact;
import org.quotaledger.balance.BalanceMessages.PolicyImpact;
import org.quotaledger.balance.HistoryMessages.FindImpactsOnCountry;
import org.quotaledger.balance.HistoryMessages.ImpactOnCountry;
import org.quotaledger.balance.HistoryMessages.ImpactsOnCountry;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Each country's balance just before and just after a policy was applied to it. */
@Component
@ProcessingGroup("balances")
class PolicyImpactProjection {

    private final JdbcTemplate jdbc;

    PolicyImpactProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Written once per policy and country; a replay of the same event leaves the row as it is. */
    @EventHandler
    void on(PolicyApplied event) {
        Balance before = event.balanceBefore();
        Balance after = event.balanceAfter();
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM policy_impact WHERE policy_id = ? AND country = ?",
                Integer.class, event.rules().policyId(), event.country());
        if (known != null && known > 0) {
            return;
        }
        jdbc.update("INSERT INTO policy_impact (policy_id, country, policy_before, status_before, cap_before_tpp, "
                        + "consumed_before_tpp, remaining_before_tpp, status_after, cap_after_tpp, consumed_after_tpp, "
                        + "remaining_after_tpp, shipments_replayed, reclassified, beyond_cap, applied_at, tier_before, tier_after) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.rules().policyId(), event.country(), before.policyId(), before.status().name(), before.capTpp(),
                before.consumedTpp(), before.remainingTpp(), after.status().name(), after.capTpp(), after.consumedTpp(),
                after.remainingTpp(), event.shipmentsReplayed(), event.reclassifications().size(),
                event.beyondCap().size(), Timestamp.from(event.appliedAt()), before.tier(), after.tier());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM policy_impact");
    }

    @QueryHandler
    PolicyImpact handle(FindPolicyImpact query) {
        List<CountryImpact> countries = jdbc.query("SELECT * FROM policy_impact WHERE policy_id = ? ORDER BY country",
                this::map, query.policyId());
        long before = countries.stream().mapToLong(CountryImpact::consumedBeforeTpp).sum();
        long after = countries.stream().mapToLong(CountryImpact::consumedAfterTpp).sum();
        return new PolicyImpact(query.policyId(), countries.size(), IsoCountries.all().size(), before, after, countries);
    }

    /** One country's impacts, in the order the policies reached it. */
    @QueryHandler
    ImpactsOnCountry handle(FindImpactsOnCountry query) {
        return new ImpactsOnCountry(query.country(), jdbc.query(
                "SELECT * FROM policy_impact WHERE country = ? ORDER BY applied_at, policy_id",
                (row, rowNum) -> new ImpactOnCountry(row.getString("policy_id"), map(row, rowNum)), query.country()));
    }

    private CountryImpact map(ResultSet row, int rowNum) throws SQLException {
        return new CountryImpact(row.getString("country"), row.getString("policy_before"),
                BalanceStatus.valueOf(row.getString("status_before")), row.getObject("cap_before_tpp", Long.class),
                row.getLong("consumed_before_tpp"), row.getObject("remaining_before_tpp", Long.class),
                BalanceStatus.valueOf(row.getString("status_after")), row.getObject("cap_after_tpp", Long.class),
                row.getLong("consumed_after_tpp"), row.getObject("remaining_after_tpp", Long.class),
                row.getInt("shipments_replayed"), row.getInt("reclassified"), row.getInt("beyond_cap"),
                row.getTimestamp("applied_at").toInstant(), row.getString("tier_before"), row.getString("tier_after"));
    }
}
