-- hogo schema 1: settings, staff, sessions, tokens, the audit chain.
-- Times are Unix nanoseconds (UTC); hashes and signatures are raw bytes.

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE users (
	id            BIGSERIAL PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'desk', 'staff', 'auditor')),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	last_login_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
	id_hash    BYTEA PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	remote_ip  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id           BIGSERIAL PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	hash         BYTEA NOT NULL UNIQUE,
	prefix       TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL DEFAULT 0,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	revoked      INTEGER NOT NULL DEFAULT 0
);

-- The audit chain, stored in blocks: each row holds the entries of one
-- append (up to a fixed number), their canonical bodies each followed by a
-- newline (bodies are compact JSON and never contain one) and their 32-byte
-- hashes, so that appends write and verification reads few rows. seq is the
-- first entry's number, n how many the block holds, at the first entry's time.
CREATE TABLE audit_log (
	seq    BIGINT PRIMARY KEY,
	n      INTEGER NOT NULL CHECK (n > 0),
	at     BIGINT NOT NULL,
	bodies BYTEA NOT NULL,
	hashes BYTEA NOT NULL
);

CREATE TABLE audit_head (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	seq       BIGINT NOT NULL,
	hash      BYTEA NOT NULL,
	signature BYTEA NOT NULL
);
INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, 0, decode(repeat('00', 32), 'hex'), ''::bytea);

CREATE TABLE audit_checkpoints (
	seq       BIGINT PRIMARY KEY,
	hash      BYTEA NOT NULL,
	at        BIGINT NOT NULL,
	key_id    TEXT NOT NULL,
	signature BYTEA NOT NULL
);

-- Append-only: the application never updates or deletes audit entries.
CREATE FUNCTION hogo_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION hogo_audit_append_only();
