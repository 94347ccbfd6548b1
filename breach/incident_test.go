package breach_test

import (
	"context"
	"errors"
	"hogo.example.jp/hogo/testenv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/sqlstore"
)

type fixture struct {
	svc   *breach.Service
	db    *sqlstore.DB
	clock *testenv.Clock
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := testenv.New(t)
	c := &testenv.Clock{}
	c.At("2026-12-01 10:00")
	svc := breach.New(e.DB, e.Log, e.Vault, e.LedgerFunc())
	// One clock for the register and the audit log, whose entries date
	// the timeline.
	svc.Now, e.Log.Now = c.Now, c.Now
	return &fixture{svc: svc, db: e.DB, clock: c, ctx: e.Ctx}
}

var (
	manager = hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}
	staff   = hogo.Actor{UserID: 4, Name: "staff1", Role: hogo.RoleStaff}
	auditor = hogo.Actor{UserID: 5, Name: "auditor1", Role: hogo.RoleAuditor}
	desk    = hogo.Actor{UserID: 3, Name: "desk1", Role: hogo.RoleDesk}
	admin   = hogo.Actor{UserID: 1, Name: "admin1", Role: hogo.RoleAdmin}
)

// attack is an incident with an unjust purpose (則7(3)): reportable, 60
// days. Known on Tue 2026-12-01: preliminary by 12-07, final by 2027-01-29.
func attack() breach.Input {
	in := breach.Input{KnownOn: "2026-12-01"}
	in.Title = "求職者サイトへの不正アクセス"
	in.Scope.Estimate = 12
	in.UnjustPurpose = true
	return in
}

func code(err error) string { return hogo.ErrorCode(err) }

type taskRow struct{ ID, Kind, Due string }

func rows(ts []breach.Task) []taskRow {
	var out []taskRow
	for _, t := range ts {
		out = append(out, taskRow{t.ID, t.Kind, t.Due})
	}
	return out
}

