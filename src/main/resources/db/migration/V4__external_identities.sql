-- Accounts of an external OpenID Connect provider (Cognito, Keycloak), mapped to local accounts on first use.
CREATE TABLE external_identities (
    issuer      VARCHAR(500) NOT NULL,
    subject     VARCHAR(255) NOT NULL,
    user_id     VARCHAR(32)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT external_identities_pk PRIMARY KEY (issuer, subject)
);
