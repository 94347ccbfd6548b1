-- hogo schema 8: complaints and inquiries (苦情・相談, APPI Art. 40) with
-- their targets. Who complains and what they say (the case file) is sealed.

CREATE TABLE complaints (
	id              TEXT PRIMARY KEY,
	receipt_number  TEXT NOT NULL UNIQUE,
	channel         TEXT NOT NULL,
	category        TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'answered', 'closed')),
	anonymous       BIGINT NOT NULL DEFAULT 0,
	received_at     BIGINT NOT NULL,
	received_on     TEXT NOT NULL,
	ack_due         TEXT NOT NULL,
	answer_due      TEXT NOT NULL,
	due_on          TEXT NOT NULL DEFAULT '',
	acknowledged_at BIGINT NOT NULL DEFAULT 0,
	answered_at     BIGINT NOT NULL DEFAULT 0,
	closed_at       BIGINT NOT NULL DEFAULT 0,
	escalated_at    BIGINT NOT NULL DEFAULT 0,
	escalated_by    TEXT NOT NULL DEFAULT '',
	request_id      TEXT NOT NULL DEFAULT '',
	request_receipt TEXT NOT NULL DEFAULT '',
	incident_id     TEXT NOT NULL DEFAULT '',
	sealed          BYTEA NOT NULL,
	version         BIGINT NOT NULL DEFAULT 1,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL
);
CREATE INDEX complaints_due ON complaints (status, due_on);
CREATE INDEX complaints_received ON complaints (received_at);
