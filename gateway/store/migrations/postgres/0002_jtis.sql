-- Token ids (DPoP proof jti, back-channel logout token jti) already
-- accepted, shared by every gateway on this database so that a token
-- accepted by one cannot be replayed to another. Only the SHA-256 hash of
-- an id is kept; expires is Unix nanoseconds, after which the row is
-- dead (a new insert may take it over) and housekeeping deletes it.
CREATE TABLE jtis (
    scope   TEXT NOT NULL,
    hash    TEXT NOT NULL,
    expires BIGINT NOT NULL,
    PRIMARY KEY (scope, hash)
);
CREATE INDEX jtis_expires ON jtis (expires);
