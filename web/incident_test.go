package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/letter/pdftext"
)

type incidentJSON struct {
	breach.View
	Error struct{ Code, Field string } `json:"error"`
}

// TestIncidentAPI: anyone records a discovery with what they know; it is
// kept as a draft whose clock runs; the manager completes the facts; the
// principals are counted from the vault; the triggers and the deadlines
// follow; the report draft holds the nine items.
func TestIncidentAPI(t *testing.T) {
	h := newHarness(t)
	for i := range 3 {
		createPrincipal(h, strings.Replace(taroBody, "taro@", fmt.Sprintf("taro%d@", i), 1))
	}
	h.srv.Incidents.Now = func() time.Time { return time.Date(2026, 12, 1, 15, 0, 0, 0, hogo.Tokyo) }
	r := h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", `{"title":"求職者名簿の誤送信","scope":{"categories":["job_seeker"]}}`)
	var v incidentJSON
	r.decode(t, &v)
	if r.status != http.StatusCreated || v.Status != hogo.IncidentDraft || v.KnownOn != "2026-12-01" || v.Affected != 3 || len(v.Missing) == 0 {
		t.Fatalf("record: %d %+v", r.status, v)
	}
	if len(v.Triggers) != 0 || v.Deadlines.Reportable {
		t.Errorf("three principals, nothing special: %+v", v.Triggers)
	}
	// The manager completes it: an attack (unjust purpose): 60 days.
	body := `{"title":"求職者名簿の誤送信","known_on":"2026-12-01","summary":"不正アクセスにより求職者情報が閲覧されたおそれ","items":"氏名、メールアドレス",
		"cause":"管理画面の認証不備","secondary_damage":"現時点で確認されていない","principal_response":"対象者へメールで通知","publication":"当社サイトで公表予定",
		"prevention":"多要素認証の導入","medium":"electronic","scope":{"categories":["job_seeker"]},"item_ids":["name","email"],"unjust_purpose":true}`
	r = h.as(hogo.RoleManager, "PUT", "/api/v1/incidents/"+v.ID, body)
	r.decode(t, &v)
	if r.status != http.StatusOK || v.Status != hogo.IncidentOpen || len(v.Missing) != 0 || v.Deadlines.FinalDue != "2027-01-29" ||
		v.Deadlines.PreliminaryDue != "2026-12-07" || v.Triggers[0].ID != breach.TriggerUnjustPurpose {
		t.Fatalf("update: %d %+v", r.status, v)
	}
	// Staff may not read or update the register.
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/incidents/"+v.ID, ""); r.status != http.StatusForbidden {
		t.Errorf("staff reading an incident: %d", r.status)
	}
	pdf := h.as(hogo.RoleAuditor, "GET", "/api/v1/incidents/"+v.ID+"/report", "")
	text, err := pdftext.Text(pdf.body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"漏えい等事案の報告", "個人情報保護委員会", "一 概要", "九 その他参考となる事項", "3人", "令和9年1月29日", "不正の目的"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Notices to the principals, and the letter for them (則10).
	r = h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/notices", `{"method":"email","count":3,"on":"2026-12-03"}`)
	r.decode(t, &v)
	if r.status != http.StatusOK || len(v.Facts.Notices) != 1 || v.Facts.Notices[0].Count != 3 {
		t.Errorf("notice: %d %+v", r.status, v.Facts.Notices)
	}
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/notices", `{"method":"carrier_pigeon"}`); r.status != http.StatusBadRequest {
		t.Errorf("unknown notice method: %d", r.status)
	}
	nt, err := pdftext.Text(h.as(hogo.RoleManager, "GET", "/api/v1/incidents/"+v.ID+"/notice", "").body)
	// The notice carries the items of 則10, not the prevention measures
	// (a report item only).
	if err != nil || !strings.Contains(nt, "お知らせとお詫び") || strings.Contains(nt, "多要素認証") {
		t.Errorf("notice letter: %v\n%s", err, nt)
	}
	if !strings.Contains(nt, "管理画面の認証不備") {
		t.Errorf("the notice lacks the cause:\n%s", nt)
	}
	r = h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/sent", `{"which":"final","on":"2027-01-20"}`)
	r.decode(t, &v)
	if v.Status != hogo.IncidentReported || v.FinalSent != "2027-01-20" {
		t.Errorf("final sent: %d %+v", r.status, v)
	}
	// The facts are sealed at rest; the audit holds no fact.
	var facts []byte
	h.db.Read.QueryRow(`SELECT facts FROM incidents WHERE id = $1`, v.ID).Scan(&facts)
	if strings.Contains(string(facts), "不正アクセス") {
		t.Error("the facts are stored in the clear")
	}
}

