-- hogo schema 1: settings, staff, sessions, tokens, the audit chain.
-- Times are Unix nanoseconds (UTC); hashes and signatures are raw bytes.

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'desk', 'staff', 'auditor')),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	last_login_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
	id_hash    BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	remote_ip  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	hash         BLOB NOT NULL UNIQUE,
	prefix       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL DEFAULT 0,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	revoked      INTEGER NOT NULL DEFAULT 0
);

-- The audit chain, stored in blocks: each row holds the entries of one
-- append (up to a fixed number), their canonical bodies each followed by a
-- newline (bodies are compact JSON and never contain one) and their 32-byte
-- hashes, so that appends write and verification reads few rows. seq is the
-- first entry's number, n how many the block holds, at the first entry's time.
CREATE TABLE audit_log (
	seq    INTEGER PRIMARY KEY,
	n      INTEGER NOT NULL CHECK (n > 0),
	at     INTEGER NOT NULL,
	bodies BLOB NOT NULL,
	hashes BLOB NOT NULL
);

CREATE TABLE audit_head (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	seq       INTEGER NOT NULL,
	hash      BLOB NOT NULL,
	signature BLOB NOT NULL
);
INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, 0, zeroblob(32), X'');

CREATE TABLE audit_checkpoints (
	seq       INTEGER PRIMARY KEY,
	hash      BLOB NOT NULL,
	at        INTEGER NOT NULL,
	key_id    TEXT NOT NULL,
	signature BLOB NOT NULL
);

-- Append-only: the application never updates or deletes audit entries.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
