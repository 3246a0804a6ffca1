-- Each country's balance after every event that changed it: a shipment recorded or voided, a
-- policy applied (projection of the "balances" processor, fed to the country page's chart).
-- The key is the event's place in the country's stream, so a replay or a rebuild writes the same
-- rows again instead of adding points.
CREATE TABLE balance_history (
    country       CHAR(2)     NOT NULL,
    sequence_no   BIGINT      NOT NULL,
    cause         VARCHAR(16) NOT NULL,
    cause_id      VARCHAR(64) NOT NULL,
    policy_id     VARCHAR(64),
    cap_tpp       BIGINT,
    consumed_tpp  BIGINT      NOT NULL,
    remaining_tpp BIGINT,
    status        VARCHAR(16) NOT NULL,
    occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (country, sequence_no)
);

-- The ledger's alerts: every QuotaStatusChanged (projection of "balances"), keyed like the history.
CREATE TABLE quota_alert (
    country       CHAR(2)     NOT NULL,
    sequence_no   BIGINT      NOT NULL,
    policy_id     VARCHAR(64),
    status_from   VARCHAR(16) NOT NULL,
    status_to     VARCHAR(16) NOT NULL,
    caused_by     VARCHAR(64),
    utilization   NUMERIC(12, 6),
    remaining_tpp BIGINT,
    changed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (country, sequence_no)
);
CREATE INDEX quota_alert_by_time ON quota_alert (changed_at);

-- The country page lists a destination's latest shipments and denials from the registry.
CREATE INDEX shipment_by_country ON shipment (country, decided_at);

-- The policies page shows tier changes too; rows written before this migration have none until
-- the balances projection is rebuilt.
ALTER TABLE policy_impact ADD COLUMN tier_before VARCHAR(64);
ALTER TABLE policy_impact ADD COLUMN tier_after VARCHAR(64);
