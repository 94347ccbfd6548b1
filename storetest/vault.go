package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/sqlstore"
)

// testVault is the vault's part of the suite: principals, records,
// lookups, erasure, suspensions and exception uses, all written through
// audit.Log.Write with the store's own hogo.Tx, so that every change commits
// with its audit entries or not at all.
func testVault(t *testing.T, h Harness) {
	t.Run("PrincipalsAndRecords", func(t *testing.T) { testVaultPrincipals(t, h) })
	t.Run("UpdateRecord", func(t *testing.T) { testVaultUpdate(t, h) })
	t.Run("Erase", func(t *testing.T) { testVaultErase(t, h) })
	t.Run("Suspensions", func(t *testing.T) { testVaultSuspensions(t, h) })
	t.Run("ExceptionUses", func(t *testing.T) { testVaultExceptions(t, h) })
	t.Run("RewrapKey", func(t *testing.T) { testVaultRewrap(t, h) })
	t.Run("Atomic", func(t *testing.T) { testVaultAtomic(t, h) })
	t.Run("Concurrent", func(t *testing.T) { testVaultConcurrent(t, h) })
}

// vid returns a fixed ID of the form vault IDs have (26 characters of
// 0-9a-v), starting with kind so that principals and records differ.
func vid(kind byte, n int) string { return fmt.Sprintf("%c%025d", kind, n) }

