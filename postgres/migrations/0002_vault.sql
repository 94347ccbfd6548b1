-- hogo schema 2: the personal-data vault.
-- Nothing here is personal data in the clear: records are sealed with the
-- principal's own data key, which is stored only wrapped by the
-- organisation's key-encryption key; identifiers are kept as keyed blind
-- indexes. IDs are opaque and time-ordered.

CREATE TABLE principals (
	id          TEXT PRIMARY KEY,
	wrapped_key BYTEA NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);

CREATE TABLE records (
	id             TEXT PRIMARY KEY,
	principal_id   TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	category       TEXT NOT NULL,
	source         TEXT NOT NULL,
	acquired_at    BIGINT NOT NULL,
	purposes       TEXT NOT NULL,  -- purpose IDs stated at acquisition, space-separated
	notice_version TEXT NOT NULL,
	sealed         BYTEA NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX records_principal ON records (principal_id);
CREATE INDEX records_category ON records (category, id);

-- Keyed blind indexes (HMAC) of identifiers: lookup without plaintext.
CREATE TABLE lookups (
	hash         BYTEA NOT NULL,
	record_id    TEXT NOT NULL,
	principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	PRIMARY KEY (hash, record_id)
);
CREATE INDEX lookups_principal ON lookups (principal_id);

-- 利用停止 (APPI Art. 35): purposes a principal has stopped; '*' is all.
CREATE TABLE suspensions (
	principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	purpose      TEXT NOT NULL,
	since        BIGINT NOT NULL,
	PRIMARY KEY (principal_id, purpose)
);

-- What remains of an erased principal: nothing about the person.
CREATE TABLE erasures (
	principal_id TEXT PRIMARY KEY,
	erased_at    BIGINT NOT NULL,
	actor        TEXT NOT NULL,
	records      INTEGER NOT NULL,
	reason       TEXT NOT NULL
);

-- Uses under a legal exception (APPI Art. 18(3)), for the protection
-- manager's review. The justification and note are sealed with the KEK.
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
