package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/processor"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/web"
)

// registersNow is the registers' clock in these tests: 2026-04-01 10:00
// in Tokyo.
var registersNow = time.Date(2026, 4, 1, 10, 0, 0, 0, hogo.Tokyo)

// atRegistersNow sets the registers' clock before the server starts.
func atRegistersNow(h *harness) {
	h.srv.Processors.Now = func() time.Time { return registersNow }
	h.srv.Receipts.Now = func() time.Time { return registersNow }
}

type processorListJSON struct {
	Processors []processor.View `json:"processors"`
	Reminders  []processor.View `json:"reminders"`
}

// TestProcessorAPI: the register with its statuses and reminders; each
// record answers 201 with the processor as it now stands, 400 naming the
// field, 403 for roles that do not record, 404 for a processor not in the
// ledger; each is audited.
func TestProcessorAPI(t *testing.T) {
	h := newHarness(t, atRegistersNow)
	const mgr = hogo.RoleManager
	var list processorListJSON
	r := h.as(hogo.RoleAuditor, "GET", "/api/v1/processors", "")
	r.decode(t, &list)
	if r.status != http.StatusOK || len(list.Processors) != 3 || len(list.Reminders) != 3 || list.Processors[0].Name != "給与計算代行会社" ||
		list.Processors[0].Status != processor.StatusDue {
		t.Fatalf("register before any record: %d %s", r.status, r.body)
	}

	for _, c := range []struct {
		name       string
		role       hogo.Role
		path, body string
		status     int
		field      string
	}{
		{"evaluation", mgr, "/api/v1/processors/payroll/reviews", `{"reviewed_on":"2026-03-31","grade":"A","evaluator":"監査室","note":"年次評価"}`, 201, ""},
		{"review", mgr, "/api/v1/processors/mailing/reviews", `{"kind":"review","reviewed_on":"2025-04-20","interval_months":12}`, 201, ""},
		{"contract", mgr, "/api/v1/processors/payroll/contract", `{"signed_on":"2025-04-01","reference":"委-2025-003","nda":true,"nda_on":"2025-04-01"}`, 201, ""},
		{"sub-entrustment", mgr, "/api/v1/processors/mailing/subentrustments", `{"name":"株式会社印刷センター","scope":"宛名印字","approved_on":"2026-03-15"}`, 201, ""},
		{"evaluation without a grade", mgr, "/api/v1/processors/payroll/reviews", `{"kind":"evaluation","reviewed_on":"2026-03-31"}`, 400, "grade"},
		{"interval over a year", mgr, "/api/v1/processors/payroll/reviews", `{"reviewed_on":"2026-03-31","grade":"B","interval_months":24}`, 400, "interval_months"},
		{"review in the future", mgr, "/api/v1/processors/payroll/reviews", `{"reviewed_on":"2026-04-02","grade":"B"}`, 400, "reviewed_on"},
		{"contract without a date", mgr, "/api/v1/processors/payroll/contract", `{"reference":"x"}`, 400, "signed_on"},
		{"sub-entrustment without scope", mgr, "/api/v1/processors/mailing/subentrustments", `{"name":"x","approved_on":"2026-03-15"}`, 400, "scope"},
		{"unknown field", mgr, "/api/v1/processors/mailing/subentrustments", `{"name":"x","scope":"y","approved_on":"2026-03-15","colour":"red"}`, 400, "colour"},
		{"unknown processor", mgr, "/api/v1/processors/nobody/reviews", `{"reviewed_on":"2026-03-31","grade":"A"}`, 404, "id"},
		{"auditor", hogo.RoleAuditor, "/api/v1/processors/payroll/reviews", `{"reviewed_on":"2026-03-31","grade":"A"}`, 403, ""},
		{"admin", hogo.RoleAdmin, "/api/v1/processors/payroll/contract", `{"signed_on":"2025-04-01"}`, 403, ""},
		{"staff", hogo.RoleStaff, "/api/v1/processors/mailing/subentrustments", `{"name":"x","scope":"y","approved_on":"2026-03-15"}`, 403, ""},
	} {
		r := h.as(c.role, "POST", c.path, c.body)
		if r.status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.status, c.status, r.body)
			continue
		}
		if c.status >= 400 {
			if _, _, field := r.errorJSON(t); field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, field, c.field)
			}
			continue
		}
		var v processor.View
		r.decode(t, &v)
		if !strings.HasPrefix(r.header.Get("Location"), "/api/v1/processors/") || v.ID == "" {
			t.Errorf("%s: %s %+v", c.name, r.header.Get("Location"), v)
		}
	}

	h.as(hogo.RoleAdmin, "GET", "/api/v1/processors", "").decode(t, &list)
	got := map[string]processor.View{}
	for _, v := range list.Processors {
		got[v.ID] = v
	}
	if p := got["payroll"]; p.Status != processor.StatusOK || p.NextReviewOn != "2027-03-31" || p.Contract == nil || !p.Contract.NDA || len(p.Issues) != 0 {
		t.Errorf("payroll: %+v", p)
	}
	// mailing was reviewed on 2025-04-20 without a grade: due on
	// 2026-04-20, within 30 days, and still not evaluated.
	if m := got["mailing"]; m.Status != processor.StatusDue || m.NextReviewJa != "令和8年4月20日" || *m.DaysLeft != 19 ||
		!slices.Contains(m.Issues, processor.IssueNotEvaluated) || len(m.SubEntrustments) != 1 {
		t.Errorf("mailing: %+v", m)
	}
	if ids := []string{list.Reminders[0].ID, list.Reminders[1].ID}; len(list.Reminders) != 2 || !slices.Contains(ids, "mailing") || !slices.Contains(ids, "system_maintenance") {
		t.Errorf("reminders: %+v", list.Reminders)
	}
	var ok processorListJSON
	h.as(mgr, "GET", "/api/v1/processors?status=ok", "").decode(t, &ok)
	if len(ok.Processors) != 1 || ok.Processors[0].ID != "payroll" || len(ok.Reminders) != 2 {
		t.Errorf("?status=ok: %+v", ok)
	}
	if r := h.as(mgr, "GET", "/api/v1/processors?status=soon", ""); r.status != 400 {
		t.Errorf("?status=soon: %d", r.status)
	}
	var one processor.View
	r = h.as(hogo.RoleAuditor, "GET", "/api/v1/processors/mailing", "")
	r.decode(t, &one)
	if r.status != 200 || len(one.Reviews) != 1 || len(one.Categories) != 2 || one.Categories[0].ID != "job_seeker" {
		t.Errorf("GET mailing: %d %+v", r.status, one)
	}
	if r := h.as(mgr, "GET", "/api/v1/processors/nobody", ""); r.status != 404 {
		t.Errorf("GET nobody: %d", r.status)
	}
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleDesk} {
		if r := h.as(role, "GET", "/api/v1/processors", ""); r.status != 403 {
			t.Errorf("%s reading the register: %d", role, r.status)
		}
	}

	// Every record left one audit entry, none of the refusals did.
	es, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "processor.", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range es {
		actions[e.Action]++
		if e.Actor != userName(mgr) || e.Target == "" {
			t.Errorf("entry %+v", e)
		}
	}
	if actions["processor.review"] != 2 || actions["processor.contract"] != 1 || actions["processor.subentrustment"] != 1 || len(es) != 4 {
		t.Errorf("audit: %v", actions)
	}
	denied, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "access.denied", Limit: 100})
	if len(denied) != 5 {
		t.Errorf("%d refusals audited, want 5", len(denied))
	}
}

