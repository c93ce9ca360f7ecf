-- Redeliveries after a worker died holding the job, counted apart from the failures the file
-- caused (attempts - lease_expiries); each has its own budget.
ALTER TABLE jobs ADD COLUMN lease_expiries INTEGER DEFAULT 0 NOT NULL;
