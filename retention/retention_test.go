package retention_test

import (
	"context"
	"errors"
	"fmt"
	"hogo.example.jp/hogo/testenv"
	"strconv"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/retention"
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
	lf  func() (*ledger.Ledger, string)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := testenv.New(t)
	lf := e.LedgerFunc()
	cl := &crashing{Log: e.Log}
	v := vault.NewService(e.DB, cl, e.Keys, lf)
	r := retention.New(e.DB, cl, v, lf)
	now := func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, hogo.Tokyo) }
	v.Now, r.Now = now, now
	return &fixture{t: t, ctx: e.Ctx, db: e.DB, log: cl, v: v, r: r, mgr: hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}, lf: lf}
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

// TestSweepIncidentHold: a hold on an incident keeps what the incident's
// scope covers — its listed principals, and its categories' records
// acquired in its date range — and nothing else; once lifted, the next
// sweep takes them.
func TestSweepIncidentHold(t *testing.T) {
	f := newFixture(t)
	inc := breach.New(f.db, f.log, f.v, f.lf)
	inc.Now = f.r.Now
	f.r.Incidents = inc
	listed, _ := f.seeker("listed@example.jp", "2026-01-10")
	other, _ := f.seeker("other@example.jp", "2026-01-10")
	v, err := inc.Record(f.ctx, f.mgr, breach.Input{KnownOn: "2026-11-20", Facts: breach.Facts{Title: "誤送信",
		DiscoveredAt: time.Date(2026, 11, 20, 9, 0, 0, 0, hogo.Tokyo), DiscoveredBy: "窓口 一郎", Scope: breach.Scope{Principals: []string{listed}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldIncident, v.ID, "事案の調査中"); err != nil {
		t.Fatal(err)
	}
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	if js := pv.Categories[0]; js.Due != 1 || js.Held != 1 {
		t.Fatalf("preview under the incident hold: %+v", js)
	}
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil || d.Principals != 1 {
		t.Fatalf("sweep: %+v %v", d, err)
	}
	if _, err := f.db.GetPrincipal(f.ctx, listed); err != nil {
		t.Errorf("the incident's principal went: %v", err)
	}
	if _, err := f.db.GetPrincipal(f.ctx, other); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("the other principal stayed: %v", err)
	}
	// A hold on an incident by category and acquisition range.
	cat, err := inc.Record(f.ctx, f.mgr, breach.Input{KnownOn: "2026-11-21", Facts: breach.Facts{Title: "端末紛失",
		DiscoveredAt: time.Date(2026, 11, 21, 9, 0, 0, 0, hogo.Tokyo), DiscoveredBy: "窓口 一郎",
		Scope: breach.Scope{Categories: []string{"job_seeker"}, From: "2025-10-01", To: "2025-12-01"}}})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := f.seeker("in-range@example.jp", "2026-01-10") // acquired 2025-11-01
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldIncident, cat.ID, "端末紛失の調査中"); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); d.Records != 0 {
		t.Errorf("records in the incident's range went: %+v", d)
	}
	if _, err := f.db.GetPrincipal(f.ctx, in); err != nil {
		t.Errorf("the principal in the incident's range went: %v", err)
	}
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldIncident, vault.NewID(time.Now()), "x"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("a hold on no incident: %v", err)
	}
	hs, _ := f.db.ListHolds(f.ctx, false)
	for _, h := range hs {
		f.r.Lift(f.ctx, f.mgr, h.ID)
	}
	if d, _ := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); d.Principals != 2 {
		t.Errorf("after the holds were lifted: %+v", d)
	}
}

