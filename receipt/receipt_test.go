package receipt_test

import (
	"context"
	"errors"
	"hogo.example.jp/hogo/testenv"
	"slices"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// valid is a receipt that passes; each case changes one thing.
func valid() receipt.Input {
	return receipt.Input{ProviderName: "株式会社人材バンク", ProviderAddress: "東京都千代田区丸の内1-1-1", ProviderCorporation: true,
		ProviderRepresentative: "代表取締役 山本一郎", Acquisition: "提供元が自社の登録フォームで本人から取得し、当社への提供に同意を得たもの",
		ReceivedOn: "2026-03-31", Category: "job_seeker", Items: []string{"name", "email", "career"}, Count: 12, Basis: "consent",
		ConsentConfirmed: true}
}

// TestCheck: what a receipt record must hold, each refusal naming its
// field.
func TestCheck(t *testing.T) {
	l, _ := testenv.Ledger(t, "staffing.yaml")
	today, _ := calendar.ParseDate("2026-04-01")
	p := vault.NewID(time.Now())
	for _, c := range []struct {
		name   string
		change func(*receipt.Input)
		field  string
	}{
		{"valid", func(*receipt.Input) {}, ""},
		{"no provider", func(in *receipt.Input) { in.ProviderName = " " }, "provider_name"},
		{"no address", func(in *receipt.Input) { in.ProviderAddress = "" }, "provider_address"},
		{"corporation without representative", func(in *receipt.Input) { in.ProviderRepresentative = "" }, "provider_representative"},
		{"individual without representative", func(in *receipt.Input) { in.ProviderRepresentative, in.ProviderCorporation = "", false }, ""},
		{"no acquisition", func(in *receipt.Input) { in.Acquisition = "" }, "acquisition"},
		{"no date", func(in *receipt.Input) { in.ReceivedOn = "" }, "received_on"},
		{"bad date", func(in *receipt.Input) { in.ReceivedOn = "2026-02-30" }, "received_on"},
		{"future date", func(in *receipt.Input) { in.ReceivedOn = "2026-04-02" }, "received_on"},
		{"unknown category", func(in *receipt.Input) { in.Category = "pets" }, "category"},
		{"no items", func(in *receipt.Input) { in.Items = nil }, "items"},
		{"item of another category", func(in *receipt.Input) { in.Items = []string{"health_check"} }, "items"},
		{"item twice", func(in *receipt.Input) { in.Items = []string{"name", "name"} }, "items"},
		{"no count", func(in *receipt.Input) { in.Count = 0 }, "count"},
		{"count from IDs", func(in *receipt.Input) { in.Count, in.Principals = 0, []string{p} }, ""},
		{"count below IDs", func(in *receipt.Input) { in.Count, in.Principals = 1, []string{p, vault.NewID(time.Now())} }, "count"},
		{"bad ID", func(in *receipt.Input) { in.Principals = []string{"山田太郎"} }, "principals"},
		{"ID twice", func(in *receipt.Input) { in.Principals = []string{p, p} }, "principals"},
		{"no basis", func(in *receipt.Input) { in.Basis = "" }, "basis"},
		{"consent not confirmed", func(in *receipt.Input) { in.ConsentConfirmed = false }, "consent_confirmed"},
		{"opt-out without publication", func(in *receipt.Input) { in.Basis, in.ConsentConfirmed = "opt_out", false }, "optout_published"},
		{"opt-out", func(in *receipt.Input) { in.Basis, in.ConsentConfirmed, in.OptOutPublished = "opt_out", false, true }, ""},
		{"opt-out of special-care data", func(in *receipt.Input) {
			in.Basis, in.ConsentConfirmed, in.OptOutPublished, in.Category, in.Items = "opt_out", false, true, "employee", []string{"health_check"}
		}, "items"},
		{"publication on a consent", func(in *receipt.Input) { in.OptOutPublished = true }, "optout_published"},
		{"referable without consent", func(in *receipt.Input) { in.Basis, in.ConsentConfirmed = "referable", false }, "consent_confirmed"},
		{"referable", func(in *receipt.Input) { in.Basis = "referable" }, ""},
		{"referable across a border", func(in *receipt.Input) { in.Basis, in.CrossBorder = "referable", true }, "foreign_info_given"},
		{"referable across a border, informed", func(in *receipt.Input) { in.Basis, in.CrossBorder, in.ForeignInfoGiven = "referable", true, true }, ""},
		{"border on a consent", func(in *receipt.Input) { in.CrossBorder, in.ForeignInfoGiven = true, true }, "cross_border"},
		{"unknown source", func(in *receipt.Input) { in.Source = "rumour" }, "source"},
		{"direct source", func(in *receipt.Input) { in.Source = "web_form" }, "source"},
		{"source of another category", func(in *receipt.Input) { in.Source = "client_entrusted" }, "source"},
		{"source", func(in *receipt.Input) {
			in.Source, in.Category, in.Items = "client_entrusted", "entrusted_personal_data", []string{"name", "work_data"}
		}, ""},
		{"bad record method", func(in *receipt.Input) { in.RecordMethod = "memory" }, "record_method"},
		{"control characters", func(in *receipt.Input) { in.Acquisition = "a\x00b" }, "acquisition"},
	} {
		in := valid()
		c.change(&in)
		r, err := receipt.Check(l, in, today)
		var de *hogo.Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (!errors.As(err, &de) || de.Field != c.field || de.Code != hogo.EINVALID || de.Ja == ""):
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		case c.field == "" && r.RecordMethod != "individual":
			t.Errorf("%s: record method %q", c.name, r.RecordMethod)
		}
	}
}

