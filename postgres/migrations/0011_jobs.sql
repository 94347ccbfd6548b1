-- hogo schema 11: background jobs, kept in the store so that they outlive
-- the process that enqueued them and run once on whichever node claims them.

CREATE TABLE jobs (
	id           TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	ukey         TEXT UNIQUE,          -- a periodic job's period, or a singleton's name while it is unfinished
	done_ukey    TEXT NOT NULL DEFAULT '', -- a singleton's key after it was freed
	args         TEXT NOT NULL DEFAULT '{}', -- JSON; never personal data
	state        TEXT NOT NULL CHECK (state IN ('available', 'running', 'done', 'failed')),
	run_at       BIGINT NOT NULL,
	attempts     BIGINT NOT NULL DEFAULT 0,
	max_attempts BIGINT NOT NULL,
	node         TEXT NOT NULL DEFAULT '',
	token        TEXT NOT NULL DEFAULT '',
	locked_until BIGINT NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	result       TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	finished_at  BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_kind ON jobs (kind, created_at);

-- Provision records are erased by id once their retention (則21) ends.
CREATE INDEX provision_principals_provision ON provision_principals (provision_id);

-- Retention sweeps read only the records whose retention can have started:
-- those with a ledger event recorded (most rules count from one), found
-- through this partial index without touching the records themselves.
CREATE INDEX records_events ON records (category, principal_id, id, events) WHERE events != '';
