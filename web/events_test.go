package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// eventSeeker registers a fictional job seeker acquired in 2025 with no
// event recorded, and returns the principal and the record.
func (h *harness) eventSeeker(email string) (id, rid string) {
	h.t.Helper()
	id, rid, err := h.srv.Vault.Create(context.Background(), retentionManager, vault.NewRecord{Category: "job_seeker",
		Use: vault.Use{Purpose: "job_matching"}, Source: "web_form", AcquiredAt: time.Date(2025, 11, 1, 9, 0, 0, 0, hogo.Tokyo),
		Items: map[string]string{"name": "架空 次郎", "name_kana": "カクウ ジロウ", "email": email, "phone": "090-0000-5678"}})
	if err != nil {
		h.t.Fatal(err)
	}
	return id, rid
}

// eventPath is the API path of a record's events.
func eventPath(id, rid string) string {
	return "/api/v1/principals/" + id + "/records/" + rid + "/events"
}

// eventPersonalData is what must never reach the log or an error.
var eventPersonalData = []string{"架空 次郎", "カクウ", "kakuu", "example.jp", "090-0000-5678"}

// TestEventAPI: staff, the desk and the manager record a record's ledger
// event; the retention preview counts the record as due from it; an
// unknown event, a bad day and an unknown field are 400s naming the field,
// without the value; an unknown principal or record is a 404; the auditor
// and the administrator are refused (403, audited); every write is
// audited; no personal data reaches the log.
func TestEventAPI(t *testing.T) {
	h := newHarness(t, withRetention, atRetentionNow)
	ctx := context.Background()
	a, ra := h.eventSeeker("kakuu.j1@example.jp")
	b, rb := h.eventSeeker("kakuu.j2@example.jp")
	c, rc := h.eventSeeker("kakuu.j3@example.jp")

	var pv retentionPreviewJSON
	h.as(hogo.RoleManager, "GET", "/api/v1/retention/preview", "").decode(t, &pv)
	if js := pv.category("job_seeker"); js.Due != 0 || js.Waiting != 3 {
		t.Fatalf("preview before: %+v", js)
	}

	// Refusals first: nothing recorded by them.
	for _, role := range []hogo.Role{hogo.RoleAuditor, hogo.RoleAdmin} {
		r := h.as(role, "POST", eventPath(a, ra), `{"event":"application_closed","on":"2026-01-10"}`)
		if r.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403\n%s", role, r.status, r.body)
		}
		if code, msg, _ := r.errorJSON(t); code != hogo.EFORBIDDEN || !strings.Contains(msg, string(role)) {
			t.Errorf("%s: %s %s", role, code, msg)
		}
	}
	denied, err := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "access.denied", Limit: 100})
	if err != nil || len(denied) != 2 {
		t.Errorf("%d refusals audited, want 2 (%v)", len(denied), err)
	}

	// Bad input names the field and never echoes the value.
	for _, c := range []struct {
		what, body string
		status     int
		field      string
	}{
		{"unknown event", `{"event":"kakuu.j1@example.jp","on":"2026-01-10"}`, 400, "event"},
		{"no event", `{"event":" ","on":"2026-01-10"}`, 400, "event"},
		{"impossible day", `{"event":"application_closed","on":"2026-02-30"}`, 400, "on"},
		{"not a day", `{"event":"application_closed","on":"来月"}`, 400, "on"},
		{"Japanese era", `{"event":"application_closed","on":"令和8年1月10日"}`, 400, "on"},
		{"no day", `{"event":"application_closed"}`, 400, "on"},
		{"unknown field", `{"event":"application_closed","on":"2026-01-10","note":"kakuu"}`, 400, "note"},
		{"not JSON", `event=application_closed`, 400, ""},
	} {
		r := h.as(hogo.RoleStaff, "POST", eventPath(a, ra), c.body)
		wantRetentionField(t, c.what, r, c.status, c.field)
		if strings.Contains(r.String(), "kakuu") || strings.Contains(r.String(), "来月") {
			t.Errorf("%s: the refusal echoes the value: %s", c.what, r.body)
		}
	}
	// Unknown principals and records.
	const nobody = "0123456789abcdefghijklmnop"
	wantRetentionField(t, "unknown record", h.as(hogo.RoleStaff, "POST", eventPath(a, nobody), `{"event":"application_closed","on":"2026-01-10"}`), 404, "record")
	wantRetentionField(t, "record of another", h.as(hogo.RoleStaff, "POST", eventPath(a, rb), `{"event":"application_closed","on":"2026-01-10"}`), 404, "record")
	wantRetentionField(t, "unknown principal", h.as(hogo.RoleStaff, "POST", eventPath(nobody, ra), `{"event":"application_closed","on":"2026-01-10"}`), 404, "record")
	wantRetentionField(t, "malformed principal", h.as(hogo.RoleDesk, "POST", eventPath("kakuu", ra), `{"event":"application_closed","on":"2026-01-10"}`), 404, "id")

	// Staff, the desk and the manager record; a second record of the
	// same event corrects its day.
	for _, c := range []struct {
		role    hogo.Role
		id, rid string
		body    string
	}{
		{hogo.RoleStaff, a, ra, `{"event":"application_closed","on":"2026-01-10"}`},
		{hogo.RoleDesk, b, rb, `{"event":"application_closed","on":"2026-07-01"}`},
		{hogo.RoleDesk, b, rb, `{"event":"application_closed","on":"2026-05-20"}`},
		{hogo.RoleManager, c, rc, `{"event":"selection_ended","on":"2026-01-10"}`},
	} {
		r := h.as(c.role, "POST", eventPath(c.id, c.rid), c.body)
		if r.status != http.StatusNoContent || len(r.body) != 0 {
			t.Errorf("%s records %s: %d %s", c.role, c.body, r.status, r.body)
		}
	}

	// The preview follows: a from 2026-07-10, b from 2026-11-20 (the day
	// corrected); c's event is not the one its rule counts from.
	h.as(hogo.RoleAuditor, "GET", "/api/v1/retention/preview", "").decode(t, &pv)
	if js := pv.category("job_seeker"); js.Due != 2 || js.Waiting != 1 || js.Earliest != "2026-07-10" {
		t.Errorf("preview after: %+v", js)
	}
	h.as(hogo.RoleAuditor, "GET", "/api/v1/retention/preview?horizon=2026-11-19", "").decode(t, &pv)
	if js := pv.category("job_seeker"); js.Due != 1 {
		t.Errorf("preview to 2026-11-19 counts the corrected day: %+v", js)
	}

	// Every write audited, by whom, with the event and the day only.
	es, err := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "record.event", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 4 {
		t.Fatalf("%d record.event entries, want 4", len(es))
	}
	by := map[string]int{}
	for _, e := range es {
		by[string(e.Role)]++
		if e.Principal == "" || e.Target == "" || e.Detail["event"] == "" || e.Detail["on"] == "" {
			t.Errorf("audit entry: %+v", e)
		}
	}
	if by["staff"] != 1 || by["desk"] != 2 || by["manager"] != 1 {
		t.Errorf("audited by role: %v", by)
	}

	if logs := h.logs.String(); containsAny(logs, eventPersonalData) != "" {
		t.Errorf("the log holds %q", containsAny(logs, eventPersonalData))
	}
}

