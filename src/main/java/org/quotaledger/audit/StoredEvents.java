package org.quotaledger.audit;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A country's events exactly as stored: the rows of the event table, read with plain SQL, so an
 * auditor sees what the ledger wrote rather than what today's code makes of it.
 */
@Component
class StoredEvents {

    /** One stored event, with who caused it and the policy the country was under at that point. */
    record StoredEvent(long globalIndex, long sequenceNumber, Instant timestamp, String type, String revision,
                       JsonNode payload, String principal, JsonNode roles, String requestId, String policyInForce,
                       String chainHash) {
    }

    record Page(String country, List<StoredEvent> events, Long nextAfter) {
    }

    private static final String POLICY_APPLIED = "%$PolicyApplied";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    StoredEvents(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Up to {@code limit} events of the country's stream after sequence number {@code after} (-1: from the start). */
    Page page(String country, long after, int limit) {
        String policy = jdbc.query("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "AND sequence_number <= ? AND payload_type LIKE ? ORDER BY sequence_number DESC LIMIT 1",
                (row, i) -> policyIdOf(row.getBytes(1)), country, after, POLICY_APPLIED).stream().findFirst().orElse(null);
        var current = new Object() {
            String policyId = policy;
        };
        List<StoredEvent> events = new ArrayList<>();
        jdbc.query("SELECT global_index, sequence_number, time_stamp, payload_type, payload_revision, payload, meta_data, "
                        + "chain_hash FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number > ? "
                        + "ORDER BY sequence_number LIMIT ?", row -> {
            String payloadType = row.getString("payload_type");
            JsonNode payload = read(row.getBytes("payload"));
            if (payloadType.endsWith("$PolicyApplied")) {
                current.policyId = payload.path("rules").path("policyId").asText(null);
            }
            JsonNode meta = read(row.getBytes("meta_data"));
            byte[] chain = row.getBytes("chain_hash");
            events.add(new StoredEvent(row.getLong("global_index"), row.getLong("sequence_number"),
                    Instant.parse(row.getString("time_stamp")), payloadType.substring(payloadType.lastIndexOf('$') + 1),
                    row.getString("payload_revision"), payload, meta.path("principal").asText(null),
                    meta.has("roles") ? meta.get("roles") : null, meta.path("requestId").asText(null),
                    current.policyId, chain == null ? null : HexFormat.of().formatHex(chain)));
        }, country, after, limit);
        Long next = events.size() == limit ? events.get(events.size() - 1).sequenceNumber() : null;
        return new Page(country, events, next);
    }

    private String policyIdOf(byte[] payload) {
        return read(payload).path("rules").path("policyId").asText(null);
    }

    private JsonNode read(byte[] bytes) {
        if (bytes == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored event is not JSON", e);
        }
    }
}
