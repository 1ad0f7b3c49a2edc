-- signing keys: public JWK in clear, private key only as AES-GCM ciphertext under the key-encryption key
CREATE TABLE sts_signing_key (
    kid varchar(64) NOT NULL,
    algorithm varchar(16) NOT NULL,
    created_at timestamptz NOT NULL,
    active_from timestamptz NOT NULL,
    active_until timestamptz NOT NULL,
    retire_at timestamptz NOT NULL,
    public_jwk varchar(2000) NOT NULL,
    private_key varchar(2000) NOT NULL,
    PRIMARY KEY (kid)
);

-- refresh tokens rotated away: SHA-256 (hex) of the token -> the authorization (token family)
CREATE TABLE sts_superseded_refresh_token (
    token_hash char(64) NOT NULL,
    authorization_id varchar(100) NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (token_hash)
);
CREATE INDEX sts_superseded_refresh_token_expires ON sts_superseded_refresh_token (expires_at);

-- token look-ups (refresh, introspection, revocation) search by value; hash indexes have no key-size limit
CREATE INDEX oauth2_authorization_access_token ON oauth2_authorization USING hash (access_token_value);
CREATE INDEX oauth2_authorization_refresh_token ON oauth2_authorization USING hash (refresh_token_value);
CREATE INDEX oauth2_registered_client_client_id ON oauth2_registered_client (client_id);
