package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// testRegisters is the processor register's (APPI Art. 25) and the
// receipt records' (Art. 30) part of the suite: rows written inside
// audited writes read back the same, grouped by processor in the order
// recorded; receipts are found by principal, and the vault says which
// principal IDs it does not hold.
func testRegisters(t *testing.T, h Harness) {
	f := newVaultFixture(t, h)
	ctx := f.ctx
	at := vaultTime
	contracts := []*hogo.ProcessorContract{
		{ID: vid('c', 1), Processor: "mailing", SignedOn: "2025-04-01", Reference: "委-017", EndsOn: "2026-03-31", NDA: true, NDAOn: "2025-04-01",
			RecordedAt: at, RecordedBy: "manager1"},
		{ID: vid('c', 2), Processor: "mailing", SignedOn: "2026-04-01", RecordedAt: at.Add(time.Hour), RecordedBy: "manager1"},
		{ID: vid('c', 3), Processor: "payroll", SignedOn: "2024-01-10", NDA: true, RecordedAt: at, RecordedBy: "manager2"},
	}
	reviews := []*hogo.ProcessorReview{
		{ID: vid('v', 1), Processor: "mailing", Kind: "evaluation", ReviewedOn: "2026-03-01", Grade: "B", Evaluator: "監査室", Note: "年次点検\n改善1件",
			IntervalMonths: 12, RecordedAt: at, RecordedBy: "manager1"},
		{ID: vid('v', 2), Processor: "mailing", Kind: "review", ReviewedOn: "2026-03-20", IntervalMonths: 6, RecordedAt: at.Add(time.Minute), RecordedBy: "manager1"},
	}
	subs := []*hogo.SubEntrustment{
		{ID: vid('s', 1), Processor: "mailing", Name: "株式会社印刷センター", Scope: "宛名印字", ApprovedOn: "2026-03-15", ApprovedBy: "manager1",
			RecordedAt: at, RecordedBy: "manager1"},
	}
	for _, c := range contracts {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProcessorContract(ctx, c) })
	}
	for _, r := range reviews {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProcessorReview(ctx, r) })
	}
	for _, s := range subs {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertSubEntrustment(ctx, s) })
	}
	// An ID taken is a conflict, and the write stores nothing.
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProcessorReview(ctx, reviews[0]) }), hogo.ECONFLICT)

	files, err := f.db.ProcessorFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || len(files["payroll"].Contracts) != 1 || len(files["payroll"].Reviews) != 0 {
		t.Fatalf("ProcessorFiles: %d files, payroll %+v", len(files), files["payroll"])
	}
	m := files["mailing"]
	if len(m.Contracts) != 2 || len(m.Reviews) != 2 || len(m.SubEntrustments) != 1 {
		t.Fatalf("mailing: %d contracts, %d reviews, %d sub-entrustments", len(m.Contracts), len(m.Reviews), len(m.SubEntrustments))
	}
	if c := m.Contracts[0]; !c.RecordedAt.Equal(contracts[0].RecordedAt) || !sameContract(c, contracts[0]) {
		t.Errorf("contract read back as %+v", c)
	}
	if c := m.Contracts[1]; c.ID != contracts[1].ID || c.NDA || c.EndsOn != "" || c.Reference != "" {
		t.Errorf("second contract read back as %+v", c)
	}
	r := m.Reviews[0]
	if r.ID != reviews[0].ID || r.Kind != "evaluation" || r.Grade != "B" || r.Evaluator != "監査室" || r.Note != reviews[0].Note ||
		r.IntervalMonths != 12 || !r.RecordedAt.Equal(at) || r.RecordedBy != "manager1" || r.ReviewedOn != "2026-03-01" {
		t.Errorf("review read back as %+v", r)
	}
	if s := m.SubEntrustments[0]; s.Name != subs[0].Name || s.Scope != "宛名印字" || s.ApprovedOn != "2026-03-15" || !s.RecordedAt.Equal(at) {
		t.Errorf("sub-entrustment read back as %+v", s)
	}
	one, err := f.db.ProcessorFile(ctx, "payroll")
	if err != nil || one.Processor != "payroll" || len(one.Contracts) != 1 || one.Contracts[0].RecordedBy != "manager2" {
		t.Fatalf("ProcessorFile: %v %+v", err, one)
	}
	none, err := f.db.ProcessorFile(ctx, "system_maintenance")
	if err != nil || none.Processor != "system_maintenance" || len(none.Contracts)+len(none.Reviews)+len(none.SubEntrustments) != 0 {
		t.Fatalf("ProcessorFile of nothing recorded: %v %+v", err, none)
	}

	// Receipts.
	p1, p2 := newPrincipal(81), newPrincipal(82)
	f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{p1, p2})
	})
	gone := vid('p', 83)
	unknown, err := f.db.UnknownPrincipals(ctx, []string{p2.ID, gone, p1.ID})
	if err != nil || !slices.Equal(unknown, []string{gone}) {
		t.Fatalf("UnknownPrincipals: %v %v", err, unknown)
	}
	many := make([]string, 2500)
	for i := range many {
		many[i] = vid('x', i)
	}
	many[1700] = p1.ID
	if unknown, err = f.db.UnknownPrincipals(ctx, many); err != nil || len(unknown) != 2499 || slices.Contains(unknown, p1.ID) {
		t.Fatalf("UnknownPrincipals of 2500: %v %d", err, len(unknown))
	}
	rs := []*hogo.Receipt{
		{ID: vid('e', 1), ProviderName: "株式会社人材バンク", ProviderAddress: "東京都千代田区", ProviderCorporation: true, ProviderRepresentative: "山本一郎",
			Acquisition: "登録フォームで本人から取得", Source: "client_entrusted", ReceivedOn: "2026-03-31", Category: "job_seeker",
			Items: []string{"name", "email"}, Count: 12, Principals: []string{p1.ID, p2.ID}, Basis: hogo.ReceiptConsent, ConsentConfirmed: true,
			RecordMethod: "individual", RecordedAt: at, Actor: "staff1", RetainUntil: "2029-04-01"},
		{ID: vid('e', 2), ProviderName: "名簿業者", ProviderAddress: "大阪府", Acquisition: "オプトアウト", ReceivedOn: "2026-04-01",
			Category: "business_contact", Items: []string{"company"}, Count: 300, Basis: hogo.ReceiptOptOut, OptOutPublished: true,
			RecordMethod: "contract", RecordedAt: at.Add(time.Hour), Actor: "manager1", RetainUntil: "2027-04-01"},
		{ID: vid('e', 3), ProviderName: "Ad Net Ltd.", ProviderAddress: "London", Acquisition: "cookie", ReceivedOn: "2026-04-01",
			Category: "job_seeker", Items: []string{"desired_conditions"}, Count: 1, Principals: []string{p2.ID}, Basis: hogo.ReceiptReferable,
			ConsentConfirmed: true, CrossBorder: true, ForeignInfoGiven: true, RecordMethod: "bulk", RecordedAt: at.Add(2 * time.Hour),
			Actor: "staff1", RetainUntil: "2029-04-01"},
	}
	for _, r := range rs {
		f.mustWrite(t, "", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertReceipt(ctx, r) })
	}
	wantCode(t, f.write("", func(ctx context.Context, tx hogo.Tx) error { return tx.InsertReceipt(ctx, rs[0]) }), hogo.ECONFLICT)
	all, err := f.db.ListReceipts(ctx, "", 0)
	if err != nil || len(all) != 3 || all[0].ID != rs[2].ID || all[2].ID != rs[0].ID {
		t.Fatalf("ListReceipts: %v %d", err, len(all))
	}
	x := all[0]
	if !x.CrossBorder || !x.ForeignInfoGiven || !x.ConsentConfirmed || x.OptOutPublished || x.ProviderCorporation || x.Basis != hogo.ReceiptReferable ||
		x.Count != 1 || !x.RecordedAt.Equal(rs[2].RecordedAt) || x.RecordMethod != "bulk" {
		t.Errorf("referable receipt read back as %+v", x)
	}
	if x = all[1]; !x.OptOutPublished || x.ConsentConfirmed || x.RetainUntil != "2027-04-01" || !slices.Equal(x.Items, []string{"company"}) {
		t.Errorf("opt-out receipt read back as %+v", x)
	}
	mine, err := f.db.ListReceipts(ctx, p2.ID, 10)
	if err != nil || len(mine) != 2 || mine[0].ID != rs[2].ID || mine[1].ID != rs[0].ID || !slices.Equal(mine[1].Principals, []string{p2.ID}) {
		t.Fatalf("ListReceipts(p2): %v %+v", err, mine)
	}
	got, err := f.db.GetReceipt(ctx, rs[0].ID)
	if err != nil || !slices.Equal(got.Principals, []string{p1.ID, p2.ID}) || got.ProviderRepresentative != "山本一郎" || got.Source != "client_entrusted" ||
		got.Acquisition != rs[0].Acquisition || got.ReceivedOn != "2026-03-31" || !got.ProviderCorporation {
		t.Errorf("GetReceipt: %v %+v", err, got)
	}
	_, err = f.db.GetReceipt(ctx, vid('e', 9))
	wantCode(t, err, hogo.ENOTFOUND)
	f.verify(t)
}

func sameContract(a, b *hogo.ProcessorContract) bool {
	return a.ID == b.ID && a.Processor == b.Processor && a.SignedOn == b.SignedOn && a.Reference == b.Reference && a.EndsOn == b.EndsOn &&
		a.NDA == b.NDA && a.NDAOn == b.NDAOn && a.RecordedBy == b.RecordedBy
}
