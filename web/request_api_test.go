package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
)

type receiptJSON struct {
	ID            string   `json:"id"`
	ReceiptNumber string   `json:"receipt_number"`
	Secret        string   `json:"secret"`
	Status        string   `json:"status"`
	ReceivedOn    string   `json:"received_on"`
	DueOn         string   `json:"due_on"`
	DueOnJa       string   `json:"due_on_ja"`
	Missing       []string `json:"missing"`
}

// TestRequestIntakeAPI: the desk records a request with the exact body
// the product documents; it gets a receipt number and a due date that is a
// business day ten business days on; the audit names neither the requester
// nor the secret; the queue lists it by due date.
func TestRequestIntakeAPI(t *testing.T) {
	h := newHarness(t)
	body := `{"types":["notify_purpose","disclose"],"channel":"post","requester":{"kind":"principal","name":"山田 太郎","email":"taro@example.jp"}}`
	r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests", body)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /api/v1/requests: %d\n%s", r.status, r.body)
	}
	var rc receiptJSON
	r.decode(t, &rc)
	if rc.ReceiptNumber == "" || rc.Secret == "" || rc.Status != hogo.RequestReceived || len(rc.Missing) != 0 {
		t.Fatalf("receipt %+v", rc)
	}
	due, err := calendar.ParseDate(rc.DueOn)
	if err != nil {
		t.Fatalf("due_on %q: %v", rc.DueOn, err)
	}
	cal, err := calendar.New(&h.ledger.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.DateOf(time.Now())
	if !cal.IsBusinessDay(due) || cal.BusinessDaysBetween(today, due) != 10 || rc.ReceivedOn != today.String() {
		t.Errorf("due_on %s is not ten business days after %s (%d)", due, today, cal.BusinessDaysBetween(today, due))
	}
	if !strings.HasPrefix(rc.DueOnJa, "令和") {
		t.Errorf("due_on_ja %q", rc.DueOnJa)
	}
	// Receipt numbers are not sequential.
	var rc2 receiptJSON
	h.as(hogo.RoleManager, "POST", "/api/v1/requests", body).decode(t, &rc2)
	if rc2.ReceiptNumber == rc.ReceiptNumber || rc2.Secret == rc.Secret || rc2.ReceiptNumber[:9] != rc.ReceiptNumber[:9] {
		t.Errorf("receipts %q and %q", rc.ReceiptNumber, rc2.ReceiptNumber)
	}
	// Nothing of the requester or the secret is in the audit log or logs.
	entries, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "request.", Limit: 100})
	if err != nil || len(entries) < 2 {
		t.Fatalf("audit: %v %d", err, len(entries))
	}
	for _, e := range entries {
		for _, v := range []string{"山田", "taro@", rc.Secret} {
			if strings.Contains(string(e.Body), v) {
				t.Errorf("audit entry %s holds %q", e.Action, v)
			}
		}
	}
	if strings.Contains(h.logs.String(), "taro@") {
		t.Error("the log holds the requester's e-mail")
	}
	// An incomplete request is kept, and says what it lacks.
	r = h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["erase"],"channel":"phone","requester":{"kind":"agent","name":"佐伯 透"}}`)
	var inc receiptJSON
	r.decode(t, &inc)
	if r.status != http.StatusCreated || inc.Status != hogo.RequestIncomplete || strings.Join(inc.Missing, ",") != "contact,agent_kind,principal_name" {
		t.Fatalf("incomplete request: %d %+v", r.status, inc)
	}
	// The queue: by due date, no requester details.
	r = h.as(hogo.RoleAuditor, "GET", "/api/v1/requests", "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), rc.ReceiptNumber) || strings.Contains(string(r.body), "山田") {
		t.Fatalf("queue: %d\n%s", r.status, r.body)
	}
	r = h.as(hogo.RoleDesk, "GET", "/api/v1/requests?"+url.Values{"view": {"waiting"}}.Encode(), "")
	if strings.Count(string(r.body), `"receipt_number"`) != 1 {
		t.Errorf("incomplete queue:\n%s", r.body)
	}
	// Staff may not record requests.
	if r := h.as(hogo.RoleStaff, "POST", "/api/v1/requests", body); r.status != http.StatusForbidden {
		t.Errorf("staff recording a request: %d", r.status)
	}
}

// TestRequestIntakeBadInput: malformed requests are refused naming the
// field, and nothing is kept.
func TestRequestIntakeBadInput(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ body, field string }{
		{`{"types":[],"channel":"post","requester":{"kind":"principal","name":"x"}}`, "types"},
		{`{"types":["fortune"],"channel":"post","requester":{"kind":"principal","name":"x"}}`, "types"},
		{`{"types":["disclose","disclose"],"channel":"post","requester":{"kind":"principal","name":"x"}}`, "types"},
		{`{"types":["disclose"],"channel":"pigeon","requester":{"kind":"principal","name":"x"}}`, "channel"},
		{`{"types":["disclose"],"channel":"post","requester":{"kind":"friend","name":"x"}}`, "requester.kind"},
		{`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":" "}}`, "requester.name"},
		{`{"types":["disclose"],"channel":"post","requester":{"kind":"agent","name":"x","agent_kind":"cousin"}}`, "requester.agent_kind"},
		{`{"types":["disclose"],"channel":"post","response_method":"telepathy","requester":{"kind":"principal","name":"x"}}`, "response_method"},
		{`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"x","shoe_size":27}}`, "shoe_size"},
	} {
		r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests", tc.body)
		code, _, field := r.errorJSON(t)
		if r.status != http.StatusBadRequest || code != hogo.EINVALID || field != tc.field {
			t.Errorf("%s: %d %s field %q, want 400 field %q", tc.body, r.status, code, field, tc.field)
		}
	}
	if rs, err := h.db.ListRequests(t.Context(), "", 10); err != nil || len(rs) != 0 {
		t.Errorf("refused requests were kept: %d %v", len(rs), err)
	}
}

