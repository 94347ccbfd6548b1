-- hogo schema 5: consents (同意) and third-party provision records (提供記録,
-- APPI Art. 29). A consent names purposes and recipients with the
-- fingerprint of their wording. A provision record keeps, sealed, the
-- names of the principals and the export that went out.

-- The principal's consents not withdrawn, serialised, so that a read needs
-- no second query to decide a purpose that needs consent.
ALTER TABLE principals ADD COLUMN consents TEXT NOT NULL DEFAULT '';

CREATE TABLE consents (
	id             TEXT PRIMARY KEY,
	principal_id   TEXT NOT NULL,
	purposes       TEXT NOT NULL,   -- space-separated purpose IDs
	recipients     TEXT NOT NULL,   -- space-separated recipient IDs
	terms          TEXT NOT NULL,   -- key=digest, space-separated
	notice_version TEXT NOT NULL,
	method         TEXT NOT NULL,
	witness        TEXT NOT NULL DEFAULT '',
	given_at       INTEGER NOT NULL,
	recorded_by    TEXT NOT NULL,
	expires_at     INTEGER NOT NULL DEFAULT 0,
	withdrawn_at   INTEGER NOT NULL DEFAULT 0,
	withdrawn_by   TEXT NOT NULL DEFAULT '',
	withdrawn_via  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_principal ON consents (principal_id, id);

CREATE TABLE provisions (
	id             TEXT PRIMARY KEY,
	recipient      TEXT NOT NULL,
	basis          TEXT NOT NULL,
	exception      TEXT NOT NULL DEFAULT '',
	justification  BLOB,
	foreign_basis  TEXT NOT NULL DEFAULT '',
	category       TEXT NOT NULL,
	items          TEXT NOT NULL,
	principals     INTEGER NOT NULL,
	identities     BLOB NOT NULL,
	record_method  TEXT NOT NULL,
	provided_at    INTEGER NOT NULL,
	actor          TEXT NOT NULL,
	retain_until   TEXT NOT NULL,
	export_format  TEXT NOT NULL,
	export_sha256  TEXT NOT NULL,
	export         BLOB NOT NULL
);
CREATE TABLE provision_principals (
	principal_id TEXT NOT NULL,
	provision_id TEXT NOT NULL,
	PRIMARY KEY (principal_id, provision_id)
);
