-- Bulk shipment imports (POST /api/v1/shipments/batch): the job, its progress and every row's
-- outcome, in the database so that any node answers for any job and results outlive a restart.
CREATE TABLE shipment_import_job (
    job_id         VARCHAR(36)  PRIMARY KEY,
    exporter_id    VARCHAR(64)  NOT NULL,
    atomic         BOOLEAN      NOT NULL,
    format         VARCHAR(8)   NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    rows_total     INTEGER,
    rows_processed INTEGER      NOT NULL,
    recorded       INTEGER      NOT NULL,
    denied         INTEGER      NOT NULL,
    invalid        INTEGER      NOT NULL,
    error          VARCHAR(500),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX shipment_import_job_by_exporter ON shipment_import_job (exporter_id, created_at);

CREATE TABLE shipment_import_result (
    job_id      VARCHAR(36)   NOT NULL,
    row_no      INTEGER       NOT NULL,
    shipment_id VARCHAR(64),
    outcome     VARCHAR(16)   NOT NULL,
    reason      VARCHAR(64),
    field       VARCHAR(200),
    detail      VARCHAR(1000),
    tpp         BIGINT,
    -- set for rows this job newly recorded: an atomic job's rollback turns them to NOT_RECORDED
    fresh       BOOLEAN       NOT NULL,
    PRIMARY KEY (job_id, row_no)
);
