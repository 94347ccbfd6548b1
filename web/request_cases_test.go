package web_test

// Scenario and table-driven tests of rights requests (開示等の請求, APPI
// Art. 32–39) through the API and the portal: the company's clock, the
// queue views, verification, one-time codes, fees, fulfilment in the
// vault, the sweep of identity documents, bad input, and that no personal
// data leaks into logs, error messages or the audit log.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/vault"
)

// caseClock is a settable clock for the requests service and the vault.
type caseClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *caseClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *caseClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *caseClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// setDay moves the clock to 10:00 in Tokyo on day d.
func (c *caseClock) setDay(d calendar.Date) {
	c.set(time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, hogo.Tokyo))
}

// today is the clock's date in Tokyo.
func (c *caseClock) today() calendar.Date { return calendar.DateOf(c.now()) }

// useClock makes the requests service and the vault read the time from a
// clock set to 10:00 in Tokyo on day d.
func useClock(h *harness, d calendar.Date) *caseClock {
	c := &caseClock{}
	c.setDay(d)
	h.srv.Requests.Now = c.now
	h.srv.Vault.Now = c.now
	return c
}

// unthrottle lifts the portal's limit of ten posts an hour from one
// address: the server's own clock moves on two hours at each reading.
func unthrottle(h *harness) {
	var n atomic.Int64
	h.srv.Now = func() time.Time { return time.Now().Add(time.Duration(n.Add(1)) * 2 * time.Hour) }
}

// caseDate parses a YYYY-MM-DD date, failing the test when it does not parse.
func caseDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

// companyCalendar is the calendar of the harness ledger.
func companyCalendar(h *harness) *calendar.Calendar {
	h.t.Helper()
	cal, err := calendar.New(&h.ledger.Calendar)
	if err != nil {
		h.t.Fatal(err)
	}
	return cal
}

// caseJSON is the part of a request's detail that detailJSON does not
// decode: when the clock stopped, and the case file.
type caseJSON struct {
	PausedOn string `json:"paused_on"`
	Case     struct {
		Payments []struct {
			Method string `json:"method"`
			Amount int    `json:"amount"`
		} `json:"payments"`
		Pauses []struct {
			From, To, Reason string
		} `json:"pauses"`
		Answer *struct {
			Method string `json:"method"`
		} `json:"answer"`
	} `json:"case"`
}

// recordRequest records a request as the desk and returns its receipt.
func recordRequest(h *harness, body string) receiptJSON {
	h.t.Helper()
	r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests", body)
	if r.status != http.StatusCreated {
		h.t.Fatalf("POST /api/v1/requests: %d\n%s", r.status, r.body)
	}
	var rc receiptJSON
	r.decode(h.t, &rc)
	return rc
}

// principalRequest is the body of a request by the principal 山田 太郎 of
// the given types, answered by method ("" to leave it unasked).
func principalRequest(method string, types ...string) string {
	return fmt.Sprintf(`{"types":[%s],"channel":"post","response_method":%q,
		"requester":{"kind":"principal","name":"山田 太郎","email":"taro@example.jp","address":"大阪府大阪市北区梅田9-9-9"}}`,
		`"`+strings.Join(types, `","`)+`"`, method)
}

// requestDetail reads a request as the desk: the common fields and the case.
func requestDetail(h *harness, id string) (detailJSON, caseJSON) {
	h.t.Helper()
	r := h.as(hogo.RoleDesk, "GET", "/api/v1/requests/"+id, "")
	if r.status != http.StatusOK {
		h.t.Fatalf("GET request: %d\n%s", r.status, r.body)
	}
	var d detailJSON
	var c caseJSON
	r.decode(h.t, &d)
	r.decode(h.t, &c)
	return d, c
}

// timelineActions lists the actions of a request's timeline, oldest first.
func timelineActions(d detailJSON) []string {
	var out []string
	for _, e := range d.Timeline {
		out = append(out, e.Action)
	}
	return out
}

// wantAPIError checks an API refusal: its status and the field it names.
func wantAPIError(t *testing.T, what string, r *response, status int, field string) apiError {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: %d, want %d\n%s", what, r.status, status, r.body)
		return apiError{}
	}
	e := r.apiError(t)
	if field != "" && e.Field != field {
		t.Errorf("%s: field %q, want %q (%s)", what, e.Field, field, e.Message)
	}
	return e
}

// readyCase records a request of the principal 山田 太郎, verifies them by
// a call-back, pays any fee by bank transfer, and matches the request to
// principal pid (none for "").
func readyCase(h *harness, pid, method string, types ...string) receiptJSON {
	h.t.Helper()
	rc := recordRequest(h, principalRequest(method, types...))
	d := h.step(hogo.RoleDesk, rc.ID, "checks", `{"method":"callback","passed":true}`)
	if !d.Verified {
		h.t.Fatalf("not verified after a call-back: %+v", d)
	}
	if d.FeeDue > 0 {
		h.step(hogo.RoleDesk, rc.ID, "payments", fmt.Sprintf(`{"method":"bank_transfer","amount":%d}`, d.FeeDue))
	}
	if pid != "" {
		h.step(hogo.RoleDesk, rc.ID, "match", fmt.Sprintf(`{"principal":%q}`, pid))
	}
	return rc
}

// portalPost posts a form to the portal as an anonymous visitor.
func portalPost(h *harness, path string, form url.Values) *response {
	h.t.Helper()
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return h.send(http.DefaultClient, "POST", path, strings.NewReader(form.Encode()), hdr)
}

var portalErrorRE = regexp.MustCompile(`id="error">([^<]+)<`)

// portalError is the error a portal page shows, "" when none.
func portalError(r *response) string {
	if m := portalErrorRE.FindSubmatch(r.body); m != nil {
		return string(m[1])
	}
	return ""
}

// portalDownload fetches an answer file on the portal with the receipt number
// and secret.
func portalDownload(h *harness, rc receiptJSON, kind string) []byte {
	h.t.Helper()
	r := portalPost(h, "/requests/status/download", url.Values{"receipt_number": {rc.ReceiptNumber}, "secret": {rc.Secret}, "kind": {kind}})
	if r.status != http.StatusOK {
		h.t.Fatalf("portal download of %s: %d %s", kind, r.status, portalError(r))
	}
	return r.body
}

// letterText is the answer letter's text with all white space removed,
// so that a sentence wrapped across lines is still found.
func letterText(h *harness, rc receiptJSON) string {
	h.t.Helper()
	pdf := portalDownload(h, rc, hogo.FileAnswerLetter)
	text, err := pdftext.Text(pdf)
	if err != nil {
		h.t.Fatal(err)
	}
	return squeeze(text)
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// mailedCode is the one-time code of the newest mail about receipt.
func mailedCode(t *testing.T, relay *smtptest.Server, n int, receipt string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(ctx, n)
	if err != nil {
		t.Fatalf("waiting for %d mails: %v", n, err)
	}
	m, err := msgs[len(msgs)-1].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, receipt) {
		t.Fatalf("newest mail is not about %s: %q", receipt, m.Subject)
	}
	code := regexp.MustCompile(`確認コード: (\d+)`).FindStringSubmatch(m.Text)
	if code == nil || len(code[1]) != 6 {
		t.Fatalf("no six-digit code in the mail:\n%s", m.Text)
	}
	return code[1]
}

