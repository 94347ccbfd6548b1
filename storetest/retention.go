package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testRetention: record events read back by ScanRecords, holds placed and
// lifted once, disposal records with their counts.
func testRetention(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	p := newPrincipal(80, newRecord("", 81, "job_seeker", nil))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p}) })
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.SetRecordEvent(ctx, p.ID, vid('r', 81), "application_closed", "2026-01-10")
	})
	wantCode(t, f.write(p.ID, func(ctx context.Context, tx hogo.Tx) error {
		return tx.SetRecordEvent(ctx, p.ID, vid('r', 99), "application_closed", "2026-01-10")
	}), hogo.ENOTFOUND)
	var events map[string]string
	f.db.ScanRecords(ctx, "job_seeker", hogo.RecordKey{}, 10, func(r *hogo.Record, _ *hogo.Principal) error {
		if r.PrincipalID == p.ID {
			events = r.Events
		}
		return nil
	})
	if events["application_closed"] != "2026-01-10" {
		t.Fatalf("events read back: %v", events)
	}
	// The lean scans of retention: by event, and by acquisition.
	q := newPrincipal(82, newRecord("", 83, "job_seeker", nil), newRecord("", 84, "job_seeker", nil))
	f.mustWrite(t, q.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{q}) })
	var seen []string
	scan := func(eventBased bool, before time.Time, limit int) {
		t.Helper()
		seen = nil
		var after hogo.RetentionKey
		for {
			n := 0
			if err := f.db.ScanRetention(ctx, "job_seeker", eventBased, before, after, limit, func(r *hogo.Record) error {
				n++
				after = hogo.RetentionKey{AcquiredAt: r.AcquiredAt, PrincipalID: r.PrincipalID, ID: r.ID}
				seen = append(seen, r.ID+" "+r.Events["application_closed"])
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if n < limit {
				return
			}
		}
	}
	scan(true, time.Time{}, 1)
	if len(seen) != 1 || seen[0] != vid('r', 81)+" 2026-01-10" {
		t.Fatalf("records with events: %v", seen)
	}
	scan(false, time.Now().Add(24*time.Hour), 1)
	if len(seen) != 3 {
		t.Fatalf("records acquired before tomorrow, a page of one at a time: %v", seen)
	}
	if scan(false, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), 10); len(seen) != 0 {
		t.Fatalf("records acquired before 1990: %v", seen)
	}
	if n, err := f.db.CountRecords(ctx, []string{p.ID, q.ID, vid('p', 99)}); err != nil || n[p.ID] != 1 || n[q.ID] != 2 || n[vid('p', 99)] != 0 {
		t.Fatalf("record counts: %v %v", n, err)
	}
	if n, err := f.db.CountCategory(ctx, "job_seeker"); err != nil || n != 3 {
		t.Fatalf("category count: %d %v", n, err)
	}
	hd := &hogo.Hold{ID: vid('h', 1), Kind: hogo.HoldPrincipal, Target: p.ID, Reason: []byte("sealed\x00"), PlacedBy: "manager1", PlacedAt: vaultTime}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertHold(ctx, hd) })
	if hs, err := f.db.ListHolds(ctx, false); err != nil || len(hs) != 1 || !bytes.Equal(hs[0].Reason, hd.Reason) || hs[0].Target != p.ID {
		t.Fatalf("holds: %v %+v", err, hs)
	}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.LiftHold(ctx, hd.ID, vaultTime.Add(time.Hour), "manager1")
	})
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.LiftHold(ctx, hd.ID, vaultTime, "x") }), hogo.ECONFLICT)
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.LiftHold(ctx, vid('h', 9), vaultTime, "x") }), hogo.ENOTFOUND)
	if hs, _ := f.db.ListHolds(ctx, false); len(hs) != 0 {
		t.Fatalf("a lifted hold still stands: %+v", hs)
	}
	if hs, _ := f.db.ListHolds(ctx, true); len(hs) != 1 || hs[0].LiftedBy != "manager1" {
		t.Fatalf("all holds: %+v", hs)
	}
	d := &hogo.Disposal{ID: vid('d', 1), At: vaultTime, Actor: "manager1", ApprovedBy: "代表取締役", Counts: map[string]int{"job_seeker": 3, "employee": 1},
		Principals: 2, Records: 4}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDisposal(ctx, d) })
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.AddToDisposal(ctx, d.ID, map[string]int{"job_seeker": 2, "applicant": 1}, 1, 3)
	})
	ds, err := f.db.ListDisposals(ctx, 10)
	if err != nil || len(ds) != 1 || ds[0].Done || ds[0].Counts["job_seeker"] != 5 || ds[0].Counts["applicant"] != 1 || ds[0].Records != 7 || ds[0].Principals != 3 {
		t.Fatalf("running disposal: %v %+v", err, ds)
	}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.FinishDisposal(ctx, d.ID, vaultTime.Add(time.Minute))
	})
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.AddToDisposal(ctx, d.ID, nil, 0, 0) }), hogo.ECONFLICT)
	if ds, _ = f.db.ListDisposals(ctx, 10); !ds[0].Done || !ds[0].At.Equal(vaultTime.Add(time.Minute)) {
		t.Fatalf("finished disposal: %+v", ds)
	}
	f.verify(t)
}
