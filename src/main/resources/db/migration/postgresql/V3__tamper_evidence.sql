-- Tamper evidence for the event store (PostgreSQL).
--
-- 1. Every event gets chain_hash = SHA-256 over its stream position, type, timestamp, payload,
--    metadata and the previous event's chain_hash, each field length-prefixed so that no two
--    different events encode alike. A BEFORE INSERT trigger computes it, so no writer can skip it.
-- 2. The event table refuses UPDATE, DELETE and TRUNCATE, for every user, the application's own
--    included. Corrections are new events.
-- 3. Events recorded before this migration are chained now, and the migration says so in
--    ledger_chain_origin: verify reports them as chained late, never as chained when recorded.
--
-- The Java side (audit/EventChain) computes the same hash; change both together or neither.

CREATE FUNCTION ledger_field(value BYTEA) RETURNS BYTEA LANGUAGE sql IMMUTABLE AS
$$ SELECT int4send(COALESCE(length(value), -1)) || COALESCE(value, '\x'::BYTEA) $$;

CREATE FUNCTION ledger_text_field(value TEXT) RETURNS BYTEA LANGUAGE sql IMMUTABLE AS
$$ SELECT ledger_field(convert_to(value, 'UTF8')) $$;

CREATE FUNCTION ledger_chain_hash(previous BYTEA, aggregate_identifier TEXT, sequence_number BIGINT,
                                  payload_type TEXT, payload_revision TEXT, time_stamp TEXT,
                                  payload BYTEA, meta_data BYTEA) RETURNS BYTEA LANGUAGE sql IMMUTABLE AS
$$ SELECT sha256(ledger_field(previous) || ledger_text_field(aggregate_identifier) || int8send(sequence_number)
                 || ledger_text_field(payload_type) || ledger_text_field(payload_revision)
                 || ledger_text_field(time_stamp) || ledger_field(payload) || ledger_field(meta_data)) $$;

CREATE TABLE ledger_chain_origin (
    migrated_events          BIGINT                   NOT NULL,
    migrated_to_global_index BIGINT,
    migrated_at              TIMESTAMP WITH TIME ZONE NOT NULL
);

DO $$
DECLARE
    event    RECORD;
    previous BYTEA;
    stream   TEXT := NULL;
    chained  BIGINT := 0;
BEGIN
    FOR event IN SELECT * FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number LOOP
        IF stream IS DISTINCT FROM event.aggregate_identifier THEN
            previous := NULL;
            stream := event.aggregate_identifier;
        END IF;
        previous := ledger_chain_hash(previous, event.aggregate_identifier, event.sequence_number,
                                      event.payload_type, event.payload_revision, event.time_stamp,
                                      event.payload, event.meta_data);
        UPDATE domain_event_entry SET chain_hash = previous WHERE global_index = event.global_index;
        chained := chained + 1;
    END LOOP;
    INSERT INTO ledger_chain_origin
    SELECT chained, (SELECT MAX(global_index) FROM domain_event_entry), now();
END $$;

CREATE FUNCTION ledger_chain_event() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    previous BYTEA;
BEGIN
    SELECT chain_hash INTO previous FROM domain_event_entry
     WHERE aggregate_identifier = NEW.aggregate_identifier AND sequence_number = NEW.sequence_number - 1;
    NEW.chain_hash := ledger_chain_hash(previous, NEW.aggregate_identifier, NEW.sequence_number, NEW.payload_type,
                                        NEW.payload_revision, NEW.time_stamp, NEW.payload, NEW.meta_data);
    RETURN NEW;
END $$;

CREATE FUNCTION ledger_refuse_change() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only: % on % is refused; record a correcting event instead',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER domain_event_entry_chain BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_chain_event();
CREATE TRIGGER domain_event_entry_append_only BEFORE UPDATE OR DELETE ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER domain_event_entry_no_truncate BEFORE TRUNCATE ON domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
