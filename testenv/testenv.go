// Package testenv is what the services' tests share: a fresh SQLite store,
// an audit log over it, the example ledger of a staffing company and a
// vault, built the way cmd/hogo builds them. Only tests import it.
package testenv

import (
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// Env is one test's store, audit log, ledger and vault.
type Env struct {
	Ctx    context.Context
	DB     *sqlstore.DB
	Log    *audit.Log
	Ledger *ledger.Ledger
	// YAML is the ledger's text; LedgerFunc gives the ledger with its
	// digest, as services take it.
	YAML  []byte
	Keys  *vault.Keys
	Vault *vault.Service
}

// New makes an Env over the example ledger staffing.yaml; everything is
// closed when the test ends.
func New(tb testing.TB) *Env {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	key, err := audit.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	log := audit.NewLog(db, key)
	tb.Cleanup(func() { log.Close() }) // runs before db.Close
	e := &Env{Ctx: ctx, DB: db, Log: log}
	e.Ledger, e.YAML = Ledger(tb, "staffing.yaml")
	if e.Keys, err = vault.GenerateKeys(); err != nil {
		tb.Fatal(err)
	}
	e.Vault = vault.NewService(db, log, e.Keys, e.LedgerFunc())
	return e
}

// LedgerFunc returns the Env's ledger and its digest.
func (e *Env) LedgerFunc() func() (*ledger.Ledger, string) {
	d := ledger.Digest(e.YAML)
	return func() (*ledger.Ledger, string) { return e.Ledger, d }
}

// Ledger loads an example ledger (examples/ledgers/NAME), which must be
// valid.
func Ledger(tb testing.TB, name string) (*ledger.Ledger, []byte) {
	tb.Helper()
	data, err := examples.Ledgers.ReadFile("ledgers/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(name, data)
	if l == nil {
		tb.Fatalf("%s: %v", name, ps.Errors())
	}
	return l, data
}

// Clock is a clock a test moves; services take its Now.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// At sets the clock to a Tokyo wall-clock time, "2026-12-04 18:00", and
// returns it.
func (c *Clock) At(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hogo.Tokyo)
	if err != nil {
		panic(err)
	}
	c.T = t
	return t
}
