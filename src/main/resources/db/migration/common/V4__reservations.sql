-- Reservations (projection of the subscribing "reservation-registry" processor, written in the
-- transaction of the event that granted or resolved the reservation).
CREATE TABLE reservation (
    reservation_id    VARCHAR(64)  PRIMARY KEY,
    country           CHAR(2)      NOT NULL,
    exporter_id       VARCHAR(64)  NOT NULL,
    consignee_id      VARCHAR(64)  NOT NULL,
    consignee_name    VARCHAR(200) NOT NULL,
    consignee_country CHAR(2)      NOT NULL,
    reserved_tpp      BIGINT       NOT NULL,
    confirmed_tpp     BIGINT       NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    content_hash      CHAR(64)     NOT NULL,
    confirmed_by      VARCHAR(64),
    available_tpp     BIGINT,
    reserved_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX reservation_by_exporter ON reservation (exporter_id, reserved_at);

-- db-scheduler's table, where Axon's DbSchedulerDeadlineManager persists deadlines (reservation
-- expiry), so that an expiry due while the service was down still happens after a restart, once,
-- on whichever node picks it.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(255) NOT NULL,
    task_instance        VARCHAR(255) NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(255),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT       NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- Balances show what active reservations hold, and what is left for everyone else.
ALTER TABLE country_balance ADD COLUMN reserved_tpp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE country_balance ADD COLUMN available_tpp BIGINT;
UPDATE country_balance SET available_tpp = remaining_tpp;
