package sqlite_test

import (
	"context"
	"testing"

	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) (*sqlstore.DB, func(t *testing.T) *sqlstore.DB) {
			dir := t.TempDir()
			open := func(t *testing.T) *sqlstore.DB {
				db, err := sqlite.Open(context.Background(), dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			return open(t), open
		},
		DropGuards: []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`, `PRAGMA ignore_check_constraints = ON`},
	})
}
