-- Public lists are answered newest first, one page at a time: WHERE published = TRUE ...
-- ORDER BY published, requested_at DESC, seq DESC LIMIT n (RequestQuery puts the constant published
-- first in the ORDER BY on purpose). H2 reads an index in that order, and stops after the page, only
-- when the index it picks for the WHERE clause starts with exactly the ORDER BY's columns and
-- directions. With (published, requested_at, seq) and ORDER BY requested_at DESC, seq DESC it read and
-- sorted the whole 90-day window for every page (EXPLAIN ANALYZE: 11,244 rows for 200 at 100,000
-- stored); with an index on (requested_at DESC, seq DESC) alone it walked past every unpublished
-- request at the head (20,260 rows for 200 after a burst of 20,000 posts awaiting moderation). Now:
-- 200 rows for a page of 200, at 10,000 or 1,000,000 stored. (published, updated_at) and
-- (service_code, requested_at) lured H2's planner away from the ordered index (22,264 rows read for a
-- service+status+dates page, 887 now), so they go; service_code and status are checked on the rows the
-- index yields. PostgreSQL uses the same index.
DROP INDEX service_request_listing;
DROP INDEX service_request_updated;
DROP INDEX service_request_service;
CREATE INDEX service_request_newest ON service_request (published, requested_at DESC, seq DESC);
-- updated_after / updated_before
CREATE INDEX service_request_changed ON service_request (updated_at);