// TestRequestConsole: the desk records a request that came by post and
// sees it in the queue; staff do not see the queue.
func TestRequestConsole(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleDesk)
	token := b.csrf("/console/requests")
	r := b.post("/console/requests", url.Values{"csrf": {token}, "types": {"disclose", "notify_purpose"}, "channel": {"post"},
		"kind": {"principal"}, "name": {"河合 美月"}, "address": {"東京都港区芝公園4-2-8"}})
	body := string(r.body)
	if r.status != http.StatusOK || !strings.Contains(body, `id="receipt-number"`) || !strings.Contains(body, "令和") {
		t.Fatalf("record by the desk: %d\n%s", r.status, body)
	}
	r = b.get("/console/requests")
	if !strings.Contains(string(r.body), `id="request-queue"`) || !strings.Contains(string(r.body), "開示") {
		t.Errorf("queue page:\n%s", r.body)
	}
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	if r := s.get("/console/requests"); r.status != http.StatusForbidden {
		t.Errorf("staff opening the request queue: %d", r.status)
	}
}

// TestRequestDetail: the desk opens a request: the requester's details
// come back from the vault, the reading is audited, and the timeline shows
// the intake and the reading; the console page shows the same.
func TestRequestDetail(t *testing.T) {
	h := newHarness(t)
	var rc receiptJSON
	h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["correct"],"channel":"phone","requester":{"kind":"agent","name":"前川 進","phone":"03-1234-5678","agent_kind":"appointed","principal_name":"前川 和子"}}`).decode(t, &rc)
	r := h.as(hogo.RoleManager, "GET", "/api/v1/requests/"+rc.ID, "")
	var d struct {
		ReceiptNumber string `json:"receipt_number"`
		Requester     struct {
			Name, Phone   string
			AgentKind     string `json:"agent_kind"`
			PrincipalName string `json:"principal_name"`
		}
		Timeline []struct{ Action, Actor string }
	}
	r.decode(t, &d)
	if r.status != http.StatusOK || d.ReceiptNumber != rc.ReceiptNumber || d.Requester.Name != "前川 進" || d.Requester.Phone != "03-1234-5678" ||
		d.Requester.AgentKind != "appointed" || d.Requester.PrincipalName != "前川 和子" {
		t.Fatalf("detail: %d %+v", r.status, d)
	}
	var actions []string
	for _, e := range d.Timeline {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "request.receive,request.read" {
		t.Errorf("timeline %v", actions)
	}
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/requests/"+rc.ID, ""); r.status != http.StatusForbidden {
		t.Errorf("staff reading a request: %d", r.status)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/requests/0000000000000000000000000a", ""); r.status != http.StatusNotFound {
		t.Errorf("unknown request: %d", r.status)
	}
	b := h.browser()
	b.loginAs(hogo.RoleDesk)
	page := b.get("/console/requests/" + rc.ID)
	if page.status != http.StatusOK || !strings.Contains(string(page.body), "前川 進") || !strings.Contains(string(page.body), "request.receive") {
		t.Errorf("request page: %d\n%s", page.status, page.body)
	}
}
