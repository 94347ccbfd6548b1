-- hogo schema 2: the personal-data vault.
-- Nothing here is personal data in the clear: records are sealed with the
-- principal's own data key, which is stored only wrapped by the
-- organisation's key-encryption key; identifiers are kept as keyed blind
-- indexes. IDs are opaque and time-ordered.

CREATE TABLE principals (
	id          TEXT PRIMARY KEY,
	wrapped_key BLOB NOT NULL,
	suspensions INTEGER NOT NULL DEFAULT 0, -- rows in suspensions, so reads need not look
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE records (
	principal_id   TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	id             TEXT NOT NULL,
	category       TEXT NOT NULL,
	source         TEXT NOT NULL,
	acquired_at    INTEGER NOT NULL,
	purposes       TEXT NOT NULL,  -- purpose IDs stated at acquisition, space-separated
	notice_version TEXT NOT NULL,
	sealed         BLOB NOT NULL,
	lookups        BLOB NOT NULL, -- this record's blind indexes, 16 bytes each, to remove them with it
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	PRIMARY KEY (principal_id, id)
) WITHOUT ROWID;

-- Keyed blind indexes (HMAC) of identifiers: lookup without plaintext.
-- Rows are removed by their exact key, read from their record's lookups
-- column, so the table needs no second index.
CREATE TABLE lookups (
	hash         BLOB NOT NULL,
	principal_id TEXT NOT NULL,
	record_id    TEXT NOT NULL,
	PRIMARY KEY (hash, principal_id, record_id)
) WITHOUT ROWID;

-- 利用停止 (APPI Art. 35): purposes a principal has stopped; '*' is all.
CREATE TABLE suspensions (
	principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	purpose      TEXT NOT NULL,
	since        INTEGER NOT NULL,
	PRIMARY KEY (principal_id, purpose)
) WITHOUT ROWID;

-- What remains of an erased principal: when, who, how many records, and
-- the reason given (sealed: it may name the request it answers).
CREATE TABLE erasures (
	principal_id TEXT PRIMARY KEY,
	erased_at    INTEGER NOT NULL,
	actor        TEXT NOT NULL,
	records      INTEGER NOT NULL,
	reason       BLOB NOT NULL   -- sealed with the notes key
) WITHOUT ROWID;

-- Uses under a legal exception (APPI Art. 18(3)), for the protection
-- manager's review. The justification and note are sealed with the notes key.
CREATE TABLE exception_uses (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	at            INTEGER NOT NULL,
	actor_id      INTEGER NOT NULL,
	actor         TEXT NOT NULL,
	role          TEXT NOT NULL,
	principal_id  TEXT NOT NULL,
	category      TEXT NOT NULL,
	purpose       TEXT NOT NULL,
	op            TEXT NOT NULL,
	exception     TEXT NOT NULL,
	justification BLOB NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	reviewer      TEXT NOT NULL DEFAULT '',
	reviewed_at   INTEGER NOT NULL DEFAULT 0,
	note          BLOB
);
CREATE INDEX exception_uses_status ON exception_uses (status, id);
