// Package sqlstore implements hogo's storage interfaces over database/sql.
// The SQL is written once, with $N placeholders that both SQLite and
// PostgreSQL accept; the adapters sqlite/ and postgres/ open the connections,
// carry their own migrations and say how the audit chain is locked. Only
// cmd/hogo and tests choose an adapter.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"hogo.example.jp/hogo"
)

// Dialect is what differs between the databases.
type Dialect struct {
	Name string
	// LockHead is appended to the SELECT of the audit head inside the
	// append transaction: " FOR UPDATE" on PostgreSQL; empty on SQLite,
	// whose write transactions begin IMMEDIATE and so are serialised.
	LockHead string
	// MaxParams bounds the placeholders in one statement.
	MaxParams int
	// InsertRows is the number of rows per multi-row INSERT that runs
	// fastest on the driver (binding cost grows faster than linearly with
	// the number of placeholders on some drivers).
	InsertRows int
	// Anonymous says bulk statements use ? placeholders: SQLite binds $N
	// parameters by name, a cost that grows with the square of their
	// number in one statement.
	Anonymous bool
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(error) bool
}

// DB is a hogo.Store over database/sql. Writes go through Write and reads
// through Read; on PostgreSQL both are the same pool, on SQLite Write is the
// one writer connection and Read a pool of readers.
type DB struct {
	Write, Read *sql.DB
	Dialect     Dialect
	Migrations  fs.FS
	// Now returns the current time; tests replace it.
	Now func() time.Time

	// stmts caches prepared statements of hot reads on Read, and wstmts
	// of hot writes on Write, by query.
	stmts, wstmts sync.Map
}

// writeStmt returns a cached prepared statement of Write, preparing it if
// needed; call it outside a transaction (SQLite's Write has one
// connection, which a transaction holds).
func (db *DB) writeStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.wstmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.Write.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if old, loaded := db.wstmts.LoadOrStore(q, st); loaded {
		st.Close()
		st = old.(*sql.Stmt)
	}
	return st, nil
}

// txStmt returns the statement prepared by writeStmt for use in tx, or nil
// when it was not prepared beforehand.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if st, ok := db.wstmts.Load(q); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt))
	}
	return nil
}

// prepared returns the cached prepared statement for a read query, so that
// hot reads skip parsing and planning (database/sql prepares it once per
// connection of the pool).
func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.Read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if old, loaded := db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// queryRow runs a cached prepared read returning one row.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := db.prepared(ctx, q)
	if err != nil {
		return db.Read.QueryRowContext(ctx, q, args...) // reports the error
	}
	return st.QueryRowContext(ctx, args...)
}

var _ hogo.Store = (*DB)(nil)

// Close closes both pools.
func (db *DB) Close() error {
	for _, m := range []*sync.Map{&db.stmts, &db.wstmts} {
		m.Range(func(_, v any) bool {
			v.(*sql.Stmt).Close()
			return true
		})
	}
	err := db.Write.Close()
	if db.Read != db.Write {
		if e := db.Read.Close(); err == nil {
			err = e
		}
	}
	return err
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// migration is one embedded migration file, NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		v, err := strconv.Atoi(strings.SplitN(n, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number, e.g. 0002_add_x.sql", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, n, string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 1, 2, 3… without gaps", m.name)
		}
	}
	return ms, nil
}

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// Migrate applies the migrations not yet applied, each in its own
// transaction, in order. It returns how many it applied.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	ms, err := loadMigrations(db.Migrations)
	if err != nil {
		return 0, err
	}
	if _, err := db.Write.ExecContext(ctx, createMigrations); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range ms {
		done, err := db.applyOne(ctx, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied++
		}
	}
	return applied, nil
}

func (db *DB) applyOne(ctx context.Context, m migration) (bool, error) {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if db.Dialect.Name == "postgres" {
		// Several nodes may start at once: one migrates, the others wait.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(72710001)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, db.Now().UnixNano()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// SchemaVersion returns the applied version and the version this binary
// carries.
func (db *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := loadMigrations(db.Migrations)
	if err != nil {
		return 0, 0, err
	}
	want = len(ms)
	var v sql.NullInt64
	err = db.Read.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		// No table yet: nothing applied.
		return 0, want, nil
	}
	return int(v.Int64), want, nil
}

// CheckSchema returns an error with code ESCHEMA unless the database is at
// exactly the version this binary expects.
func (db *DB) CheckSchema(ctx context.Context) error {
	have, want, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case have < want:
		return hogo.NewError(hogo.ESCHEMA, "", "データベースのスキーマはバージョン%dですが、この hogo にはバージョン%dが必要です。先に「hogo migrate」を実行してください（または --migrate を付けて起動）", "the database schema is at version %d but this hogo needs version %d; run \"hogo migrate\" (or start with --migrate) first", have, want)
	case have > want:
		return hogo.NewError(hogo.ESCHEMA, "", "データベースのスキーマ（バージョン%d）はこの hogo（バージョン%d）より新しいため、新しい hogo を使ってください", "the database schema is at version %d, newer than this hogo (version %d); run a newer hogo", have, want)
	}
	return nil
}

// GetSetting returns a setting, or a not_found error.
func (db *DB) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.Read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", hogo.Errorf(hogo.ENOTFOUND, "setting %q is not set", key)
	}
	return v, err
}

// PutSetting sets a setting.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	_, err := db.Write.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, db.Now().UnixNano())
	return err
}

// ListSettings returns the settings whose keys start with prefix.
func (db *DB) ListSettings(ctx context.Context, prefix string) (map[string]string, error) {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix)
	rows, err := db.Read.QueryContext(ctx, `SELECT key, value FROM settings WHERE key LIKE $1 ESCAPE '\'`, esc+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// PutSettingIfAbsent stores value unless key is set, and returns the value
// stored.
func (db *DB) PutSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO NOTHING`, key, value, db.Now().UnixNano()); err != nil {
		return "", err
	}
	var v string
	err := db.Write.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	return v, err
}
