-- hogo schema 13: the published privacy notice's versions. Every ledger
-- change that alters the notice's text makes a new version, numbered from
-- 1, with the text as published in both languages; records and consents
-- keep the digest of the ledger in force, and notice_ledgers says which
-- version that ledger showed.

CREATE TABLE notice_versions (
	version     BIGINT PRIMARY KEY,   -- 1, 2, … in the order first published
	digest      TEXT NOT NULL UNIQUE, -- hex SHA-256 of markdown_ja: one text, one version
	effective   TEXT NOT NULL,        -- the ledger's effective_date, YYYY-MM-DD ('' when not given)
	created_at  BIGINT NOT NULL,
	revision    TEXT NOT NULL,        -- the ledger's revision
	markdown_ja TEXT NOT NULL,
	markdown_en TEXT NOT NULL
);

CREATE TABLE notice_ledgers (
	ledger_digest TEXT PRIMARY KEY,   -- ledger.Digest of the YAML: records' and consents' notice_version
	version       BIGINT NOT NULL REFERENCES notice_versions (version)
);