// TestRequestCaseClock shows the company's clock: a request received on
// Friday 2026-12-25 is due ten business days later, past the weekend and
// the year-end closure (12-29..01-03) and Coming of Age Day; an incomplete
// request is paused from receipt and, once completed days later, is due
// ten business days after completion; a wait started by the desk and ended
// two business days later moves the due date by exactly two business days;
// the Art. 39 date is the received date plus 14 days.
func TestRequestCaseClock(t *testing.T) {
	h := newHarness(t)
	cal := companyCalendar(h)
	received := calendar.NewDate(2026, time.December, 25)
	if received.Weekday() != time.Friday {
		t.Fatalf("%s is a %s", received, received.Weekday())
	}
	clock := useClock(h, received)

	a := recordRequest(h, principalRequest("paper", "disclose"))
	wantDue := cal.AddBusinessDays(received, 10)
	if wantDue.String() != "2027-01-15" {
		t.Errorf("the calendar puts ten business days after %s on %s, want 2027-01-15", received, wantDue)
	}
	if a.ReceivedOn != received.String() || a.DueOn != wantDue.String() || a.Status != hogo.RequestReceived {
		t.Errorf("received %s due %s status %s; want %s due %s received", a.ReceivedOn, a.DueOn, a.Status, received, wantDue)
	}
	for d := received.AddDays(1); !d.After(wantDue); d = d.AddDays(1) {
		if cal.IsBusinessDay(d) && (d.Month == time.December && d.Day >= 29 || d.Month == time.January && d.Day <= 3) {
			t.Errorf("%s is in the year-end closure but a business day", d)
		}
	}
	da, _ := requestDetail(h, a.ID)
	if da.Art39On != received.AddDays(14).String() || da.Art39On != "2027-01-08" {
		t.Errorf("art39_on %s, want %s", da.Art39On, received.AddDays(14))
	}

	// An agent who has not said what kind of agent: kept, paused from
	// receipt.
	b := recordRequest(h, `{"types":["disclose"],"channel":"post","requester":{"kind":"agent","name":"佐伯 透","email":"toru@example.jp","principal_name":"佐伯 和子"}}`)
	db, cb := requestDetail(h, b.ID)
	if b.Status != hogo.RequestIncomplete || !slices.Equal(b.Missing, []string{"agent_kind"}) || !db.Paused || cb.PausedOn != received.String() {
		t.Fatalf("incomplete request: %+v paused %v on %q", b, db.Paused, cb.PausedOn)
	}
	if b.DueOn != wantDue.String() || db.Art39On != "2027-01-08" {
		t.Errorf("incomplete request: due %s art39 %s", b.DueOn, db.Art39On)
	}
	completed := calendar.NewDate(2027, time.January, 6)
	clock.setDay(completed)
	waited := cal.BusinessDaysBetween(received, completed)
	if waited != 4 { // 12-28, 01-04, 01-05, 01-06
		t.Errorf("business days waited %d, want 4", waited)
	}
	db = h.step(hogo.RoleDesk, b.ID, "complete", `{"requester":{"agent_kind":"appointed"}}`)
	if db.Status != hogo.RequestReceived || db.Paused {
		t.Errorf("after completion: status %s paused %v", db.Status, db.Paused)
	}
	if want := cal.AddBusinessDays(wantDue, waited); db.DueOn != want.String() || db.DueOn != cal.AddBusinessDays(completed, 10).String() {
		t.Errorf("due after completion %s, want %s (= ten business days after %s)", db.DueOn, want, completed)
	}
	if db.Art39On != "2027-01-08" {
		t.Errorf("completion moved the Art. 39 date to %s", db.Art39On)
	}

	// The desk waits for documents on Wednesday and resumes on Friday:
	// two business days.
	before := da.DueOn
	d := h.step(hogo.RoleDesk, a.ID, "wait", `{"reason":"documents","note":"住民票の写しを依頼"}`)
	if d.Status != hogo.RequestWaiting || !d.Paused || d.DueOn != before {
		t.Errorf("waiting: %+v", d)
	}
	if r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+a.ID+"/wait", `{"reason":"documents"}`); r.status != http.StatusConflict {
		t.Errorf("a second wait: %d, want 409", r.status)
	}
	clock.setDay(cal.AddBusinessDays(completed, 2))
	d = h.step(hogo.RoleDesk, a.ID, "resume", "")
	if want := cal.AddBusinessDays(caseDate(t, before), 2); d.DueOn != want.String() || d.Paused || d.Status != hogo.RequestReceived {
		t.Errorf("after resume: due %s (was %s, want %s) paused %v status %s", d.DueOn, before, want, d.Paused, d.Status)
	}
	_, c := requestDetail(h, a.ID)
	if len(c.Case.Pauses) != 1 || c.Case.Pauses[0].From != completed.String() || c.Case.Pauses[0].To != clock.today().String() {
		t.Errorf("pauses %+v", c.Case.Pauses)
	}
	if r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+a.ID+"/resume", ""); r.status != http.StatusConflict {
		t.Errorf("resume when not waiting: %d, want 409", r.status)
	}
	wantAPIError(t, "wait for an unknown reason", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+a.ID+"/wait", `{"reason":"lunch"}`),
		http.StatusBadRequest, "reason")
}

// queueJSON is GET /api/v1/requests.
type queueJSON struct {
	Requests []struct {
		ReceiptNumber string `json:"receipt_number"`
		Flag          string `json:"flag"`
		DaysLeft      int    `json:"business_days_left"`
	} `json:"requests"`
}

