package org.quotaledger.operations;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rebuilds in progress as every node sees them: a row of {@code projection_rebuild} per
 * rebuilding projection, with the node that runs it and its heartbeat. A row whose heartbeat is
 * older than {@link #STALE} belongs to a node that died mid-rebuild, and counts for nothing.
 */
class RebuildRecord {

    static final Duration STALE = Duration.ofSeconds(60);

    record Rebuild(String projection, String node, Instant heartbeatAt) {

        boolean isLive(Instant now) {
            return heartbeatAt.isAfter(now.minus(STALE));
        }
    }

    private final JdbcTemplate jdbc;

    RebuildRecord(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code node}'s rebuild of {@code projection}; empty when so, else the live rebuild in the way. */
    Optional<Rebuild> claim(String projection, String node, Instant now) {
        jdbc.update("DELETE FROM projection_rebuild WHERE projection = ? AND heartbeat_at < ?",
                projection, Timestamp.from(now.minus(STALE)));
        try {
            jdbc.update("INSERT INTO projection_rebuild (projection, node, started_at, heartbeat_at) VALUES (?, ?, ?, ?)",
                    projection, node, Timestamp.from(now), Timestamp.from(now));
            return Optional.empty();
        } catch (DuplicateKeyException running) {
            return find(projection);
        }
    }

    void heartbeat(String projection, String node, Instant now) {
        jdbc.update("UPDATE projection_rebuild SET heartbeat_at = ? WHERE projection = ? AND node = ?",
                Timestamp.from(now), projection, node);
    }

    void release(String projection, String node) {
        jdbc.update("DELETE FROM projection_rebuild WHERE projection = ? AND node = ?", projection, node);
    }

    Optional<Rebuild> find(String projection) {
        return all().stream().filter(rebuild -> rebuild.projection().equals(projection)).findFirst();
    }

    List<Rebuild> all() {
        return jdbc.query("SELECT projection, node, heartbeat_at FROM projection_rebuild", (row, n) ->
                new Rebuild(row.getString("projection"), row.getString("node"),
                        row.getTimestamp("heartbeat_at").toInstant()));
    }

    /** Segments of the processor that some node still claims. */
    long claimedSegments(String processor) {
        Long claimed = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ? AND owner IS NOT NULL",
                Long.class, processor);
        return claimed == null ? 0 : claimed;
    }
}
