-- GET servicerequestupdates reads request_history by time (a window of changed_at) and answers in
-- (changed_at, id) order: without this index every read would scan the whole history.
CREATE INDEX request_history_changed ON request_history (changed_at, id);
