package retention_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// crashing is the audit log of a process that dies: once armed, every
// write after the first n fails, as if the process had been killed between
// two sweep batches.
type crashing struct {
	*audit.Log
	armed bool
	n     int
}

func (c *crashing) Write(ctx context.Context, apply func(context.Context, hogo.Tx) error, entries ...*hogo.AuditEntry) error {
	if c.armed {
		if c.n == 0 {
			return errors.New("killed")
		}
		c.n--
	}
	return c.Log.Write(ctx, apply, entries...)
}

type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *sqlstore.DB
	log *crashing
	v   *vault.Service
	r   *retention.Service
	mgr hogo.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := audit.GenerateKey()
	log := audit.NewLog(db, key)
	t.Cleanup(func() { log.Close() })
	keys, err := vault.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	data, err := examples.Ledgers.ReadFile("ledgers/staffing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate("staffing.yaml", data)
	if l == nil {
		t.Fatal(ps.Errors())
	}
	lf := func() (*ledger.Ledger, string) { return l, ledger.Digest(data) }
	cl := &crashing{Log: log}
	v := vault.NewService(db, cl, keys, lf)
	r := retention.New(db, cl, v, lf)
	now := func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, hogo.Tokyo) }
	v.Now, r.Now = now, now
	return &fixture{t: t, ctx: ctx, db: db, log: cl, v: v, r: r, mgr: hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}}
}

// seeker registers a job seeker acquired a year ago; closed, when given,
// is the day their application closed.
func (f *fixture) seeker(email, closed string) (string, string) {
	f.t.Helper()
	id, rid, err := f.v.Create(f.ctx, f.mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"}, Source: "web_form",
		AcquiredAt: time.Date(2025, 11, 1, 9, 0, 0, 0, hogo.Tokyo),
		Items:      map[string]string{"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": email, "phone": "090-1234-5678"}})
	if err != nil {
		f.t.Fatal(err)
	}
	if closed != "" {
		if err := f.r.SetEvent(f.ctx, f.mgr, id, rid, "application_closed", closed); err != nil {
			f.t.Fatal(err)
		}
	}
	return id, rid
}

// TestSweep: records due under their rule go, whole principals by
// crypto-shredding and single records by deletion; records waiting for
// their event and held ones stay; the disposal record counts them; a
// second sweep erases nothing twice.
func TestSweep(t *testing.T) {
	f := newFixture(t)
	gone, _ := f.seeker("a@example.jp", "2026-01-10")    // due 2026-07-10
	waiting, _ := f.seeker("b@example.jp", "")           // no event yet
	later, _ := f.seeker("c@example.jp", "2026-10-01")   // due 2027-04-01
	partial, _ := f.seeker("d@example.jp", "2026-01-10") // due, but also an employee
	held, _ := f.seeker("e@example.jp", "2026-01-10")    // due, held
	if _, err := f.v.AddRecord(f.ctx, f.mgr, partial, vault.NewRecord{Category: "employee", Use: vault.Use{Purpose: "employment_management"},
		Source: "paper_form", Items: map[string]string{"name": "山田 太郎"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldPrincipal, held, "訴訟対応のため保存"); err != nil {
		t.Fatal(err)
	}
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	js := pv.Categories[0]
	if js.Category != "job_seeker" || js.Due != 2 || js.Held != 1 || js.Waiting != 1 || js.Earliest != "2026-07-10" {
		t.Fatalf("preview: %+v", pv.Categories)
	}
	if pv, _ := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2027, 6, 1)); pv.Categories[0].Due != 3 {
		t.Errorf("preview to 2027-06-01: %+v", pv.Categories[0])
	}
	if _, err := f.r.Run(f.ctx, f.mgr, ""); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("a sweep without approval: %v", err)
	}
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil {
		t.Fatal(err)
	}
	if d.Records != 2 || d.Principals != 1 || d.Counts["job_seeker"] != 2 {
		t.Fatalf("disposal: %+v", d)
	}
	if _, err := f.db.GetPrincipal(f.ctx, gone); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("the principal due whole is still there: %v", err)
	}
	p, err := f.db.GetPrincipal(f.ctx, partial)
	if err != nil || len(p.Records) != 1 || p.Records[0].Category != "employee" {
		t.Errorf("the partly due principal: %v %+v", err, p)
	}
	for _, id := range []string{waiting, later, held} {
		if _, err := f.db.GetPrincipal(f.ctx, id); err != nil {
			t.Errorf("%s should stay: %v", id, err)
		}
	}
	ds, err := f.db.ListDisposals(f.ctx, 10)
	if err != nil || len(ds) != 1 || ds[0].ApprovedBy != "代表取締役 日野 出" || ds[0].Counts["job_seeker"] != 2 {
		t.Errorf("disposal records: %v %+v", err, ds)
	}
	// Nothing twice.
	d, err = f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil || d.Records != 0 {
		t.Errorf("second sweep: %+v %v", d, err)
	}
	// Lifting the hold lets the next sweep take it.
	hs, _ := f.db.ListHolds(f.ctx, false)
	if err := f.r.Lift(f.ctx, f.mgr, hs[0].ID); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); d.Records != 1 {
		t.Errorf("after lifting the hold: %+v", d)
	}
}

