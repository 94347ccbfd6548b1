-- hogo schema 4: the case of a rights request: its matched principal, fee,
-- verification, stopped clock and closing, the sealed case file, and the
-- files kept with it (identity documents, answers), sealed.

ALTER TABLE requests ADD COLUMN version      BIGINT NOT NULL DEFAULT 1;
ALTER TABLE requests ADD COLUMN principal_id TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN fee_due      BIGINT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN fee_paid     BIGINT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN verified     BIGINT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN paused_on    TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN closed_on    TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN case_file    BYTEA;

CREATE TABLE request_files (
	id           TEXT PRIMARY KEY,
	request_id   TEXT NOT NULL REFERENCES requests (id),
	kind         TEXT NOT NULL CHECK (kind IN ('id_copy', 'agent_evidence', 'answer_letter', 'answer_archive')),
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	data         BYTEA NOT NULL, -- sealed
	created_at   BIGINT NOT NULL
);
CREATE INDEX request_files_request ON request_files (request_id);
CREATE INDEX requests_closed ON requests (closed_on);
