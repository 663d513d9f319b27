-- Token ids (DPoP proof jti, back-channel logout token jti) already
-- accepted, shared by every gateway on this database so that a token
-- accepted by one cannot be replayed to another. Only the SHA-256 hash of
-- an id is kept; expires is Unix nanoseconds, after which the row is
-- dead (a new insert may take it over) and housekeeping deletes it.
CREATE TABLE jtis (
    scope   TEXT NOT NULL,
    hash    TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (scope, hash)
) WITHOUT ROWID;
-- One b-tree, no index on expires: every proxied call inserts here, so the
-- insert is kept to one page write; housekeeping's once-a-minute DELETE
-- scans a table of a few minutes' proofs.
