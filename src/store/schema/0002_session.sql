-- 0002_session: what the server's security needs beyond 0001: sign-in sessions of the web UI (stored
-- by hash, like API tokens, with the CSRF token required on writes) and a per-token rate limit.

CREATE TABLE session (
    id          INTEGER PRIMARY KEY,
    token_hash  BLOB NOT NULL UNIQUE,          -- SHA-256 of the cookie value; the value is never stored
    user_id     INTEGER NOT NULL REFERENCES app_user(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX session_user ON session(user_id);
CREATE INDEX session_expires ON session(expires_at);

-- Requests per second allowed to this token; NULL: the server's default.
ALTER TABLE api_token ADD COLUMN rate_limit REAL;
CREATE INDEX api_token_name ON api_token(name);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
