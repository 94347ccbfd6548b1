package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

var (
	receiptRE = regexp.MustCompile(`id="portal-receipt-number"><code>([^<]+)</code>`)
	secretRE  = regexp.MustCompile(`id="portal-secret"><code>([^<]+)</code>`)
)

// TestPortalRequest: a principal sends a request from the public portal,
// gets a receipt number and a secret, and follows the request with them; a
// wrong secret or number gets one and the same answer; the desk sees the
// request in the queue; the portal is rate-limited.
func TestPortalRequest(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	if r := anon.get("/requests/new"); r.status != http.StatusOK || !strings.Contains(string(r.body), "開示") {
		t.Fatalf("request form: %d", r.status)
	}
	r := anon.post("/requests/new", url.Values{"types": {"disclose", "notify_purpose"}, "kind": {"principal"},
		"name": {"宮田 光"}, "email": {"hikari@example.jp"}})
	body := string(r.body)
	m, sm := receiptRE.FindStringSubmatch(body), secretRE.FindStringSubmatch(body)
	if r.status != http.StatusOK || m == nil || sm == nil || !strings.Contains(body, "令和") {
		t.Fatalf("portal submission: %d\n%s", r.status, body)
	}
	receipt, secret := m[1], sm[1]

	r = anon.post("/requests/status", url.Values{"receipt_number": {strings.ToLower(receipt)}, "secret": {secret}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `id="portal-status-value"`) || !strings.Contains(string(r.body), "受付済み") {
		t.Fatalf("status with the right secret: %d\n%s", r.status, r.body)
	}
	wrongSecret := anon.post("/requests/status", url.Values{"receipt_number": {receipt}, "secret": {"not-the-secret"}})
	wrongNumber := anon.post("/requests/status", url.Values{"receipt_number": {"20260101-0000-0000"}, "secret": {secret}})
	if wrongSecret.status != http.StatusNotFound || wrongNumber.status != http.StatusNotFound {
		t.Fatalf("wrong secret %d, wrong number %d; want 404 both", wrongSecret.status, wrongNumber.status)
	}
	errRE := regexp.MustCompile(`id="error">([^<]+)<`)
	if a, b := errRE.FindStringSubmatch(string(wrongSecret.body)), errRE.FindStringSubmatch(string(wrongNumber.body)); a == nil || b == nil || a[1] != b[1] {
		t.Errorf("a wrong secret and a wrong number answer differently: %q / %q", a, b)
	}
	// The desk sees it, as coming from the portal.
	q := h.as(hogo.RoleDesk, "GET", "/api/v1/requests", "")
	if !strings.Contains(string(q.body), receipt) || !strings.Contains(string(q.body), `"channel": "portal"`) {
		t.Errorf("queue:\n%s", q.body)
	}
	// The failed look-up is audited, without the secret.
	entries, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "request.lookup", Limit: 10})
	if err != nil || len(entries) != 3 {
		t.Fatalf("look-ups audited: %d %v", len(entries), err)
	}
	for _, e := range entries {
		if strings.Contains(string(e.Body), secret) || strings.Contains(string(e.Body), "hikari") {
			t.Errorf("audit entry holds the secret or the e-mail: %s", e.Body)
		}
	}
	// An incomplete portal request is kept and says what is missing.
	r = anon.post("/requests/new", url.Values{"types": {"erase"}, "kind": {"principal"}, "name": {"宮田 光"}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `id="portal-missing"`) {
		t.Errorf("incomplete portal request: %d\n%s", r.status, r.body)
	}
	// Rate limit: ten submissions and look-ups an hour from one address.
	limited := false
	for i := 0; i < 12 && !limited; i++ {
		limited = anon.post("/requests/status", url.Values{"receipt_number": {receipt}, "secret": {"x"}}).status == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("the portal is not rate-limited")
	}
}
