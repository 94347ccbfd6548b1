-- hogo schema 2: the personal-data vault.
-- Nothing here is personal data in the clear: records are sealed with the
-- principal's own data key, which is stored only wrapped by the
-- organisation's key-encryption key; identifiers are kept as keyed blind
-- indexes. IDs are opaque and time-ordered.

CREATE TABLE principals (
	id          TEXT PRIMARY KEY,
	wrapped_key BYTEA NOT NULL,
	suspensions INTEGER NOT NULL DEFAULT 0, -- rows in suspensions, so reads need not look
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);

CREATE TABLE records (
	principal_id   TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	id             TEXT NOT NULL,
	category       TEXT NOT NULL,
	source         TEXT NOT NULL,
	acquired_at    BIGINT NOT NULL,
	purposes       TEXT NOT NULL,  -- purpose IDs stated at acquisition, space-separated
	notice_version TEXT NOT NULL,
	sealed         BYTEA NOT NULL,
	lookups        BYTEA NOT NULL, -- this record's blind indexes, 16 bytes each, to remove them with it
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL,
	PRIMARY KEY (principal_id, id)
);

-- Keyed blind indexes (HMAC) of identifiers: lookup without plaintext.
-- Rows are removed by their exact key, read from their record's lookups
-- column, so the table needs no second index.
CREATE TABLE lookups (
	hash         BYTEA NOT NULL,
	principal_id TEXT NOT NULL,
	record_id    TEXT NOT NULL,
	PRIMARY KEY (hash, principal_id, record_id)
);

-- 利用停止 (APPI Art. 35): purposes a principal has stopped; '*' is all.
CREATE TABLE suspensions (
	principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	purpose      TEXT NOT NULL,
	since        BIGINT NOT NULL,
	PRIMARY KEY (principal_id, purpose)
);

-- What remains of an erased principal: when, who, how many records, and
-- the reason given (sealed: it may name the request it answers).
CREATE TABLE erasures (
	principal_id TEXT PRIMARY KEY,
	erased_at    BIGINT NOT NULL,
	actor        TEXT NOT NULL,
	records      INTEGER NOT NULL,
	reason       BYTEA NOT NULL   -- sealed with the notes key
);

-- Uses under a legal exception (APPI Art. 18(3)), for the protection
-- manager's review. The justification and note are sealed with the notes key.
CREATE TABLE exception_uses (
	id            BIGSERIAL PRIMARY KEY,
	at            BIGINT NOT NULL,
	actor_id      BIGINT NOT NULL,
	actor         TEXT NOT NULL,
	role          TEXT NOT NULL,
	principal_id  TEXT NOT NULL,
	category      TEXT NOT NULL,
	purpose       TEXT NOT NULL,
	op            TEXT NOT NULL,
	exception     TEXT NOT NULL,
	justification BYTEA NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	reviewer      TEXT NOT NULL DEFAULT '',
	reviewed_at   BIGINT NOT NULL DEFAULT 0,
	note          BYTEA
);
CREATE INDEX exception_uses_status ON exception_uses (status, id);
