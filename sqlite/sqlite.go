// Package sqlite is hogo's embedded store: pure-Go SQLite in a data
// directory, with one writer connection and a pool of readers, WAL, a busy
// timeout and foreign keys. It migrates on open.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"hogo.example.jp/hogo/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database file inside the data directory.
const FileName = "hogo.db"

// Migrations returns the embedded migrations.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

func dsn(path string, readOnly bool) string {
	// busy_timeout must come before journal_mode so that switching to WAL
	// waits for other processes instead of failing.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// FULL: a commit is on disk when it returns; the audit log
	// acknowledges writes only then. Group commit keeps it cheap.
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// No mmap: the audit log appends all the time, and a mapped file that
		// grows is unmapped and mapped again by every read transaction.
		q.Add("_pragma", "cache_size(-32768)")
	} else {
		q.Set("_txlock", "immediate")
		// The one writer keeps the hot pages of the tables and indexes
		// it inserts into (128 MiB at most).
		q.Add("_pragma", "cache_size(-131072)")
		// Statement and savepoint journals in memory, not temporary
		// files: a multi-row insert writes one whenever it could fail
		// half-way.
		q.Add("_pragma", "temp_store(2)")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Open opens (creating if needed) the store in dir and migrates it.
func Open(ctx context.Context, dir string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db := &sqlstore.DB{
		Write: w, Read: r, Migrations: Migrations(), Now: time.Now,
		Dialect: sqlstore.Dialect{
			Name:      "sqlite",
			MaxParams: 32766, InsertRows: 256, Anonymous: true,
			IsUnique: func(err error) bool {
				return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
			},
		},
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

// Backup writes a consistent copy of the store to out with VACUUM INTO,
// which reads one snapshot while the server goes on writing.
func Backup(ctx context.Context, db *sqlstore.DB, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", out)
	}
	// VACUUM INTO takes no bound parameter for the file name: quote it.
	quoted := "'" + strings.ReplaceAll(abs, "'", "''") + "'"
	if _, err := db.Write.ExecContext(ctx, "VACUUM INTO "+quoted); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return nil
}
