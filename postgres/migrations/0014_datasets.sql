-- hogo schema 14: anonymised information created from the vault (匿名加工
-- 情報, APPI Art. 43; 則34–36). One row per creation: the published item
-- categories, the steps of 則34, the report; the processing-method
-- information sealed under a data key of its own (kept apart from the
-- data, read by the protection manager only); the anonymised table as
-- gzip-compressed CSV; the provisions to third parties.

CREATE TABLE datasets (
	id           TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	category     TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	items        TEXT NOT NULL,  -- JSON: the published item categories
	steps        TEXT NOT NULL,  -- JSON: the steps of 則34 taken
	report       TEXT NOT NULL,  -- JSON: models, generalisation, risk, utility
	rows_out     INTEGER NOT NULL,
	suppressed   INTEGER NOT NULL,
	created_at   BIGINT NOT NULL,
	actor        TEXT NOT NULL,
	published_at BIGINT NOT NULL
);

CREATE TABLE dataset_methods (
	dataset_id TEXT PRIMARY KEY REFERENCES datasets (id),
	method_key BYTEA NOT NULL,
	method     BYTEA NOT NULL
);

CREATE TABLE dataset_data (
	dataset_id TEXT PRIMARY KEY REFERENCES datasets (id),
	data       BYTEA NOT NULL
);

-- Provisions to third parties (Art. 43(4)): the items and the method of
-- provision published, the recipient told in writing.
CREATE TABLE dataset_provisions (
	id                TEXT PRIMARY KEY,
	dataset_id        TEXT NOT NULL REFERENCES datasets (id),
	recipient         TEXT NOT NULL,
	recipient_address TEXT NOT NULL,
	method            TEXT NOT NULL,
	provided_on       TEXT NOT NULL,
	created_at        BIGINT NOT NULL,
	actor             TEXT NOT NULL,
	published_at      BIGINT NOT NULL
);
CREATE INDEX dataset_provisions_dataset ON dataset_provisions (dataset_id, created_at);
