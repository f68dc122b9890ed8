-- The correlation id of the API request that created a service request (X-Correlation-Id): sent on
-- to the back ends with the request, so one id ties the client's call, the gateway's log lines and
-- the back ends' records together. Nullable: requests stored before it have none.
ALTER TABLE service_request ADD COLUMN correlation_id VARCHAR(64);
