-- When a request's current run of failed or skipped sends to a back end began (NULL: none yet, or it
-- was sent, or an operator retried it). Sends the back end's open circuit skipped are no attempts, so
-- attempts cannot bound how long a request waits through an outage: this does, against
-- gateway.forwarding.give-up-after-hours (docs/reliability.md, "Outage of any length").
ALTER TABLE service_request ADD COLUMN crm_failing_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE service_request ADD COLUMN aspa_failing_since TIMESTAMP WITH TIME ZONE;
