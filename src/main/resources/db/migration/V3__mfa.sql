-- TOTP multi-factor auth, recovery codes, lockout and revocable refresh tokens.
ALTER TABLE users ADD COLUMN mfa_secret VARCHAR(64);
ALTER TABLE users ADD COLUMN mfa_enabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE users ADD COLUMN mfa_last_step BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE users ADD COLUMN failed_attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE users ADD COLUMN locked_until TIMESTAMP WITH TIME ZONE;

CREATE TABLE recovery_codes (
    id         VARCHAR(32)  PRIMARY KEY,
    user_id    VARCHAR(32)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  VARCHAR(200) NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE refresh_tokens (
    id          VARCHAR(64)  PRIMARY KEY,
    user_id     VARCHAR(32)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
