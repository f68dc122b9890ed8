-- Answers to attributes a service does not define (FixMyStreet sends attribute[uprn] and its own fields with
-- every report): refusing them made such a client retry the report for ever, so they are kept as a JSON
-- object for the CRM (requests/InputLimits: at most 30, 20,000 characters together) and never shown to
-- clients. NULL when a request has none; the syntax is the one both stores accept.
ALTER TABLE service_request ADD COLUMN extra_attributes VARCHAR(20000);
