-- Accounts hardening: the one-time first-administrator claim, sessions with an absolute lifetime
-- whose refresh tokens remember their successor, and room for encrypted TOTP secrets.
-- Written in the SQL that H2 (MODE=PostgreSQL or not) and PostgreSQL both accept.

-- One row once the setup token was used (or an administrator already existed): its primary key is
-- what lets only one of two racing sign-ups become administrator.
CREATE TABLE setup_claims (
    id          VARCHAR(32) PRIMARY KEY,
    user_id     VARCHAR(32),
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO setup_claims (id, user_id, claimed_at)
    SELECT 'first-admin', NULL, CURRENT_TIMESTAMP FROM users WHERE roles LIKE '%ADMIN%' FETCH FIRST 1 ROWS ONLY;

-- A session is the chain of refresh tokens from one login: it keeps its id and start.
ALTER TABLE refresh_tokens ADD COLUMN session_id VARCHAR(64);
ALTER TABLE refresh_tokens ADD COLUMN session_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE refresh_tokens ADD COLUMN issued_at TIMESTAMP WITH TIME ZONE;
-- The token this one was exchanged for: a second use within the grace window gets that one again.
ALTER TABLE refresh_tokens ADD COLUMN successor_id VARCHAR(64);
UPDATE refresh_tokens SET session_id = id, session_started_at = CURRENT_TIMESTAMP, issued_at = CURRENT_TIMESTAMP
    WHERE session_id IS NULL;

-- "v1:" + Base64(nonce | AES-GCM ciphertext and tag); the plaintext rows are encrypted at start.
ALTER TABLE users ALTER COLUMN mfa_secret SET DATA TYPE VARCHAR(200);
-- The per-account hard lockout is gone (throttling per account and address replaces it).
UPDATE users SET failed_attempts = 0, locked_until = NULL;