// TestIncidentTasksSeeded: recording an incident seeds the plan from what
// is known: the reports with their deadlines and the notices when a
// report is due; the notice to the entrustor instead for entrusted data;
// only the common tasks otherwise.
func TestIncidentTasksSeeded(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.Record(f.ctx, staff, attack())
	if err != nil {
		t.Fatal(err)
	}
	want := []taskRow{{"t1", breach.TaskInvestigate, ""}, {"t2", breach.TaskScope, ""}, {"t3", breach.TaskContain, ""},
		{"t4", breach.TaskPreliminary, "2026-12-07"}, {"t5", breach.TaskFinal, "2027-01-29"}, {"t6", breach.TaskNotifyPrincipals, ""},
		{"t7", breach.TaskPrevention, ""}}
	if diff := cmp.Diff(want, rows(v.Facts.Tasks)); diff != "" {
		t.Errorf("reportable plan (-want +got):\n%s", diff)
	}
	if v.TasksOpen != 7 || v.TasksOverdue != 0 || v.Facts.Tasks[3].Title != "速報の提出（個人情報保護委員会）" || v.Facts.Tasks[0].AddedBy != "staff1" {
		t.Errorf("counts %d/%d, tasks %+v", v.TasksOpen, v.TasksOverdue, v.Facts.Tasks)
	}

	in := attack()
	in.Entrustee, in.Entrustor = true, "株式会社みどり商事"
	v, err = f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	want = []taskRow{{"t1", breach.TaskInvestigate, ""}, {"t2", breach.TaskScope, ""}, {"t3", breach.TaskContain, ""},
		{"t4", breach.TaskNotifyEntrustor, "2026-12-07"}, {"t5", breach.TaskPrevention, ""}}
	if diff := cmp.Diff(want, rows(v.Facts.Tasks)); diff != "" {
		t.Errorf("entrustee plan (-want +got):\n%s", diff)
	}

	// Tasks sent with the record are not taken: the plan is the register's.
	in = breach.Input{}
	in.Title, in.Scope.Estimate = "名刺の紛失", 1
	in.Tasks = []breach.Task{{ID: "t9", Title: "x", Done: true}}
	v, err = f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	want = []taskRow{{"t1", breach.TaskInvestigate, ""}, {"t2", breach.TaskScope, ""}, {"t3", breach.TaskContain, ""}, {"t4", breach.TaskPrevention, ""}}
	if diff := cmp.Diff(want, rows(v.Facts.Tasks)); diff != "" {
		t.Errorf("plan with no report due (-want +got):\n%s", diff)
	}

	// An update that makes a report due adds the reports and the notices
	// and keeps what was there; one that moves the day known moves the
	// open report tasks.
	f.clock.At("2026-12-02 09:00")
	up := attack()
	up.Title = in.Title
	v, err = f.svc.Update(f.ctx, manager, v.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, taskRow{"t5", breach.TaskPreliminary, "2026-12-07"}, taskRow{"t6", breach.TaskFinal, "2027-01-29"},
		taskRow{"t7", breach.TaskNotifyPrincipals, ""})
	if diff := cmp.Diff(want, rows(v.Facts.Tasks)); diff != "" {
		t.Errorf("after the update (-want +got):\n%s", diff)
	}
	if _, err := f.svc.MarkSent(f.ctx, manager, v.ID, "preliminary", "2026-12-02"); err != nil {
		t.Fatal(err)
	}
	up.KnownOn = "2026-11-30"
	v, err = f.svc.Update(f.ctx, manager, v.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	// Mon 11-30: preliminary by Fri 12-04 (done already, so unchanged),
	// final by 2027-01-28.
	if p, fi := v.Facts.Tasks[4], v.Facts.Tasks[5]; p.Due != "2026-12-07" || !p.Done || fi.Due != "2027-01-28" || fi.Done {
		t.Errorf("report tasks after moving the day known: %+v %+v", p, fi)
	}
}

// TestIncidentTaskOverdue: a task not done is overdue from the day after
// its due day, in Tokyo; done, it is not; reopened, it is again.
func TestIncidentTaskOverdue(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.Record(f.ctx, staff, attack())
	if err != nil {
		t.Fatal(err)
	}
	v, err = f.svc.AddTask(f.ctx, manager, v.ID, breach.TaskInput{Title: " 委託先へのログ提出依頼 ", Assignee: "manager1", Due: "2026-12-03", Note: "アクセスログ3か月分"})
	if err != nil {
		t.Fatal(err)
	}
	tk := v.Facts.Tasks[len(v.Facts.Tasks)-1]
	if tk.ID != "t8" || tk.Kind != "" || tk.Title != "委託先へのログ提出依頼" || tk.Assignee != "manager1" || tk.AddedBy != "manager1" || tk.Overdue {
		t.Fatalf("added: %+v", tk)
	}
	overdue := func(at string) (bool, *breach.View) {
		t.Helper()
		f.clock.At(at)
		v, err := f.svc.Get(f.ctx, manager, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range v.Facts.Tasks {
			if x.ID == "t8" {
				return x.Overdue, v
			}
		}
		t.Fatal("t8 is gone")
		return false, nil
	}
	if o, _ := overdue("2026-12-03 23:59"); o {
		t.Error("overdue on its due day")
	}
	// 2026-12-03 15:30 UTC is already 12-04 in Tokyo.
	f.clock.T = time.Date(2026, 12, 3, 15, 30, 0, 0, time.UTC)
	if v, _ := f.svc.Get(f.ctx, manager, v.ID); !v.Facts.Tasks[7].Overdue || v.TasksOverdue != 1 || v.TasksOpen != 8 {
		t.Errorf("the next Tokyo day: %+v (open %d, overdue %d)", v.Facts.Tasks[7], v.TasksOpen, v.TasksOverdue)
	}
	// The preliminary report is due 12-07: overdue on 12-08 unless sent.
	if _, v := overdue("2026-12-08 09:00"); v.TasksOverdue != 2 || !v.Facts.Tasks[3].Overdue {
		t.Errorf("preliminary on 12-08: %+v", v.Facts.Tasks[3])
	}
	v, err = f.svc.SetTask(f.ctx, manager, v.ID, "t8", true, "受領済み")
	if err != nil {
		t.Fatal(err)
	}
	if x := v.Facts.Tasks[7]; !x.Done || x.Overdue || x.DoneBy != "manager1" || !x.DoneAt.Equal(f.clock.T) || x.Note != "受領済み" || v.TasksOverdue != 1 || v.TasksOpen != 7 {
		t.Errorf("done: %+v (open %d, overdue %d)", x, v.TasksOpen, v.TasksOverdue)
	}
	// Sending the preliminary report completes its task.
	v, err = f.svc.MarkSent(f.ctx, manager, v.ID, "preliminary", "2026-12-08")
	if err != nil {
		t.Fatal(err)
	}
	if x := v.Facts.Tasks[3]; !x.Done || x.DoneBy != "manager1" || v.TasksOverdue != 0 {
		t.Errorf("preliminary sent: %+v", x)
	}
	if _, err := f.svc.SetTask(f.ctx, manager, v.ID, "t8", true, ""); code(err) != hogo.ECONFLICT {
		t.Errorf("done twice: %v", err)
	}
	v, err = f.svc.SetTask(f.ctx, manager, v.ID, "t8", false, "")
	if err != nil {
		t.Fatal(err)
	}
	if x := v.Facts.Tasks[7]; x.Done || !x.DoneAt.IsZero() || x.DoneBy != "" || !x.Overdue || x.Note != "受領済み" {
		t.Errorf("reopened: %+v", x)
	}
	if _, err := f.svc.SetTask(f.ctx, manager, v.ID, "t8", false, ""); code(err) != hogo.ECONFLICT {
		t.Errorf("reopened twice: %v", err)
	}
	// The overdue flag is worked out, not stored.
	var facts []byte
	f.db.Read.QueryRow(`SELECT facts FROM incidents WHERE id = $1`, v.ID).Scan(&facts)
	if strings.Contains(string(facts), "委託先へのログ") || strings.Contains(string(facts), `"overdue":true`) {
		t.Error("the tasks are stored in the clear")
	}
}

// TestIncidentTaskErrors: what a task must be, and who keeps tasks.
func TestIncidentTaskErrors(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.Record(f.ctx, staff, attack())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in    breach.TaskInput
		field string
	}{
		{breach.TaskInput{Title: "  "}, "title"},
		{breach.TaskInput{Title: "a", Due: "12/3"}, "due"},
		{breach.TaskInput{Title: strings.Repeat("長", 201)}, "title"},
		{breach.TaskInput{Title: "a", Assignee: strings.Repeat("x", 101)}, "assignee"},
		{breach.TaskInput{Title: "a", Note: strings.Repeat("x", 2001)}, "note"},
	} {
		_, err := f.svc.AddTask(f.ctx, manager, v.ID, tc.in)
		var he *hogo.Error
		if !errors.As(err, &he) || he.Code != hogo.EINVALID || he.Field != tc.field {
			t.Errorf("%+v: %v, want invalid %s", tc.in, err, tc.field)
		}
		// The message names the field, never the value.
		if err != nil && tc.in.Due != "" && strings.Contains(err.Error(), tc.in.Due) {
			t.Errorf("the error repeats the value: %v", err)
		}
	}
	if _, err := f.svc.SetTask(f.ctx, manager, v.ID, "t99", true, ""); code(err) != hogo.ENOTFOUND {
		t.Errorf("unknown task: %v", err)
	}
	if _, err := f.svc.AddTask(f.ctx, manager, "0123456789abcdefghijklmnop", breach.TaskInput{Title: "a"}); code(err) != hogo.ENOTFOUND {
		t.Errorf("unknown incident: %v", err)
	}
	for _, a := range []hogo.Actor{staff, auditor, desk, admin} {
		if _, err := f.svc.AddTask(f.ctx, a, v.ID, breach.TaskInput{Title: "a"}); code(err) != hogo.EFORBIDDEN {
			t.Errorf("%s adds a task: %v", a.Role, err)
		}
		if _, err := f.svc.SetTask(f.ctx, a, v.ID, "t1", true, ""); code(err) != hogo.EFORBIDDEN {
			t.Errorf("%s completes a task: %v", a.Role, err)
		}
	}
}

// TestIncidentTimeline: the timeline gives discovery, the day known, the
// recording, updates, tasks, reports and notices in the order they
// happened, a report by the day it went; reads are not in it; it is for
// the readers of the register, and reading it is audited.
func TestIncidentTimeline(t *testing.T) {
	f := newFixture(t)
	in := attack()
	in.DiscoveredAt, in.DiscoveredBy = time.Date(2026, 11, 30, 18, 0, 0, 0, hogo.Tokyo), "staff2"
	v, err := f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID
	f.clock.At("2026-12-02 09:00")
	in.Summary = "管理画面への不正ログイン"
	must := func(_ *breach.View, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.svc.Update(f.ctx, manager, id, in))
	f.clock.At("2026-12-02 10:00")
	must(f.svc.AddTask(f.ctx, manager, id, breach.TaskInput{Title: "委託先へのログ提出依頼", Due: "2026-12-04"}))
	must(f.svc.Get(f.ctx, auditor, id))
	f.clock.At("2026-12-03 09:00")
	must(f.svc.SetTask(f.ctx, manager, id, "t8", true, ""))
	f.clock.At("2026-12-03 10:00")
	must(f.svc.RecordNotice(f.ctx, manager, id, breach.Notice{Method: "email", Count: 12, On: "2026-12-03", Note: "第1回"}))
	// Recorded on 12-05, sent on 12-02: it goes with 12-02.
	f.clock.At("2026-12-05 09:00")
	must(f.svc.MarkSent(f.ctx, manager, id, "preliminary", "2026-12-02"))
	f.clock.At("2026-12-06 09:00")
	must(f.svc.SetTask(f.ctx, manager, id, "t8", false, ""))

	evs, err := f.svc.Timeline(f.ctx, auditor, id)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Kind, Actor, Task, On string }
	var got []row
	for _, e := range evs {
		got = append(got, row{e.Kind, e.Actor, e.Task, e.On})
	}
	want := []row{
		{breach.EventDiscovered, "staff2", "", ""},
		{breach.EventKnown, "", "", "2026-12-01"},
		{breach.EventRecorded, "staff1", "", ""},
		{breach.EventUpdated, "manager1", "", ""},
		{breach.EventTaskAdded, "manager1", "t8", ""},
		{breach.EventReportSent, "manager1", "", "2026-12-02"},
		{breach.EventTaskDone, "manager1", "t4", "2026-12-02"},
		{breach.EventTaskDone, "manager1", "t8", ""},
		{breach.EventNotice, "manager1", "", "2026-12-03"},
		{breach.EventTaskReopened, "manager1", "t8", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if e := evs[2]; e.Detail["tasks"] != "7" || e.Detail["triggers"] != breach.TriggerUnjustPurpose || !e.At.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, hogo.Tokyo)) {
		t.Errorf("recorded: %+v", e)
	}
	if e := evs[4]; e.Title != "委託先へのログ提出依頼" || e.Detail["due"] != "2026-12-04" {
		t.Errorf("task added: %+v", e)
	}
	if e := evs[5]; e.Detail["which"] != "preliminary" {
		t.Errorf("report sent: %+v", e)
	}
	if e := evs[8]; e.Detail["method"] != "email" || e.Detail["count"] != "12" || e.Note != "第1回" {
		t.Errorf("notice: %+v", e)
	}
	if e := evs[0]; e.At.Location() != hogo.Tokyo {
		t.Errorf("times are not in Tokyo: %v", e.At)
	}

	// The roles: the readers of the register.
	if _, err := f.svc.Timeline(f.ctx, manager, id); err != nil {
		t.Errorf("manager: %v", err)
	}
	for _, a := range []hogo.Actor{staff, desk, admin} {
		if _, err := f.svc.Timeline(f.ctx, a, id); code(err) != hogo.EFORBIDDEN {
			t.Errorf("%s reads the timeline: %v", a.Role, err)
		}
	}
	if _, err := f.svc.Timeline(f.ctx, manager, "0123456789abcdefghijklmnop"); code(err) != hogo.ENOTFOUND {
		t.Errorf("unknown incident: %v", err)
	}
	// Every write is audited, none with a task's text; reading the
	// timeline is audited too.
	entries, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Target: id, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
		for _, x := range e.Detail {
			if strings.Contains(x, "委託先") || strings.Contains(x, "第1回") || strings.Contains(x, "不正") {
				t.Errorf("%s carries a fact: %v", e.Action, e.Detail)
			}
		}
	}
	if count["incident.task"] != 3 || count["incident.timeline"] != 2 || count["incident.report_sent"] != 1 || count["incident.notice"] != 1 {
		t.Errorf("audit entries: %v", count)
	}
}

