package org.quotaledger.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Walks every stream of the event store in order and recomputes each link of its hash chain.
 * Reads in one transaction, with a cursor, so memory does not grow with the store.
 */
@Component
class ChainVerifier {

    /** The first broken link, by global index. */
    record BrokenLink(long globalIndex, String stream, long sequenceNumber, String problem) {
    }

    /** Events chained by the migration that introduced the chain, not when they were recorded. */
    record ChainedLate(long events, Long upToGlobalIndex, java.time.Instant chainedAt) {
    }

    record ChainReport(long eventsChecked, long streamsChecked, long unchainedEvents, ChainedLate chainedLate,
                       BrokenLink firstBrokenLink) {

        boolean intact() {
            return firstBrokenLink == null && unchainedEvents == 0;
        }
    }

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;

    ChainVerifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        this.streaming.setFetchSize(1_000);
    }

    @Transactional(readOnly = true)
    public ChainReport verify() {
        var state = new Object() {
            long events;
            long streams;
            long unchained;
            String stream;
            long expectedSequence;
            byte[] previous;
            BrokenLink first;
        };
        streaming.query("SELECT global_index, aggregate_identifier, sequence_number, payload_type, payload_revision, "
                + "time_stamp, payload, meta_data, chain_hash FROM domain_event_entry "
                + "ORDER BY aggregate_identifier, sequence_number", row -> {
            long globalIndex = row.getLong("global_index");
            String stream = row.getString("aggregate_identifier");
            long sequence = row.getLong("sequence_number");
            if (!stream.equals(state.stream)) {
                state.stream = stream;
                state.streams++;
                state.expectedSequence = 0;
                state.previous = null;
            }
            state.events++;
            byte[] stored = row.getBytes("chain_hash");
            BrokenLink broken = null;
            if (sequence != state.expectedSequence) {
                broken = new BrokenLink(globalIndex, stream, sequence,
                        "sequence " + sequence + " follows " + (state.expectedSequence - 1) + ": an event is missing");
            }
            byte[] expected = EventChain.hash(state.previous, stream, sequence, row.getString("payload_type"),
                    row.getString("payload_revision"), row.getString("time_stamp"), row.getBytes("payload"),
                    row.getBytes("meta_data"));
            if (stored == null) {
                state.unchained++;
            } else if (broken == null && !Arrays.equals(stored, expected)) {
                broken = new BrokenLink(globalIndex, stream, sequence,
                        "the stored hash does not match the event's content and the previous link");
            }
            if (broken != null && (state.first == null || broken.globalIndex() < state.first.globalIndex())) {
                state.first = broken;
            }
            state.expectedSequence = sequence + 1;
            state.previous = stored == null ? expected : stored;
        });
        return new ChainReport(state.events, state.streams, state.unchained, chainedLate().orElse(null), state.first);
    }

    private Optional<ChainedLate> chainedLate() {
        Boolean exists = jdbc.queryForObject("SELECT COUNT(*) > 0 FROM information_schema.tables "
                + "WHERE LOWER(table_name) = 'ledger_chain_origin'", Boolean.class);
        if (!Boolean.TRUE.equals(exists)) {
            return Optional.empty();
        }
        List<ChainedLate> rows = jdbc.query("SELECT migrated_events, migrated_to_global_index, migrated_at FROM ledger_chain_origin",
                (row, i) -> new ChainedLate(row.getLong(1), row.getObject(2, Long.class), row.getTimestamp(3).toInstant()));
        return rows.stream().filter(row -> row.events() > 0).findFirst();
    }
}
