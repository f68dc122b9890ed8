-- The texts a CRM's staff approved for publication (docs/backends/feedback-crm.md: public_title,
-- public_description), e.g. with a name removed. NULL: not edited, the resident's own text is shown. The
-- resident's description and title stay as posted (what the CRM was sent, for the audit); answers show these
-- instead once they are set. Sized as the resident's columns (V1). The syntax is the one both stores accept.
ALTER TABLE service_request ADD COLUMN public_title VARCHAR(200);
ALTER TABLE service_request ADD COLUMN public_description VARCHAR(5000);
