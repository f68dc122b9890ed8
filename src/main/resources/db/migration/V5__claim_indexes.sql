-- Each forwarding poll (every second, per back end) reads back the rows it just claimed by their claim
-- token. Without an index that read scanned the whole table, claimed rows or not: at a million stored
-- requests, two full scans a second. Only a handful of rows ever hold a token, so these stay tiny.
CREATE INDEX service_request_crm_claim ON service_request (crm_claim);
CREATE INDEX service_request_aspa_claim ON service_request (aspa_claim);
