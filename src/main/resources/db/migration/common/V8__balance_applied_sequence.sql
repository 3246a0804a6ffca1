-- The balances projection remembers the last event of each country's stream it applied, so that an
-- event handled twice (a dead letter retried after part of its batch was written, a redelivery)
-- changes nothing the second time: its counters are sums and must not count an event twice.
ALTER TABLE country_balance ADD COLUMN last_sequence BIGINT NOT NULL DEFAULT -1;