// TestProcessorConsole: the register page (due flagged, Japanese dates),
// the processor page with its forms for the manager, read-only for the
// auditor, refused to staff; the forms record and show the result.
func TestProcessorConsole(t *testing.T) {
	h := newHarness(t, atRegistersNow)
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	wantStatus(t, "register", b.get("/console/processors"), http.StatusOK, "委託先管理台帳", "給与計算代行会社", "発送代行会社", "見直し時期",
		"安全管理措置の評価が未実施", `id="processor-reminders"`)
	wantStatus(t, "processor", b.get("/console/processors/mailing"), http.StatusOK, "発送代行会社", "氏名、住所", "求職者", `id="review-form"`,
		`id="contract-form"`, `id="subentrustment-form"`)
	wantStatus(t, "unknown", b.get("/console/processors/nobody"), http.StatusNotFound)

	token := b.csrf("/console/processors/mailing")
	wantRedirect(t, "review", b.post("/console/processors/mailing/review", url.Values{"csrf": {token}, "kind": {"evaluation"},
		"reviewed_on": {"2026-03-30"}, "grade": {"B"}, "evaluator": {"監査室"}, "interval_months": {"12"}}), http.StatusSeeOther,
		"/console/processors/mailing?done=review")
	wantRedirect(t, "contract", b.post("/console/processors/mailing/contract", url.Values{"csrf": {token}, "signed_on": {"2025-04-01"},
		"reference": {"委-017"}, "nda": {"1"}}), http.StatusSeeOther, "/console/processors/mailing?done=contract")
	wantRedirect(t, "sub-entrustment", b.post("/console/processors/mailing/subentrustment", url.Values{"csrf": {token}, "name": {"株式会社印刷センター"},
		"scope": {"宛名印字"}, "approved_on": {"2026-03-15"}}), http.StatusSeeOther, "/console/processors/mailing?done=subentrustment")
	wantStatus(t, "after", b.get("/console/processors/mailing?done=review"), http.StatusOK, "評価・見直しを記録しました。", "令和8年3月30日",
		"令和9年3月30日", "株式会社印刷センター", "委-017", "監査室")
	wantStatus(t, "bad review", b.post("/console/processors/mailing/review", url.Values{"csrf": {token}, "kind": {"evaluation"},
		"reviewed_on": {"2026-03-30"}}), http.StatusBadRequest, "評価結果", `id="review-form"`)
	wantStatus(t, "bad interval", b.post("/console/processors/mailing/review", url.Values{"csrf": {token}, "reviewed_on": {"2026-03-30"},
		"interval_months": {"毎年"}}), http.StatusBadRequest, "interval_months")
	wantStatus(t, "bad action", b.post("/console/processors/mailing/delete", url.Values{"csrf": {token}}), http.StatusNotFound)
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "processor.", Limit: 100}); len(es) != 3 {
		t.Errorf("%d audit entries for 3 records", len(es))
	}

	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	r := a.get("/console/processors/mailing")
	wantStatus(t, "auditor", r, http.StatusOK, "発送代行会社", "株式会社印刷センター")
	if strings.Contains(r.String(), `id="review-form"`) {
		t.Error("the auditor is offered the review form")
	}
	wantStatus(t, "auditor posts", a.post("/console/processors/mailing/review", url.Values{"csrf": {a.csrf("/console/processors")},
		"reviewed_on": {"2026-03-30"}, "grade": {"A"}}), http.StatusForbidden, msgForbidden)
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	wantStatus(t, "staff", s.get("/console/processors"), http.StatusForbidden, msgForbidden)
	if strings.Contains(s.get("/console/").String(), `id="nav-processors"`) {
		t.Error("staff see the register in the navigation")
	}
	if !strings.Contains(b.get("/console/").String(), `id="nav-processors"`) {
		t.Error("the manager does not see the register in the navigation")
	}
	wantStatus(t, "english", b.get("/console/processors?lang=en"), http.StatusOK, "Processor register", "Payroll service provider", "Due")
}

// TestRegisterWords: every status, issue, grade, kind, basis and record
// method the pages name has words in both languages.
func TestRegisterWords(t *testing.T) {
	var keys []string
	for _, s := range processor.Statuses {
		keys = append(keys, "processors.status."+s)
	}
	for _, s := range processor.Issues {
		keys = append(keys, "processors.issue."+s)
	}
	for _, s := range processor.Grades {
		keys = append(keys, "processors.grade."+s)
	}
	for _, s := range processor.Kinds {
		keys = append(keys, "processors.kind."+s)
	}
	for _, s := range hogo.ReceiptBases {
		keys = append(keys, "receipts.basis."+s)
	}
	for _, s := range receipt.RecordMethods {
		keys = append(keys, "receipts.method."+s)
	}
	for _, s := range []string{"contract", "review", "subentrustment"} {
		keys = append(keys, "processors.done."+s)
	}
	for _, k := range keys {
		if web.T("ja", k) == k || web.T("en", k) == k {
			t.Errorf("message key %q has no words", k)
		}
	}
}
