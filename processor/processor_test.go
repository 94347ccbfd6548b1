package processor_test

import (
	"context"
	"hogo.example.jp/hogo/testenv"
	"slices"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/processor"
	"hogo.example.jp/hogo/sqlstore"
)

// clock is a fake clock the tests move.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// on sets the clock to 10:00 in Tokyo on a date.
func (c *clock) on(s string) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	c.t = d.Time(nil).Add(10 * time.Hour)
}

type fixture struct {
	svc   *processor.Service
	db    *sqlstore.DB
	clock *clock
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := testenv.New(t)
	c := &clock{}
	c.on("2026-04-01")
	svc := processor.New(e.DB, e.Log, e.LedgerFunc())
	svc.Now = c.now
	return &fixture{svc: svc, db: e.DB, clock: c, ctx: e.Ctx}
}

var manager = hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}

func statuses(vs []processor.View) map[string]string {
	out := map[string]string{}
	for _, v := range vs {
		out[v.ID] = v.Status
	}
	return out
}

func ids(vs []processor.View) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// TestReminders moves a fake clock over a year of supervision: nothing
// evaluated is due; an evaluation makes it ok until 30 days before the
// next review; past that date it is overdue, listed first.
func TestReminders(t *testing.T) {
	f := newFixture(t)
	list, err := f.svc.List(f.ctx, manager, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(list); !slices.Equal(got, []string{"payroll", "mailing", "system_maintenance"}) {
		t.Fatalf("register in ledger order: %v", got)
	}
	for _, v := range list {
		if v.Status != processor.StatusDue || !slices.Contains(v.Issues, processor.IssueNotEvaluated) || v.DaysLeft != nil {
			t.Errorf("%s never evaluated: %s %v", v.ID, v.Status, v.Issues)
		}
	}
	if r := processor.Reminders(list); len(r) != 3 {
		t.Errorf("%d reminders before any evaluation, want 3", len(r))
	}

	// payroll evaluated today, every 12 months; mailing 6 months ago
	// with a 6-month interval (due today); system_maintenance reviewed
	// without a grade.
	mustReview(t, f, "payroll", processor.ReviewInput{ReviewedOn: "2026-04-01", Grade: "A", Evaluator: "情報システム部"})
	mustReview(t, f, "mailing", processor.ReviewInput{ReviewedOn: "2025-10-01", Grade: "pass", IntervalMonths: 6})
	mustReview(t, f, "system_maintenance", processor.ReviewInput{ReviewedOn: "2026-03-01"})
	list, _ = f.svc.List(f.ctx, manager, "")
	want := map[string]string{"payroll": "ok", "mailing": "due", "system_maintenance": "due"}
	if got := statuses(list); !equalMaps(got, want) {
		t.Errorf("on 2026-04-01: %v, want %v", got, want)
	}
	p := list[0]
	if p.NextReviewOn != "2027-04-01" || p.NextReviewJa != "令和9年4月1日" || *p.DaysLeft != 365 || p.Evaluation.Grade != "A" || p.IntervalMonths != 12 {
		t.Errorf("payroll: %+v", p)
	}

	f.clock.on("2026-04-02")
	list, _ = f.svc.List(f.ctx, manager, "")
	rem := processor.Reminders(list)
	if got := ids(rem); !slices.Equal(got, []string{"mailing", "system_maintenance"}) || rem[0].Status != processor.StatusOverdue || *rem[0].DaysLeft != -1 {
		t.Errorf("on 2026-04-02, reminders %v (%+v)", got, rem)
	}
	if overdue, _ := f.svc.List(f.ctx, manager, processor.StatusOverdue); !slices.Equal(ids(overdue), []string{"mailing"}) {
		t.Errorf("overdue filter: %v", ids(overdue))
	}

	// 30 days before payroll's next review it becomes due, then overdue
	// the day after it.
	for _, c := range []struct{ on, want string }{{"2027-03-01", "ok"}, {"2027-03-02", "due"}, {"2027-04-01", "due"}, {"2027-04-02", "overdue"}} {
		f.clock.on(c.on)
		list, _ = f.svc.List(f.ctx, manager, "")
		if list[0].Status != c.want {
			t.Errorf("payroll on %s: %s, want %s", c.on, list[0].Status, c.want)
		}
	}
	// A new review resets the clock; a review recorded late for an
	// earlier date does not move it back.
	mustReview(t, f, "payroll", processor.ReviewInput{ReviewedOn: "2027-04-02", Kind: processor.KindReview})
	mustReview(t, f, "payroll", processor.ReviewInput{ReviewedOn: "2026-10-01", Grade: "C"})
	v, err := f.svc.Get(f.ctx, manager, "payroll")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != processor.StatusOK || v.LastReviewOn != "2027-04-02" || v.Evaluation.Grade != "C" || !slices.Contains(v.Issues, processor.IssueLowGrade) ||
		len(v.Reviews) != 3 || v.Reviews[0].ReviewedOn != "2027-04-02" || v.Reviews[2].ReviewedOn != "2026-04-01" {
		t.Errorf("after a late review: %+v", v)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func mustReview(t *testing.T, f *fixture, id string, in processor.ReviewInput) {
	t.Helper()
	if _, err := f.svc.RecordReview(f.ctx, manager, id, in); err != nil {
		t.Fatalf("review %s: %v", id, err)
	}
}

// TestRecords: contracts, NDAs and sub-entrustments; each record leaves
// one audit entry naming the processor, and a refused one leaves none.
func TestRecords(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2025-04-01", Reference: "委-2025-017",
		EndsOn: "2026-04-20", NDA: true, NDAOn: "2025-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Contract == nil || v.Contract.SignedJa != "令和7年4月1日" || !v.Contract.NDA || !slices.Contains(v.Issues, processor.IssueContractEnding) ||
		slices.Contains(v.Issues, processor.IssueNoContract) || slices.Contains(v.Issues, processor.IssueNoNDA) {
		t.Errorf("after the contract: %+v", v)
	}
	if len(v.Categories) != 2 || v.Categories[0].ID != "job_seeker" || !slices.Contains(v.Categories[0].Items, "氏名") {
		t.Errorf("entrusted: %+v", v.Categories)
	}
	// A renewal without an NDA is in force.
	if v, err = f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2026-03-31"}); err != nil {
		t.Fatal(err)
	}
	if v.Contract.SignedOn != "2026-03-31" || !slices.Contains(v.Issues, processor.IssueNoNDA) || len(v.Contracts) != 2 {
		t.Errorf("after the renewal: %+v", v)
	}
	v, err = f.svc.ApproveSubEntrustment(f.ctx, manager, "mailing", processor.SubEntrustmentInput{Name: "株式会社印刷センター",
		Scope: "宛名印字", ApprovedOn: "2026-03-15"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.SubEntrustments) != 1 || v.SubEntrustments[0].ApprovedBy != manager.Name || v.SubEntrustments[0].ApprovedJa != "令和8年3月15日" {
		t.Errorf("sub-entrustment: %+v", v.SubEntrustments)
	}
	mustReview(t, f, "mailing", processor.ReviewInput{ReviewedOn: "2026-03-31", Grade: "B", Note: "年次点検"})

	es, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Action: "processor.", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		if e.Target != "mailing" || e.Actor != manager.Name || e.Detail["id"] == "" {
			t.Errorf("entry %+v", e)
		}
		actions = append(actions, e.Action)
	}
	slices.Reverse(actions)
	if want := []string{"processor.contract", "processor.contract", "processor.subentrustment", "processor.review"}; !slices.Equal(actions, want) {
		t.Errorf("audit %v, want %v", actions, want)
	}

	// Refusals name the field and store nothing.
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"no date", "signed_on", second(f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{}))},
		{"bad date", "signed_on", second(f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2026/04/01"}))},
		{"future", "signed_on", second(f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2026-05-01"}))},
		{"ends before", "ends_on", second(f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2026-03-01", EndsOn: "2026-02-01"}))},
		{"nda date without nda", "nda", second(f.svc.RecordContract(f.ctx, manager, "mailing", processor.ContractInput{SignedOn: "2026-03-01", NDAOn: "2026-03-01"}))},
		{"evaluation without grade", "grade", second(f.svc.RecordReview(f.ctx, manager, "mailing", processor.ReviewInput{Kind: "evaluation", ReviewedOn: "2026-03-01"}))},
		{"bad grade", "grade", second(f.svc.RecordReview(f.ctx, manager, "mailing", processor.ReviewInput{ReviewedOn: "2026-03-01", Grade: "S"}))},
		{"bad kind", "kind", second(f.svc.RecordReview(f.ctx, manager, "mailing", processor.ReviewInput{ReviewedOn: "2026-03-01", Kind: "audit"}))},
		{"interval over a year", "interval_months", second(f.svc.RecordReview(f.ctx, manager, "mailing", processor.ReviewInput{ReviewedOn: "2026-03-01", IntervalMonths: 18}))},
		{"no review date", "reviewed_on", second(f.svc.RecordReview(f.ctx, manager, "mailing", processor.ReviewInput{Grade: "A"}))},
		{"no sub-processor", "name", second(f.svc.ApproveSubEntrustment(f.ctx, manager, "mailing", processor.SubEntrustmentInput{Scope: "x", ApprovedOn: "2026-03-01"}))},
		{"no scope", "scope", second(f.svc.ApproveSubEntrustment(f.ctx, manager, "mailing", processor.SubEntrustmentInput{Name: "x", ApprovedOn: "2026-03-01"}))},
		{"unknown processor", "id", second(f.svc.RecordReview(f.ctx, manager, "nobody", processor.ReviewInput{ReviewedOn: "2026-03-01", Grade: "A"}))},
		{"auditor records", "role", second(f.svc.RecordReview(f.ctx, hogo.Actor{Name: "auditor1", Role: hogo.RoleAuditor}, "mailing", processor.ReviewInput{ReviewedOn: "2026-03-01", Grade: "A"}))},
	} {
		var de *hogo.Error
		if c.err == nil || !asError(c.err, &de) || de.Field != c.field || de.Ja == "" {
			t.Errorf("%s: %v, want an error on %s", c.name, c.err, c.field)
		}
	}
	if n, _ := f.db.ListAudit(f.ctx, hogo.AuditFilter{Action: "processor.", Limit: 100}); len(n) != len(es) {
		t.Errorf("refusals left %d audit entries", len(n)-len(es))
	}
	if _, err := f.svc.List(f.ctx, hogo.Actor{Name: "staff1", Role: hogo.RoleStaff}, ""); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("staff reading the register: %v", err)
	}
	if _, err := f.svc.List(f.ctx, manager, "late"); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("unknown status: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func asError(err error, de **hogo.Error) bool {
	e, ok := err.(*hogo.Error)
	*de = e
	return ok
}

func TestAddMonths(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-04-01", 12, "2027-04-01"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2026-11-15", 3, "2027-02-15"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-01-15", -13, "2024-12-15"},
	} {
		d, _ := calendar.ParseDate(c.from)
		if got := processor.AddMonths(d, c.n).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

// TestAssess: the state of a file, without a store.
func TestAssess(t *testing.T) {
	today, _ := calendar.ParseDate("2026-06-01")
	f := &hogo.ProcessorFile{Processor: "x"}
	if a := processor.Assess(f, today); a.Status != processor.StatusDue || !slices.Equal(a.Issues, []string{processor.IssueNotEvaluated, processor.IssueNoContract}) {
		t.Errorf("empty file: %+v", a)
	}
	f.Contracts = []*hogo.ProcessorContract{{SignedOn: "2024-01-01", EndsOn: "2026-05-31", NDA: true}}
	f.Reviews = []*hogo.ProcessorReview{{ReviewedOn: "2026-01-10", Grade: "fail", IntervalMonths: 12}}
	a := processor.Assess(f, today)
	if a.Status != processor.StatusOK || a.NextReview.String() != "2027-01-10" ||
		!slices.Equal(a.Issues, []string{processor.IssueLowGrade, processor.IssueContractEnded}) {
		t.Errorf("failed evaluation, ended contract: %+v", a)
	}
}
