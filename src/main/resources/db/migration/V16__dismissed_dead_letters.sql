-- A dead letter an operator dismissed (a request the back end will never accept): state DISMISSED, out
-- of the dead-letter list, count and alert, and kept with who dismissed it, when and why for audit
-- (admin API GET /admin/dead-letters/dismissed, `dead-letters dismissed`). The attempts and last error
-- stay as they were when it died.
ALTER TABLE forward_task ADD COLUMN dismissed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE forward_task ADD COLUMN dismissed_by VARCHAR(100);
ALTER TABLE forward_task ADD COLUMN dismissed_reason VARCHAR(500);
