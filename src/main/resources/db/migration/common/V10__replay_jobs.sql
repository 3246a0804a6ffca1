-- What-if replays (POST /api/v1/audit/replays): the job, its progress and each country's
-- comparison, in the database, so that any node answers for any job (behind the load balancer an
-- auditor's polls land on any node) and a finished job outlives a restart. The job itself runs on
-- the node that accepted it; a cancel asked on another node reaches it through the state column.
CREATE TABLE replay_job (
    job_id      VARCHAR(36)   PRIMARY KEY,
    policy_id   VARCHAR(200)  NOT NULL,
    as_of       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the countries to replay, in order, comma-separated ISO 3166-1 alpha-2 codes
    countries   VARCHAR(1000) NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    done        INTEGER       NOT NULL,
    error       VARCHAR(500),
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    -- when the running node last showed it was alive: a RUNNING job untouched for long was on a
    -- node that stopped, and is reported FAILED instead of RUNNING forever
    touched_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX replay_job_by_start ON replay_job (started_at);

CREATE TABLE replay_job_result (
    job_id     VARCHAR(36) NOT NULL,
    country_no INTEGER     NOT NULL,
    -- the country's comparison (live against what-if balance, shipment by shipment), as JSON
    comparison TEXT        NOT NULL,
    PRIMARY KEY (job_id, country_no)
);