// TestIncidentTriggers: special-care items (unless encrypted), more than
// 1,000 principals by estimate, individual numbers over 100, the entrustee
// notifying its entrustor instead of reporting.
func TestIncidentTriggers(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, body string
		want       []string
		reportable bool
	}{
		{"health checks", `{"title":"a","scope":{"categories":["employee"],"estimate":5},"item_ids":["health_check"]}`, []string{"special_care"}, true},
		{"health checks encrypted", `{"title":"a","scope":{"categories":["employee"],"estimate":5},"item_ids":["health_check"],"encrypted":true}`, nil, false},
		{"over 1,000", `{"title":"a","scope":{"estimate":1001}}`, []string{"over_1000"}, true},
		{"exactly 1,000", `{"title":"a","scope":{"estimate":1000}}`, nil, false},
		{"individual numbers of 101", `{"title":"a","scope":{"categories":["employee"],"estimate":101},"item_ids":["mynumber"]}`, []string{"mynumber_over_100"}, true},
		{"card numbers", `{"title":"a","scope":{"estimate":2},"financial_risk":true}`, []string{"financial_damage"}, true},
		{"entrusted data", `{"title":"a","scope":{"estimate":5000},"entrustee":true,"entrustor":"株式会社みどり商事"}`, []string{"over_1000"}, false},
	} {
		r := h.as(hogo.RoleManager, "POST", "/api/v1/incidents", tc.body)
		var v incidentJSON
		r.decode(t, &v)
		var got []string
		for _, x := range v.Triggers {
			got = append(got, x.ID)
		}
		if r.status != http.StatusCreated || strings.Join(got, ",") != strings.Join(tc.want, ",") || v.Deadlines.Reportable != tc.reportable {
			t.Errorf("%s: %d triggers %v reportable %v", tc.name, r.status, got, v.Deadlines.Reportable)
		}
	}
	for _, tc := range []struct{ body, field string }{
		{`{"scope":{"estimate":1}}`, "title"},
		{`{"title":"a","known_on":"2099-01-01"}`, "known_on"},
		{`{"title":"a","scope":{"categories":["nobody"]}}`, "scope.categories"},
		{`{"title":"a","medium":"smoke"}`, "medium"},
		{`{"title":"a","entrustee":true}`, "entrustor"},
	} {
		r := h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", tc.body)
		if _, _, field := r.errorJSON(t); r.status != http.StatusBadRequest || field != tc.field {
			t.Errorf("%s: %d %s, want 400 on %s", tc.body, r.status, field, tc.field)
		}
	}
}

// TestIncidentConsole: staff record from the console; the manager sees the
// register and the incident with its clock, and downloads the report.
func TestIncidentConsole(t *testing.T) {
	h := newHarness(t)
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	r := s.post("/console/incidents", url.Values{"csrf": {s.csrf("/console/incidents")}, "title": {"USBメモリの紛失"}, "categories": {"job_seeker"},
		"estimate": {"1500"}, "medium": {"device"}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "記録しました") {
		t.Fatalf("staff record: %d\n%s", r.status, r.body)
	}
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r = m.get("/console/incidents")
	if !strings.Contains(string(r.body), "USBメモリの紛失") || !strings.Contains(string(r.body), `data-status="draft"`) {
		t.Fatalf("register: %d\n%s", r.status, r.body)
	}
	link := r.body[strings.Index(string(r.body), "/console/incidents/"):]
	link = link[:strings.Index(string(link), `"`)]
	r = m.get(string(link))
	if !strings.Contains(string(r.body), `data-id="over_1000"`) || !strings.Contains(string(r.body), `id="incident-final"`) {
		t.Errorf("incident page: %d\n%s", r.status, r.body)
	}
	if r := m.get(string(link) + "/report"); r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "%PDF") {
		t.Errorf("report: %d", r.status)
	}
}

