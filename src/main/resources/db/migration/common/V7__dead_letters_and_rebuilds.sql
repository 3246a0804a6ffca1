-- Axon's dead-letter queue (JdbcSequencedDeadLetterQueue, schema in infra/DeadLetterConfiguration):
-- events a projection could not handle, parked per processing group and per sequence (a country),
-- in order, until an operator retries them (POST /api/v1/admin/dead-letters/{group}/retry).
-- Axon writes its timestamps as ISO-8601 text, hence VARCHAR.
CREATE TABLE dead_letter_entry (
    dead_letter_id       VARCHAR(255) NOT NULL PRIMARY KEY,
    processing_group     VARCHAR(255) NOT NULL,
    sequence_identifier  VARCHAR(255) NOT NULL,
    sequence_index       BIGINT       NOT NULL,
    message_type         VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255) NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        VARCHAR(4000),
    diagnostics          BYTEA,
    CONSTRAINT dead_letter_entry_sequence UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_by_group ON dead_letter_entry (processing_group);

-- A projection rebuild in progress, seen by every node (operations/ProjectionRebuilds): while a row
-- is here, only its node runs the projection's processor; the others keep theirs shut down. The
-- rebuilding node refreshes heartbeat_at; a row whose heartbeat stopped is ignored (its node died).
CREATE TABLE projection_rebuild (
    projection   VARCHAR(64)  NOT NULL PRIMARY KEY,
    node         VARCHAR(255) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
