-- Tamper evidence: each event's SHA-256 hash, chained to the previous event of its stream.
-- On PostgreSQL a trigger fills it (postgresql/V3); on the embedded H2 database it stays null and
-- the audit's verify reports those events as unchained.
ALTER TABLE domain_event_entry ADD COLUMN chain_hash BYTEA;