// TestRequestCaseQueueViews shows the queue views as days pass: open,
// waiting (the clock stopped), closed, due_soon (three business days or
// fewer left) and overdue; a paused request is never due soon nor overdue;
// an unknown view is refused naming view.
func TestRequestCaseQueueViews(t *testing.T) {
	h := newHarness(t)
	cal := companyCalendar(h)
	start := calendar.NewDate(2026, time.October, 1)
	clock := useClock(h, start)

	running := recordRequest(h, principalRequest("paper", "correct"))
	paused := recordRequest(h, `{"types":["erase"],"channel":"phone","requester":{"kind":"agent","name":"佐伯 透","phone":"03-0000-1111"}}`)
	closed := recordRequest(h, principalRequest("paper", "suspend"))
	h.step(hogo.RoleDesk, closed.ID, "withdraw", `{"note":"取り下げ"}`)
	due := caseDate(t, running.DueOn)

	view := func(v string) []string {
		t.Helper()
		r := h.as(hogo.RoleAuditor, "GET", "/api/v1/requests?view="+v, "")
		if r.status != http.StatusOK {
			t.Fatalf("view %s: %d %s", v, r.status, r.body)
		}
		var q queueJSON
		r.decode(t, &q)
		var out []string
		for _, e := range q.Requests {
			switch e.ReceiptNumber {
			case running.ReceiptNumber:
				out = append(out, "running")
			case paused.ReceiptNumber:
				out = append(out, "paused")
			case closed.ReceiptNumber:
				out = append(out, "closed")
			default:
				out = append(out, e.ReceiptNumber)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name string
		on   calendar.Date
		want map[string][]string
	}{
		{"received", start, map[string][]string{
			"open": {"paused", "running"}, "waiting": {"paused"}, "closed": {"closed"}, "due_soon": nil, "overdue": nil}},
		{"four business days left", cal.AddBusinessDays(due, -4), map[string][]string{
			"open": {"paused", "running"}, "due_soon": nil, "overdue": nil}},
		{"three business days left", cal.AddBusinessDays(due, -3), map[string][]string{
			"open": {"paused", "running"}, "waiting": {"paused"}, "due_soon": {"running"}, "overdue": nil}},
		{"due today", due, map[string][]string{"due_soon": {"running"}, "overdue": nil}},
		{"a day late", due.AddDays(1), map[string][]string{
			"open": {"paused", "running"}, "waiting": {"paused"}, "closed": {"closed"}, "due_soon": nil, "overdue": {"running"}}},
		{"a month late", due.AddDays(30), map[string][]string{"due_soon": nil, "overdue": {"running"}}},
	} {
		clock.setDay(tc.on)
		for v, want := range tc.want {
			if got := view(v); !slices.Equal(got, want) {
				t.Errorf("%s (%s): view %s = %v, want %v", tc.name, tc.on, v, got, want)
			}
		}
	}
	if all := view(""); len(all) != 3 {
		t.Errorf("no view lists %v", all)
	}
	wantAPIError(t, "unknown view", h.as(hogo.RoleDesk, "GET", "/api/v1/requests?view=urgent", ""), http.StatusBadRequest, "view")
}

// TestRequestCaseVerification shows the verification rules of the demo
// ledger, one request per case: one photo document or two without a photo
// or a call-back verify the principal; an agent needs their identity and
// the evidence of their kind of authority; a failed check counts for
// nothing; unknown document kinds are refused naming documents. Deciding
// before verification is refused, except that nothing is held.
func TestRequestCaseVerification(t *testing.T) {
	h := newHarness(t)
	const (
		principal = `{"kind":"principal","name":"山田 太郎","email":"taro@example.jp"}`
		appointed = `{"kind":"agent","agent_kind":"appointed","name":"前川 進","email":"susumu@example.jp","principal_name":"前川 和子"}`
		minor     = `{"kind":"agent","agent_kind":"statutory_minor","name":"宮田 恵","email":"megumi@example.jp","principal_name":"宮田 光"}`
		licence   = `{"method":"document","documents":["driver_licence"],"passed":true}`
		insurance = `{"method":"document","documents":["health_insurance"],"passed":true}`
		pension   = `{"method":"document","documents":["pension_book"],"passed":true}`
	)
	for _, tc := range []struct {
		name      string
		requester string
		checks    []string
		verified  bool
	}{
		{"two non-photo documents at once", principal, []string{`{"method":"document","documents":["health_insurance","pension_book"],"passed":true}`}, true},
		{"two non-photo documents one by one", principal, []string{insurance, pension}, true},
		{"one non-photo document", principal, []string{insurance}, false},
		{"the same non-photo document twice", principal, []string{insurance, insurance}, false},
		{"one photo document", principal, []string{`{"method":"document","documents":["passport"],"passed":true}`}, true},
		{"a call-back", principal, []string{`{"method":"callback","passed":true,"note":"登録電話番号に折り返し"}`}, true},
		{"a failed call-back", principal, []string{`{"method":"callback","passed":false}`}, false},
		{"a failed photo document", principal, []string{`{"method":"document","documents":["driver_licence"],"passed":false,"note":"写真が不鮮明"}`}, false},
		{"a failed check, then a passed one", principal, []string{`{"method":"document","documents":["driver_licence"],"passed":false}`, licence}, true},
		{"appointed agent: identity only", appointed, []string{licence}, false},
		{"appointed agent: power of attorney only", appointed, []string{licence, `{"method":"agent_evidence","documents":["power_of_attorney"],"passed":true}`}, false},
		{"appointed agent: evidence without identity", appointed, []string{`{"method":"agent_evidence","documents":["power_of_attorney","seal_certificate"],"passed":true}`}, false},
		{"appointed agent: identity and both papers", appointed, []string{licence, `{"method":"agent_evidence","documents":["power_of_attorney","seal_certificate"],"passed":true}`}, true},
		{"appointed agent: papers one by one", appointed, []string{`{"method":"agent_evidence","documents":["power_of_attorney"],"passed":true}`,
			`{"method":"agent_evidence","documents":["seal_certificate"],"passed":true}`, licence}, true},
		{"appointed agent: failed seal certificate", appointed, []string{licence, `{"method":"agent_evidence","documents":["power_of_attorney"],"passed":true}`,
			`{"method":"agent_evidence","documents":["seal_certificate"],"passed":false}`}, false},
		{"minor's parent: family register", minor, []string{licence, `{"method":"agent_evidence","documents":["family_register"],"passed":true}`}, true},
		{"minor's parent: resident record", minor, []string{licence, `{"method":"agent_evidence","documents":["resident_record"],"passed":true}`}, true},
		{"minor's parent: power of attorney", minor, []string{licence, `{"method":"agent_evidence","documents":["power_of_attorney"],"passed":true}`}, false},
		{"minor's parent: no identity", minor, []string{`{"method":"agent_evidence","documents":["family_register"],"passed":true}`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.in(t)
			rc := recordRequest(h, `{"types":["correct"],"channel":"post","requester":`+tc.requester+`}`)
			var d detailJSON
			for _, ch := range tc.checks {
				d = h.step(hogo.RoleDesk, rc.ID, "checks", ch)
			}
			if d.Verified != tc.verified {
				t.Errorf("verified %v, want %v", d.Verified, tc.verified)
			}
			want := hogo.RequestReceived
			if tc.verified {
				want = hogo.RequestInProgress
			}
			if d.Status != want {
				t.Errorf("status %s, want %s", d.Status, want)
			}
		})
	}

	rc := recordRequest(h, `{"types":["disclose","correct"],"channel":"post","requester":`+principal+`}`)
	for _, tc := range []struct{ name, body, field string }{
		{"unknown identity document", `{"method":"document","documents":["library_card"],"passed":true}`, "documents"},
		{"identity document as agent evidence", `{"method":"agent_evidence","documents":["driver_licence"],"passed":true}`, "documents"},
		{"agent evidence as identity document", `{"method":"document","documents":["power_of_attorney"],"passed":true}`, "documents"},
		{"no documents", `{"method":"document","documents":[],"passed":true}`, "documents"},
		{"unknown method", `{"method":"intuition","passed":true}`, "method"},
		{"an e-mailed code is not recorded by hand", `{"method":"email_code","passed":true}`, "method"},
	} {
		wantAPIError(t, tc.name, h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+rc.ID+"/checks", tc.body), http.StatusBadRequest, tc.field)
	}
	if d, _ := requestDetail(h, rc.ID); slices.Contains(timelineActions(d), "request.check") {
		t.Errorf("refused checks left steps: %v", timelineActions(d))
	}
	wantAPIError(t, "decide before verification", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+rc.ID+"/decisions", `{"type":"disclose","outcome":"granted"}`),
		http.StatusConflict, "verified")
	wantAPIError(t, "refuse before verification", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+rc.ID+"/decisions", `{"type":"correct","outcome":"refused","grounds":["art33_2_2"]}`),
		http.StatusConflict, "verified")
	h.step(hogo.RoleDesk, rc.ID, "checks", `{"method":"document","documents":["driver_licence"],"passed":false}`)
	wantAPIError(t, "decide after a failed check", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+rc.ID+"/decisions", `{"type":"disclose","outcome":"granted"}`),
		http.StatusConflict, "verified")
	if d := h.step(hogo.RoleDesk, rc.ID, "decisions", `{"type":"disclose","outcome":"not_held"}`); d.Verified {
		t.Error("a not-held decision verified the requester")
	}
}