// blind returns a stand-in for a blind index: 16 bytes derived from s.
func blind(s string) []byte {
	b := make([]byte, 16)
	copy(b, s)
	for i := len(s); i < 16; i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// vaultTime is a time with nanoseconds, in Tokyo, to check that times
// round-trip as the same instant.
var vaultTime = time.Date(2026, 4, 1, 9, 30, 15, 123456789, time.FixedZone("JST", 9*60*60))

type vaultFixture struct {
	db  *sqlstore.DB
	log *audit.Log
	key *audit.Key
	ctx context.Context
}

func newVaultFixture(t *testing.T, h Harness) *vaultFixture {
	t.Helper()
	db, _ := h.Open(t)
	key, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &vaultFixture{db: db, log: newLog(t, db, key), key: key, ctx: context.Background()}
}

// write runs apply with one audit entry naming principal.
func (f *vaultFixture) write(principal string, apply func(context.Context, hogo.Tx) error) error {
	e := hogo.SystemActor.Entry("vault.test")
	e.Principal = principal
	return f.log.Write(f.ctx, apply, e)
}

func (f *vaultFixture) mustWrite(t *testing.T, principal string, apply func(context.Context, hogo.Tx) error) {
	t.Helper()
	if err := f.write(principal, apply); err != nil {
		t.Fatal(err)
	}
}

func (f *vaultFixture) count(t *testing.T) (principals, entries int64) {
	t.Helper()
	p, err := f.db.CountPrincipals(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.db.CountAudit(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p, a
}

func (f *vaultFixture) find(t *testing.T, lookup []byte, limit int) []string {
	t.Helper()
	ids, err := f.db.FindPrincipals(f.ctx, lookup, limit)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func (f *vaultFixture) rows(t *testing.T, table, principal string) int {
	t.Helper()
	var n int
	if err := f.db.Read.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM `+table+` WHERE principal_id = $1`, principal).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *vaultFixture) verify(t *testing.T) {
	t.Helper()
	res, err := audit.VerifyStore(f.ctx, f.db, f.key.Public(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("audit chain does not verify: %v", res.Problem)
	}
}

func newRecord(principal string, n int, category string, purposes []string, lookups ...[]byte) *hogo.Record {
	at := vaultTime.Add(time.Duration(n) * time.Minute)
	return &hogo.Record{ID: vid('r', n), PrincipalID: principal, Category: category, Source: "web_form",
		AcquiredAt: at.Add(-time.Hour), Purposes: purposes, NoticeVersion: "sha256:notice-" + fmt.Sprint(n),
		Sealed: []byte(fmt.Sprintf("sealed-%d\x00\xff", n)), Lookups: lookups, CreatedAt: at, UpdatedAt: at}
}

func newPrincipal(n int, records ...*hogo.Record) *hogo.Principal {
	p := &hogo.Principal{ID: vid('p', n), WrappedKey: []byte(fmt.Sprintf("wrapped-%d\x00\x01", n)),
		CreatedAt: vaultTime, UpdatedAt: vaultTime.Add(time.Second)}
	for _, r := range records {
		r.PrincipalID = p.ID
	}
	p.Records = records
	return p
}

func sameRecord(t *testing.T, got, want *hogo.Record) {
	t.Helper()
	wantVersion := max(want.Version, 1)
	if got.ID != want.ID || got.PrincipalID != want.PrincipalID || got.Category != want.Category || got.Source != want.Source ||
		!got.AcquiredAt.Equal(want.AcquiredAt) || !slices.Equal(got.Purposes, want.Purposes) || got.NoticeVersion != want.NoticeVersion ||
		!bytes.Equal(got.Sealed, want.Sealed) || got.Version != wantVersion || !got.CreatedAt.Equal(want.CreatedAt) ||
		!got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("record %s read back as\n%+v\nwant\n%+v", want.ID, got, want)
	}
	if len(got.Lookups) != 0 {
		t.Fatalf("record %s: lookups are never read back, got %d", got.ID, len(got.Lookups))
	}
}

func testVaultPrincipals(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	email, phone, kana := blind("email:1"), blind("phone:1"), blind("kana:shared")
	// Records are given out of ID order; they come back in ID order.
	r3 := newRecord("", 3, "applicant", []string{"recruitment_selection"}, kana)
	r1 := newRecord("", 1, "job_seeker", []string{"job_matching", "labour_management", "marketing"}, email, phone, email)
	r2 := newRecord("", 2, "job_seeker", nil)
	r2.Version = 4
	p1 := newPrincipal(1, r3, r1, r2)
	p2 := newPrincipal(2, newRecord("", 10, "job_seeker", []string{"job_matching"}, kana))
	p3 := newPrincipal(3) // no records
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{p1, p2, p3})
	})
	if n, a := f.count(t); n != 3 || a != 1 {
		t.Fatalf("after insert: %d principals, %d audit entries; want 3 and 1", n, a)
	}

	got, err := f.db.GetPrincipal(ctx, p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p1.ID || !bytes.Equal(got.WrappedKey, p1.WrappedKey) || !got.CreatedAt.Equal(p1.CreatedAt) ||
		!got.UpdatedAt.Equal(p1.UpdatedAt) || len(got.Suspended) != 0 {
		t.Fatalf("GetPrincipal = %+v", got)
	}
	if len(got.Records) != 3 {
		t.Fatalf("GetPrincipal: %d records, want 3", len(got.Records))
	}
	for i, want := range []*hogo.Record{r1, r2, r3} {
		sameRecord(t, got.Records[i], want)
	}
	if len(got.Records[1].Purposes) != 0 {
		t.Fatalf("empty purposes read back as %q", got.Records[1].Purposes)
	}
	if got, _ := f.db.GetPrincipal(ctx, p3.ID); got == nil || len(got.Records) != 0 {
		t.Fatalf("principal without records = %+v", got)
	}
	_, err = f.db.GetPrincipal(ctx, vid('p', 99))
	wantCode(t, err, hogo.ENOTFOUND)
	var er *hogo.Erasure
	if errors.As(err, &er) {
		t.Fatal("a principal that never existed reads as erased")
	}

	// Lookups: a repeated index of one record is stored once; an index
	// shared by two principals finds both, in ID order, within the limit.
	if ids := f.find(t, email, 10); !slices.Equal(ids, []string{p1.ID}) {
		t.Fatalf("find by e-mail = %v", ids)
	}
	if ids := f.find(t, phone, 10); !slices.Equal(ids, []string{p1.ID}) {
		t.Fatalf("find by phone = %v", ids)
	}
	if ids := f.find(t, kana, 10); !slices.Equal(ids, []string{p1.ID, p2.ID}) {
		t.Fatalf("find by shared kana = %v", ids)
	}
	if ids := f.find(t, kana, 1); !slices.Equal(ids, []string{p1.ID}) {
		t.Fatalf("find with limit 1 = %v", ids)
	}
	if ids := f.find(t, blind("nobody"), 10); len(ids) != 0 {
		t.Fatalf("find by an unknown index = %v", ids)
	}

	// Keys in ID order, in pages.
	keys, err := f.db.PrincipalKeys(ctx, "", 2)
	if err != nil || len(keys) != 2 || keys[0].ID != p1.ID || keys[1].ID != p2.ID || !bytes.Equal(keys[1].WrappedKey, p2.WrappedKey) {
		t.Fatalf("PrincipalKeys first page = %+v, %v", keys, err)
	}
	keys, _ = f.db.PrincipalKeys(ctx, p2.ID, 2)
	if len(keys) != 1 || keys[0].ID != p3.ID {
		t.Fatalf("PrincipalKeys second page = %+v", keys)
	}

	// ScanRecords: one category, in (principal, record) order, with the
	// principal's key.
	var scanned []string
	err = f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{}, 10, func(r *hogo.Record, pr *hogo.Principal) error {
		wrapped, susp := pr.WrappedKey, pr.Suspended
		scanned = append(scanned, r.ID)
		if r.Category != "job_seeker" || len(susp) != 0 {
			t.Errorf("scanned %+v, suspensions %v", r, susp)
		}
		var want []byte
		switch r.PrincipalID {
		case p1.ID:
			want = p1.WrappedKey
		case p2.ID:
			want = p2.WrappedKey
		}
		if !bytes.Equal(wrapped, want) {
			t.Errorf("record %s scanned with the key of another principal", r.ID)
		}
		return nil
	})
	if err != nil || !slices.Equal(scanned, []string{r1.ID, r2.ID, vid('r', 10)}) {
		t.Fatalf("ScanRecords = %v, %v", scanned, err)
	}
	scanned = nil
	f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{PrincipalID: p1.ID, ID: r1.ID}, 1, func(r *hogo.Record, _ *hogo.Principal) error {
		scanned = append(scanned, r.ID)
		return nil
	})
	if !slices.Equal(scanned, []string{r2.ID}) {
		t.Fatalf("ScanRecords after %s, limit 1 = %v", r1.ID, scanned)
	}
	scanned = nil
	f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{PrincipalID: p1.ID, ID: r2.ID}, 10, func(r *hogo.Record, _ *hogo.Principal) error {
		scanned = append(scanned, r.ID)
		return nil
	})
	if !slices.Equal(scanned, []string{vid('r', 10)}) {
		t.Fatalf("ScanRecords after the last record of the first principal = %v", scanned)
	}

	// A principal ID taken already is a conflict, and nothing of the
	// write is stored.
	dup := newPrincipal(1, newRecord("", 50, "job_seeker", nil, blind("dup")))
	err = f.write(dup.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{newPrincipal(4), dup})
	})
	wantCode(t, err, hogo.ECONFLICT)
	if n, a := f.count(t); n != 3 || a != 1 {
		t.Fatalf("after a refused insert: %d principals, %d entries", n, a)
	}
	if ids := f.find(t, blind("dup"), 10); len(ids) != 0 {
		t.Fatalf("lookup of a refused insert stored: %v", ids)
	}

	// InsertRecord: to a missing principal it is not_found; otherwise the
	// record, its lookups and the principal's time are stored.
	orphan := newRecord(vid('p', 98), 60, "job_seeker", nil, blind("orphan"))
	err = f.write(orphan.PrincipalID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRecord(ctx, orphan) })
	wantCode(t, err, hogo.ENOTFOUND)
	if ids := f.find(t, blind("orphan"), 10); len(ids) != 0 {
		t.Fatalf("lookup of a record refused: %v", ids)
	}
	added := newRecord(p3.ID, 61, "business_contact", []string{"client_management", "sales"}, blind("added"))
	f.mustWrite(t, p3.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRecord(ctx, added) })
	got, err = f.db.GetPrincipal(ctx, p3.ID)
	if err != nil || len(got.Records) != 1 {
		t.Fatalf("after InsertRecord: %+v, %v", got, err)
	}
	sameRecord(t, got.Records[0], added)
	if !got.UpdatedAt.Equal(added.UpdatedAt) || !got.CreatedAt.Equal(p3.CreatedAt) {
		t.Fatalf("principal times after InsertRecord: created %v updated %v", got.CreatedAt, got.UpdatedAt)
	}
	if ids := f.find(t, blind("added"), 10); !slices.Equal(ids, []string{p3.ID}) {
		t.Fatalf("find the added record = %v", ids)
	}
	// The same record ID twice is a conflict.
	again := *added
	err = f.write(p3.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRecord(ctx, &again) })
	wantCode(t, err, hogo.ECONFLICT)
	if n, a := f.count(t); n != 3 || a != 2 {
		t.Fatalf("at the end: %d principals, %d entries; want 3 and 2", n, a)
	}
	f.verify(t)
}

func testVaultUpdate(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	oldEmail, phone := blind("old-email"), blind("phone")
	r := newRecord("", 1, "job_seeker", []string{"job_matching"}, oldEmail, phone)
	p := newPrincipal(1, r)
	other := newPrincipal(2, newRecord("", 2, "job_seeker", nil, phone))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{p, other})
	})

	upd := *r
	upd.Version, upd.Sealed, upd.UpdatedAt = 2, []byte("sealed-v2"), vaultTime.Add(time.Hour)
	upd.Lookups = [][]byte{blind("new-email"), phone}
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &upd) })
	got, err := f.db.GetPrincipal(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if gr := got.Records[0]; gr.Version != 2 || string(gr.Sealed) != "sealed-v2" || !gr.UpdatedAt.Equal(upd.UpdatedAt) ||
		!gr.CreatedAt.Equal(r.CreatedAt) || gr.Category != r.Category || !slices.Equal(gr.Purposes, r.Purposes) {
		t.Fatalf("after UpdateRecord: %+v", gr)
	}
	if !got.UpdatedAt.Equal(upd.UpdatedAt) {
		t.Fatalf("principal updated_at = %v, want %v", got.UpdatedAt, upd.UpdatedAt)
	}
	// The lookups were replaced, not added to; other records keep theirs.
	if ids := f.find(t, oldEmail, 10); len(ids) != 0 {
		t.Fatalf("the replaced lookup still finds %v", ids)
	}
	if ids := f.find(t, blind("new-email"), 10); !slices.Equal(ids, []string{p.ID}) {
		t.Fatalf("the new lookup finds %v", ids)
	}
	if ids := f.find(t, phone, 10); !slices.Equal(ids, []string{p.ID, other.ID}) {
		t.Fatalf("the kept lookup finds %v", ids)
	}

	// A change made from version 1 again is stale: conflict, nothing
	// changed, no entry.
	_, before := f.count(t)
	stale := upd
	stale.Sealed, stale.Lookups = []byte("sealed-stale"), [][]byte{blind("stale")}
	err = f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &stale) })
	wantCode(t, err, hogo.ECONFLICT)
	got, _ = f.db.GetPrincipal(ctx, p.ID)
	if string(got.Records[0].Sealed) != "sealed-v2" || got.Records[0].Version != 2 {
		t.Fatalf("a stale update changed the record: %+v", got.Records[0])
	}
	if ids := f.find(t, blind("stale"), 10); len(ids) != 0 {
		t.Fatalf("a stale update stored its lookup: %v", ids)
	}
	if _, after := f.count(t); after != before {
		t.Fatalf("a refused update was audited: %d entries, want %d", after, before)
	}
	// A version from the future is a conflict too.
	future := upd
	future.Version = 9
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &future) }), hogo.ECONFLICT)

	// Missing record, or a record of another principal: not_found.
	missing := upd
	missing.ID, missing.Version = vid('r', 77), 2
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &missing) }), hogo.ENOTFOUND)
	wrongOwner := upd
	wrongOwner.PrincipalID, wrongOwner.Version = other.ID, 3
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &wrongOwner) }), hogo.ENOTFOUND)

	// The next version goes through.
	next := upd
	next.Version, next.Sealed, next.Lookups = 3, []byte("sealed-v3"), nil
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRecord(ctx, &next) })
	if ids := f.find(t, blind("new-email"), 10); len(ids) != 0 {
		t.Fatalf("lookups not removed by an update without lookups: %v", ids)
	}
	if ids := f.find(t, phone, 10); !slices.Equal(ids, []string{other.ID}) {
		t.Fatalf("after dropping every lookup of the record: %v", ids)
	}
	f.verify(t)
}

func testVaultErase(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	shared := blind("shared")
	p1 := newPrincipal(1, newRecord("", 1, "job_seeker", nil, blind("p1"), shared), newRecord("", 2, "applicant", nil, blind("p1b")))
	p2 := newPrincipal(2, newRecord("", 3, "job_seeker", nil, shared))
	p3 := newPrincipal(3, newRecord("", 4, "job_seeker", nil, blind("p3")), newRecord("", 5, "job_seeker", nil),
		newRecord("", 6, "employee", nil))
	p4 := newPrincipal(4)
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{p1, p2, p3, p4})
	})
	for _, p := range []*hogo.Principal{p1, p3} {
		f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error {
			if err := tx.SetSuspension(ctx, p.ID, "marketing", true, vaultTime); err != nil {
				return err
			}
			return tx.SetSuspension(ctx, p.ID, "*", true, vaultTime)
		})
	}

	at := vaultTime.Add(48 * time.Hour)
	// A role allowed only some categories erases nobody with a record in
	// another: checked inside the transaction.
	err := f.write("", func(ctx context.Context, tx hogo.Tx) error {
		_, err := tx.ErasePrincipals(ctx, []string{p1.ID}, at, "desk", []byte("sealed reason"), []string{"job_seeker"})
		return err
	})
	wantCode(t, err, hogo.EPURPOSENOTPERMITTED)
	if _, err := f.db.GetPrincipal(ctx, p1.ID); err != nil {
		t.Fatalf("a refused erasure erased: %v", err)
	}
	var counts []int
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		var err error
		counts, err = tx.ErasePrincipals(ctx, []string{p3.ID, p1.ID, p4.ID}, at, "asakura", []byte("sealed reason"), nil)
		return err
	})
	if !slices.Equal(counts, []int{3, 2, 0}) {
		t.Fatalf("ErasePrincipals counts = %v, want [3 2 0] (in the order given)", counts)
	}
	for i, p := range []*hogo.Principal{p3, p1, p4} {
		_, err := f.db.GetPrincipal(ctx, p.ID)
		wantCode(t, err, hogo.ENOTFOUND)
		var er *hogo.Erasure
		if !errors.As(err, &er) {
			t.Fatalf("erased principal %s: error %v carries no Erasure", p.ID, err)
		}
		if er.PrincipalID != p.ID || !er.At.Equal(at) || er.Actor != "asakura" || er.Records != counts[i] {
			t.Fatalf("tombstone of %s = %+v", p.ID, er)
		}
		for _, table := range []string{"records", "lookups", "suspensions"} {
			if n := f.rows(t, table, p.ID); n != 0 {
				t.Fatalf("erased principal %s still has %d rows in %s", p.ID, n, table)
			}
		}
		var n int
		f.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals WHERE id = $1`, p.ID).Scan(&n)
		if n != 0 {
			t.Fatalf("erased principal %s keeps its row and wrapped key", p.ID)
		}
	}
	if ids := f.find(t, shared, 10); !slices.Equal(ids, []string{p2.ID}) {
		t.Fatalf("shared lookup after erasure = %v", ids)
	}
	for _, l := range []string{"p1", "p1b", "p3"} {
		if ids := f.find(t, blind(l), 10); len(ids) != 0 {
			t.Fatalf("lookup %s of an erased principal still finds %v", l, ids)
		}
	}
	keys, _ := f.db.PrincipalKeys(ctx, "", 10)
	if len(keys) != 1 || keys[0].ID != p2.ID {
		t.Fatalf("keys after erasure = %+v", keys)
	}
	if n, _ := f.count(t); n != 1 {
		t.Fatalf("CountPrincipals after erasure = %d", n)
	}
	var scanned int
	f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{}, 100, func(r *hogo.Record, _ *hogo.Principal) error {
		scanned++
		if r.PrincipalID != p2.ID {
			t.Errorf("ScanRecords returns a record of erased principal %s", r.PrincipalID)
		}
		return nil
	})
	if scanned != 1 {
		t.Fatalf("ScanRecords after erasure: %d records", scanned)
	}

	// One missing principal fails the whole erasure: nothing is erased in
	// that write, and it is not audited.
	_, entries := f.count(t)
	p5 := newPrincipal(5, newRecord("", 7, "job_seeker", nil, blind("p5")))
	f.mustWrite(t, p5.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p5}) })
	entries++
	for _, ids := range [][]string{{p2.ID, vid('p', 404), p5.ID}, {p5.ID, p1.ID}, {p2.ID, p2.ID}} {
		err := f.write("", func(ctx context.Context, tx hogo.Tx) error {
			_, err := tx.ErasePrincipals(ctx, ids, at, "asakura", []byte("sealed reason"), nil)
			return err
		})
		want := hogo.ENOTFOUND
		if ids[0] == ids[1] {
			want = hogo.EINVALID
		}
		wantCode(t, err, want)
		for _, p := range []*hogo.Principal{p2, p5} {
			if got, err := f.db.GetPrincipal(ctx, p.ID); err != nil || len(got.Records) != 1 {
				t.Fatalf("erasure of %v failed but touched %s: %+v, %v", ids, p.ID, got, err)
			}
		}
		if found := f.find(t, blind("p5"), 10); !slices.Equal(found, []string{p5.ID}) {
			t.Fatalf("erasure of %v failed but removed lookups: %v", ids, found)
		}
		if n, a := f.count(t); n != 2 || a != entries {
			t.Fatalf("after a failed erasure: %d principals, %d entries; want 2 and %d", n, a, entries)
		}
	}
	var tombs int
	f.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM erasures`).Scan(&tombs)
	if tombs != 3 {
		t.Fatalf("%d tombstones, want 3", tombs)
	}
	f.verify(t)
}

func testVaultSuspensions(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	p := newPrincipal(1, newRecord("", 1, "job_seeker", nil))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p}) })
	set := func(purpose string, on bool) error {
		return f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error {
			return tx.SetSuspension(ctx, p.ID, purpose, on, vaultTime)
		})
	}
	suspended := func() []string {
		t.Helper()
		got, err := f.db.GetPrincipal(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Suspended
	}
	for _, s := range []string{"marketing", "survey", "*", "marketing"} { // twice: no error, one row
		if err := set(s, true); err != nil {
			t.Fatalf("suspend %s: %v", s, err)
		}
	}
	if got := suspended(); !slices.Equal(got, []string{"*", "marketing", "survey"}) {
		t.Fatalf("Suspended = %q", got)
	}
	var susp []string
	f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{}, 10, func(_ *hogo.Record, pr *hogo.Principal) error {
		s := pr.Suspended
		susp = s
		return nil
	})
	if !slices.Equal(susp, []string{"*", "marketing", "survey"}) {
		t.Fatalf("ScanRecords suspensions = %q", susp)
	}
	for _, s := range []string{"marketing", "*", "statistics"} { // lifting one not set is no error
		if err := set(s, false); err != nil {
			t.Fatalf("resume %s: %v", s, err)
		}
	}
	if got := suspended(); !slices.Equal(got, []string{"survey"}) {
		t.Fatalf("Suspended after resume = %q", got)
	}
	_, before := f.count(t)
	for _, on := range []bool{true, false} {
		err := f.write("", func(ctx context.Context, tx hogo.Tx) error {
			return tx.SetSuspension(ctx, vid('p', 404), "marketing", on, vaultTime)
		})
		wantCode(t, err, hogo.ENOTFOUND)
	}
	if _, after := f.count(t); after != before {
		t.Fatal("a suspension of a missing principal was audited")
	}
}

func testVaultExceptions(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	uses := []*hogo.ExceptionUse{
		{At: vaultTime, ActorID: 7, Actor: "kobayashi", Role: hogo.RoleStaff, PrincipalID: vid('p', 1), Category: "job_seeker",
			Op: "read", Exception: "law", Justification: []byte("sealed\x00justification-1")},
		{At: vaultTime.Add(time.Minute), ActorID: 8, Actor: "asakura", Role: hogo.RoleManager, PrincipalID: vid('p', 2),
			Category: "job_seeker,applicant", Purpose: "marketing", Op: "write", Exception: "life", Justification: []byte("j-2")},
		{At: vaultTime.Add(2 * time.Minute), ActorID: 7, Actor: "kobayashi", Role: hogo.RoleStaff, PrincipalID: vid('p', 3),
			Category: "job_seeker", Op: "read", Exception: "public_health", Justification: []byte("j-3")},
	}
	for _, u := range uses {
		f.mustWrite(t, u.PrincipalID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertExceptionUse(ctx, u) })
		if u.ID == 0 {
			t.Fatal("InsertExceptionUse did not set the ID")
		}
	}
	if !(uses[0].ID < uses[1].ID && uses[1].ID < uses[2].ID) {
		t.Fatalf("IDs not increasing: %d %d %d", uses[0].ID, uses[1].ID, uses[2].ID)
	}
	got, err := f.db.GetExceptionUse(ctx, uses[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	w := uses[1]
	if got.ID != w.ID || !got.At.Equal(w.At) || got.ActorID != w.ActorID || got.Actor != w.Actor || got.Role != w.Role ||
		got.PrincipalID != w.PrincipalID || got.Category != w.Category || got.Purpose != w.Purpose || got.Op != w.Op ||
		got.Exception != w.Exception || !bytes.Equal(got.Justification, w.Justification) || got.Status != hogo.ReviewPending ||
		got.Reviewer != "" || !got.ReviewedAt.IsZero() || len(got.Note) != 0 {
		t.Fatalf("GetExceptionUse = %+v, want %+v", got, w)
	}
	_, err = f.db.GetExceptionUse(ctx, 424242)
	wantCode(t, err, hogo.ENOTFOUND)

	ids := func(status string, limit int) []int64 {
		t.Helper()
		us, err := f.db.ListExceptionUses(ctx, status, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	if got := ids("", 0); !slices.Equal(got, []int64{uses[2].ID, uses[1].ID, uses[0].ID}) {
		t.Fatalf("ListExceptionUses newest first = %v", got)
	}
	if got := ids(hogo.ReviewPending, 2); !slices.Equal(got, []int64{uses[2].ID, uses[1].ID}) {
		t.Fatalf("ListExceptionUses pending, limit 2 = %v", got)
	}

	at := vaultTime.Add(time.Hour)
	review := func(id int64, status string, note []byte) error {
		return f.write("", func(ctx context.Context, tx hogo.Tx) error {
			return tx.ReviewExceptionUse(ctx, id, status, "asakura", note, at)
		})
	}
	if err := review(uses[0].ID, hogo.ReviewApproved, []byte("sealed-note")); err != nil {
		t.Fatal(err)
	}
	if err := review(uses[2].ID, hogo.ReviewRejected, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = f.db.GetExceptionUse(ctx, uses[0].ID)
	if got.Status != hogo.ReviewApproved || got.Reviewer != "asakura" || !got.ReviewedAt.Equal(at) || string(got.Note) != "sealed-note" {
		t.Fatalf("after review: %+v", got)
	}
	_, before := f.count(t)
	// Reviewing twice is a conflict, whatever the decision; the first
	// decision stands and the refused one is not audited.
	wantCode(t, review(uses[0].ID, hogo.ReviewRejected, []byte("other")), hogo.ECONFLICT)
	wantCode(t, review(uses[2].ID, hogo.ReviewRejected, nil), hogo.ECONFLICT)
	wantCode(t, review(424242, hogo.ReviewApproved, nil), hogo.ENOTFOUND)
	if got, _ := f.db.GetExceptionUse(ctx, uses[0].ID); got.Status != hogo.ReviewApproved || string(got.Note) != "sealed-note" {
		t.Fatalf("a second review changed the first: %+v", got)
	}
	if _, after := f.count(t); after != before {
		t.Fatal("refused reviews were audited")
	}
	if got := ids(hogo.ReviewPending, 0); !slices.Equal(got, []int64{uses[1].ID}) {
		t.Fatalf("pending after reviews = %v", got)
	}
	if got := ids(hogo.ReviewApproved, 0); !slices.Equal(got, []int64{uses[0].ID}) {
		t.Fatalf("approved = %v", got)
	}
	if got := ids(hogo.ReviewRejected, 0); !slices.Equal(got, []int64{uses[2].ID}) {
		t.Fatalf("rejected = %v", got)
	}
	// A status outside the three is refused by the store.
	if err := review(uses[1].ID, "maybe", nil); err == nil {
		t.Fatal("a review status outside pending/approved/rejected was stored")
	}
	f.verify(t)
}

func testVaultRewrap(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	p := newPrincipal(1, newRecord("", 1, "job_seeker", nil))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p}) })
	rewrap := func(id string, old, wrapped []byte) (ok bool) {
		t.Helper()
		f.mustWrite(t, id, func(ctx context.Context, tx hogo.Tx) error {
			var err error
			ok, err = tx.RewrapKey(ctx, id, old, wrapped)
			return err
		})
		return ok
	}
	if rewrap(p.ID, []byte("not the stored key"), []byte("new")) {
		t.Fatal("RewrapKey replaced a key that was not the old one")
	}
	if rewrap(vid('p', 404), p.WrappedKey, []byte("new")) {
		t.Fatal("RewrapKey reported a missing principal re-wrapped")
	}
	if !rewrap(p.ID, p.WrappedKey, []byte("new-wrapped")) {
		t.Fatal("RewrapKey did not replace the key")
	}
	got, err := f.db.GetPrincipal(f.ctx, p.ID)
	if err != nil || string(got.WrappedKey) != "new-wrapped" || len(got.Records) != 1 {
		t.Fatalf("after RewrapKey: %+v, %v", got, err)
	}
}

// testVaultAtomic checks that a change and its audit entries commit
// together or not at all.
func testVaultAtomic(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	base := newPrincipal(1, newRecord("", 1, "job_seeker", nil, blind("base")))
	f.mustWrite(t, base.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{base})
	})
	n0, a0 := f.count(t)
	head0, _ := f.db.AuditHead(ctx)

	boom := errors.New("the change failed after its first step")
	p := newPrincipal(2, newRecord("", 2, "job_seeker", nil, blind("lost")))
	e1, e2 := hogo.SystemActor.Entry("principal.create"), hogo.SystemActor.Entry("principal.create")
	err := f.log.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		if err := tx.InsertPrincipals(ctx, []*hogo.Principal{p}); err != nil {
			return err
		}
		if err := tx.SetSuspension(ctx, base.ID, "*", true, vaultTime); err != nil {
			return err
		}
		return boom
	}, e1, e2)
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want the change's error", err)
	}
	_, err = f.db.GetPrincipal(ctx, p.ID)
	wantCode(t, err, hogo.ENOTFOUND)
	if got, _ := f.db.GetPrincipal(ctx, base.ID); len(got.Suspended) != 0 {
		t.Fatalf("a failed change left a suspension: %q", got.Suspended)
	}
	if ids := f.find(t, blind("lost"), 10); len(ids) != 0 {
		t.Fatalf("a failed change left a lookup: %v", ids)
	}
	if n, a := f.count(t); n != n0 || a != a0 {
		t.Fatalf("after a failed change: %d principals, %d entries; want %d and %d", n, a, n0, a0)
	}
	if head, _ := f.db.AuditHead(ctx); head.Seq != head0.Seq || !bytes.Equal(head.Hash, head0.Hash) {
		t.Fatalf("a failed change moved the audit head from %d to %d", head0.Seq, head.Seq)
	}
	if e1.Seq != 0 || e2.Seq != 0 {
		t.Fatalf("entries of a failed change were numbered: %d, %d", e1.Seq, e2.Seq)
	}

	// A store error inside the change (a record for a missing principal
	// after an insert that succeeded) undoes the insert too.
	q := newPrincipal(3)
	err = f.write(q.ID, func(ctx context.Context, tx hogo.Tx) error {
		if err := tx.InsertPrincipals(ctx, []*hogo.Principal{q}); err != nil {
			return err
		}
		return tx.InsertRecord(ctx, newRecord(vid('p', 404), 3, "job_seeker", nil))
	})
	wantCode(t, err, hogo.ENOTFOUND)
	if n, a := f.count(t); n != n0 || a != a0 {
		t.Fatalf("after a failed record insert: %d principals, %d entries; want %d and %d", n, a, n0, a0)
	}

	// A change that succeeds has its entries numbered and stored.
	e3 := hogo.SystemActor.Entry("principal.create")
	e3.Principal = q.ID
	if err := f.log.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{q})
	}, e3); err != nil {
		t.Fatal(err)
	}
	if e3.Seq != a0+1 {
		t.Fatalf("entry of a stored change has seq %d, want %d", e3.Seq, a0+1)
	}
	if n, a := f.count(t); n != n0+1 || a != a0+1 {
		t.Fatalf("after a stored change: %d principals, %d entries", n, a)
	}
	list, err := f.db.ListAudit(ctx, hogo.AuditFilter{Principal: q.ID})
	if err != nil || len(list) != 1 || list[0].Action != "principal.create" {
		t.Fatalf("ListAudit by principal = %+v, %v", list, err)
	}
	f.verify(t)
}

// testVaultConcurrent runs many changes at once, on two handles, a third of
// them failing: exactly the others are stored, each with its entries, and
// the chain verifies. The first change is held until the others are queued,
// so that they share batches and the failures are undone by savepoints
// inside a transaction that commits the rest.
func testVaultConcurrent(t *testing.T, h Harness) {
	const n = 50
	db, reopen := h.Open(t)
	key, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	logs := []*audit.Log{newLog(t, db, key), newLog(t, reopen(t), key)}
	ctx := context.Background()
	applying, release := make(chan struct{}), make(chan struct{})
	boom := errors.New("refused")
	entriesOf := func(i int) int { return 1 + i%3 }
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := newPrincipal(i, newRecord("", i, "job_seeker", []string{"job_matching"}, blind(fmt.Sprintf("c%d", i)), blind("all")))
			var entries []*hogo.AuditEntry
			for k := 0; k < entriesOf(i); k++ {
				e := hogo.SystemActor.Entry("principal.create")
				e.Principal, e.Detail = p.ID, map[string]string{"k": fmt.Sprint(k)}
				entries = append(entries, e)
			}
			if i != 0 {
				<-applying // queue behind change 0, which holds the writer
			}
			errs[i] = logs[i%2].Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
				if i == 0 {
					close(applying)
					<-release
				}
				if err := tx.InsertPrincipals(ctx, []*hogo.Principal{p}); err != nil {
					return err
				}
				if i%3 == 2 {
					return boom
				}
				return nil
			}, entries...)
		}(i)
	}
	<-applying
	time.Sleep(50 * time.Millisecond) // the others queue meanwhile
	close(release)
	wg.Wait()

	wantPrincipals, wantEntries := int64(0), int64(0)
	for i, err := range errs {
		if i%3 == 2 {
			if !errors.Is(err, boom) {
				t.Fatalf("change %d: err %v, want its own error", i, err)
			}
			if _, err := db.GetPrincipal(ctx, vid('p', i)); hogo.ErrorCode(err) != hogo.ENOTFOUND {
				t.Fatalf("failed change %d was stored (err %v)", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		got, err := db.GetPrincipal(ctx, vid('p', i))
		if err != nil || len(got.Records) != 1 {
			t.Fatalf("change %d not stored: %+v, %v", i, got, err)
		}
		wantPrincipals++
		wantEntries += int64(entriesOf(i))
		list, err := db.ListAudit(ctx, hogo.AuditFilter{Principal: vid('p', i)})
		if err != nil || len(list) != entriesOf(i) {
			t.Fatalf("change %d has %d audit entries, want %d (%v)", i, len(list), entriesOf(i), err)
		}
	}
	if got, _ := db.CountPrincipals(ctx); got != wantPrincipals {
		t.Fatalf("%d principals stored, want %d", got, wantPrincipals)
	}
	if got, _ := db.CountAudit(ctx); got != wantEntries {
		t.Fatalf("%d audit entries, want %d", got, wantEntries)
	}
	ids, _ := db.FindPrincipals(ctx, blind("all"), 1000)
	if int64(len(ids)) != wantPrincipals {
		t.Fatalf("shared lookup finds %d principals, want %d", len(ids), wantPrincipals)
	}
	// No entry names a principal whose change failed.
	err = db.ScanAudit(ctx, 0, 0, func(seq int64, body, _ []byte) error {
		e, err := audit.Decode(body)
		if err != nil {
			return err
		}
		for i := 2; i < n; i += 3 {
			if e.Principal == vid('p', i) {
				return fmt.Errorf("entry %d names principal %s, whose change failed", seq, e.Principal)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range logs {
		entries, batches := l.Stats()
		t.Logf("handle %d: %d entries in %d batches", i, entries, batches)
	}
	res, err := audit.VerifyStore(ctx, db, key.Public(), nil)
	if err != nil || !res.OK() || res.Count != wantEntries {
		t.Fatalf("verify: count %d, problem %v, err %v", res.Count, res.Problem, err)
	}
}