// incidentClock sets one fake clock for the register and the audit log
// (whose entries date the timeline) and returns its setter.
func incidentClock(h *harness) func(string) {
	var now time.Time
	h.srv.Incidents.Now = func() time.Time { return now }
	h.log.Now = h.srv.Incidents.Now
	return func(s string) {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, hogo.Tokyo)
		if err != nil {
			h.t.Fatal(err)
		}
		now = t
	}
}

// taskValues are what a task says: they must stay out of logs, audit
// entries and URLs.
var taskValues = []string{"委託先へのログ提出依頼", "アクセスログ3か月分", "受領済み"}

// TestIncidentTasksAPI: recording an incident seeds its tasks with the
// report deadlines; the manager adds, completes and reopens tasks; a
// task past its due day (Tokyo) is overdue; the timeline lists what
// happened in order; the auditor reads, staff may not.
func TestIncidentTasksAPI(t *testing.T) {
	h := newHarness(t)
	at := incidentClock(h)
	at("2026-12-01 15:00")
	r := h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", `{"title":"求職者サイトへの不正アクセス","known_on":"2026-12-01","scope":{"estimate":40},"unjust_purpose":true}`)
	var v incidentJSON
	r.decode(t, &v)
	if r.status != http.StatusCreated || len(v.Facts.Tasks) != 7 || v.TasksOpen != 7 {
		t.Fatalf("record: %d %+v", r.status, v.Facts)
	}
	var kinds []string
	for _, x := range v.Facts.Tasks {
		kinds = append(kinds, x.Kind+"@"+x.Due)
	}
	if got := strings.Join(kinds, " "); got != "investigate@ scope@ contain@ preliminary@2026-12-07 final@2027-01-29 notify_principals@ prevention@" {
		t.Errorf("seeded tasks: %s", got)
	}
	base := "/api/v1/incidents/" + v.ID
	at("2026-12-02 10:00")
	r = h.as(hogo.RoleManager, "POST", base+"/tasks", `{"title":"委託先へのログ提出依頼","assignee":"manager1","due":"2026-12-03","note":"アクセスログ3か月分"}`)
	r.decode(t, &v)
	last := v.Facts.Tasks[len(v.Facts.Tasks)-1]
	if r.status != http.StatusCreated || last.ID != "t8" || last.Title != "委託先へのログ提出依頼" || last.Due != "2026-12-03" || last.Overdue || last.AddedBy != userName(hogo.RoleManager) {
		t.Fatalf("add: %d %+v", r.status, last)
	}
	for _, tc := range []struct {
		role       hogo.Role
		path, body string
		status     int
		field      string
	}{
		{hogo.RoleManager, base + "/tasks", `{"title":" "}`, http.StatusBadRequest, "title"},
		{hogo.RoleManager, base + "/tasks", `{"title":"a","due":"12月3日"}`, http.StatusBadRequest, "due"},
		{hogo.RoleManager, base + "/tasks", `{"title":"a","owner":"x"}`, http.StatusBadRequest, "owner"},
		{hogo.RoleManager, base + "/tasks/t8", `{}`, http.StatusBadRequest, "done"},
		{hogo.RoleManager, base + "/tasks/t99", `{"done":true}`, http.StatusNotFound, "task"},
		{hogo.RoleManager, "/api/v1/incidents/0123456789abcdefghijklmnop/tasks", `{"title":"a"}`, http.StatusNotFound, "id"},
		{hogo.RoleAuditor, base + "/tasks", `{"title":"a"}`, http.StatusForbidden, ""},
		{hogo.RoleStaff, base + "/tasks/t8", `{"done":true}`, http.StatusForbidden, ""},
	} {
		r := h.as(tc.role, "POST", tc.path, tc.body)
		if _, _, field := r.errorJSON(t); r.status != tc.status || (tc.field != "" && field != tc.field) {
			t.Errorf("%s %s %s: %d %s, want %d %s", tc.role, tc.path, tc.body, r.status, field, tc.status, tc.field)
		}
	}
	// 2026-12-03 15:30 UTC is 12-04 in Tokyo: the task is overdue.
	h.srv.Incidents.Now = func() time.Time { return time.Date(2026, 12, 3, 15, 30, 0, 0, time.UTC) }
	h.as(hogo.RoleAuditor, "GET", base, "").decode(t, &v)
	if x := v.Facts.Tasks[7]; !x.Overdue || v.TasksOverdue != 1 {
		t.Errorf("overdue in Tokyo: %+v (%d overdue)", x, v.TasksOverdue)
	}
	h.srv.Incidents.Now = h.log.Now
	at("2026-12-04 09:00")
	r = h.as(hogo.RoleManager, "POST", base+"/tasks/t8", `{"done":true,"note":"受領済み"}`)
	r.decode(t, &v)
	if x := v.Facts.Tasks[7]; r.status != http.StatusOK || !x.Done || x.Overdue || x.DoneBy != userName(hogo.RoleManager) || x.Note != "受領済み" || v.TasksOverdue != 0 {
		t.Errorf("done: %d %+v", r.status, x)
	}
	if r := h.as(hogo.RoleManager, "POST", base+"/tasks/t8", `{"done":true}`); r.status != http.StatusConflict {
		t.Errorf("done twice: %d", r.status)
	}
	at("2026-12-04 10:00")
	h.as(hogo.RoleManager, "POST", base+"/sent", `{"which":"preliminary","on":"2026-12-04"}`).decode(t, &v)
	if x := v.Facts.Tasks[3]; !x.Done {
		t.Errorf("the preliminary report's task is not done: %+v", x)
	}
	at("2026-12-05 09:00")
	r = h.as(hogo.RoleManager, "POST", base+"/tasks/t8", `{"done":false}`)
	r.decode(t, &v)
	if x := v.Facts.Tasks[7]; r.status != http.StatusOK || x.Done || !x.Overdue {
		t.Errorf("reopened: %d %+v", r.status, x)
	}

	// The timeline, oldest first; reads are not events.
	r = h.as(hogo.RoleAuditor, "GET", base+"/timeline", "")
	var tl struct{ Events []breach.Event }
	r.decode(t, &tl)
	var got []string
	for _, e := range tl.Events {
		got = append(got, e.Kind+":"+e.Task)
	}
	want := "discovered: known: recorded: task_added:t8 task_done:t8 report_sent: task_done:t4 task_reopened:t8"
	if r.status != http.StatusOK || strings.Join(got, " ") != want {
		t.Errorf("timeline: %d\n got %s\nwant %s", r.status, strings.Join(got, " "), want)
	}
	if r := h.as(hogo.RoleStaff, "GET", base+"/timeline", ""); r.status != http.StatusForbidden {
		t.Errorf("staff reads the timeline: %d", r.status)
	}
	if r := h.as(hogo.RoleManager, "GET", "/api/v1/incidents/0123456789abcdefghijklmnop/timeline", ""); r.status != http.StatusNotFound {
		t.Errorf("timeline of no incident: %d", r.status)
	}

	// What a task says is in no log and no audit entry.
	holdsNone(t, "the server log", h.logs.String(), taskValues)
	entries, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Target: v.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	holdsNone(t, "the audit log", auditJSON(t, entries), taskValues)
	n := 0
	for _, e := range entries {
		if e.Action == "incident.task" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d incident.task entries, want 3 (add, done, reopen)", n)
	}
}

