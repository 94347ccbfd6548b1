package web_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
)

type complaintJSON struct {
	complaint.View
	Error struct{ Code, Field string } `json:"error"`
}

// complaintValues are the personal values the complaint tests send: none
// may reach the server log or the audit log.
var complaintValues = []string{"道下", "suzu.michishita@example.jp", "090-1234-5678", "大阪市北区", "退会したのに", "上申の理由", "お詫びの書面"}

const complaintBody = `{"channel":"phone","category":"marketing","complainant":{"name":"道下 鈴","email":"suzu.michishita@example.jp","phone":"090-1234-5678","address":"大阪市北区1-2-3"},
	"statement":"退会したのに求人案内のメールが届き続けている"}`

// tokyoAt is a Tokyo wall-clock time, 2026-12-04 18:00.
func tokyoAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hogo.Tokyo)
	if err != nil {
		panic(err)
	}
	return t
}

// TestComplaintAPI: the intake's answers (201, 400 on the field at fault,
// 403), the queue and its views, a complaint by ID and by receipt number
// (404 otherwise), its steps to closing, and the month's figures; nothing
// personal in the server log or the audit log.
func TestComplaintAPI(t *testing.T) {
	h := newHarness(t)
	now := tokyoAt("2026-12-04 18:00") // a Friday, after the desk closes at 17:00
	h.srv.Complaints.Now = func() time.Time { return now }

	for _, c := range []struct {
		name   string
		role   hogo.Role
		body   string
		status int
		field  string
	}{
		{"staff take a call", hogo.RoleStaff, complaintBody, http.StatusCreated, ""},
		{"the desk", hogo.RoleDesk, complaintBody, http.StatusCreated, ""},
		{"anonymous", hogo.RoleManager, `{"channel":"post","category":"leak","anonymous":true,"statement":"名簿が流出していないか"}`, http.StatusCreated, ""},
		{"the auditor", hogo.RoleAuditor, complaintBody, http.StatusForbidden, ""},
		{"the admin", hogo.RoleAdmin, complaintBody, http.StatusForbidden, ""},
		{"no statement", hogo.RoleDesk, `{"channel":"phone","category":"other","complainant":{"name":"道下 鈴"}}`, http.StatusBadRequest, "statement"},
		{"no name", hogo.RoleDesk, `{"channel":"phone","category":"other","statement":"x"}`, http.StatusBadRequest, "complainant.name"},
		{"unknown channel", hogo.RoleDesk, `{"channel":"pigeon","category":"other","anonymous":true,"statement":"x"}`, http.StatusBadRequest, "channel"},
		{"portal channel", hogo.RoleDesk, `{"channel":"portal","category":"other","anonymous":true,"statement":"x"}`, http.StatusBadRequest, "channel"},
		{"unknown category", hogo.RoleDesk, `{"channel":"phone","category":"weather","anonymous":true,"statement":"x"}`, http.StatusBadRequest, "category"},
		{"bad e-mail", hogo.RoleDesk, `{"channel":"phone","category":"other","anonymous":true,"complainant":{"email":"suzu"},"statement":"x"}`, http.StatusBadRequest, "complainant.email"},
		{"in the future", hogo.RoleDesk, `{"channel":"post","category":"other","anonymous":true,"statement":"x","received_at":"2026-12-05T10:00"}`, http.StatusBadRequest, "received_at"},
		{"unknown field", hogo.RoleDesk, `{"channel":"phone","category":"other","anonymous":true,"statement":"x","mood":"angry"}`, http.StatusBadRequest, ""},
	} {
		r := h.as(c.role, "POST", "/api/v1/complaints", c.body)
		if r.status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.status, c.status, r.body)
			continue
		}
		if c.field != "" {
			if _, _, field := r.errorJSON(t); field != c.field {
				t.Errorf("%s: error on %q, want %q", c.name, field, c.field)
			}
		}
	}

	r := h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", complaintBody)
	var v complaintJSON
	r.decode(t, &v)
	if r.status != http.StatusCreated || r.header.Get("Location") != "/api/v1/complaints/"+v.ID || v.Status != hogo.ComplaintReceived ||
		!regexp.MustCompile(`^C-20261204-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(v.ReceiptNumber) {
		t.Fatalf("intake: %d %+v", r.status, v)
	}
	// After closing on a Friday: handled from Monday 12-07.
	if v.AckDue != "2026-12-08" || v.AnswerDue != "2026-12-21" || v.AckDueJa != "令和8年12月8日（火）" {
		t.Errorf("targets: %s %s %s", v.AckDue, v.AnswerDue, v.AckDueJa)
	}

	// The queue: four complaints, none overdue until Wednesday.
	var q struct{ Complaints []complaint.View }
	h.as(hogo.RoleAuditor, "GET", "/api/v1/complaints?view=open", "").decode(t, &q)
	if len(q.Complaints) != 4 || q.Complaints[0].File != nil {
		t.Fatalf("open queue: %+v", q)
	}
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/complaints", ""); r.status != http.StatusForbidden {
		t.Errorf("staff reading the queue: %d", r.status)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/complaints?view=soon", ""); r.status != http.StatusBadRequest {
		t.Errorf("unknown view: %d", r.status)
	}
	now = tokyoAt("2026-12-09 09:00")
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints?view=overdue", "").decode(t, &q)
	if len(q.Complaints) != 4 || q.Complaints[0].Flag != "overdue" || !q.Complaints[0].AckOverdue {
		t.Fatalf("overdue queue: %+v", q)
	}

	// One complaint, by ID or receipt number.
	for _, c := range []struct {
		role   hogo.Role
		id     string
		status int
	}{
		{hogo.RoleAuditor, v.ID, http.StatusOK},
		{hogo.RoleDesk, v.ReceiptNumber, http.StatusOK},
		{hogo.RoleStaff, v.ID, http.StatusForbidden},
		{hogo.RoleDesk, "0123456789abcdefghijklmnop", http.StatusNotFound},
		{hogo.RoleDesk, "C-20261204-ZZZZ-ZZZZ", http.StatusNotFound},
		{hogo.RoleDesk, "nothing", http.StatusNotFound},
	} {
		r := h.as(c.role, "GET", "/api/v1/complaints/"+c.id, "")
		if r.status != c.status {
			t.Errorf("GET %s as %s: %d, want %d", c.id, c.role, r.status, c.status)
		}
	}
	r = h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+v.ID, "")
	r.decode(t, &v)
	if v.File == nil || v.File.Complainant.Name != "道下 鈴" || !strings.Contains(v.File.Statement, "求人案内") {
		t.Fatalf("the case file: %s", r.body)
	}

	// A rights request and an incident to link.
	var rq struct {
		ID            string
		ReceiptNumber string `json:"receipt_number"`
	}
	h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["suspend"],"channel":"phone","requester":{"kind":"principal","name":"道下 鈴","email":"suzu.michishita@example.jp"}}`).decode(t, &rq)
	if rq.ReceiptNumber == "" {
		t.Fatal("no request to link")
	}
	var inc struct{ ID string }
	h.as(hogo.RoleManager, "POST", "/api/v1/incidents", `{"title":"配信停止の不具合"}`).decode(t, &inc)

	steps := "/api/v1/complaints/" + v.ID + "/steps"
	for _, c := range []struct {
		name   string
		role   hogo.Role
		body   string
		status int
		field  string
	}{
		{"the auditor", hogo.RoleAuditor, `{"step":"acknowledge"}`, http.StatusForbidden, ""},
		{"staff", hogo.RoleStaff, `{"step":"acknowledge"}`, http.StatusForbidden, ""},
		{"unknown step", hogo.RoleDesk, `{"step":"reopen"}`, http.StatusBadRequest, "step"},
		{"acknowledge", hogo.RoleDesk, `{"step":"acknowledge","note":"折り返し電話で受領を伝えた"}`, http.StatusOK, ""},
		{"again", hogo.RoleDesk, `{"step":"acknowledge"}`, http.StatusConflict, "status"},
		{"answer without one", hogo.RoleDesk, `{"step":"answer"}`, http.StatusBadRequest, "note"},
		{"escalate", hogo.RoleDesk, `{"step":"escalate","note":"上申の理由: 配信停止の仕組みに不備"}`, http.StatusOK, ""},
		{"link nothing", hogo.RoleManager, `{"step":"link","request":"20261204-ZZZZ-ZZZZ"}`, http.StatusBadRequest, "request"},
		{"link", hogo.RoleManager, `{"step":"link","request":"` + rq.ReceiptNumber + `","incident":"` + inc.ID + `"}`, http.StatusOK, ""},
		{"stale version", hogo.RoleManager, `{"step":"note","note":"x","version":1}`, http.StatusConflict, "version"},
		{"answer", hogo.RoleManager, `{"step":"answer","note":"配信を停止し、お詫びの書面を送付した"}`, http.StatusOK, ""},
		{"close", hogo.RoleDesk, `{"step":"close"}`, http.StatusOK, ""},
		{"closed", hogo.RoleDesk, `{"step":"close"}`, http.StatusConflict, "status"},
	} {
		r := h.as(c.role, "POST", steps, c.body)
		if r.status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.status, c.status, r.body)
		} else if c.field != "" {
			if _, _, field := r.errorJSON(t); field != c.field {
				t.Errorf("%s: error on %q, want %q", c.name, field, c.field)
			}
		}
	}
	if r := h.as(hogo.RoleDesk, "POST", "/api/v1/complaints/0123456789abcdefghijklmnop/steps", `{"step":"note","note":"x"}`); r.status != http.StatusNotFound {
		t.Errorf("a step on nothing: %d", r.status)
	}
	id := v.ID
	v = complaintJSON{}
	h.as(hogo.RoleAuditor, "GET", "/api/v1/complaints/"+id, "").decode(t, &v)
	if v.Status != hogo.ComplaintClosed || v.DueOn != "" || v.Flag != "" || !v.AckLate || v.AnswerLate || !v.Escalated || v.EscalatedBy != userName(hogo.RoleDesk) ||
		v.RequestID != rq.ID || v.RequestReceipt != rq.ReceiptNumber || v.IncidentID != inc.ID || len(v.File.Notes) != 3 {
		t.Errorf("closed: %+v", v)
	}

	// The month's figures: December holds the five complaints; one was
	// acknowledged (late) and answered (on time), one escalated.
	var st complaint.Stats
	r = h.as(hogo.RoleManager, "GET", "/api/v1/complaints/stats?month=2026-12", "")
	r.decode(t, &st)
	if r.status != http.StatusOK || st.Total != 4 || st.ByCategory["marketing"] != 3 || st.ByCategory["leak"] != 1 || st.ByChannel["phone"] != 3 ||
		st.ByChannel["post"] != 1 || st.Escalated != 1 || st.Open != 3 || st.Acknowledged.Due != 4 || st.Acknowledged.OnTime != 0 ||
		st.Answered.Due != 1 || st.Answered.OnTime != 1 || *st.Answered.Percent != 100 {
		t.Errorf("stats: %d %s", r.status, r.body)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/stats", ""); r.status != http.StatusOK {
		t.Errorf("this month: %d", r.status)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/stats?month=12-2026", ""); r.status != http.StatusBadRequest {
		t.Errorf("a bad month: %d", r.status)
	}
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/complaints/stats", ""); r.status != http.StatusForbidden {
		t.Errorf("staff reading the figures: %d", r.status)
	}

	// Sealed at rest; nothing personal in either log.
	var sealed []byte
	h.db.Read.QueryRow(`SELECT sealed FROM complaints WHERE id = $1`, v.ID).Scan(&sealed)
	holdsNone(t, "the stored row", string(sealed), complaintValues)
	holdsNone(t, "the server log", h.logs.String(), complaintValues)
	es := h.auditEntries()
	audited := auditJSON(t, es)
	holdsNone(t, "the audit log", audited, complaintValues)
	for _, want := range []string{"complaint.receive", "complaint.read", "complaint.list", "complaint.acknowledge", "complaint.escalate",
		"complaint.link", "complaint.answer", "complaint.close", v.ReceiptNumber} {
		if !strings.Contains(audited, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}

// TestComplaintTargetsYearEnd: over the year end (12-29..01-03 in the
// ledger) and 成人の日, with the targets set on the service.
func TestComplaintTargetsYearEnd(t *testing.T) {
	h := newHarness(t)
	now := tokyoAt("2026-12-28 17:30") // the last business day, after closing
	h.srv.Complaints.Now = func() time.Time { return now }
	var v complaintJSON
	h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", complaintBody).decode(t, &v)
	if v.ReceivedOn != "2026-12-28" || v.AckDue != "2027-01-05" || v.AnswerDue != "2027-01-19" {
		t.Errorf("after closing on 12-28: %+v", v.View)
	}
	h.srv.Complaints.AckDays, h.srv.Complaints.AnswerDays = 2, 5
	now = tokyoAt("2027-01-02 11:00")
	h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", complaintBody).decode(t, &v)
	if v.AckDue != "2027-01-06" || v.AnswerDue != "2027-01-12" {
		t.Errorf("on 01-02 with 2 and 5 days: %+v", v.View)
	}
	now = tokyoAt("2027-01-07 09:00")
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+v.ID, "").decode(t, &v)
	if !v.AckOverdue || v.AnswerOverdue || v.Flag != "overdue" || v.DaysLeft != -1 {
		t.Errorf("on 01-07: %+v", v.View)
	}
}

