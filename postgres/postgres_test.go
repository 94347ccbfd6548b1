package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/storetest"
)

var schemas atomic.Int64

// open makes a schema of its own for the test, migrated.
func open(t *testing.T) (*sqlstore.DB, func(t *testing.T) *sqlstore.DB) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	ctx := context.Background()
	name := fmt.Sprintf("hogo_t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemas.Add(1))
	url, drop, err := postgres.CreateSchema(ctx, base, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	reopen := func(t *testing.T) *sqlstore.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := reopen(t)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, reopen
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open:       open,
		DropGuards: []string{`DROP TRIGGER audit_log_append_only ON audit_log`, `ALTER TABLE audit_log DROP CONSTRAINT audit_log_n_check`},
	})
}

func TestRefusesOlderSchema(t *testing.T) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	url, drop, err := postgres.CreateSchema(ctx, base, fmt.Sprintf("hogo_old_%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err == nil {
		t.Fatal("an unmigrated database was accepted")
	}
}
