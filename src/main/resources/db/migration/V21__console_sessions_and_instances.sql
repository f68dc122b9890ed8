-- The web console's sessions (docs/admin.md#the-web-console), kept in the store so that any instance
-- behind the load balancer serves a session another started, and a logout ends it on all of them. The
-- browser holds a random id; only its SHA-256 is stored. Expired rows are deleted as sessions are made.
CREATE TABLE console_session (
    id_hash      CHAR(64) PRIMARY KEY,
    -- which configured admin token logged in (1, 2, ...): the "who" of the audit log, never the token
    token_number INT NOT NULL,
    -- the token every form of the session must send back (CSRF)
    csrf_token   VARCHAR(64) NOT NULL,
    language     VARCHAR(2) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- idle expiry, pushed on by each request, never past created_at plus the longest session
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_session_expiry ON console_session (expires_at);

-- Each running gateway instance writes a heartbeat here, so the console shows every instance on the
-- shared store with its version (e.g. during a rolling restart, old and new side by side).
CREATE TABLE gateway_instance (
    id           VARCHAR(64) PRIMARY KEY,
    host         VARCHAR(200) NOT NULL,
    version      VARCHAR(64) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
