package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testRequests is the rights requests' part of the suite: a request's
// case stored over its version, the files kept with it (sealed bytes
// round-trip, listings carry no data), the files due for deletion once a
// request closed, and the partial deletion of a principal's records that
// an erasure keeping legally retained records needs.
func testRequests(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	at := vaultTime
	r := &hogo.RightsRequest{ID: vid('q', 1), ReceiptNumber: "20261124-7KQ2-MX9A", SecretHash: bytes.Repeat([]byte{7}, 32),
		Types: []string{"disclose", "notify_purpose"}, Channel: "post", RequesterKind: "principal", Requester: []byte("sealed\x00"),
		Status: hogo.RequestReceived, ReceivedOn: "2026-11-24", DueOn: "2026-12-08", CreatedAt: at, UpdatedAt: at,
		FeeDue: 2000, Case: []byte("case-1\x00")}
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRequest(ctx, r) })
	got, err := f.db.GetRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.FeeDue != 2000 || !bytes.Equal(got.Case, r.Case) || !got.Open() || !slices.Equal(got.Types, r.Types) {
		t.Fatalf("request read back as %+v", got)
	}
	// An update over the stored version goes; a stale one is a conflict.
	up := *got
	up.Version, up.Status, up.Verified, up.FeePaid, up.PausedOn, up.PrincipalID = 2, hogo.RequestInProgress, true, 2000, "", vid('p', 9)
	up.ClosedOn, up.Case = "2026-11-30", []byte("case-2")
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRequest(ctx, &up) })
	stale := *got
	stale.Version = 2
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateRequest(ctx, &stale) }), hogo.ECONFLICT)
	if got, _ = f.db.GetRequest(ctx, r.ID); got.Version != 2 || !got.Verified || got.FeePaid != 2000 || got.PrincipalID != vid('p', 9) ||
		got.ClosedOn != "2026-11-30" || string(got.Case) != "case-2" {
		t.Fatalf("after update: %+v", got)
	}

	files := []*hogo.RequestFile{
		{ID: vid('f', 1), RequestID: r.ID, Kind: hogo.FileIDCopy, ContentType: "image/png", Size: 3, Data: []byte{1, 2, 3}, CreatedAt: at},
		{ID: vid('f', 2), RequestID: r.ID, Kind: hogo.FileAnswerLetter, ContentType: "application/pdf", Size: 2, Data: []byte{4, 0}, CreatedAt: at.Add(time.Second)},
	}
	for _, x := range files {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRequestFile(ctx, x) })
	}
	list, err := f.db.ListRequestFiles(ctx, r.ID)
	if err != nil || len(list) != 2 || list[0].ID != files[0].ID || list[0].Data != nil || list[1].Size != 2 {
		t.Fatalf("ListRequestFiles: %v %+v", err, list)
	}
	one, err := f.db.GetRequestFile(ctx, files[1].ID)
	if err != nil || !bytes.Equal(one.Data, files[1].Data) || one.Kind != hogo.FileAnswerLetter {
		t.Fatalf("GetRequestFile: %v %+v", err, one)
	}
	_, err = f.db.GetRequestFile(ctx, vid('f', 99))
	wantCode(t, err, hogo.ENOTFOUND)
	// Closed on 2026-11-30: due for deletion by that day, not before;
	// only the kinds asked for.
	for _, c := range []struct {
		by   string
		want int
	}{{"2026-11-29", 0}, {"2026-11-30", 1}, {"2027-01-31", 1}} {
		ex, err := f.db.ExpiredRequestFiles(ctx, []string{hogo.FileIDCopy, hogo.FileAgentEvidence}, c.by, 100)
		if err != nil || len(ex) != c.want {
			t.Fatalf("ExpiredRequestFiles(%s): %v, %d files, want %d", c.by, err, len(ex), c.want)
		}
	}
	var n int
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) (err error) {
		n, err = tx.DeleteRequestFiles(ctx, []string{files[0].ID, vid('f', 99)})
		return err
	})
	if list, _ = f.db.ListRequestFiles(ctx, r.ID); n != 1 || len(list) != 1 {
		t.Fatalf("after deleting: %d deleted, %d left", n, len(list))
	}

	// Some records go, with their lookups; the principal and the others
	// stay.
	email := blind("email:keep")
	p := newPrincipal(50, newRecord("", 51, "job_seeker", nil, blind("email:go")), newRecord("", 52, "employee", nil, email))
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, []*hogo.Principal{p}) })
	f.mustWrite(t, p.ID, func(ctx context.Context, tx hogo.Tx) (err error) {
		n, err = tx.DeleteRecords(ctx, p.ID, []string{vid('r', 51), vid('r', 77)})
		return err
	})
	gp, err := f.db.GetPrincipal(ctx, p.ID)
	if err != nil || n != 1 || len(gp.Records) != 1 || gp.Records[0].ID != vid('r', 52) {
		t.Fatalf("after DeleteRecords: %v, %d deleted, %+v", err, n, gp)
	}
	if ids := f.find(t, blind("email:go"), 10); len(ids) != 0 {
		t.Fatalf("the deleted record's lookup still finds %v", ids)
	}
	if ids := f.find(t, email, 10); len(ids) != 1 {
		t.Fatalf("the kept record's lookup finds %v", ids)
	}
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error {
		_, err := tx.DeleteRecords(ctx, vid('p', 404), []string{vid('r', 1)})
		return err
	}), hogo.ENOTFOUND)
	f.verify(t)
}
