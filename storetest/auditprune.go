package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
)

// testAuditPrune: entries older than a cut-off are removed from the start
// of the chain, leaving a signed anchor; the chain still verifies, from the
// anchor; a forged anchor, a removal past the anchor, and a removal without
// an anchor are all caught; the store refuses to delete what no anchor
// covers.
func testAuditPrune(t *testing.T, h Harness) {
	ctx := context.Background()
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	old := time.Date(2019, 4, 1, 9, 0, 0, 0, hogo.Tokyo)
	recent := time.Date(2026, 11, 1, 9, 0, 0, 0, hogo.Tokyo)
	now := old
	l.Now = func() time.Time { return now }
	fill(t, l, 300)
	if _, err := l.Checkpoint(ctx); err != nil { // a checkpoint inside what goes
		t.Fatal(err)
	}
	now = recent
	fill(t, l, 200)
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	// Nothing older than 2019-01-01.
	if p, err := l.Prune(ctx, time.Date(2019, 1, 1, 0, 0, 0, 0, hogo.Tokyo)); err != nil || p != nil {
		t.Fatalf("prune before anything: %+v %v", p, err)
	}
	p, err := l.Prune(ctx, time.Date(2021, 11, 1, 0, 0, 0, 0, hogo.Tokyo))
	if err != nil {
		t.Fatal(err)
	}
	if p == nil || p.Seq != 300 || p.Removed != 300 {
		t.Fatalf("prune: %+v", p)
	}
	if n, _ := db.CountAudit(ctx); n != 200 {
		t.Fatalf("%d entries left, want 200", n)
	}
	res := verify(t, db, key)
	if !res.OK() || res.Count != 200 || res.Pruned != 300 || res.Head.Seq != 500 {
		t.Fatalf("verify after the prune: %+v %+v", res, res.Problem)
	}
	if again, err := l.Prune(ctx, time.Date(2021, 11, 1, 0, 0, 0, 0, hogo.Tokyo)); err != nil || again != nil {
		t.Fatalf("second prune: %+v %v", again, err)
	}
	ps, err := db.AuditPrunes(ctx)
	if err != nil || len(ps) != 1 || ps[0].Removed != 300 || !audit.VerifyPrune(key.Public(), ps[0]) {
		t.Fatalf("anchors: %+v %v", ps, err)
	}
	// The guard still refuses what no anchor covers.
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM audit_log WHERE seq > 300`); err == nil {
		t.Fatal("entries after the anchor were deleted")
	}
	// An anchor moved forward without the key: caught.
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO audit_prunes (seq, hash, at, key_id, signature, removed, before) VALUES (400, $1, 1, 'x', $2, 100, 1)`,
		ps[0].Hash, ps[0].Signature); err != nil {
		t.Fatal(err)
	}
	res = verify(t, db, key)
	if res.OK() || res.Problem.Kind != audit.KindCheckpoint || !strings.Contains(res.Problem.Message, "400") {
		t.Fatalf("a forged anchor: %+v", res.Problem)
	}
	// Now the guard lets the forger delete up to 400, but it does not
	// verify either.
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM audit_log WHERE seq + n - 1 <= 400`); err != nil {
		t.Fatal(err)
	}
	if res = verify(t, db, key); res.OK() {
		t.Fatal("a chain cut with a forged anchor verified")
	}
}

// testAuditPruneLink: entries removed past a genuine anchor are caught:
// the first entry left does not link to the anchor.
func testAuditPruneLink(t *testing.T, h Harness) {
	ctx := context.Background()
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	now := time.Date(2019, 4, 1, 9, 0, 0, 0, hogo.Tokyo)
	l.Now = func() time.Time { return now }
	fill(t, l, 100)
	now = now.AddDate(7, 0, 0)
	fill(t, l, 100)
	if _, err := l.Prune(ctx, now.AddDate(-5, 0, 0)); err != nil {
		t.Fatal(err)
	}
	for _, g := range h.DropGuards {
		db.Write.ExecContext(ctx, g)
	}
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	res := verify(t, db, key)
	if res.OK() || res.Problem.Seq != 101 {
		t.Fatalf("entries removed after the anchor: %+v", res.Problem)
	}
}
