-- signing keys: public JWK in clear, private key only as AES-GCM ciphertext under the key-encryption key
CREATE TABLE sts_signing_key (
    kid varchar(64) NOT NULL,
    algorithm varchar(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    active_from timestamp with time zone NOT NULL,
    active_until timestamp with time zone NOT NULL,
    retire_at timestamp with time zone NOT NULL,
    public_jwk varchar(2000) NOT NULL,
    private_key varchar(2000) NOT NULL,
    PRIMARY KEY (kid)
);

-- refresh tokens rotated away: SHA-256 (hex) of the token -> the authorization (token family)
CREATE TABLE sts_superseded_refresh_token (
    token_hash char(64) NOT NULL,
    authorization_id varchar(100) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (token_hash)
);
CREATE INDEX sts_superseded_refresh_token_expires ON sts_superseded_refresh_token (expires_at);

CREATE INDEX oauth2_registered_client_client_id ON oauth2_registered_client (client_id);
