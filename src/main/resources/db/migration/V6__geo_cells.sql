-- Radius searches (lat, long, radius) read only the grid cells their circle covers. Before, H2 walked
-- the list index service_request_newest through the whole 90-day window and checked the bounding box
-- and the great-circle distance on every row until it had a page: NUMBERS_BEFORE
-- geo_cell names a cell of 0.01 degrees latitude x 0.02 degrees longitude (about 1.1 km x 1.1 km at
-- Helsinki): FLOOR(lat * 100) * 100000 + FLOOR(lon * 50), distinct over the whole globe (a longitude
-- cell lies in -9000..9000), NULL without coordinates. GeoCells computes the same in Java, with the same
-- double-precision arithmetic, for every row written since (the POST insert and the importer).
-- RequestQuery reads a circle covering at most 25 cells with one branch per cell:
-- WHERE geo_cell = ? AND published = TRUE AND <filters> ORDER BY geo_cell, published, requested_at DESC,
-- seq DESC LIMIT <offset + page size>, merged newest first. The index below starts with exactly that
-- ORDER BY, so H2 reads each branch in index order and stops at its LIMIT (see V3): NUMBERS_AFTER
ALTER TABLE service_request ADD COLUMN geo_cell BIGINT;
UPDATE service_request SET geo_cell = CAST(FLOOR(lat * 100) AS BIGINT) * 100000 + CAST(FLOOR(lon * 50) AS BIGINT)
    WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE INDEX service_request_near ON service_request (geo_cell, published, requested_at DESC, seq DESC);