// TestIncidentTasksConsole: the incident page shows the tasks (overdue
// ones flagged) and the timeline; the manager adds and completes tasks
// with the page's forms; the auditor reads without forms; a form without
// its CSRF token is refused; English is there too.
func TestIncidentTasksConsole(t *testing.T) {
	h := newHarness(t)
	at := incidentClock(h)
	at("2026-12-01 15:00")
	var v incidentJSON
	h.as(hogo.RoleManager, "POST", "/api/v1/incidents", `{"title":"求職者サイトへの不正アクセス","scope":{"estimate":40},"unjust_purpose":true}`).decode(t, &v)
	link := "/console/incidents/" + v.ID
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r := m.get(link)
	page := string(r.body)
	for _, want := range []string{`id="incident-tasks"`, `data-task="t4"`, "速報の提出（個人情報保護委員会）", "2026-12-07", `id="incident-task-form"`,
		`id="incident-timeline"`, `data-kind="recorded"`, "事案を記録", "対応タスク 7 件を設定", `data-kind="known"`, "未完了 7 件",
		`<option value="` + userName(hogo.RoleManager) + `">`} {
		if !strings.Contains(page, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("%d\n%s", r.status, page)
	}
	// Adding a task: the text goes in the body, the redirect carries a
	// code only.
	r = m.post(link+"/tasks", url.Values{"csrf": {m.csrf(link)}, "title": {taskValues[0]}, "assignee": {"manager1"}, "due": {"2026-12-02"},
		"note": {taskValues[1]}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != link+"?done=task_added" {
		t.Fatalf("add: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	at("2026-12-03 09:00")
	page = string(m.get(link + "?done=task_added").body)
	row := between(page, `id="task-t8"`, "</tr>")
	if !strings.Contains(page, "タスクを追加しました。") || !strings.Contains(row, `data-overdue="true"`) || !strings.Contains(row, `class="error overdue"`) ||
		!strings.Contains(row, "期限超過") || !strings.Contains(row, taskValues[0]) || !strings.Contains(page, "（うち期限超過 1 件）") {
		t.Errorf("overdue task row: %s", row)
	}
	if r := m.post(link+"/tasks", url.Values{"title": {"CSRFなし"}}); r.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", r.status)
	}
	if r := m.post(link+"/tasks", url.Values{"csrf": {m.csrf(link)}, "title": {""}}); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "タスクの内容") {
		t.Errorf("empty title: %d", r.status)
	}
	r = m.post(link+"/tasks/t8", url.Values{"csrf": {m.csrf(link)}, "done": {"true"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != link+"?done=task_done" {
		t.Fatalf("complete: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	page = string(m.get(link).body)
	row = between(page, `id="task-t8"`, "</tr>")
	if !strings.Contains(row, `data-done="true"`) || strings.Contains(row, "期限超過") || !strings.Contains(row, "未完了に戻す") {
		t.Errorf("done task row: %s", row)
	}
	tl := between(page, `id="incident-timeline"`, "</table>")
	if !strings.Contains(tl, `data-kind="task_added" data-task="t8"`) || !strings.Contains(tl, `data-kind="task_done" data-task="t8"`) ||
		strings.Index(tl, `data-kind="recorded"`) > strings.Index(tl, `data-kind="task_added"`) {
		t.Errorf("timeline: %s", tl)
	}
	if r := m.post(link+"/tasks/t8", url.Values{"csrf": {m.csrf(link)}, "done": {"true"}}); r.status != http.StatusConflict || !strings.Contains(string(r.body), "すでに完了") {
		t.Errorf("completing twice: %d", r.status)
	}
	r = m.post(link+"/tasks/t8", url.Values{"csrf": {m.csrf(link)}, "done": {"false"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != link+"?done=task_reopened" {
		t.Errorf("reopen: %d %s", r.status, r.header.Get("Location"))
	}

	// In English.
	page = string(m.get(link + "?lang=en").body)
	for _, want := range []string{"Tasks", "Timeline", "Send the preliminary report to the PPC", "Task reopened", "Overdue", "Mark done"} {
		if !strings.Contains(page, want) {
			t.Errorf("English page lacks %q", want)
		}
	}

	// The auditor reads the tasks and the timeline, with no forms.
	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	page = string(a.get(link).body)
	if !strings.Contains(page, `data-task="t8"`) || !strings.Contains(page, `id="incident-timeline"`) || strings.Contains(page, `id="incident-task-form"`) ||
		strings.Contains(page, `/tasks/t8"`) {
		t.Errorf("auditor's page:\n%s", page)
	}
	if r := a.post(link+"/tasks", url.Values{"csrf": {a.csrf(link)}, "title": {"監査メモ"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor adds a task: %d", r.status)
	}
	holdsNone(t, "the server log", h.logs.String(), taskValues)
}

// between returns the text of s from the first start to the next end.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}