// TestRequestCaseEmailCode shows the one-time code: the desk has it mailed
// over SMTP; six digits; entered on the portal with the receipt number and
// secret it verifies the requester; five wrong codes use it up so that even
// the right one then fails; a code older than 30 minutes has expired; a
// new code works again. Neither the code nor the secret reaches the audit
// log or the server log.
func TestRequestCaseEmailCode(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	clock := useClock(h, calendar.NewDate(2026, time.November, 4))
	unthrottle(h)
	var codes []string
	sendCode := func(rc receiptJSON) string {
		t.Helper()
		h.step(hogo.RoleDesk, rc.ID, "code", "")
		code := mailedCode(t, relay, len(codes)+1, rc.ReceiptNumber)
		codes = append(codes, code)
		return code
	}
	enter := func(rc receiptJSON, code string) *response {
		t.Helper()
		r := portalPost(h, "/requests/status/code", url.Values{"receipt_number": {rc.ReceiptNumber}, "secret": {rc.Secret}, "code": {code}})
		if r.status != http.StatusOK {
			t.Fatalf("entering a code: %d %s", r.status, portalError(r))
		}
		return r
	}
	verified := func(rc receiptJSON) bool {
		t.Helper()
		d, _ := requestDetail(h, rc.ID)
		return d.Verified
	}
	wrong := func(code string) string {
		n, _ := strconv.Atoi(code)
		return fmt.Sprintf("%06d", (n+1)%1000000)
	}

	// A code sent again replaces the first; the right code verifies.
	a := recordRequest(h, principalRequest("email", "correct"))
	first := sendCode(a)
	code := sendCode(a)
	if first != code {
		if r := enter(a, first); portalError(r) == "" || verified(a) {
			t.Errorf("a replaced code: error %q, verified %v", portalError(r), verified(a))
		}
	}
	if r := enter(a, code); portalError(r) != "" || !verified(a) {
		t.Errorf("the right code: error %q, verified %v", portalError(r), verified(a))
	}
	if d, _ := requestDetail(h, a.ID); d.Status != hogo.RequestInProgress {
		t.Errorf("status after the code: %s", d.Status)
	}

	// Five wrong codes, then the right one.
	b := recordRequest(h, principalRequest("email", "correct"))
	code = sendCode(b)
	bad := wrong(code)
	if bad == code {
		t.Fatal("wrong code equals the code")
	}
	var msg string
	for i := range requests.CodeMaxAttempts {
		r := enter(b, bad)
		if msg = portalError(r); !strings.Contains(msg, "確認コードが正しくない") {
			t.Errorf("wrong code %d: error %q", i+1, msg)
		}
	}
	if r := enter(b, code); portalError(r) != msg || verified(b) {
		t.Errorf("the right code after %d wrong ones: error %q, verified %v", requests.CodeMaxAttempts, portalError(r), verified(b))
	}
	// The desk sends a new code, and it works.
	code = sendCode(b)
	if r := enter(b, " "+code+" "); portalError(r) != "" || !verified(b) {
		t.Errorf("a new code: error %q, verified %v", portalError(r), verified(b))
	}

	// A code expires after 30 minutes.
	c := recordRequest(h, principalRequest("email", "correct"))
	code = sendCode(c)
	clock.add(requests.CodeTTL + time.Minute)
	if r := enter(c, code); portalError(r) != msg || verified(c) {
		t.Errorf("an expired code: error %q, verified %v", portalError(r), verified(c))
	}
	code = sendCode(c)
	clock.add(requests.CodeTTL - time.Minute)
	if r := enter(c, code); portalError(r) != "" || !verified(c) {
		t.Errorf("a code 29 minutes old: error %q, verified %v", portalError(r), verified(c))
	}
	// A request without an e-mail address gets no code.
	d := recordRequest(h, `{"types":["correct"],"channel":"phone","requester":{"kind":"principal","name":"山田 太郎","phone":"090-1234-5678"}}`)
	wantAPIError(t, "code without an address", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+d.ID+"/code", ""), http.StatusBadRequest, "email")

	var all []string
	for _, rc := range []receiptJSON{a, b, c} {
		es, _ := h.db.ListAudit(t.Context(), hogo.AuditFilter{Target: rc.ReceiptNumber, Limit: 200})
		all = append(all, auditJSON(t, es))
	}
	secrets := append(codes, a.Secret, b.Secret, c.Secret, "taro@example.jp", "山田")
	holdsNone(t, "the requests' audit entries", strings.Join(all, "\n"), secrets)
	holdsNone(t, "the server log", h.logs.String(), secrets)
}

// TestRequestCaseFees shows the fee rules: an unknown payment method and a
// fee for a free request are refused; only the manager may waive a fee,
// which releases an answer held for it and is recorded as waived and
// written into the letter.
func TestRequestCaseFees(t *testing.T) {
	h := newHarness(t)
	rc := recordRequest(h, principalRequest("paper", "notify_purpose", "disclose"))
	d := h.step(hogo.RoleDesk, rc.ID, "checks", `{"method":"callback","passed":true}`)
	if d.FeeDue != 2000 || d.Status != hogo.RequestWaiting || !d.Paused {
		t.Fatalf("verified, fee unpaid: %+v", d)
	}
	path := "/api/v1/requests/" + rc.ID + "/payments"
	for _, tc := range []struct {
		name   string
		role   hogo.Role
		body   string
		status int
		field  string
	}{
		{"unknown method", hogo.RoleDesk, `{"method":"bitcoin","amount":2000}`, http.StatusBadRequest, "method"},
		{"no method", hogo.RoleDesk, `{"amount":2000}`, http.StatusBadRequest, "method"},
		{"no amount", hogo.RoleDesk, `{"method":"bank_transfer"}`, http.StatusBadRequest, "amount"},
		{"negative amount", hogo.RoleDesk, `{"method":"bank_transfer","amount":-1000}`, http.StatusBadRequest, "amount"},
		{"bad date", hogo.RoleDesk, `{"method":"bank_transfer","amount":2000,"received_on":"昨日"}`, http.StatusBadRequest, "received_on"},
		{"waived by the desk", hogo.RoleDesk, `{"method":"waived"}`, http.StatusForbidden, "method"},
		{"waived by staff", hogo.RoleStaff, `{"method":"waived"}`, http.StatusForbidden, ""},
	} {
		wantAPIError(t, tc.name, h.as(tc.role, "POST", path, tc.body), tc.status, tc.field)
	}
	if d, _ := requestDetail(h, rc.ID); d.FeePaid != 0 {
		t.Fatalf("refused payments counted: %+v", d)
	}
	d = h.step(hogo.RoleManager, rc.ID, "payments", `{"method":"waived","note":"生活保護受給のため"}`)
	if d.FeePaid != d.FeeDue || d.Status != hogo.RequestInProgress || d.Paused {
		t.Errorf("after the waiver: %+v", d)
	}
	_, c := requestDetail(h, rc.ID)
	if len(c.Case.Payments) != 1 || c.Case.Payments[0].Method != requests.PaymentWaived || c.Case.Payments[0].Amount != 2000 {
		t.Errorf("payments %+v", c.Case.Payments)
	}
	h.step(hogo.RoleDesk, rc.ID, "decisions", `{"type":"notify_purpose","outcome":"not_held"}`)
	h.step(hogo.RoleDesk, rc.ID, "decisions", `{"type":"disclose","outcome":"not_held"}`)
	h.step(hogo.RoleDesk, rc.ID, "answer", "")
	if text := letterText(h, rc); !strings.Contains(text, "手数料2,000円は免除いたしました。") {
		t.Errorf("the letter does not say the fee was waived:\n%s", text)
	}

	free := recordRequest(h, principalRequest("paper", "correct"))
	if free.Status != hogo.RequestReceived {
		t.Fatalf("free request: %+v", free)
	}
	wantAPIError(t, "a fee for a correction", h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+free.ID+"/payments", `{"method":"bank_transfer","amount":1000}`),
		http.StatusBadRequest, "amount")
	wantAPIError(t, "waiving no fee", h.as(hogo.RoleManager, "POST", "/api/v1/requests/"+free.ID+"/payments", `{"method":"waived"}`),
		http.StatusBadRequest, "amount")
	if d, _ := requestDetail(h, free.ID); d.FeeDue != 0 || d.FeePaid != 0 {
		t.Errorf("free request: fee %d paid %d", d.FeeDue, d.FeePaid)
	}
}

// employeeBody is an employee record of 山田 太郎 (required: name).
const employeeBody = `{"category":"employee","purpose":"employment_management","source":"paper_form","items":{"name":"山田 太郎","employee_number":"E1024","address":"大阪府大阪市北区梅田9-9-9"}}`

