package org.quotaledger.policy;

import java.sql.Timestamp;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.quotaledger.infra.InTransactionViews;
import org.quotaledger.policy.PolicyMessages.FindPolicy;
import org.quotaledger.policy.PolicyMessages.ListPolicies;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.PolicyMessages.PolicyFound;
import org.quotaledger.policy.PolicyMessages.PolicyList;
import org.quotaledger.policy.PolicyMessages.PolicySummary;
import org.quotaledger.policy.rules.PolicyDocument;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Enacted policies, written in the enacting command's transaction (a subscribing processor), so
 * that a regulator reads a policy back the moment it is enacted.
 */
@Component
@ProcessingGroup(InTransactionViews.PROCESSING_GROUP)
class PolicyProjection {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    PolicyProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(PolicyEnacted event) throws JsonProcessingException {
        PolicyDocument document = event.document();
        jdbc.update("INSERT INTO policy (policy_id, sequence_no, title, effective_from, enacted_at, document) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                document.id(), event.sequence(), document.title(), java.sql.Date.valueOf(document.effectiveFrom()),
                Timestamp.from(event.enactedAt()), json.writeValueAsString(document));
    }

    @QueryHandler
    PolicyList handle(ListPolicies query) {
        Integer latest = jdbc.queryForObject("SELECT MAX(sequence_no) FROM policy", Integer.class);
        List<PolicySummary> policies = jdbc.query(
                "SELECT policy_id, title, effective_from, sequence_no, enacted_at FROM policy ORDER BY sequence_no",
                (row, i) -> new PolicySummary(row.getString("policy_id"), row.getString("title"),
                        row.getDate("effective_from").toLocalDate(), row.getInt("sequence_no"),
                        row.getTimestamp("enacted_at").toInstant(),
                        latest != null && row.getInt("sequence_no") == latest));
        return new PolicyList(policies);
    }

    @QueryHandler
    PolicyFound handle(FindPolicy query) {
        List<String> documents = jdbc.queryForList("SELECT document FROM policy WHERE policy_id = ?", String.class,
                query.policyId());
        return new PolicyFound(documents.isEmpty() ? null : read(documents.get(0)));
    }

    private PolicyDocument read(String document) {
        try {
            return json.readValue(document, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored policy document is unreadable", e);
        }
    }
}
