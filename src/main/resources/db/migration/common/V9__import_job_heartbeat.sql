-- When an import job last showed progress: a RUNNING job that has shown none for long was on a
-- node that stopped, and is reported FAILED instead of RUNNING forever.
ALTER TABLE shipment_import_job ADD COLUMN touched_at TIMESTAMP WITH TIME ZONE;
UPDATE shipment_import_job SET touched_at = COALESCE(finished_at, created_at);
