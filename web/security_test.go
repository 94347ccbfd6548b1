package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

// TestSecurityHeadersEverywhere requests one of each kind of response; the
// harness checks the headers on every response of every test, this makes
// sure the odd ones (static files, redirects, plain-text errors, metrics)
// are among them.
func TestSecurityHeadersEverywhere(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for _, path := range []string{"/", "/nope", "/static/style.css", "/static/missing.css", "/healthz", "/metrics",
		"/console", "/console/", "/console/login", "/api/v1/openapi.json", "/api/v1/me", "/api/v1/nope"} {
		b.get(path)
	}
	b.post("/console/login", url.Values{"name": {"x"}, "password": {"y"}})
	h.as(hogo.RoleAdmin, "GET", "/api/v1/ledger", "")
	h.send(http.DefaultClient, "POST", "/api/v1/users", strings.NewReader("{}"), http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if r := b.get("/static/style.css"); r.status != 200 || r.header.Get("Cache-Control") == "" {
		t.Errorf("static file: %d, Cache-Control %q", r.status, r.header.Get("Cache-Control"))
	}
}

func TestCrossOriginRefused(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, path string
		header     http.Header
		body       string
	}{
		{"console login, Sec-Fetch-Site", "/console/login", http.Header{"Sec-Fetch-Site": {"cross-site"}}, "name=admin1&password=" + password(hogo.RoleAdmin)},
		{"console login, Origin", "/console/login", http.Header{"Origin": {"http://evil.example"}}, "name=admin1&password=" + password(hogo.RoleAdmin)},
		{"API, Sec-Fetch-Site", "/api/v1/users", http.Header{"Sec-Fetch-Site": {"cross-site"}}, `{"name":"xsite1","role":"admin"}`},
		{"API, Origin", "/api/v1/users", http.Header{"Origin": {"https://evil.example"}}, `{"name":"xsite2","role":"admin"}`},
		{"API, same-site is not same-origin", "/api/v1/users", http.Header{"Sec-Fetch-Site": {"same-site"}}, `{"name":"xsite3","role":"admin"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.in(t)
			hdr := tc.header.Clone()
			hdr.Set("Authorization", "Bearer "+h.tokens[hogo.RoleAdmin])
			if strings.HasPrefix(tc.path, "/api/") {
				hdr.Set("Content-Type", "application/json")
			} else {
				hdr.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			r := h.send(&http.Client{CheckRedirect: noRedirect}, "POST", tc.path, strings.NewReader(tc.body), hdr)
			if r.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403\n%s", r.status, r.body)
			}
			if code, msg, _ := r.errorJSON(t); code != hogo.EFORBIDDEN || !strings.Contains(msg, "cross-origin") {
				t.Errorf("code %q message %q", code, msg)
			}
			if r.header.Get("Set-Cookie") != "" {
				t.Errorf("a refused login set a cookie: %s", r.header.Get("Set-Cookie"))
			}
		})
	}
	var l auditListJSON
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=login.", "").decode(t, &l)
	if len(l.Entries) != 0 {
		t.Errorf("refused cross-origin logins reached the login code: %+v", l.Entries)
	}
	for _, n := range []string{"xsite1", "xsite2", "xsite3"} {
		if _, err := h.db.FindUserByName(context.Background(), n); hogo.ErrorCode(err) != hogo.ENOTFOUND {
			t.Errorf("cross-origin request created user %s (%v)", n, err)
		}
	}
	// The same requests from the site itself, and from clients that send
	// no browser headers, go through.
	same := h.send(http.DefaultClient, "POST", "/api/v1/users", strings.NewReader(`{"name":"same1","role":"staff"}`),
		http.Header{"Sec-Fetch-Site": {"same-origin"}, "Authorization": {"Bearer " + h.tokens[hogo.RoleAdmin]}})
	if same.status != http.StatusCreated {
		t.Errorf("same-origin POST: %d %s", same.status, same.body)
	}
	if r := h.as(hogo.RoleAdmin, "POST", "/api/v1/users", `{"name":"cli1","role":"staff"}`); r.status != http.StatusCreated {
		t.Errorf("POST without browser headers: %d %s", r.status, r.body)
	}
	// Reading is never refused: a link from elsewhere still opens.
	r := h.send(http.DefaultClient, "GET", "/", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if r.status != http.StatusOK {
		t.Errorf("cross-site GET /: %d", r.status)
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t, notReady)
	if r := h.api("GET", "/healthz", "", ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("before ready: %d %s", r.status, r.body)
	}
	h.srv.SetReady(true)
	if r := h.api("GET", "/healthz", "", ""); r.status != http.StatusOK || r.String() != "ok\n" {
		t.Errorf("ready: %d %q", r.status, r.body)
	}
	if r := h.api("HEAD", "/healthz", "", ""); r.status != http.StatusOK {
		t.Errorf("HEAD ready: %d", r.status)
	}
	h.db.Close()
	if r := h.api("GET", "/healthz", "", ""); r.status != http.StatusServiceUnavailable || !strings.Contains(r.String(), "database") {
		t.Errorf("database closed: %d %q", r.status, r.body)
	}
}

// routeLabelRE is a ServeMux pattern: optional method, a path, no query.
var routeLabelRE = regexp.MustCompile(`^((GET|POST|PUT|PATCH|DELETE|HEAD) )?/[A-Za-z0-9_./{}$-]*$|^unmatched$`)

func TestMetrics(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	// Requests whose URLs and forms carry names that must not become labels.
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?actor=yamada.taro&principal=P-secret-77", "")
	h.as(hogo.RoleAdmin, "POST", "/api/v1/users/"+itoa(h.users[hogo.RoleDesk].ID)+"/tokens", `{"name":"m"}`)
	b.get("/people/suzuki-hanako")
	b.get("/console/login?next=/console/users%3Fname%3Dsato")
	b.login("tanaka.ichiro", "wrong password here")
	h.api("GET", "/api/v1/me", "Bearer hogo_nottoken", "")

	r := b.get("/metrics")
	if r.status != 200 {
		t.Fatalf("/metrics: %d", r.status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q", ct)
	}
	text := r.String()
	for _, s := range []string{
		"# TYPE hogo_http_requests_total counter",
		`hogo_http_requests_total{route="GET /api/v1/audit",code="200"} 1`,
		`hogo_http_requests_total{route="POST /api/v1/users/{id}/tokens",code="201"} 1`,
		`hogo_http_requests_total{route="POST /console/login",code="401"} 1`,
		`hogo_http_requests_total{route="GET /api/v1/me",code="401"} 1`,
		`hogo_http_requests_total{route="/",code="404"} 1`,
		"# TYPE hogo_http_request_duration_seconds histogram",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("metrics lack %q", s)
		}
	}
	for _, s := range []string{"yamada", "P-secret", "suzuki", "sato", "tanaka", "?", "admin1", "hogo_nottoken"} {
		if strings.Contains(text, s) {
			t.Errorf("metrics contain %q", s)
		}
	}
	labelRE := regexp.MustCompile(`^hogo_http_requests_total\{route="([^"]*)",code="(\d{3})"\} \d+$`)
	n := 0
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "hogo_http_requests_total{") {
			continue
		}
		n++
		m := labelRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("malformed line %q", line)
			continue
		}
		if !routeLabelRE.MatchString(m[1]) {
			t.Errorf("route label %q is not a pattern", m[1])
		}
	}
	if n < 6 {
		t.Errorf("only %d request counters:\n%s", n, text)
	}
}