// TestSweepRegisters: provision and receipt records go when their own
// retention (則21, 則25) ends, unless they name a held principal; the
// disposal record counts them.
func TestSweepRegisters(t *testing.T) {
	f := newFixture(t)
	heldID, _ := f.seeker("held@example.jp", "")
	put := func(id, until string, principals ...string) {
		t.Helper()
		p := &hogo.Provision{ID: id, Recipient: "client_company", Basis: hogo.ProvisionConsent, Category: "job_seeker", Items: []string{"name"},
			Principals: principals, Count: len(principals), Identities: []byte("x"), RecordMethod: "individual",
			ProvidedAt: time.Date(2023, 1, 5, 10, 0, 0, 0, hogo.Tokyo), Actor: "staff1", RetainUntil: until, ExportFormat: "csv", ExportSHA256: "00", Export: []byte("x")}
		if err := f.log.Write(f.ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProvision(ctx, p) }, f.mgr.Entry("test.provision")); err != nil {
			t.Fatal(err)
		}
	}
	put("p-old", "2026-01-05", "0000000000001aaaaaaaaaaaaaaaa")
	put("p-held", "2026-01-05", heldID)
	put("p-new", "2029-01-05", "0000000000002aaaaaaaaaaaaaaaa")
	if _, err := f.r.Hold(f.ctx, f.mgr, hogo.HoldPrincipal, heldID, "訴訟対応のため保存"); err != nil {
		t.Fatal(err)
	}
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Registers) != 3 || pv.Registers[0].Category != hogo.RegisterProvisions || pv.Registers[0].Due != 1 || pv.Registers[0].Held != 1 {
		t.Fatalf("preview of the registers: %+v", pv.Registers)
	}
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts[hogo.RegisterProvisions] != 1 {
		t.Fatalf("disposal: %+v", d)
	}
	left, err := f.db.ListProvisions(f.ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, p := range left {
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[p-new p-held]" && fmt.Sprint(ids) != "[p-held p-new]" {
		t.Errorf("provision records left: %v", ids)
	}
	ds, _ := f.db.ListDisposals(f.ctx, 1)
	if ds[0].Counts[hogo.RegisterProvisions] != 1 {
		t.Errorf("stored disposal record: %+v", ds[0])
	}
}

