-- The back ends leave the request row. Until now each row carried its forwarding work and the back
-- ends' records of it in 23 crm_*/aspa_* columns, so a back end was a set of column names. Now:
--   forward_task    the outbox: one row per request and back end it is to be sent to, written in the
--                   same transaction as the request (intake, an importer batch, a back end asking for
--                   a further one), claimed and updated by the forwarding polls;
--   backend_record  what a back end told us of the request (its id, state and version, and for a
--                   work-order system the task's details);
-- and the request row keeps what clients see: status, the merged detailed_status, tasks, updated_at.
-- Back ends are named as in gateway.backends (crm, aspa); this migration moves the data of the two
-- back ends the gateway had, V13 drops the old columns.

CREATE TABLE forward_task (
    request_id      VARCHAR(32) NOT NULL REFERENCES service_request (id),
    backend         VARCHAR(32) NOT NULL,
    -- PENDING (due at next_attempt_at), SENT, DEAD (an operator retries it) or IMPORTED (never sent)
    state           VARCHAR(10) NOT NULL,
    -- what the back end files the request under when it is not the service's own routing (Aspa's work
    -- type, which the CRM may ask for); NULL: from mappings/services.yaml
    category        VARCHAR(64),
    attempts        INT DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    -- a random token with an expiry: an instance owns the task until then (docs/reliability.md)
    claim           VARCHAR(36),
    claim_until     TIMESTAMP WITH TIME ZONE,
    -- when the current run of failed or skipped sends began (gateway.backend.<name>.give-up-after-hours)
    failing_since   TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500),
    PRIMARY KEY (request_id, backend)
);
-- A poll reads WHERE backend = ? AND state = 'PENDING' AND next_attempt_at <= now ORDER BY backend,
-- state, next_attempt_at LIMIT n: this index in order, stopping after the batch (see V3 for why the
-- constants lead the ORDER BY).
CREATE INDEX forward_task_due ON forward_task (backend, state, next_attempt_at);

CREATE TABLE backend_record (
    request_id      VARCHAR(32) NOT NULL REFERENCES service_request (id),
    backend         VARCHAR(32) NOT NULL,
    -- the back end's own id (CRM case id, Aspa work-order id); NULL for an imported request's record
    remote_id       VARCHAR(64),
    remote_state    VARCHAR(40),
    -- a change is applied only if its version is newer than this
    remote_version  BIGINT,
    -- the detailed status this back end's state means (mappings/statuses.yaml), merged into the row's
    detailed_status VARCHAR(60),
    -- what the back end filed it under (a work order's type)
    category        VARCHAR(64),
    -- a work order's details, shown as extended_attributes.tasks
    owner           VARCHAR(200),
    created_at      TIMESTAMP WITH TIME ZONE,
    modified_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (request_id, backend)
);

-- The tasks clients see (extended_attributes.tasks), as JSON; filled from the Aspa columns by V12.
ALTER TABLE service_request ADD COLUMN tasks VARCHAR(4000);

-- In-flight and finished forwarding, claims included: a claim taken before the upgrade still
-- expires as before.
INSERT INTO forward_task (request_id, backend, state, category, attempts, next_attempt_at, claim, claim_until,
                          failing_since, last_error)
    SELECT id, 'crm', crm_forward, NULL, crm_attempts, crm_next_attempt_at, crm_claim, crm_claim_until,
           crm_failing_since, crm_last_error
    FROM service_request WHERE crm_forward IS NOT NULL;
INSERT INTO forward_task (request_id, backend, state, category, attempts, next_attempt_at, claim, claim_until,
                          failing_since, last_error)
    SELECT id, 'aspa', aspa_forward, aspa_work_type, aspa_attempts, aspa_next_attempt_at, aspa_claim, aspa_claim_until,
           aspa_failing_since, aspa_last_error
    FROM service_request WHERE aspa_forward IS NOT NULL;

-- The CRM's record. Its detailed status is the row's detailed_status until now (V12 merges Aspa's in);
-- an imported request gets a record without a case id, so that its CRM part survives a later merge.
INSERT INTO backend_record (request_id, backend, remote_id, remote_state, remote_version, detailed_status)
    SELECT id, 'crm', crm_case_id, crm_state, crm_version, detailed_status
    FROM service_request WHERE crm_case_id IS NOT NULL OR crm_forward = 'IMPORTED';
INSERT INTO backend_record (request_id, backend, remote_id, remote_state, remote_version, detailed_status,
                            category, owner, created_at, modified_at)
    SELECT id, 'aspa', aspa_work_order_id, aspa_state, aspa_version, aspa_detailed_status,
           aspa_work_type, aspa_owner, aspa_created_at, aspa_modified_at
    FROM service_request WHERE aspa_work_order_id IS NOT NULL OR aspa_detailed_status IS NOT NULL;

-- Feed cursors and attempts are keyed by the back end's configured name from now on.
UPDATE feed_cursor SET backend = LOWER(backend);
ALTER TABLE forward_attempt ALTER COLUMN backend SET DATA TYPE VARCHAR(32);
UPDATE forward_attempt SET backend = LOWER(backend);
ALTER TABLE request_history ALTER COLUMN source SET DATA TYPE VARCHAR(32);
UPDATE request_history SET source = LOWER(source);
ALTER TABLE feed_cursor ALTER COLUMN backend SET DATA TYPE VARCHAR(32);

-- The row's detailed_status becomes the merged one clients see (CRM's, then the work order's), as
-- RequestRows used to merge it on every read.
UPDATE service_request SET detailed_status = detailed_status || ',' || aspa_detailed_status
    WHERE aspa_detailed_status IS NOT NULL AND aspa_detailed_status <> '';