// TestRequestCaseFulfilment shows what granted and refused decisions do:
// a suspension and a stop of provision are in force in the vault at once;
// an erasure removes a job seeker whole but keeps employee records the
// Labour Standards Act makes the company keep, and the letter says so;
// refusals carry their grounds into the letter and need grounds or a
// reason; a partial disclosure leaves the withheld item out of the
// archive; not_held is answered as such; a paper answer closes the request
// at once without mail.
func TestRequestCaseFulfilment(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	const desk, mgr = hogo.RoleDesk, hogo.RoleManager
	ctx := t.Context()

	t.Run("suspend", func(t *testing.T) {
		h := h.in(t)
		pid, _ := createPrincipal(h, taroBody)
		get := func(purpose string) *response {
			return h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose="+purpose, "")
		}
		// Marketing needs a consent the vault does not hold: refused,
		// but for that reason.
		if e := wantAPIError(t, "marketing before", get("marketing"), http.StatusForbidden, ""); e.Code != hogo.EPURPOSENOTPERMITTED || e.Reason == "suspended" {
			t.Errorf("marketing before the suspension: %+v", e)
		}
		rc := readyCase(h, pid, "paper", "suspend")
		wantAPIError(t, "suspend an unknown purpose", h.as(desk, "POST", "/api/v1/requests/"+rc.ID+"/decisions",
			`{"type":"suspend","outcome":"granted","purposes":["fortune_telling"]}`), http.StatusBadRequest, "purposes")
		h.step(desk, rc.ID, "decisions", `{"type":"suspend","outcome":"granted","purposes":["marketing"]}`)
		if e := wantAPIError(t, "marketing after", get("marketing"), http.StatusForbidden, ""); e.Code != hogo.EPURPOSENOTPERMITTED || e.Reason != "suspended" {
			t.Errorf("marketing after the suspension: %+v", e)
		}
		if r := get("job_matching"); r.status != http.StatusOK || !strings.Contains(r.String(), "taro@example.jp") {
			t.Errorf("job_matching after the suspension: %d %s", r.status, r.body)
		}
		p, err := h.db.GetPrincipal(ctx, pid)
		if err != nil || !slices.Equal(p.Suspended, []string{"marketing"}) {
			t.Errorf("suspensions %v (%v)", p.Suspended, err)
		}
		d := h.step(desk, rc.ID, "answer", "")
		if d.Status != hogo.RequestAnswered {
			t.Errorf("status %s", d.Status)
		}
		if text := letterText(h, rc); !strings.Contains(text, "次の利用を停止いたしました:当社からの情報提供。") {
			t.Errorf("letter:\n%s", text)
		}
	})

	t.Run("stop provision", func(t *testing.T) {
		h := h.in(t)
		pid, _ := createPrincipal(h, taroBody)
		rc := readyCase(h, pid, "paper", "stop_provision")
		h.step(desk, rc.ID, "decisions", `{"type":"stop_provision","outcome":"granted"}`)
		p, err := h.db.GetPrincipal(ctx, pid)
		if err != nil || !vault.ProvisionStopped(p.Suspended) || !slices.Contains(p.Suspended, vault.StopProvision) {
			t.Errorf("provision not stopped: %v (%v)", p.Suspended, err)
		}
		if r := h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", ""); r.status != http.StatusOK {
			t.Errorf("a stop of provision stopped use: %d", r.status)
		}
		h.step(desk, rc.ID, "answer", "")
		if text := letterText(h, rc); !strings.Contains(text, "第三者への提供を停止いたしました") {
			t.Errorf("letter:\n%s", text)
		}
	})

	t.Run("erase whole", func(t *testing.T) {
		h := h.in(t)
		pid, _ := createPrincipal(h, taroBody)
		rc := readyCase(h, pid, "paper", "erase")
		h.step(desk, rc.ID, "decisions", `{"type":"erase","outcome":"granted"}`)
		if r := h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", ""); r.status != http.StatusNotFound {
			t.Errorf("erased principal: %d, want 404\n%s", r.status, r.body)
		}
		h.step(desk, rc.ID, "answer", "")
		text := letterText(h, rc)
		for _, want := range []string{"保有個人データ1件を消去いたしました。", "暗号鍵を破棄したため"} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "労働基準法") {
			t.Errorf("letter names a retention it did not apply:\n%s", text)
		}
	})

	t.Run("erase keeps employee records", func(t *testing.T) {
		h := h.in(t)
		pid, _ := createPrincipal(h, taroBody)
		r := h.as(mgr, "POST", "/api/v1/principals/"+pid+"/records", employeeBody)
		if r.status != http.StatusCreated {
			t.Fatalf("employee record: %d %s", r.status, r.body)
		}
		rc := readyCase(h, pid, "paper", "erase")
		h.step(desk, rc.ID, "decisions", `{"type":"erase","outcome":"granted"}`)
		p, err := h.db.GetPrincipal(ctx, pid)
		if err != nil {
			t.Fatalf("the principal was erased whole: %v", err)
		}
		var cats []string
		for _, rec := range p.Records {
			cats = append(cats, rec.Category)
		}
		if !slices.Equal(cats, []string{"employee"}) {
			t.Errorf("records left %v, want [employee]", cats)
		}
		if r := h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=employment_management", ""); r.status != http.StatusOK || !strings.Contains(r.String(), "E1024") {
			t.Errorf("employee record after erasure: %d %s", r.status, r.body)
		}
		h.step(desk, rc.ID, "answer", "")
		text := letterText(h, rc)
		for _, want := range []string{"保有個人データ1件を消去いたしました。", "「従業者」（1件）", "労働基準法第109条"} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}
	})

	t.Run("refused with grounds", func(t *testing.T) {
		h := h.in(t)
		pid, _ := createPrincipal(h, taroBody)
		rc := readyCase(h, pid, "paper", "disclose")
		path := "/api/v1/requests/" + rc.ID + "/decisions"
		for _, tc := range []struct{ name, body, field string }{
			{"refused without grounds or reason", `{"type":"disclose","outcome":"refused"}`, "grounds"},
			{"refused with a blank reason", `{"type":"disclose","outcome":"refused","reason":"  "}`, "grounds"},
			{"partial without grounds or reason", `{"type":"disclose","outcome":"partial","withheld":["evaluation"]}`, "grounds"},
			{"unknown statutory ground", `{"type":"disclose","outcome":"refused","grounds":["art33_2_9"]}`, "grounds"},
			{"ledger ground out of range", `{"type":"disclose","outcome":"refused","grounds":["ledger:99"]}`, "grounds"},
			{"ledger ground zero", `{"type":"disclose","outcome":"refused","grounds":["ledger:0"]}`, "grounds"},
			{"unknown outcome", `{"type":"disclose","outcome":"maybe"}`, "outcome"},
			{"type not requested", `{"type":"erase","outcome":"granted"}`, "type"},
			{"withheld on a refusal", `{"type":"disclose","outcome":"refused","grounds":["ledger:3"],"withheld":["evaluation"]}`, "withheld"},
		} {
			wantAPIError(t, tc.name, h.as(desk, "POST", path, tc.body), http.StatusBadRequest, tc.field)
		}
		h.step(desk, rc.ID, "decisions", `{"type":"disclose","outcome":"refused","grounds":["art33_2_2","ledger:3"]}`)
		wantAPIError(t, "decided twice", h.as(desk, "POST", path, `{"type":"disclose","outcome":"granted"}`), http.StatusConflict, "type")
		h.step(desk, rc.ID, "answer", "")
		text := letterText(h, rc)
		for _, g := range []string{"art33_2_2", "ledger:3"} {
			want, ok := requests.GroundText(h.ledger, g)
			if !ok {
				t.Fatalf("no text for %s", g)
			}
			if !strings.Contains(text, squeeze(want)) {
				t.Errorf("letter lacks ground %s %q:\n%s", g, want, text)
			}
		}
		if !strings.Contains(text, "人事評価") || !strings.Contains(text, "第33条第2項第2号") {
			t.Errorf("letter:\n%s", text)
		}
	})

	t.Run("partial disclosure", func(t *testing.T) {
		h := h.in(t)
		const evaluation = "面接評価Bプラス要再面談"
		pid, _ := createPrincipal(h, `{"category":"job_seeker","purpose":"job_matching","source":"web_form","items":{"name":"山田 太郎","name_kana":"ヤマダ タロウ","email":"taro@example.jp","phone":"090-1234-5678","career":"倉庫作業5年","evaluation":"`+evaluation+`"}}`)
		rc := readyCase(h, pid, "email", "disclose")
		wantAPIError(t, "withhold an unknown item", h.as(desk, "POST", "/api/v1/requests/"+rc.ID+"/decisions",
			`{"type":"disclose","outcome":"partial","grounds":["ledger:3"],"withheld":["shoe_size"]}`), http.StatusBadRequest, "withheld")
		h.step(desk, rc.ID, "decisions", `{"type":"disclose","outcome":"partial","grounds":["ledger:3"],"withheld":["evaluation"]}`)
		d := h.step(desk, rc.ID, "answer", "")
		if d.Status != hogo.RequestAnswered {
			t.Fatalf("status %s", d.Status)
		}
		files := unzipFiles(t, portalDownload(h, rc, hogo.FileAnswerArchive))
		var doc requests.Disclosure
		if err := json.Unmarshal(files["disclosure.json"], &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Records) != 1 {
			t.Fatalf("disclosure.json: %s", files["disclosure.json"])
		}
		items := doc.Records[0].Items
		if _, ok := items["evaluation"]; ok || items["career"] != "倉庫作業5年" || items["email"] != "taro@example.jp" {
			t.Errorf("disclosed items %v", items)
		}
		for name, data := range files {
			if bytes.Contains(data, []byte(evaluation)) || bytes.Contains(data, []byte("当社による評価・選考情報,")) {
				t.Errorf("%s holds the withheld evaluation", name)
			}
		}
		text := letterText(h, rc)
		for _, want := range []string{"次の項目は開示しておりません:当社による評価・選考情報。", "人事評価、選考等の情報"} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}
		// The vault still holds the evaluation: withholding is not erasing.
		if r := h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", ""); !strings.Contains(r.String(), evaluation) {
			t.Errorf("the evaluation is gone from the vault: %s", r.body)
		}
	})

	t.Run("not held", func(t *testing.T) {
		h := h.in(t)
		rc := recordRequest(h, principalRequest("paper", "disclose", "correct"))
		h.step(desk, rc.ID, "match", `{"principal":""}`)
		h.step(desk, rc.ID, "decisions", `{"type":"disclose","outcome":"not_held"}`)
		d := h.step(desk, rc.ID, "decisions", `{"type":"correct","outcome":"not_held"}`)
		// Telling the requester that nothing is held is not held up
		// by the fee.
		if len(d.Blocking) != 0 {
			t.Errorf("blocking %v, want none", d.Blocking)
		}
		h.step(desk, rc.ID, "answer", "")
		text := letterText(h, rc)
		if strings.Count(text, "保有個人データを保有しておりません") != 2 {
			t.Errorf("letter does not answer not held twice:\n%s", text)
		}
	})

	t.Run("paper answer", func(t *testing.T) {
		h := h.in(t)
		before := len(relay.Messages())
		pid, _ := createPrincipal(h, taroBody)
		rc := readyCase(h, pid, "paper", "suspend")
		h.step(desk, rc.ID, "decisions", `{"type":"suspend","outcome":"granted"}`)
		d := h.step(desk, rc.ID, "answer", "")
		_, c := requestDetail(h, rc.ID)
		if d.Status != hogo.RequestAnswered || d.ClosedOn == "" || c.Case.Answer == nil || c.Case.Answer.Method != requests.DeliverPaper {
			t.Errorf("paper answer: %+v %+v", d, c.Case.Answer)
		}
		if r := h.as(desk, "POST", "/api/v1/requests/"+rc.ID+"/deliver", ""); r.status != http.StatusConflict {
			t.Errorf("deliver a paper answer: %d", r.status)
		}
		if r := h.as(desk, "POST", "/api/v1/requests/"+rc.ID+"/answer", ""); r.status != http.StatusConflict {
			t.Errorf("answer twice: %d", r.status)
		}
		time.Sleep(100 * time.Millisecond)
		if n := len(relay.Messages()); n != before {
			t.Errorf("a paper answer sent %d mails", n-before)
		}
		if text := letterText(h, rc); !strings.Contains(text, "すべての利用") {
			t.Errorf("letter:\n%s", text)
		}
	})
}