var portalReceiptRE = regexp.MustCompile(`<code>(C-\d{8}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>`)

// TestComplaintPortal: the portal's form, Japanese first, linked from the
// portal's home; a complaint sent gets a receipt number and the
// acknowledgement's target; a refused one keeps what was written; the
// form is rate-limited per address.
func TestComplaintPortal(t *testing.T) {
	h := newHarness(t)
	h.srv.Complaints.Now = func() time.Time { return tokyoAt("2026-12-05 10:00") } // Saturday
	c := &http.Client{CheckRedirect: noRedirect}
	if r := h.send(c, "GET", "/", nil, nil); !strings.Contains(r.String(), `href="/complaints/new"`) {
		t.Errorf("the portal does not link the form")
	}
	r := h.send(c, "GET", "/complaints/new", nil, nil)
	if r.status != http.StatusOK || !strings.Contains(r.String(), "苦情・相談の受付") || !strings.Contains(r.String(), `id="portal-complaint-form"`) ||
		!strings.Contains(r.String(), "9:00〜17:00") {
		t.Fatalf("form: %d\n%s", r.status, r.body)
	}
	noRawKeys(t, "the form", r)
	r = h.send(c, "GET", "/complaints/new?lang=en", nil, nil)
	if !strings.Contains(r.String(), "Complaints and inquiries") {
		t.Errorf("English form:\n%s", r.body)
	}
	noRawKeys(t, "the English form", r)
	post := func(form url.Values) *response {
		return h.send(c, "POST", "/complaints/new", strings.NewReader(form.Encode()),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	}
	r = post(url.Values{"category": {"marketing"}, "statement": {"退会したのに案内が届く"}, "name": {"道下 鈴"}, "email": {"suzu.michishita@example.jp"}})
	m := portalReceiptRE.FindSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || !strings.Contains(r.String(), "令和8年12月8日（火）") || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("sent: %d\n%s", r.status, r.body)
	}
	var v complaintJSON
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+string(m[1]), "").decode(t, &v)
	if v.Channel != "portal" || v.Category != "marketing" || v.File.Complainant.Email != "suzu.michishita@example.jp" || v.AckDue != "2026-12-08" {
		t.Errorf("stored: %+v", v.View)
	}
	// Anonymous, with a name typed all the same: the name is dropped.
	r = post(url.Values{"category": {"other"}, "statement": {"質問です"}, "anonymous": {"1"}, "name": {"道下 鈴"}})
	m = portalReceiptRE.FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("anonymous: %d\n%s", r.status, r.body)
	}
	v = complaintJSON{}
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+string(m[1]), "").decode(t, &v)
	if !v.Anonymous || v.File.Complainant.Name != "" {
		t.Errorf("anonymous: %+v", v.File)
	}
	// Refused: the statement is kept on the page.
	r = post(url.Values{"category": {"other"}, "statement": {"電話してください"}, "name": {"道下 鈴"}, "phone": {"call me"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.String(), "電話番号の形が正しくありません") || !strings.Contains(r.String(), "電話してください") {
		t.Errorf("refused: %d\n%s", r.status, r.body)
	}
	// A form larger than the bound is refused.
	if r := post(url.Values{"category": {"other"}, "anonymous": {"1"}, "statement": {strings.Repeat("x", 70<<10)}}); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("too large: %d", r.status)
	}
	// Ten posts an hour from one address, then 429.
	for i := 4; i < 10; i++ {
		post(url.Values{"category": {"other"}, "statement": {"x"}, "anonymous": {"1"}})
	}
	if r := post(url.Values{"category": {"other"}, "statement": {"x"}, "anonymous": {"1"}}); r.status != http.StatusTooManyRequests {
		t.Errorf("the eleventh post: %d", r.status)
	}
	var q struct{ Complaints []complaint.View }
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints", "").decode(t, &q)
	if len(q.Complaints) != 8 {
		t.Errorf("%d complaints kept, want 8", len(q.Complaints))
	}
	holdsNone(t, "the server log", h.logs.String(), complaintValues)
	holdsNone(t, "the audit log", auditJSON(t, h.auditEntries()), complaintValues)
}