type fixture struct {
	svc *receipt.Service
	db  *sqlstore.DB
	log *audit.Log
	ctx context.Context
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	e := testenv.New(t)
	svc := receipt.New(e.DB, e.Log, e.LedgerFunc())
	svc.Now = func() time.Time { return now }
	return &fixture{svc: svc, db: e.DB, log: e.Log, ctx: e.Ctx}
}

// TestRecord: a record is kept 3 years (1 with a contract), names only
// principals of the vault, and leaves an audit entry for itself and one
// per principal; reading is audited too.
func TestRecord(t *testing.T) {
	now := time.Date(2026, 4, 1, 0, 30, 0, 0, hogo.Tokyo) // still 3/31 in UTC
	f := newFixture(t, now)
	staff := hogo.Actor{UserID: 4, Name: "staff1", Role: hogo.RoleStaff}
	manager := hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}
	p1, p2 := vault.NewID(now), vault.NewID(now)
	if err := f.log.Write(f.ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.InsertPrincipals(ctx, []*hogo.Principal{{ID: p1, WrappedKey: []byte{1}, CreatedAt: now, UpdatedAt: now},
			{ID: p2, WrappedKey: []byte{2}, CreatedAt: now, UpdatedAt: now}})
	}, hogo.SystemActor.Entry("vault.test")); err != nil {
		t.Fatal(err)
	}

	in := valid()
	in.Principals = []string{p1, vault.NewID(now)}
	if _, err := f.svc.Record(f.ctx, staff, in); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Fatalf("a principal not in the vault: %v", err)
	}
	in.Principals = []string{p1, p2}
	r, err := f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.RetainUntil != "2029-04-01" || r.RetainUntilJa != "令和11年4月1日" || r.ReceivedJa != "令和8年3月31日" || r.Count != 12 ||
		r.CategoryName != "求職者" || !slices.Equal(r.ItemNames, []string{"氏名", "メールアドレス", "職歴"}) || r.Actor != "staff1" {
		t.Errorf("record: %+v", r)
	}
	in.RecordMethod, in.Principals = "contract", nil
	c, err := f.svc.Record(f.ctx, manager, in)
	if err != nil || c.RetainUntil != "2027-04-01" {
		t.Fatalf("by contract: %v %+v", err, c)
	}
	// Reading: staff record but do not read.
	if _, err := f.svc.List(f.ctx, staff, ""); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("staff listing: %v", err)
	}
	all, err := f.svc.List(f.ctx, manager, "")
	if err != nil || len(all) != 2 || all[0].ID != c.ID {
		t.Fatalf("list: %v %+v", err, all)
	}
	one, err := f.svc.List(f.ctx, hogo.Actor{Name: "desk1", Role: hogo.RoleDesk}, p2)
	if err != nil || len(one) != 1 || one[0].ID != r.ID || !slices.Equal(one[0].Principals, []string{p2}) {
		t.Fatalf("list for a principal: %v %+v", err, one)
	}
	got, err := f.db.GetReceipt(f.ctx, r.ID)
	if err != nil || !slices.Equal(got.Principals, []string{p1, p2}) || got.ProviderRepresentative != in.ProviderRepresentative {
		t.Errorf("stored: %v %+v", err, got)
	}

	es, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range es {
		count[e.Action]++
		if e.Action == "principal.receive" && (e.Target != r.ID || (e.Principal != p1 && e.Principal != p2)) {
			t.Errorf("entry %+v", e)
		}
		for _, v := range e.Detail {
			if v == in.ProviderName || v == in.ProviderRepresentative || v == in.Acquisition {
				t.Errorf("an audit entry holds the provider's details: %+v", e)
			}
		}
	}
	if count["receipt.create"] != 2 || count["principal.receive"] != 2 || count["receipt.list"] != 2 {
		t.Errorf("audit entries: %v", count)
	}
}