// unzipFiles returns an archive's files by name.
func unzipFiles(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

// TestRequestCaseSweep shows the sweep of identity documents: those of a
// request closed 31 days ago are deleted, each deletion audited against the
// request's receipt number; those of a request closed 29 days ago, or of an
// open request, are kept; the answer letter is never swept.
func TestRequestCaseSweep(t *testing.T) {
	h := newHarness(t)
	start := calendar.NewDate(2026, time.June, 1)
	clock := useClock(h, start)
	ctx := t.Context()
	upload := func(rc receiptJSON, kind string) {
		t.Helper()
		r := h.as(hogo.RoleDesk, "POST", "/api/v1/requests/"+rc.ID+"/files?kind="+kind, string(pngBytes))
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
	}
	kinds := func(rc receiptJSON) []string {
		t.Helper()
		fs, err := h.db.ListRequestFiles(ctx, rc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			out = append(out, f.Kind)
		}
		slices.Sort(out)
		return out
	}

	early := recordRequest(h, principalRequest("paper", "correct"))
	upload(early, hogo.FileIDCopy)
	upload(early, hogo.FileAgentEvidence)
	h.step(hogo.RoleDesk, early.ID, "withdraw", "")
	answered := recordRequest(h, principalRequest("paper", "correct"))
	upload(answered, hogo.FileIDCopy)
	h.step(hogo.RoleDesk, answered.ID, "decisions", `{"type":"correct","outcome":"not_held"}`)
	h.step(hogo.RoleDesk, answered.ID, "answer", "")
	open := recordRequest(h, principalRequest("paper", "correct"))
	upload(open, hogo.FileIDCopy)

	clock.setDay(start.AddDays(2))
	late := recordRequest(h, principalRequest("paper", "correct"))
	upload(late, hogo.FileIDCopy)
	h.step(hogo.RoleDesk, late.ID, "withdraw", "")

	clock.setDay(start.AddDays(31))
	n, err := h.srv.Requests.Sweep(ctx)
	if err != nil || n != 3 {
		t.Fatalf("sweep: %d files, %v; want 3", n, err)
	}
	for _, tc := range []struct {
		name string
		rc   receiptJSON
		want []string
	}{
		{"closed 31 days ago", early, nil},
		{"answered 31 days ago", answered, []string{hogo.FileAnswerLetter}},
		{"closed 29 days ago", late, []string{hogo.FileIDCopy}},
		{"open", open, []string{hogo.FileIDCopy}},
	} {
		if got := kinds(tc.rc); !slices.Equal(got, tc.want) {
			t.Errorf("%s: files %v, want %v", tc.name, got, tc.want)
		}
	}
	es, err := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "request.files_delete", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range es {
		if e.Action != "request.files_delete" || e.Outcome != hogo.OutcomeOK {
			t.Errorf("entry %+v", e)
		}
		got[e.Target] = e.Detail["files"]
	}
	if len(got) != 2 || got[early.ReceiptNumber] != "2" || got[answered.ReceiptNumber] != "1" {
		t.Errorf("files_delete entries by receipt: %v (early %s, answered %s)", got, early.ReceiptNumber, answered.ReceiptNumber)
	}
	if n, err := h.srv.Requests.Sweep(ctx); n != 0 || err != nil {
		t.Errorf("a second sweep the same day: %d %v", n, err)
	}
	// Two days on, the later one's time is up too.
	clock.setDay(start.AddDays(33))
	if n, err := h.srv.Requests.Sweep(ctx); n != 1 || err != nil || kinds(late) != nil {
		t.Errorf("sweep two days later: %d %v, files left %v", n, err, kinds(late))
	}
	if kinds(open) == nil {
		t.Error("the open request's document was swept")
	}
	if d, _ := requestDetail(h, early.ID); !slices.Contains(timelineActions(d), "request.files_delete") {
		t.Errorf("the deletion is not in the timeline: %v", timelineActions(d))
	}
}

// multipartForm builds a portal form with files under field names.
func multipartForm(t *testing.T, fields url.Values, files map[string][][]byte) (io.Reader, http.Header) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, list := range files {
		for i, data := range list {
			w, err := mw.CreateFormFile(field, fmt.Sprintf("scan%d.png", i))
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
	}
	mw.Close()
	return &buf, http.Header{"Content-Type": {mw.FormDataContentType()}}
}

// TestRequestCaseBadInput shows uploads and portal forms refused: a file
// over 10 MB, an image type other than JPEG, PNG and PDF, a portal form
// with more than three documents (nothing kept); and that a wrong receipt
// number and a wrong secret get the same answer on the download form.
func TestRequestCaseBadInput(t *testing.T) {
	h := newHarness(t)
	rc := recordRequest(h, principalRequest("paper", "correct"))
	path := "/api/v1/requests/" + rc.ID + "/files?kind=" + hogo.FileIDCopy
	big := append(slices.Clone(pngBytes), make([]byte, requests.MaxFileSize+1-len(pngBytes))...)
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), 64)...)
	for _, tc := range []struct {
		name   string
		path   string
		data   []byte
		status int
		field  string
	}{
		{"over 10 MB", path, big, http.StatusBadRequest, "file"},
		{"12 MB", path, append(slices.Clone(big), make([]byte, 2<<20)...), http.StatusBadRequest, "file"},
		{"a GIF", path, []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"), http.StatusBadRequest, "file"},
		{"an unknown kind", "/api/v1/requests/" + rc.ID + "/files?kind=selfie", pngBytes, http.StatusBadRequest, "kind"},
		{"an empty file", path, nil, http.StatusBadRequest, "file"},
		{"a JPEG", path, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"), http.StatusCreated, ""},
		{"a PDF", path, pdf, http.StatusCreated, ""},
		{"exactly 10 MB", path, big[:requests.MaxFileSize], http.StatusCreated, ""},
	} {
		hdr := http.Header{"Authorization": {"Bearer " + h.tokens[hogo.RoleDesk]}, "Content-Type": {"application/octet-stream"}}
		r := h.send(http.DefaultClient, "POST", tc.path, bytes.NewReader(tc.data), hdr)
		if tc.status == http.StatusCreated {
			if r.status != tc.status {
				t.Errorf("%s: %d %s", tc.name, r.status, r.body)
			}
			continue
		}
		wantAPIError(t, tc.name, r, tc.status, tc.field)
	}
	if fs, _ := h.db.ListRequestFiles(t.Context(), rc.ID); len(fs) != 3 {
		t.Errorf("%d files kept, want 3", len(fs))
	}

	// The portal form: at most three documents, sniffed the same way.
	fields := url.Values{"types": {"disclose"}, "kind": {"principal"}, "name": {"宮田 光"}, "email": {"hikari@example.jp"}}
	for _, tc := range []struct {
		name  string
		files map[string][][]byte
		want  string
	}{
		{"four documents", map[string][][]byte{hogo.FileIDCopy: {pngBytes, pngBytes, pngBytes}, hogo.FileAgentEvidence: {pngBytes}}, "3点まで"},
		{"a GIF", map[string][][]byte{hogo.FileIDCopy: {[]byte("GIF89a\x01\x00\x01\x00")}}, "JPEG・PNG"},
	} {
		body, hdr := multipartForm(t, fields, tc.files)
		r := h.send(http.DefaultClient, "POST", "/requests/new", body, hdr)
		if msg := portalError(r); r.status != http.StatusBadRequest || !strings.Contains(msg, tc.want) || receiptRE.Match(r.body) {
			t.Errorf("portal form with %s: %d %q", tc.name, r.status, msg)
		}
	}
	if rs, _ := h.db.ListRequests(t.Context(), "", 10); len(rs) != 1 {
		t.Errorf("refused portal forms kept %d requests", len(rs)-1)
	}

	// A wrong number and a wrong secret: one answer.
	form := func(receipt, secret string) *response {
		return portalPost(h, "/requests/status/download", url.Values{"receipt_number": {receipt}, "secret": {secret}, "kind": {hogo.FileAnswerLetter}})
	}
	wrongNumber := form("20260101-0000-0000", rc.Secret)
	wrongSecret := form(rc.ReceiptNumber, "0"+rc.Secret[1:])
	noAnswer := form(rc.ReceiptNumber, rc.Secret)
	if wrongNumber.status != http.StatusNotFound || wrongSecret.status != wrongNumber.status {
		t.Errorf("wrong number %d, wrong secret %d; want 404 both", wrongNumber.status, wrongSecret.status)
	}
	if a, b := portalError(wrongNumber), portalError(wrongSecret); a == "" || a != b {
		t.Errorf("a wrong number and a wrong secret answer differently: %q / %q", a, b)
	}
	if msg := portalError(noAnswer); noAnswer.status != http.StatusOK || !strings.Contains(msg, "回答はまだありません") {
		t.Errorf("download before the answer: %d %q", noAnswer.status, msg)
	}
}

// TestRequestCaseNoPersonalData drives a request through every step with
// distinctive personal values — in the requester's details, notes, a
// correction, the reason of a decision, and in bad input — and shows that
// none of them reaches the server log, an error message, or the audit
// entries of the request and of the principal.
func TestRequestCaseNoPersonalData(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	const desk = hogo.RoleDesk
	const (
		name    = "渡辺 真理子"
		kana    = "ワタナベ マリコ"
		email   = "mariko.watanabe@example.jp"
		phone   = "080-1357-2468"
		address = "東京都千代田区丸の内8-8-8"
		newTel  = "080-9753-1111"
		note    = "免許証番号123456789012を確認"
		reason  = "渡辺様の評価記録は人事部長の所見を含むため"
	)
	personal := []string{name, "渡辺", "真理子", kana, "ワタナベ", email, "mariko", phone, "08013572468", "1357-2468", address, "丸の内",
		newTel, "08097531111", "9753-1111", "123456789012", "人事部長の所見"}

	pid, rid := createPrincipal(h, fmt.Sprintf(`{"category":"job_seeker","purpose":"job_matching","source":"web_form","items":{"name":%q,"name_kana":%q,"email":%q,"phone":%q,"address":%q}}`,
		name, kana, email, phone, address))
	var errs []string
	refused := func(what string, r *response) {
		t.Helper()
		if r.status < 400 {
			t.Errorf("%s: %d, want an error", what, r.status)
		}
		errs = append(errs, what+": "+r.String())
	}
	// Bad input carrying personal values.
	refused("bad e-mail", h.as(desk, "POST", "/api/v1/requests", fmt.Sprintf(`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":%q,"email":"渡辺真理子の自宅"}}`, name)))
	refused("bad agent kind", h.as(desk, "POST", "/api/v1/requests", fmt.Sprintf(`{"types":["disclose"],"channel":"post","requester":{"kind":"agent","name":%q,"agent_kind":"渡辺の叔母","phone":%q}}`, name, phone)))
	refused("bad kind", h.as(desk, "POST", "/api/v1/requests", fmt.Sprintf(`{"types":["disclose"],"channel":"post","requester":{"kind":%q,"name":%q}}`, name, name)))
	refused("bad method", h.as(desk, "POST", "/api/v1/requests", fmt.Sprintf(`{"types":["disclose"],"channel":"post","response_method":%q,"requester":{"kind":"principal","name":%q}}`, address, name)))
	refused("long name", h.as(desk, "POST", "/api/v1/requests", fmt.Sprintf(`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":%q}}`, strings.Repeat(name, 20))))

	portal := portalPost(h, "/requests/new", url.Values{"types": {"disclose"}, "kind": {"principal"}, "name": {name}, "email": {"渡辺真理子の自宅"}, "phone": {phone}})
	if portalError(portal) == "" {
		t.Errorf("portal form with a bad e-mail: %d, no error", portal.status)
	}
	errs = append(errs, "portal: "+portalError(portal))

	rc := recordRequest(h, fmt.Sprintf(`{"types":["disclose","correct"],"channel":"post","response_method":"email",
		"requester":{"kind":"principal","name":%q,"name_kana":%q,"email":%q,"phone":%q,"postal_code":"100-0005","address":%q}}`, name, kana, email, phone, address))
	id := rc.ID
	refused("complete with a bad e-mail", h.as(desk, "POST", "/api/v1/requests/"+id+"/complete", `{"requester":{"email":"渡辺真理子の自宅"}}`))
	refused("check with a long note", h.as(desk, "POST", "/api/v1/requests/"+id+"/checks", `{"method":"callback","passed":true,"note":"`+strings.Repeat(name, 200)+`"}`))
	h.step(desk, id, "complete", fmt.Sprintf(`{"requester":{"phone":%q}}`, phone))
	if r := h.as(desk, "POST", "/api/v1/requests/"+id+"/files?kind=id_copy", string(pngBytes)); r.status != http.StatusCreated {
		t.Fatalf("upload: %d", r.status)
	}
	h.step(desk, id, "checks", `{"method":"document","documents":["health_insurance"],"passed":true,"note":"`+note+`"}`)
	h.step(desk, id, "code", "")
	code := mailedCode(t, relay, 1, rc.ReceiptNumber)
	portalPost(h, "/requests/status/code", url.Values{"receipt_number": {rc.ReceiptNumber}, "secret": {rc.Secret}, "code": {code}})
	if d, _ := requestDetail(h, id); !d.Verified {
		t.Fatal("not verified by the code")
	}
	h.step(desk, id, "wait", `{"reason":"other","note":"`+name+`様から住所変更の連絡待ち"}`)
	h.step(desk, id, "resume", "")
	h.step(desk, id, "payments", `{"method":"bank_transfer","amount":1000,"note":"振込名義 `+kana+`"}`)
	h.step(desk, id, "match", fmt.Sprintf(`{"principal":%q}`, pid))
	refused("correct a required item away", h.as(desk, "POST", "/api/v1/requests/"+id+"/decisions", fmt.Sprintf(`{"type":"correct","outcome":"granted","record":%q,"items":{"name":""}}`, rid)))
	refused("correct with a bad phone", h.as(desk, "POST", "/api/v1/requests/"+id+"/decisions", fmt.Sprintf(`{"type":"correct","outcome":"granted","record":%q,"items":{"phone":"渡辺の携帯"}}`, rid)))
	h.step(desk, id, "decisions", fmt.Sprintf(`{"type":"correct","outcome":"granted","record":%q,"items":{"phone":%q}}`, rid, newTel))
	h.step(desk, id, "decisions", `{"type":"disclose","outcome":"partial","grounds":["ledger:3"],"reason":"`+reason+`","withheld":["evaluation"]}`)
	d := h.step(desk, id, "answer", "")
	if d.Status != hogo.RequestAnswered {
		t.Fatalf("status %s", d.Status)
	}
	if text := letterText(h, rc); !strings.Contains(text, squeeze(reason)) || !strings.Contains(text, "08097531111") {
		t.Errorf("the letter lacks the reason or the correction:\n%s", text)
	}

	byRequest, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Target: rc.ReceiptNumber, Limit: 500})
	if err != nil || len(byRequest) < 12 {
		t.Fatalf("the request's audit entries: %d %v", len(byRequest), err)
	}
	byPrincipal, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Principal: pid, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	requestActions, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "request.", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	holdsNone(t, "the request's audit entries", auditJSON(t, byRequest), append(personal, note, reason, rc.Secret, code))
	holdsNone(t, "the principal's audit entries", auditJSON(t, byPrincipal), append(personal, note, reason))
	holdsNone(t, "the request audit entries", auditJSON(t, requestActions), append(personal, note, reason, rc.Secret, code))
	for _, es := range [][]*hogo.AuditEntry{byRequest, byPrincipal, requestActions} {
		for _, e := range es {
			holdsNone(t, "audit entry body "+e.Action, string(e.Body), append(personal, note, reason))
		}
	}
	holdsNone(t, "the error messages", strings.Join(errs, "\n"), personal)
	holdsNone(t, "the server log", h.logs.String(), append(personal, note, reason, rc.Secret, code))
}

