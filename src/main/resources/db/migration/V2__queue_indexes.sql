-- Index-only paths for the two ways a job becomes due, so leasing stays fast with a deep backlog
-- and a long history of finished jobs.
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (queue, state, run_at, created_at);
CREATE INDEX jobs_leases ON jobs (queue, state, lease_until);
CREATE INDEX jobs_finished ON jobs (queue, state, finished_at);
