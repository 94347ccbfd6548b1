package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testDatasets: a creation of anonymised information is stored whole in
// an audited write — the record with its items and steps, the sealed method
// apart, the table — listed newest first without the table or method, and
// a second record with the same ID is refused, leaving nothing of it.
func testDatasets(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	if ds, err := f.db.ListDatasets(ctx); err != nil || len(ds) != 0 {
		t.Fatalf("empty store: %v %v", ds, err)
	}
	_, err := f.db.GetDataset(ctx, "01J0000000000000000000000X")
	wantCode(t, err, hogo.ENOTFOUND)
	_, err = f.db.DatasetData(ctx, "01J0000000000000000000000X")
	wantCode(t, err, hogo.ENOTFOUND)
	_, _, err = f.db.DatasetMethod(ctx, "01J0000000000000000000000X")
	wantCode(t, err, hogo.ENOTFOUND)

	at := time.Date(2026, 11, 24, 10, 0, 0, 0, hogo.Tokyo)
	mk := func(id string, at time.Time) *hogo.Dataset {
		return &hogo.Dataset{ID: id, Kind: hogo.DatasetAnonymized, Title: "求職者の年代と地域", Category: "job_seeker", Purpose: "statistics",
			Items: []hogo.DatasetItem{{ID: "birth_date", NameJa: "生年月日", NameEn: "Date of birth", ProcessJa: "年に丸め", ProcessEn: "to the year"}},
			Steps: []hogo.DatasetStep{{Rule: 1, Ja: "削除しました", En: "Removed"}}, Report: []byte(`{"k":5}`), Rows: 95, Suppressed: 5,
			CreatedAt: at, Actor: "keiko", PublishedAt: at, Method: []byte{1, 2, 3}, MethodKey: []byte{4, 5}, Data: []byte("gz")}
	}
	d1, d2 := mk("01J0000000000000000000000A", at), mk("01J0000000000000000000000B", at.Add(time.Hour))
	for _, d := range []*hogo.Dataset{d1, d2} {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDataset(ctx, d) })
	}
	dup := mk(d1.ID, at.Add(2*time.Hour))
	dup.Title = "二度目"
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDataset(ctx, dup) }), hogo.ECONFLICT)

	ds, err := f.db.ListDatasets(ctx)
	if err != nil || len(ds) != 2 || ds[0].ID != d2.ID || ds[1].ID != d1.ID {
		t.Fatalf("list: %v %+v", err, ds)
	}
	got, err := f.db.GetDataset(ctx, d1.ID)
	if err != nil || got.Title != d1.Title || !got.CreatedAt.Equal(at) || !got.PublishedAt.Equal(at) || got.Rows != 95 || got.Suppressed != 5 ||
		len(got.Items) != 1 || got.Items[0] != d1.Items[0] || len(got.Steps) != 1 || got.Steps[0] != d1.Steps[0] ||
		string(got.Report) != `{"k":5}` || got.Data != nil || got.Method != nil {
		t.Errorf("get: %v %+v", err, got)
	}
	if b, err := f.db.DatasetData(ctx, d1.ID); err != nil || string(b) != "gz" {
		t.Errorf("data: %q %v", b, err)
	}
	if m, k, err := f.db.DatasetMethod(ctx, d1.ID); err != nil || !bytes.Equal(m, []byte{1, 2, 3}) || !bytes.Equal(k, []byte{4, 5}) {
		t.Errorf("method: %v %v %v", m, k, err)
	}

	// A report replaced, only on a dataset of the kind named.
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.UpdateDatasetReport(ctx, d1.ID, hogo.DatasetAnonymized, []byte(`{"k":6}`))
	})
	if got, _ := f.db.GetDataset(ctx, d1.ID); string(got.Report) != `{"k":6}` {
		t.Errorf("report after the update: %s", got.Report)
	}
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error {
		return tx.UpdateDatasetReport(ctx, d1.ID, hogo.DatasetPseudonymized, []byte(`{}`))
	}), hogo.ENOTFOUND)

	// Provisions, oldest first, per dataset or all.
	if ps, err := f.db.ListDatasetProvisions(ctx, ""); err != nil || len(ps) != 0 {
		t.Fatalf("no provisions yet: %v %v", ps, err)
	}
	p1 := &hogo.DatasetProvision{ID: "01J0000000000000000000000P", DatasetID: d1.ID, Recipient: "架空リサーチ株式会社", RecipientAddress: "東京都港区",
		Method: "電子ファイルで提供", ProvidedOn: "2026-11-30", CreatedAt: at, Actor: "keiko", PublishedAt: at}
	p2 := *p1
	p2.ID, p2.DatasetID, p2.CreatedAt = "01J0000000000000000000000Q", d2.ID, at.Add(time.Minute)
	for _, p := range []*hogo.DatasetProvision{p1, &p2} {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDatasetProvision(ctx, p) })
	}
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDatasetProvision(ctx, p1) }), hogo.ECONFLICT)
	all, err := f.db.ListDatasetProvisions(ctx, "")
	if err != nil || len(all) != 2 || all[0].ID != p1.ID || all[0].Recipient != p1.Recipient || all[0].RecipientAddress != p1.RecipientAddress ||
		all[0].Method != p1.Method || all[0].ProvidedOn != p1.ProvidedOn || !all[0].CreatedAt.Equal(at) || !all[0].PublishedAt.Equal(at) ||
		all[0].Actor != p1.Actor || all[1].ID != p2.ID {
		t.Errorf("all provisions: %v %+v", err, all)
	}
	one, err := f.db.ListDatasetProvisions(ctx, d2.ID)
	if err != nil || len(one) != 1 || one[0].ID != p2.ID {
		t.Errorf("provisions of one dataset: %v %+v", err, one)
	}
}
