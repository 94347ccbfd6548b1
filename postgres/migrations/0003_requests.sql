-- hogo schema 3: rights requests (開示等の請求). The requester's details
-- are sealed; receipt numbers are random; the secret is kept as a hash.

CREATE TABLE requests (
	id             TEXT PRIMARY KEY,
	receipt_number TEXT NOT NULL UNIQUE,
	secret_hash    BYTEA NOT NULL,
	types          TEXT NOT NULL,   -- request types, space-separated
	channel        TEXT NOT NULL,
	requester_kind TEXT NOT NULL CHECK (requester_kind IN ('principal', 'agent')),
	requester      BYTEA NOT NULL,   -- sealed
	status         TEXT NOT NULL,
	missing        TEXT NOT NULL DEFAULT '',
	received_on    TEXT NOT NULL,   -- YYYY-MM-DD, Tokyo
	due_on         TEXT NOT NULL,
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX requests_due ON requests (status, due_on);
