-- Idempotency-Key of posts (docs/clients.md): a client's retry of a post it sent with a key answers the
-- first post's request instead of storing it again. Written in the same transaction as the request
-- (both or neither), so a key never points to nothing; the primary key lets only one post per key and
-- API key in, so concurrent twins store one request. Keys are per API key: two apps never collide.
CREATE TABLE idempotency_key (
    api_key_id      BIGINT NOT NULL REFERENCES api_key (id),
    idempotency_key VARCHAR(255) NOT NULL,
    -- SHA-256 (hex) of the post's fields and files: the same key with other content is refused
    fingerprint     CHAR(64) NOT NULL,
    request_id      VARCHAR(32) NOT NULL REFERENCES service_request (id),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);

-- Expired keys are deleted by age (route expire-idempotency-keys).
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
