-- A resident's update that the CRM's staff published as the case's answer comes back through the CRM's
-- feed as new status notes. The history row that first shows it to clients keeps the update's id, and
-- GET servicerequestupdates answers that row under it: the app that posted the update (FixMyStreet) was
-- answered that update_id, recognises the update as its own and does not show it twice. NULL: staff's
-- own change. Each update names at most one row of its request.
ALTER TABLE request_history ADD COLUMN resident_update_id VARCHAR(32);
CREATE UNIQUE INDEX request_history_resident_update ON request_history (request_id, resident_update_id);