// TestRequestCaseClosedRequestLeavesVault shows that a request once closed
// (here withdrawn by the requester) can no longer change the vault: a
// decision on it is refused, and the principal's data stays as it was.
func TestRequestCaseClosedRequestLeavesVault(t *testing.T) {
	h := newHarness(t)
	const desk, mgr = hogo.RoleDesk, hogo.RoleManager
	for _, tc := range []struct {
		typ, decision string
	}{
		{"erase", `{"type":"erase","outcome":"granted"}`},
		{"suspend", `{"type":"suspend","outcome":"granted","purposes":["job_matching"]}`},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			h := h.in(t)
			pid, _ := createPrincipal(h, taroBody)
			rc := readyCase(h, pid, "paper", tc.typ)
			h.step(desk, rc.ID, "withdraw", `{"note":"本人から取り下げの電話"}`)
			r := h.as(desk, "POST", "/api/v1/requests/"+rc.ID+"/decisions", tc.decision)
			if r.status != http.StatusConflict {
				t.Errorf("decision on a withdrawn request: %d, want 409\n%s", r.status, r.body)
			}
			if r := h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", ""); r.status != http.StatusOK {
				t.Errorf("BUG: the withdrawn request's %s was carried out in the vault: GET principal %d\n%s", tc.typ, r.status, r.body)
			}
		})
	}
}