// TestSweepFromAcquisition: a rule counted from acquisition finds its due
// records by acquisition day, to the day.
func TestSweepFromAcquisition(t *testing.T) {
	f := newFixture(t)
	l, _ := f.lf()
	c := l.Category("job_seeker")
	saved := *c.Retention
	c.Retention.After.ID = ""
	defer func() { *c.Retention = saved }()
	mk := func(email string, acquired time.Time) string {
		id, _, err := f.v.Create(f.ctx, f.mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"}, Source: "web_form",
			AcquiredAt: acquired, Items: map[string]string{"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": email, "phone": "090-1234-5678"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := mk("old@example.jp", time.Date(2026, 5, 24, 9, 0, 0, 0, hogo.Tokyo))   // due 2026-11-24: today
	edge := mk("edge@example.jp", time.Date(2026, 5, 25, 9, 0, 0, 0, hogo.Tokyo)) // due tomorrow
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	if js := pv.Categories[0]; js.Due != 1 || js.Earliest != "2026-11-24" || js.Waiting != 0 {
		t.Fatalf("preview: %+v", js)
	}
	if d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); err != nil || d.Principals != 1 {
		t.Fatalf("sweep: %+v %v", d, err)
	}
	if _, err := f.db.GetPrincipal(f.ctx, old); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("the due principal stayed: %v", err)
	}
	if _, err := f.db.GetPrincipal(f.ctx, edge); err != nil {
		t.Errorf("the principal due tomorrow went: %v", err)
	}
}

// TestSweepAuditLog: audit entries older than the ledger's
// retention_policy.audit_log (5y) go with the sweep, counted in the
// disposal record, and the chain still verifies from the signed anchor.
func TestSweepAuditLog(t *testing.T) {
	f := newFixture(t)
	f.r.AuditLog = f.log.Log
	f.log.Log.Now = func() time.Time { return time.Date(2019, 6, 1, 9, 0, 0, 0, hogo.Tokyo) }
	for i := range 70 {
		e := f.mgr.Entry("test.old")
		e.Target = strconv.Itoa(i)
		if err := f.log.Append(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	f.log.Log.Now = func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, hogo.Tokyo) }
	if err := f.log.Append(f.ctx, f.mgr.Entry("test.recent")); err != nil {
		t.Fatal(err)
	}
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	var audited *retention.CategoryPreview
	for i := range pv.Registers {
		if pv.Registers[i].Category == retention.RegisterAudit {
			audited = &pv.Registers[i]
		}
	}
	if audited == nil || audited.Due != 70 {
		t.Fatalf("preview of the audit log: %+v", pv.Registers)
	}
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts[retention.RegisterAudit] != 70 {
		t.Fatalf("disposal: %+v", d)
	}
	res, err := audit.Verify(f.ctx, f.db, f.log.Key().Public(), nil)
	if err != nil || !res.OK() || res.Pruned != 70 {
		t.Fatalf("verify after the sweep: %+v %v", res, err)
	}
	if es, _ := f.db.ListAudit(f.ctx, hogo.AuditFilter{Action: "test.old", Limit: 100}); len(es) != 0 {
		t.Errorf("%d old entries left", len(es))
	}
}

// TestSweepItems: an individual number goes under its own rule (a year
// after the employment ended) from a record that stays (five years); the
// disposal record counts it, the record reads without it, and the next
// sweep does not touch it again.
func TestSweepItems(t *testing.T) {
	f := newFixture(t)
	id, rid, err := f.v.Create(f.ctx, f.mgr, vault.NewRecord{Category: "employee", Use: vault.Use{Purpose: "mynumber_tax"}, Source: "paper_form",
		Items: map[string]string{"name": "佐藤 一郎", "mynumber": "123456789018"}})
	if err != nil {
		t.Fatal(err)
	}
	kept, keptRid, err := f.v.Create(f.ctx, f.mgr, vault.NewRecord{Category: "employee", Use: vault.Use{Purpose: "mynumber_tax"}, Source: "paper_form",
		Items: map[string]string{"name": "鈴木 花子", "mynumber": "123456789018"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.r.SetEvent(f.ctx, f.mgr, id, rid, "employment_ended", "2025-06-30"); err != nil { // number due 2026-06-30
		t.Fatal(err)
	}
	if err := f.r.SetEvent(f.ctx, f.mgr, kept, keptRid, "employment_ended", "2026-03-31"); err != nil { // number due 2027-03-31
		t.Fatal(err)
	}
	pv, err := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24))
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Items) != 1 || pv.Items[0].Category != "employee.mynumber" || pv.Items[0].Due != 1 || pv.Items[0].Earliest != "2026-06-30" {
		t.Fatalf("preview of items: %+v", pv.Items)
	}
	d, err := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出")
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts["employee.mynumber"] != 1 || d.Records != 0 || d.Principals != 0 {
		t.Fatalf("disposal: %+v", d)
	}
	read := func(id string) map[string]string {
		t.Helper()
		v, err := f.v.Get(f.ctx, f.mgr, id, vault.Use{Purpose: "mynumber_tax"})
		if err != nil {
			t.Fatal(err)
		}
		return v.Records[0].Items
	}
	if items := read(id); items["name"] != "佐藤 一郎" || items["mynumber"] != "" {
		t.Errorf("after the sweep the record holds %v", items)
	}
	if items := read(kept); items["mynumber"] == "" {
		t.Error("a number not yet due went")
	}
	es, _ := f.db.ListAudit(f.ctx, hogo.AuditFilter{Principal: id, Action: "record.item_dispose", Limit: 10})
	if len(es) != 1 || es[0].Detail["items"] != "mynumber" || es[0].Target != d.ID {
		t.Errorf("audit: %+v", es)
	}
	// Not again.
	if pv, _ := f.r.Preview(f.ctx, f.mgr, calendar.NewDate(2026, 11, 24)); pv.Items[0].Due != 0 {
		t.Errorf("preview after the sweep: %+v", pv.Items)
	}
	if d, _ := f.r.Run(f.ctx, f.mgr, "代表取締役 日野 出"); d.Counts["employee.mynumber"] != 0 {
		t.Errorf("second sweep: %+v", d)
	}
}
