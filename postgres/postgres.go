// Package postgres is hogo's store for several nodes: PostgreSQL through
// pgx. Unlike SQLite it does not migrate on open: run "hogo migrate" or
// start with --migrate, and a node refuses to serve an older schema.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"hogo.example.jp/hogo/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// Open connects to the database at url. It does not migrate.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	cfg, err := pgxConfig(url)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return wrap(db), nil
}

func wrap(db *sql.DB) *sqlstore.DB {
	return &sqlstore.DB{
		Write: db, Read: db, Migrations: Migrations(), Now: time.Now,
		Dialect: sqlstore.Dialect{
			Name:       "postgres",
			LockHead:   " FOR UPDATE",
			MaxParams:  65535,
			InsertRows: 500,
			IsUnique: func(err error) bool {
				var pe *pgconn.PgError
				return errors.As(err, &pe) && pe.Code == "23505"
			},
		},
	}
}

// CreateSchema makes a new schema named name in the database at url and
// returns a URL whose connections use it, and a function that drops it.
// Tests use it so that packages running in parallel do not meet.
func CreateSchema(ctx context.Context, url, name string) (string, func(), error) {
	cfg, err := pgxConfig(url)
	if err != nil {
		return "", nil, err
	}
	admin := stdlib.OpenDB(*cfg)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+quoteIdent(name)); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	sep := "?"
	if containsQuery(url) {
		sep = "&"
	}
	drop := func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+quoteIdent(name)+` CASCADE`)
		admin.Close()
	}
	return url + sep + "search_path=" + name, drop, nil
}

func containsQuery(u string) bool {
	for i := 0; i < len(u); i++ {
		if u[i] == '?' {
			return true
		}
	}
	return false
}

func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