// containsAny returns the first of subs found in s, or "".
func containsAny(s string, subs []string) string {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return x
		}
	}
	return ""
}

// TestEventConsole: on the principal page each record shows its rule, its
// events and its 保存期限, or the event it waits for; staff and the desk
// get a form (CSRF, the rule's event chosen, today in Tokyo) that records
// the event and leads back to the page with the due date; bad input is
// shown on the page; the administrator sees the events without the form,
// and the auditor may not post; one principal's events never show on
// another's page; English is one click away.
func TestEventConsole(t *testing.T) {
	h := newHarness(t, withRetention, atRetentionNow)
	h.srv.Now = func() time.Time { return retentionNow }
	a, ra := h.eventSeeker("kakuu.k1@example.jp")
	b, rb := h.eventSeeker("kakuu.k2@example.jp")
	// b's event, recorded first: a's page must not show it.
	if r := h.as(hogo.RoleStaff, "POST", eventPath(b, rb), `{"event":"application_closed","on":"2026-01-10"}`); r.status != http.StatusNoContent {
		t.Fatalf("b's event: %d %s", r.status, r.body)
	}

	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	page := "/console/principals/" + a + "?purpose=job_matching"
	r := s.get(page)
	wantStatus(t, "waiting", r, http.StatusOK, `id="events-`+ra+`"`, "保存期間と出来事", "求職申込みの終了から6か月", "まだ記録されていません。",
		"保存期限: 出来事（求職申込みの終了）の記録待ち", `data-waiting="true"`, `id="event-form-`+ra+`"`,
		`action="/console/principals/`+a+`/records/`+ra+`/events"`, `<option value="application_closed" selected>`,
		"求職申込みの終了（登録の解除、または最後のご連絡から1年の経過）", `<option value="employment_ended">`,
		`name="on" id="event-on-`+ra+`" value="2026-11-24"`, `name="purpose" value="job_matching"`)
	if strings.Contains(r.String(), "令和8年1月10日") {
		t.Error("a's page shows b's event")
	}
	wantStatus(t, "b's page", s.get("/console/principals/"+b+"?purpose=job_matching"), http.StatusOK,
		"求職申込みの終了: 令和8年1月10日", "保存期限: 令和8年7月10日", `data-due="2026-07-10"`)

	// The form: refused without its token; recorded with it.
	token := s.csrf(page)
	form := url.Values{"event": {"application_closed"}, "on": {"2026-11-20"}, "purpose": {"job_matching"}}
	wantStatus(t, "no csrf", s.post("/console/principals/"+a+"/records/"+ra+"/events", form), http.StatusForbidden)
	form.Set("csrf", token)
	wantRedirect(t, "record", s.post("/console/principals/"+a+"/records/"+ra+"/events", form), http.StatusSeeOther,
		"/console/principals/"+a+"?flash=vault.event_recorded&purpose=job_matching#events-"+ra)
	r = s.get("/console/principals/" + a + "?flash=vault.event_recorded&purpose=job_matching")
	wantStatus(t, "recorded", r, http.StatusOK, "出来事を記録しました。", "求職申込みの終了: 令和8年11月20日",
		"保存期限: 令和9年5月20日", `id="due-`+ra+`" data-due="2027-05-20"`)
	if strings.Contains(r.String(), "の記録待ち") {
		t.Error("the page still waits for the event")
	}
	en := h.browser()
	en.loginAs(hogo.RoleStaff)
	wantStatus(t, "english", en.get(page+"&lang=en"), http.StatusOK, "Retention and events", "6 months after End of the job application",
		"End of the job application: 2026-11-20", "Retention ends: 2027-05-20", "Record an event")

	// Bad input: shown on the page, the form still there.
	for _, c := range []struct {
		what, event, on string
		status          int
		want            string
	}{
		{"bad day", "application_closed", "2026-11-31", http.StatusBadRequest, "日付は 2026-11-24 の形で指定してください。"},
		{"no day", "application_closed", "", http.StatusBadRequest, "出来事の日付（on）を"},
		{"unknown event", "birthday", "2026-11-20", http.StatusBadRequest, "指定された出来事は台帳にありません。"},
	} {
		f := url.Values{"csrf": {token}, "event": {c.event}, "on": {c.on}, "purpose": {"job_matching"}}
		wantStatus(t, c.what, s.post("/console/principals/"+a+"/records/"+ra+"/events", f), c.status, c.want, `id="event-form-`+ra+`"`)
	}
	wantStatus(t, "unknown record", s.post("/console/principals/"+a+"/records/0123456789abcdefghijklmnop/events",
		url.Values{"csrf": {token}, "event": {"application_closed"}, "on": {"2026-11-20"}, "purpose": {"job_matching"}}),
		http.StatusNotFound, "記録が見つかりません。")

	// The desk records too.
	d := h.browser()
	d.loginAs(hogo.RoleDesk)
	wantRedirect(t, "desk records", d.post("/console/principals/"+b+"/records/"+rb+"/events", url.Values{"csrf": {d.csrf(page)},
		"event": {"application_closed"}, "on": {"2026-05-20"}, "purpose": {"job_matching"}}), http.StatusSeeOther,
		"/console/principals/"+b+"?flash=vault.event_recorded&purpose=job_matching#events-"+rb)
	wantStatus(t, "desk sees", d.get("/console/principals/"+b+"?purpose=job_matching"), http.StatusOK, "保存期限: 令和8年11月20日")

	// The administrator (who reads job seekers in this demo ledger) sees
	// the events but gets no form; the auditor may not post.
	ad := h.browser()
	ad.loginAs(hogo.RoleAdmin)
	r = ad.get(page)
	wantStatus(t, "admin", r, http.StatusOK, "保存期限: 令和9年5月20日")
	if strings.Contains(r.String(), `id="event-form-`) {
		t.Error("the administrator is offered the event form")
	}
	au := h.browser()
	au.loginAs(hogo.RoleAuditor)
	wantStatus(t, "auditor posts", au.post("/console/principals/"+a+"/records/"+ra+"/events", url.Values{"csrf": {au.csrf(page)},
		"event": {"application_closed"}, "on": {"2026-01-01"}, "purpose": {"job_matching"}}), http.StatusForbidden, msgForbidden)

	// Audited: b's by the API, a's by staff, b's by the desk.
	es, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "record.event", Limit: 100})
	if err != nil || len(es) != 3 {
		t.Errorf("%d record.event entries, want 3 (%v)", len(es), err)
	}
	if logs := h.logs.String(); containsAny(logs, eventPersonalData) != "" {
		t.Errorf("the log holds %q", containsAny(logs, eventPersonalData))
	}
}
