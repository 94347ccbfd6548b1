package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testComplaints: complaints stored over their version, found by ID and
// receipt number, queued by their next target day, and listed by arrival
// for the statistics without their case files.
func testComplaints(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	mk := func(n int, receipt, due string, at time.Time) *hogo.Complaint {
		return &hogo.Complaint{ID: vid('c', n), ReceiptNumber: receipt, Channel: "phone", Category: "handling", Status: hogo.ComplaintReceived,
			ReceivedAt: at, ReceivedOn: at.In(hogo.Tokyo).Format("2006-01-02"), AckDue: due, AnswerDue: "2026-04-15", DueOn: due,
			Sealed: []byte("sealed\x00file"), CreatedAt: vaultTime, UpdatedAt: vaultTime}
	}
	c1 := mk(1, "C-20260401-AAAA-AAAA", "2026-04-02", vaultTime)
	c2 := mk(2, "C-20260401-BBBB-BBBB", "2026-04-01", vaultTime.Add(time.Hour))
	c3 := mk(3, "C-20260501-CCCC-CCCC", "2026-05-07", vaultTime.AddDate(0, 1, 0))
	c2.Anonymous, c2.Channel, c2.Category = true, "portal", "leak"
	for _, c := range []*hogo.Complaint{c1, c2, c3} {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertComplaint(ctx, c) })
	}
	dup := mk(4, c1.ReceiptNumber, "2026-04-02", vaultTime)
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertComplaint(ctx, dup) }), hogo.ECONFLICT)

	got, err := f.db.GetComplaint(ctx, c2.ID)
	if err != nil || got.Version != 1 || !got.Anonymous || got.Channel != "portal" || !bytes.Equal(got.Sealed, c2.Sealed) ||
		!got.ReceivedAt.Equal(c2.ReceivedAt) || got.AckDue != "2026-04-01" || !got.AcknowledgedAt.IsZero() {
		t.Fatalf("GetComplaint: %v %+v", err, got)
	}
	if got, err := f.db.FindComplaintByReceipt(ctx, c1.ReceiptNumber); err != nil || got.ID != c1.ID {
		t.Fatalf("FindComplaintByReceipt: %v %+v", err, got)
	}
	_, err = f.db.GetComplaint(ctx, vid('c', 404))
	wantCode(t, err, hogo.ENOTFOUND)
	_, err = f.db.FindComplaintByReceipt(ctx, "C-20260401-ZZZZ-ZZZZ")
	wantCode(t, err, hogo.ENOTFOUND)

	// c2 is answered and closed; a second update over the same version is
	// a conflict.
	up := *got
	at := vaultTime.Add(2 * time.Hour)
	up.Version, up.Status, up.AcknowledgedAt, up.AnsweredAt, up.ClosedAt, up.DueOn = 2, hogo.ComplaintClosed, at, at, at, ""
	up.EscalatedAt, up.EscalatedBy, up.RequestID, up.RequestReceipt, up.IncidentID = at, "sato", vid('r', 1), "20260401-XXXX-XXXX", vid('i', 1)
	up.Sealed = []byte("sealed\x00again")
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateComplaint(ctx, &up) })
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateComplaint(ctx, &up) }), hogo.ECONFLICT)
	got, err = f.db.GetComplaint(ctx, c2.ID)
	if err != nil || got.Version != 2 || got.Status != hogo.ComplaintClosed || !got.ClosedAt.Equal(at) || got.EscalatedBy != "sato" ||
		got.IncidentID != vid('i', 1) || got.RequestReceipt != "20260401-XXXX-XXXX" || string(got.Sealed) != "sealed\x00again" {
		t.Fatalf("after update: %v %+v", err, got)
	}

	ids := func(cs []*hogo.Complaint, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, c := range []struct {
		which string
		want  []string
	}{
		{"open", []string{c1.ID, c3.ID}},
		{"closed", []string{c2.ID}},
		{"", []string{c1.ID, c3.ID, c2.ID}}, // no target day last
	} {
		if got := ids(f.db.ListComplaints(ctx, c.which, 10)); !slices.Equal(got, c.want) {
			t.Errorf("ListComplaints(%q) = %v, want %v", c.which, got, c.want)
		}
	}
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, hogo.Tokyo)
	cs, err := f.db.ComplaintsReceived(ctx, april, april.AddDate(0, 1, 0))
	if got := ids(cs, err); !slices.Equal(got, []string{c1.ID, c2.ID}) {
		t.Errorf("ComplaintsReceived(April) = %v", got)
	}
	if cs[1].Sealed != nil || cs[1].Status != hogo.ComplaintClosed || cs[1].Category != "leak" || cs[1].EscalatedAt.IsZero() {
		t.Errorf("ComplaintsReceived row: %+v", cs[1])
	}
	f.verify(t)
}