// TestIncidentUpdateKeeps: an update of the facts (as the console's form
// sends them) keeps the notices, the tasks and the discovery.
func TestIncidentUpdateKeeps(t *testing.T) {
	f := newFixture(t)
	in := attack()
	in.DiscoveredAt, in.DiscoveredBy = time.Date(2026, 11, 30, 18, 0, 0, 0, hogo.Tokyo), "staff2"
	v, err := f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordNotice(f.ctx, manager, v.ID, breach.Notice{Method: "letter", Count: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetTask(f.ctx, manager, v.ID, "t1", true, ""); err != nil {
		t.Fatal(err)
	}
	up := attack()
	up.Tasks = []breach.Task{{ID: "t1", Title: "x"}}
	v, err = f.svc.Update(f.ctx, manager, v.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Facts.Notices) != 1 || len(v.Facts.Tasks) != 7 || !v.Facts.Tasks[0].Done || v.Facts.DiscoveredBy != "staff2" ||
		!v.Facts.DiscoveredAt.Equal(in.DiscoveredAt) {
		t.Errorf("after the update: notices %d, tasks %+v, discovered %s %v", len(v.Facts.Notices), v.Facts.Tasks, v.Facts.DiscoveredBy, v.Facts.DiscoveredAt)
	}
}

// TestIncidentHoldScope: retention resolves a hold on an incident to its
// scope; an unknown incident is not found.
func TestIncidentHoldScope(t *testing.T) {
	f := newFixture(t)
	in := breach.Input{}
	in.Title = "求職者名簿の誤送信"
	in.Scope = breach.Scope{Categories: []string{"job_seeker"}, From: "2026-04-01", To: "2026-10-01", Principals: []string{"0123456789abcdefghijklmnop"}}
	v, err := f.svc.Record(f.ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.svc.HoldScope(f.ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in.Scope, *sc); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
	// A copy: changing it changes nothing stored.
	sc.Categories[0] = "employee"
	if again, _ := f.svc.HoldScope(f.ctx, v.ID); again.Categories[0] != "job_seeker" {
		t.Error("HoldScope shares its slices")
	}
	for _, id := range []string{"0123456789abcdefghijklmnop", "not an id", ""} {
		if _, err := f.svc.HoldScope(f.ctx, id); code(err) != hogo.ENOTFOUND {
			t.Errorf("HoldScope(%q): %v, want not_found", id, err)
		}
	}
}
