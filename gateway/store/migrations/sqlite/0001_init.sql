-- Sign-in transactions, sessions and the append-only audit trail.
-- Times are Unix nanoseconds in UTC (0 = unset), durations nanoseconds.

CREATE TABLE logins (
    id              TEXT PRIMARY KEY,
    user_code       TEXT UNIQUE, -- NULL when none; freed when the login expires
    mode            TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    client_state    TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    key_thumbprint  TEXT NOT NULL,
    requesting_host TEXT NOT NULL,
    status          TEXT NOT NULL,
    deny_reason     TEXT NOT NULL,
    cis2_state      TEXT NOT NULL,
    cis2_nonce      TEXT NOT NULL,
    cis2_verifier   TEXT NOT NULL,
    browser_hash    TEXT NOT NULL,
    handoff_hash    TEXT NOT NULL,
    handoff_expires INTEGER NOT NULL,
    session_id      TEXT NOT NULL,
    created         INTEGER NOT NULL,
    expires         INTEGER NOT NULL,
    last_poll       INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX logins_cis2_state ON logins (cis2_state);
CREATE INDEX logins_expires ON logins (expires);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    key_thumbprint  TEXT NOT NULL,
    state           TEXT NOT NULL,
    subject         TEXT NOT NULL,
    name            TEXT NOT NULL,
    cis2_sid        TEXT NOT NULL,
    ial             INTEGER NOT NULL,
    aal             INTEGER NOT NULL,
    business_function TEXT NOT NULL,
    ods             TEXT NOT NULL,
    obo             TEXT NOT NULL,
    sealed_access   BLOB,
    sealed_refresh  BLOB,
    sealed_id       BLOB,
    access_expires  INTEGER NOT NULL,
    refresh_expires INTEGER NOT NULL,
    refresh_count   INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    absolute        INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX sessions_cis2_sid ON sessions (cis2_sid);
CREATE INDEX sessions_subject ON sessions (subject);
CREATE INDEX sessions_absolute ON sessions (absolute);

-- AUTOINCREMENT: an id is never reused, even after a rollback.
CREATE TABLE audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    time           INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    role           TEXT NOT NULL,
    ods            TEXT NOT NULL,
    obo            TEXT NOT NULL,
    operation      TEXT NOT NULL,
    resource       TEXT NOT NULL,
    status         INTEGER NOT NULL,
    outcome        TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    latency        INTEGER NOT NULL,
    completed      INTEGER NOT NULL
);
CREATE INDEX audit_time ON audit (time, id);

-- The audit trail is append-only in the database too, not only in Go:
-- no DELETE, and the only UPDATE is the completion of an in-flight record.
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TRIGGER audit_complete_once BEFORE UPDATE ON audit
WHEN OLD.completed <> 0 OR NEW.completed = 0
  OR NEW.id IS NOT OLD.id OR NEW.time IS NOT OLD.time OR NEW.kind IS NOT OLD.kind
  OR NEW.session_id IS NOT OLD.session_id OR NEW.user_id IS NOT OLD.user_id
  OR NEW.role IS NOT OLD.role OR NEW.ods IS NOT OLD.ods OR NEW.obo IS NOT OLD.obo
  OR NEW.operation IS NOT OLD.operation OR NEW.resource IS NOT OLD.resource
  OR NEW.correlation_id IS NOT OLD.correlation_id
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