// TestComplaintConsole: staff record a call and are given the receipt
// number, not the queue; the desk sees the queue and the month's figures,
// opens the complaint and takes its steps; the auditor reads without the
// forms; the admin has no page.
func TestComplaintConsole(t *testing.T) {
	h := newHarness(t)
	h.srv.Complaints.Now = func() time.Time { return tokyoAt("2026-12-01 10:00") }
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	r := s.get("/console/complaints")
	if r.status != http.StatusOK || !strings.Contains(r.String(), `id="complaint-form"`) || strings.Contains(r.String(), `id="complaint-stats"`) {
		t.Fatalf("staff page: %d\n%s", r.status, r.body)
	}
	r = s.post("/console/complaints", url.Values{"csrf": {s.csrf("/console/complaints")}, "channel": {"phone"}, "category": {"staff_conduct"},
		"name": {"道下 鈴"}, "phone": {"090-1234-5678"}, "statement": {"退会したのに電話がかかってくる\r\n二度目です<script>"}})
	if r.status != http.StatusOK || !strings.Contains(r.String(), "記録しました") || !portalReceiptRE.Match(r.body) ||
		!strings.Contains(r.String(), "令和8年12月2日（水）") || strings.Contains(r.String(), "complaint-queue") {
		t.Fatalf("staff record: %d\n%s", r.status, r.body)
	}
	if r := s.get("/console/complaints/0123456789abcdefghijklmnop"); r.status != http.StatusForbidden {
		t.Errorf("staff opening a complaint: %d", r.status)
	}

	d := h.browser()
	d.loginAs(hogo.RoleDesk)
	r = d.get("/console/complaints")
	if !strings.Contains(r.String(), `id="complaint-queue"`) || !strings.Contains(r.String(), `id="complaint-stats-table"`) ||
		!strings.Contains(r.String(), `<td data-category="staff_conduct">1</td>`) || !strings.Contains(r.String(), `<td id="stats-total">1</td>`) {
		t.Fatalf("desk queue: %d\n%s", r.status, r.body)
	}
	link := r.body[strings.Index(r.String(), "/console/complaints/"):]
	link = link[:strings.Index(string(link), `"`)]
	page := d.get(string(link))
	if page.status != http.StatusOK || !strings.Contains(page.String(), "道下 鈴") || !strings.Contains(page.String(), `id="complaint-step-form"`) {
		t.Fatalf("complaint page: %d\n%s", page.status, page.body)
	}
	if !strings.Contains(page.String(), "電話がかかってくる<br>二度目です&lt;script&gt;") {
		t.Errorf("the statement's lines:\n%s", page.body)
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindSubmatch(page.body)
	r = d.post(string(link), url.Values{"csrf": {d.csrf(string(link))}, "step": {"answer"}, "note": {"お詫びし、今後の連絡を停止した"}, "version": {string(version[1])}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != string(link)+"?done=answer" {
		t.Fatalf("answer: %d\n%s", r.status, r.body)
	}
	page = d.get(r.header.Get("Location"))
	if !strings.Contains(page.String(), "回答を記録しました") || !strings.Contains(page.String(), `data-status="answered"`) ||
		!strings.Contains(page.String(), "お詫びし、今後の連絡を停止した") {
		t.Errorf("answered: %d\n%s", page.status, page.body)
	}
	r = d.post(string(link), url.Values{"csrf": {d.csrf(string(link))}, "step": {"escalate"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.String(), "上申の理由を記入してください") {
		t.Errorf("escalate without a reason: %d\n%s", r.status, r.body)
	}
	if r := d.get("/console/complaints"); !strings.Contains(r.String(), `<td id="stats-answer">100% <small>(1 / 1)</small>`) {
		t.Errorf("the figures after the answer:\n%s", r.body)
	}
	if r := d.get("/console/complaints?month=2026-11"); !strings.Contains(r.String(), `<td id="stats-total">0</td>`) {
		t.Errorf("November:\n%s", r.body)
	}
	for _, path := range []string{"/console/complaints", string(link), "/console/complaints?view=overdue"} {
		noRawKeys(t, path, d.get(path))
	}
	noRawKeys(t, "the staff page", s.get("/console/complaints"))

	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	page = a.get(string(link))
	if page.status != http.StatusOK || strings.Contains(page.String(), `id="complaint-step-form"`) || strings.Contains(page.String(), `id="complaint-link-form"`) {
		t.Errorf("auditor page: %d\n%s", page.status, page.body)
	}
	if r := a.post("/console/complaints", url.Values{"csrf": {a.csrf("/console/complaints")}, "channel": {"phone"}, "category": {"other"},
		"anonymous": {"1"}, "statement": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor recording: %d", r.status)
	}
	ad := h.browser()
	ad.loginAs(hogo.RoleAdmin)
	if r := ad.get("/console/complaints"); r.status != http.StatusForbidden {
		t.Errorf("admin: %d", r.status)
	}
	if r := ad.get("/console/"); strings.Contains(r.String(), `id="nav-complaints"`) {
		t.Errorf("the admin's menu links complaints")
	}
	holdsNone(t, "the server log", h.logs.String(), complaintValues)
	holdsNone(t, "the audit log", auditJSON(t, h.auditEntries()), complaintValues)
}

// noRawKeys fails the test when a page shows a message key instead of
// its words.
func noRawKeys(t *testing.T, what string, r *response) {
	t.Helper()
	if m := regexp.MustCompile(`>[^<]*\b(complaints|portal)\.[a-z_]+(\.[a-z_]+)*\s*<`).Find(r.body); m != nil {
		t.Errorf("%s shows a message key: %s", what, m)
	}
}

var complaintSecretRE = regexp.MustCompile(`id="portal-complaint-secret"><code>([a-z2-7]{26})</code>`)

// complaintMail sends the complaint desk's receipt mails to relay.
func complaintMail(h *harness, relay *smtptest.Server) {
	h.srv.Complaints.Mailer = &mail.Sender{Addr: relay.Addr(), TLS: "none"}
	h.srv.Complaints.BaseURL = h.ts.URL
}

// portalComplaint sends the portal's complaint form and returns the page
// with the receipt number and the secret it shows.
func portalComplaint(t *testing.T, h *harness, form url.Values) (r *response, receipt, secret string) {
	t.Helper()
	r = portalPost(h, "/complaints/new", form)
	m, sm := portalReceiptRE.FindSubmatch(r.body), complaintSecretRE.FindSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || sm == nil {
		t.Fatalf("portal complaint: %d\n%s", r.status, r.body)
	}
	return r, string(m[1]), string(sm[1])
}

var suzuForm = url.Values{"category": {"marketing"}, "statement": {"退会したのに案内が届く"}, "name": {"道下 鈴"},
	"email": {"suzu.michishita@example.jp"}, "phone": {"090-1234-5678"}}

// TestComplaintAckMail: a complaint from the portal with an address, and
// one the desk takes with a reply by e-mail asked (API or console), are
// sent a receipt mail over SMTP with the receipt number, the targets in
// 和暦 and the status page, never what was said nor the secret; without
// the wish, no mail; the console shows that it went.
func TestComplaintAckMail(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t)
	complaintMail(h, relay)
	h.srv.Complaints.Now = func() time.Time { return tokyoAt("2026-12-05 10:00") } // Saturday

	r, receipt, secret := portalComplaint(t, h, suzuForm)
	for _, want := range []string{`data-mail="sent"`, "受付のお知らせをお送りしました", "令和8年12月8日（火）", "令和8年12月21日（月）", `href="/complaints/status"`} {
		if !strings.Contains(r.String(), want) {
			t.Errorf("the receipt page lacks %q:\n%s", want, r.body)
		}
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the secret may be cached: %q", r.header.Get("Cache-Control"))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "suzu.michishita@example.jp" || len(msgs[0].To) != 1 || msgs[0].To[0] != m.To || !strings.Contains(m.Subject, receipt) ||
		!strings.Contains(m.Subject, "苦情・ご相談の受付のお知らせ") {
		t.Errorf("mail to %q (%v): %q", m.To, msgs[0].To, m.Subject)
	}
	for _, want := range []string{"道下 鈴 様", receipt, "令和8年12月5日（土） 10:00", "令和8年12月8日（火）", "令和8年12月21日（月）", h.ts.URL + "/complaints/status"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the mail lacks %q:\n%s", want, m.Text)
		}
	}
	holdsNone(t, "the mail", m.Subject+m.Text, []string{secret, "退会", "090-1234-5678"})

	var v complaintJSON
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+receipt, "").decode(t, &v)
	if v.AckMail != complaint.MailSent || v.ManualAck || v.AckMailAt.IsZero() || v.Secret != "" || !v.File.ReplyByEmail {
		t.Errorf("after the mail: %+v", v.View)
	}
	d := h.browser()
	d.loginAs(hogo.RoleDesk)
	if page := d.get("/console/complaints/" + v.ID); !strings.Contains(page.String(), `id="complaint-mail" data-mail="sent">送信済み`) ||
		strings.Contains(page.String(), `id="complaint-manual-ack"`) || !strings.Contains(page.String(), `id="complaint-answer-hint"`) {
		t.Errorf("the complaint page:\n%s", page.body)
	}

	// The desk takes a call; the caller asks for a reply by e-mail.
	r = h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", `{"channel":"phone","category":"handling","reply_by_email":true,
		"complainant":{"name":"道下 鈴","email":"suzu.michishita@example.jp"},"statement":"退会したのに電話がある"}`)
	v = complaintJSON{}
	r.decode(t, &v)
	if r.status != http.StatusCreated || v.AckMail != complaint.MailSent || len(v.Secret) != 26 {
		t.Fatalf("a call with a reply by e-mail: %d %s", r.status, r.body)
	}
	if _, err := relay.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// Without the wish, no mail; the wish without an address is refused.
	r = h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", complaintBody)
	v = complaintJSON{}
	r.decode(t, &v)
	if r.status != http.StatusCreated || v.AckMail != "" {
		t.Errorf("a call without the wish: %d %s", r.status, r.body)
	}
	r = h.as(hogo.RoleDesk, "POST", "/api/v1/complaints", `{"channel":"phone","category":"handling","reply_by_email":true,"anonymous":true,"statement":"x"}`)
	if _, _, field := r.errorJSON(t); r.status != http.StatusBadRequest || field != "complainant.email" {
		t.Errorf("the wish without an address: %d %s", r.status, r.body)
	}
	// The console's intake: the secret shown once, the mail's outcome, a
	// link to the complaint.
	page := d.post("/console/complaints", url.Values{"csrf": {d.csrf("/console/complaints")}, "channel": {"email"}, "category": {"consent"},
		"name": {"道下 鈴"}, "email": {"suzu.michishita@example.jp"}, "reply_by_email": {"1"}, "statement": {"同意を取り消したい"}})
	if page.status != http.StatusOK || !regexp.MustCompile(`id="complaint-receipt-secret"><code>[a-z2-7]{26}</code>`).Match(page.body) ||
		!strings.Contains(page.String(), `data-mail="sent"`) || !strings.Contains(page.String(), `id="complaint-receipt-open"`) ||
		page.header.Get("Cache-Control") != "no-store" {
		t.Errorf("console intake: %d\n%s", page.status, page.body)
	}
	if msgs, err := relay.Wait(ctx, 3); err != nil || len(msgs) != 3 {
		t.Errorf("mails: %d %v", len(msgs), err)
	}
	noRawKeys(t, "the console's receipt", page)
	holdsNone(t, "the server log", h.logs.String(), append(complaintValues, secret))
	holdsNone(t, "the audit log", auditJSON(t, h.auditEntries()), append(complaintValues, secret))
}

// TestComplaintAckMailFailure: when the relay refuses the address or is
// down, the complaint is kept all the same and the person is given the
// receipt number and the secret; the desk sees that it must acknowledge
// by hand until it does; the relay's words never reach a log. Without a
// relay, nothing is sent and both sides say so.
func TestComplaintAckMailFailure(t *testing.T) {
	relay := smtptest.Start(t)
	relay.RejectRecipient("suzu.michishita@example.jp")
	h := newHarness(t)
	complaintMail(h, relay)
	h.srv.Complaints.Now = func() time.Time { return tokyoAt("2026-12-01 10:00") }

	r, receipt, _ := portalComplaint(t, h, suzuForm)
	if !strings.Contains(r.String(), `data-mail="failed"`) || !strings.Contains(r.String(), "お送りできませんでした") {
		t.Errorf("refused: the page does not say the mail failed:\n%s", r.body)
	}
	var v complaintJSON
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+receipt, "").decode(t, &v)
	if v.AckMail != complaint.MailFailed || !v.ManualAck || v.Status != hogo.ComplaintReceived || v.File.Complainant.Email != "suzu.michishita@example.jp" {
		t.Fatalf("refused: %+v", v.View)
	}
	es, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "complaint.ack_mail", Limit: 10})
	if err != nil || len(es) != 1 || es[0].Outcome != hogo.OutcomeError || es[0].Detail["step"] != "RCPT" || es[0].Detail["code"] != "550" {
		t.Fatalf("the failure's audit entry: %v %+v", err, es)
	}

	d := h.browser()
	d.loginAs(hogo.RoleDesk)
	if q := d.get("/console/complaints"); !strings.Contains(q.String(), `manual-ack`) {
		t.Errorf("the queue does not flag it:\n%s", q.body)
	}
	link := "/console/complaints/" + v.ID
	page := d.get(link)
	if !strings.Contains(page.String(), `id="complaint-manual-ack"`) || !strings.Contains(page.String(), `data-mail="failed"`) {
		t.Fatalf("the complaint page does not ask for a manual acknowledgement:\n%s", page.body)
	}
	noRawKeys(t, "the complaint page", page)
	ver := regexp.MustCompile(`name="version" value="(\d+)"`).FindSubmatch(page.body)
	r = d.post(link, url.Values{"csrf": {d.csrf(link)}, "step": {"acknowledge"}, "note": {"電話で受付を伝えた"}, "version": {string(ver[1])}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d\n%s", r.status, r.body)
	}
	if page := d.get(link); strings.Contains(page.String(), `id="complaint-manual-ack"`) || !strings.Contains(page.String(), `data-mail="failed"`) {
		t.Errorf("after acknowledging by hand:\n%s", page.body)
	}
	if q := d.get("/console/complaints"); strings.Contains(q.String(), `manual-ack`) {
		t.Errorf("the queue still flags it:\n%s", q.body)
	}

	// The relay is down: nothing listens at its address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	h.srv.Complaints.Mailer = &mail.Sender{Addr: down, TLS: "none", Timeout: 5 * time.Second}
	r, receipt, _ = portalComplaint(t, h, suzuForm)
	v = complaintJSON{}
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+receipt, "").decode(t, &v)
	if !strings.Contains(r.String(), `data-mail="failed"`) || v.AckMail != complaint.MailFailed || !v.ManualAck {
		t.Errorf("relay down: %+v\n%s", v.View, r.body)
	}
	es, _ = h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "complaint.ack_mail", Limit: 10})
	if len(es) != 2 || es[0].Detail["step"] != "dial" {
		t.Errorf("relay down, audited: %+v", es)
	}

	// No relay configured: nothing is sent, and it is said.
	h.srv.Complaints.Mailer = nil
	r, receipt, _ = portalComplaint(t, h, suzuForm)
	v = complaintJSON{}
	h.as(hogo.RoleDesk, "GET", "/api/v1/complaints/"+receipt, "").decode(t, &v)
	if !strings.Contains(r.String(), `data-mail="off"`) || v.AckMail != complaint.MailOff || v.ManualAck {
		t.Errorf("no relay: %+v\n%s", v.View, r.body)
	}
	if page := d.get("/console/complaints/" + v.ID); !strings.Contains(page.String(), `data-mail="off"`) || !strings.Contains(page.String(), "SMTP") {
		t.Errorf("no relay, the complaint page:\n%s", page.body)
	}
	if page := d.get("/console/complaints"); !strings.Contains(page.String(), "設定されていないため、受付のお知らせのメールは送られません") {
		t.Errorf("no relay, the intake form does not say so:\n%s", page.body)
	}
	if n := len(relay.Messages()); n != 0 {
		t.Errorf("%d mails delivered", n)
	}
	holdsNone(t, "the server log", h.logs.String(), complaintValues)
	holdsNone(t, "the audit log", auditJSON(t, h.auditEntries()), complaintValues)
}

// TestComplaintStatusPage: the portal's status page shows, for the receipt
// number and the secret, where a complaint stands (受付済・対応中・回答済・
// 完了), its targets and, once answered, the answer and nothing else of
// the case file; a wrong secret, an unknown, malformed or missing number
// get the same page after the same pause; look-ups are audited without
// what was typed and rate-limited with the portal's other forms.
func TestComplaintStatusPage(t *testing.T) {
	h := newHarness(t)
	now := tokyoAt("2026-12-05 10:00")
	h.srv.Complaints.Now = func() time.Time { return now }
	var shift time.Duration // moves the portal's rate-limit window
	h.srv.Now = func() time.Time { return time.Now().Add(shift) }

	r := h.send(http.DefaultClient, "GET", "/complaints/status", nil, nil)
	if r.status != http.StatusOK || !strings.Contains(r.String(), `id="portal-complaint-status-form"`) || !strings.Contains(r.String(), "苦情・相談の状況の確認") {
		t.Fatalf("the form: %d\n%s", r.status, r.body)
	}
	noRawKeys(t, "the status form", r)
	r = h.send(http.DefaultClient, "GET", "/complaints/status?lang=en", nil, nil)
	if !strings.Contains(r.String(), "Follow your complaint") {
		t.Errorf("English form:\n%s", r.body)
	}
	noRawKeys(t, "the English status form", r)
	if r := h.send(http.DefaultClient, "GET", "/complaints/new", nil, nil); !strings.Contains(r.String(), `href="/complaints/status"`) {
		t.Errorf("the complaint form does not link the status page")
	}

	_, receipt, secret := portalComplaint(t, h, suzuForm)
	status := func(receipt, secret string) *response {
		t.Helper()
		return portalPost(h, "/complaints/status", url.Values{"receipt_number": {receipt}, "secret": {secret}})
	}
	r = status(strings.ToLower(receipt), strings.ToUpper(secret))
	if r.status != http.StatusOK || !strings.Contains(r.String(), `data-status="received">受付済`) || !strings.Contains(r.String(), "令和8年12月8日（火）") ||
		!strings.Contains(r.String(), "令和8年12月21日（月）") || strings.Contains(r.String(), `id="pcs-answer"`) || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("received: %d\n%s", r.status, r.body)
	}
	noRawKeys(t, "the status", r)
	holdsNone(t, "the status page", r.String(), []string{"退会", "道下", "suzu", secret})

	// One answer to every miss, after the same pause.
	var first *response
	for _, c := range []struct{ what, receipt, secret string }{
		{"a wrong secret", receipt, "abcdefghijklmnopqrstuvwxyz"},
		{"an unknown number", "C-20261205-ZZZZ-ZZZZ", secret},
		{"a malformed number", "20261205-ZZZZ-ZZZZ", secret},
		{"nothing", "", ""},
	} {
		start := time.Now()
		r := status(c.receipt, c.secret)
		took := time.Since(start)
		if r.status != http.StatusNotFound || !strings.Contains(portalError(r), "受付番号または暗証番号が正しくありません") || took < 200*time.Millisecond {
			t.Errorf("%s: %d after %v: %q", c.what, r.status, took, portalError(r))
		}
		if first == nil {
			first = r
		} else if !bytes.Equal(r.body, first.body) {
			t.Errorf("%s is answered otherwise than a wrong secret:\n%s\n---\n%s", c.what, r.body, first.body)
		}
	}

	// The desk's steps, as the complainant sees them.
	step := func(role hogo.Role, body string) {
		t.Helper()
		if r := h.as(role, "POST", "/api/v1/complaints/"+receipt+"/steps", body); r.status != http.StatusOK {
			t.Fatalf("step %s: %d %s", body, r.status, r.body)
		}
	}
	now = tokyoAt("2026-12-07 10:00")
	step(hogo.RoleDesk, `{"step":"acknowledge","note":"内部メモ: 電話で受領を伝えた"}`)
	step(hogo.RoleDesk, `{"step":"escalate","note":"上申の理由: 配信停止の仕組み"}`)
	if r := status(receipt, secret); !strings.Contains(r.String(), `data-status="acknowledged">対応中`) || strings.Contains(r.String(), "内部メモ") ||
		strings.Contains(r.String(), "上申") {
		t.Errorf("acknowledged:\n%s", r.body)
	}
	now = tokyoAt("2026-12-09 15:00")
	step(hogo.RoleManager, `{"step":"answer","note":"配信を停止しました。\nご迷惑をおかけしました。<b>"}`)
	shift += 2 * time.Hour // a new hour for the rate limit
	r = status(receipt, secret)
	if !strings.Contains(r.String(), `data-status="answered">回答済`) || !strings.Contains(r.String(), `id="pcs-answer-text">配信を停止しました。<br>ご迷惑をおかけしました。&lt;b&gt;</p>`) ||
		!strings.Contains(r.String(), "令和8年12月9日（水）") || strings.Contains(r.String(), "内部メモ") || strings.Contains(r.String(), "上申") {
		t.Errorf("answered:\n%s", r.body)
	}
	step(hogo.RoleDesk, `{"step":"close"}`)
	r = status(receipt, secret)
	if !strings.Contains(r.String(), `data-status="closed">完了`) || !strings.Contains(r.String(), `id="pcs-answer-text"`) {
		t.Errorf("closed:\n%s", r.body)
	}
	r = portalPost(h, "/complaints/status?lang=en", url.Values{"receipt_number": {receipt}, "secret": {secret}})
	if !strings.Contains(r.String(), "Our answer") || !strings.Contains(r.String(), `data-status="closed">Closed`) {
		t.Errorf("English status:\n%s", r.body)
	}
	noRawKeys(t, "the English status", r)

	// Audited: every look-up, the misses denied, nothing typed kept.
	es, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "complaint.lookup", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, e := range es {
		if e.Outcome == hogo.OutcomeDenied {
			denied++
		}
	}
	if len(es) != 9 || denied != 4 {
		t.Errorf("%d look-ups audited, %d denied; want 9 and 4", len(es), denied)
	}
	holdsNone(t, "the audit log", auditJSON(t, h.auditEntries()), append(complaintValues, secret, "ZZZZ", "abcdefghijklmnopqrstuvwxyz"))
	holdsNone(t, "the server log", h.logs.String(), append(complaintValues, secret, receipt))

	// Rate-limited with the portal's other forms: ten an hour.
	shift += 2 * time.Hour
	for i := range 10 {
		if r := status(receipt, secret); r.status != http.StatusOK {
			t.Fatalf("look-up %d: %d", i+1, r.status)
		}
	}
	if r := status(receipt, secret); r.status != http.StatusTooManyRequests {
		t.Errorf("the eleventh look-up: %d", r.status)
	}
}
