package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testIncidents: incidents stored over their version, and the principals
// affected counted by category, acquisition range and list.
func testIncidents(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	i := &hogo.Incident{ID: vid('i', 1), Status: hogo.IncidentDraft, KnownOn: "2026-12-01", Triggers: []string{"over_1000"}, Affected: 1500,
		PreliminaryDue: "2026-12-07", FinalDue: "2027-01-04", Facts: []byte("sealed\x00facts"), CreatedAt: vaultTime, UpdatedAt: vaultTime}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertIncident(ctx, i) })
	got, err := f.db.GetIncident(ctx, i.ID)
	if err != nil || got.Version != 1 || got.Triggers[0] != "over_1000" || !bytes.Equal(got.Facts, i.Facts) || got.FinalDue != "2027-01-04" {
		t.Fatalf("GetIncident: %v %+v", err, got)
	}
	up := *got
	up.Version, up.Status, up.FinalSent = 2, hogo.IncidentReported, "2027-01-04"
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, &up) })
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, &up) }), hogo.ECONFLICT)
	if l, err := f.db.ListIncidents(ctx, 10); err != nil || len(l) != 1 || l[0].Status != hogo.IncidentReported {
		t.Fatalf("ListIncidents: %v %+v", err, l)
	}
	_, err = f.db.GetIncident(ctx, vid('i', 2))
	wantCode(t, err, hogo.ENOTFOUND)

	// Two principals with job seeker records acquired an hour apart, one
	// also with an applicant record.
	r1, r2, r3 := newRecord("", 71, "job_seeker", nil), newRecord("", 72, "job_seeker", nil), newRecord("", 73, "applicant", nil)
	p1, p2 := newPrincipal(70, r1, r3), newPrincipal(75, r2)
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{p1, p2})
	})
	for _, c := range []struct {
		cats       []string
		from, to   time.Time
		principals []string
		want       int
	}{
		{nil, time.Time{}, time.Time{}, nil, 2},
		{[]string{"job_seeker"}, time.Time{}, time.Time{}, nil, 2},
		{[]string{"applicant"}, time.Time{}, time.Time{}, nil, 1},
		{[]string{"job_seeker", "applicant"}, time.Time{}, time.Time{}, nil, 2},
		{[]string{"job_seeker"}, r2.AcquiredAt, time.Time{}, nil, 1},
		{[]string{"job_seeker"}, time.Time{}, r2.AcquiredAt, nil, 1},
		{nil, time.Time{}, time.Time{}, []string{p1.ID, vid('p', 404)}, 1},
	} {
		n, err := f.db.CountAffected(ctx, c.cats, c.from, c.to, c.principals)
		if err != nil || n != c.want {
			t.Errorf("CountAffected(%v, %v, %v, %v) = %d, %v; want %d", c.cats, c.from, c.to, c.principals, n, err, c.want)
		}
	}
	f.verify(t)
}
