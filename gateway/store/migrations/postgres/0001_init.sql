-- Sign-in transactions, sessions and the append-only audit trail.
-- Times are Unix nanoseconds in UTC (0 = unset), durations nanoseconds:
-- the same encoding as the SQLite schema, so one Go implementation serves both.

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
    handoff_expires BIGINT NOT NULL,
    session_id      TEXT NOT NULL,
    created         BIGINT NOT NULL,
    expires         BIGINT NOT NULL,
    last_poll       BIGINT NOT NULL,
    version         BIGINT NOT NULL
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
    sealed_access   BYTEA,
    sealed_refresh  BYTEA,
    sealed_id       BYTEA,
    access_expires  BIGINT NOT NULL,
    refresh_expires BIGINT NOT NULL,
    refresh_count   INTEGER NOT NULL,
    created         BIGINT NOT NULL,
    last_seen       BIGINT NOT NULL,
    absolute        BIGINT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX sessions_cis2_sid ON sessions (cis2_sid);
CREATE INDEX sessions_subject ON sessions (subject);
CREATE INDEX sessions_absolute ON sessions (absolute);

CREATE TABLE audit (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time           BIGINT NOT NULL,
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
    latency        BIGINT NOT NULL,
    completed      BIGINT NOT NULL
);
CREATE INDEX audit_time ON audit (time, id);

-- The audit trail is append-only in the database too, not only in Go:
-- no DELETE or TRUNCATE, and the only UPDATE is the completion of an
-- in-flight record.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.completed = 0 AND NEW.completed <> 0
       AND NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.kind = OLD.kind
       AND NEW.session_id = OLD.session_id AND NEW.user_id = OLD.user_id
       AND NEW.role = OLD.role AND NEW.ods = OLD.ods AND NEW.obo = OLD.obo
       AND NEW.operation = OLD.operation AND NEW.resource = OLD.resource
       AND NEW.correlation_id = OLD.correlation_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
