-- A poll reads the rows it claimed by their ids (Forwarding.claimed), no longer by its claim token, so
-- nothing reads these indexes any more, while every INSERT and every claim had to write them: two of
-- the B-trees each accepted request touches (on H2 each commit writes every changed page).
DROP INDEX service_request_crm_claim;
DROP INDEX service_request_aspa_claim;
