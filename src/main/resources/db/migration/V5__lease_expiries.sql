-- Redeliveries after a worker died holding the job, counted apart from the failures the file
-- caused (attempts - lease_expiries); each has its own budget.
ALTER TABLE jobs ADD COLUMN lease_expiries INTEGER DEFAULT 0 NOT NULL;

-- The account a job works for: a lease prefers accounts with the fewest jobs running (fair share),
-- and can cap them (videoforge.queue.max-in-flight-per-account).
ALTER TABLE jobs ADD COLUMN account VARCHAR(64);
CREATE INDEX jobs_account_leases ON jobs (queue, state, account, lease_until);