// TestRequestCaseImpossibleMethod shows a disclosure asked for by e-mail
// that cannot be made that way (impossible_method, APPI Art. 33(2)):
// it is disclosed on paper, as the letter says, not by a mailed archive.
func TestRequestCaseImpossibleMethod(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	pid, _ := createPrincipal(h, taroBody)
	rc := readyCase(h, pid, "email", "disclose")
	h.step(hogo.RoleDesk, rc.ID, "decisions", `{"type":"disclose","outcome":"impossible_method","reason":"電子媒体での提供に対応していない記録のため"}`)
	d := h.step(hogo.RoleDesk, rc.ID, "answer", "")
	_, c := requestDetail(h, rc.ID)
	text := letterText(h, rc)
	if !strings.Contains(text, "書面により開示いたします") {
		t.Errorf("letter:\n%s", text)
	}
	if d.Status != hogo.RequestAnswered || c.Case.Answer == nil {
		t.Fatalf("after the answer: %+v", d)
	}
	var kinds []string
	for _, f := range d.Files {
		kinds = append(kinds, f.Kind)
	}
	if c.Case.Answer.Method != requests.DeliverPaper || slices.Contains(kinds, hogo.FileAnswerArchive) || len(relay.Messages()) != 0 {
		t.Errorf("BUG: an impossible_method disclosure went by %s with files %v and %d mails; the letter says it is disclosed on paper",
			c.Case.Answer.Method, kinds, len(relay.Messages()))
	}
	if strings.Contains(text, "別添の電子ファイル") {
		t.Errorf("BUG: the letter says both 書面により開示 and 別添の電子ファイル")
	}
}
