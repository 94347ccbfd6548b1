-- hogo schema 6: the processor register (委託先管理台帳, APPI Art. 25) and
-- receipt records (確認記録, APPI Art. 30, 則24). Both are about businesses,
-- not persons: plain columns. Every row is inserted once and never changed;
-- what is in force is the newest. A receipt names principals only by
-- their vault IDs.

CREATE TABLE processor_contracts (
	id           TEXT PRIMARY KEY,
	processor_id TEXT NOT NULL,
	signed_on    TEXT NOT NULL,
	reference    TEXT NOT NULL DEFAULT '',
	ends_on      TEXT NOT NULL DEFAULT '',
	nda          INTEGER NOT NULL DEFAULT 0,
	nda_on       TEXT NOT NULL DEFAULT '',
	recorded_at  INTEGER NOT NULL,
	recorded_by  TEXT NOT NULL
);
CREATE INDEX processor_contracts_processor ON processor_contracts (processor_id, id);

CREATE TABLE processor_reviews (
	id              TEXT PRIMARY KEY,
	processor_id    TEXT NOT NULL,
	kind            TEXT NOT NULL,
	reviewed_on     TEXT NOT NULL,
	grade           TEXT NOT NULL DEFAULT '',
	evaluator       TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',
	interval_months INTEGER NOT NULL,
	recorded_at     INTEGER NOT NULL,
	recorded_by     TEXT NOT NULL
);
CREATE INDEX processor_reviews_processor ON processor_reviews (processor_id, id);

CREATE TABLE processor_subentrustments (
	id           TEXT PRIMARY KEY,
	processor_id TEXT NOT NULL,
	name         TEXT NOT NULL,
	scope        TEXT NOT NULL,
	approved_on  TEXT NOT NULL,
	approved_by  TEXT NOT NULL,
	recorded_at  INTEGER NOT NULL,
	recorded_by  TEXT NOT NULL
);
CREATE INDEX processor_subentrustments_processor ON processor_subentrustments (processor_id, id);

CREATE TABLE receipts (
	id                      TEXT PRIMARY KEY,
	provider_name           TEXT NOT NULL,
	provider_address        TEXT NOT NULL,
	provider_corporation    INTEGER NOT NULL DEFAULT 0,
	provider_representative TEXT NOT NULL DEFAULT '',
	acquisition             TEXT NOT NULL,
	source                  TEXT NOT NULL DEFAULT '',
	received_on             TEXT NOT NULL,
	category                TEXT NOT NULL,
	items                   TEXT NOT NULL,   -- space-separated item IDs
	principals              INTEGER NOT NULL,
	basis                   TEXT NOT NULL,
	optout_published        INTEGER NOT NULL DEFAULT 0,
	consent_confirmed       INTEGER NOT NULL DEFAULT 0,
	cross_border            INTEGER NOT NULL DEFAULT 0,
	foreign_info_given      INTEGER NOT NULL DEFAULT 0,
	record_method           TEXT NOT NULL,
	recorded_at             INTEGER NOT NULL,
	actor                   TEXT NOT NULL,
	retain_until            TEXT NOT NULL
);
CREATE TABLE receipt_principals (
	principal_id TEXT NOT NULL,
	receipt_id   TEXT NOT NULL,
	PRIMARY KEY (principal_id, receipt_id)
);
CREATE INDEX receipt_principals_receipt ON receipt_principals (receipt_id);