// TestRetentionBadInput: events and holds are checked against the ledger;
// only the manager sweeps.
func TestRetentionBadInput(t *testing.T) {
	f := newFixture(t)
	id, rid := f.seeker("a@example.jp", "")
	for _, err := range []error{
		f.r.SetEvent(f.ctx, f.mgr, id, rid, "moon_landing", "2026-01-01"),
		f.r.SetEvent(f.ctx, f.mgr, id, rid, "application_closed", "yesterday"),
	} {
		if hogo.ErrorCode(err) != hogo.EINVALID {
			t.Errorf("bad event: %v", err)
		}
	}
	if err := f.r.SetEvent(f.ctx, f.mgr, id, "nope", "application_closed", "2026-01-01"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("event of no record: %v", err)
	}
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldCategory, "nobody", "x"); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("hold on an unknown category: %v", err)
	}
	staff := hogo.Actor{UserID: 4, Name: "staff1", Role: hogo.RoleStaff}
	if _, err := f.r.Run(f.ctx, staff, "x"); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("staff sweeping: %v", err)
	}
}

// TestSweepKilled: a sweep that dies between batches has recorded exactly
// what it erased; the next sweep resumes the same disposal record, erases
// the rest, and no principal is erased twice or skipped.
func TestSweepKilled(t *testing.T) {
	f := newFixture(t)
	old := retention.BatchSize
	retention.BatchSize = 2
	defer func() { retention.BatchSize = old }()
	var due []string
	for i := range 7 {
		id, _ := f.seeker(fmt.Sprintf("s%d@example.jp", i), "2026-01-10")
		due = append(due, id)
	}
	// The disposal record's start and two batches commit; the third dies.
	f.log.armed, f.log.n = true, 3
	if _, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); err == nil {
		t.Fatal("the killed sweep reported success")
	}
	ds, _ := f.db.ListDisposals(f.ctx, 10)
	if len(ds) != 1 || ds[0].Done || ds[0].Principals != 4 || ds[0].Counts["job_seeker"] != 4 {
		t.Fatalf("after the kill: %+v", ds)
	}
	f.log.armed = false
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != ds[0].ID || !d.Done || d.Principals != 7 || d.Records != 7 || d.Counts["job_seeker"] != 7 {
		t.Fatalf("resumed: %+v", d)
	}
	for _, id := range due {
		es, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Principal: id, Action: "principal.erase", Limit: 10})
		if err != nil || len(es) != 1 {
			t.Errorf("%s erased %d times: %v", id, len(es), err)
		}
	}
	if ds, _ := f.db.ListDisposals(f.ctx, 10); len(ds) != 1 || !ds[0].Done {
		t.Errorf("disposal records after the resume: %+v", ds)
	}
}
