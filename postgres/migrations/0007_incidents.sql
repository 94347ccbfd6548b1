-- hogo schema 7: incidents (漏えい等, APPI Art. 26) with their clock. The
-- facts (what happened, the report items) are sealed.

CREATE TABLE incidents (
	id               TEXT PRIMARY KEY,
	status           TEXT NOT NULL CHECK (status IN ('draft', 'open', 'reported', 'closed')),
	known_on         TEXT NOT NULL,
	triggers         TEXT NOT NULL DEFAULT '',
	affected         BIGINT NOT NULL DEFAULT 0,
	preliminary_due  TEXT NOT NULL DEFAULT '',
	final_due        TEXT NOT NULL DEFAULT '',
	preliminary_sent TEXT NOT NULL DEFAULT '',
	final_sent       TEXT NOT NULL DEFAULT '',
	facts            BYTEA NOT NULL,
	version          BIGINT NOT NULL DEFAULT 1,
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);
CREATE INDEX incidents_known ON incidents (known_on);
CREATE INDEX records_category ON records (category, acquired_at);
