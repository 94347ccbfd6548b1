package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/processor"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/staff"
	"hogo.example.jp/hogo/vault"
	"hogo.example.jp/hogo/web"
)

// ledgerFile is the example ledger every test serves.
const ledgerFile = "ledgers/staffing.yaml"

// fastParams keep argon2id cheap: the tests exercise the web layer, not the
// hash.
var fastParams = staff.Params{Memory: 64, Time: 1, Threads: 1}

// harness is one running server over a real SQLite store and audit log,
// with one user and one API token per role.
type harness struct {
	t      *testing.T
	srv    *web.Server
	ts     *httptest.Server
	db     *sqlstore.DB
	staff  *staff.Service
	log    *audit.Log
	ledger *ledger.Ledger
	logs   *syncBuffer

	users     map[hogo.Role]*hogo.User
	passwords map[hogo.Role]string
	tokens    map[hogo.Role]string
	// revoked is a revoked token of the admin.
	revoked string
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// userName is the harness user of a role; its display name and password
// are derived from it.
func userName(r hogo.Role) string    { return string(r) + "1" }
func displayName(r hogo.Role) string { return "表示名" + string(r) + "さん" }
func password(r hogo.Role) string    { return "pw-" + string(r) + "-correct-horse-battery" }

type harnessOption func(*harness)

// withMail sends the requests' mail to a real SMTP server on loopback.
func withMail(m *smtptest.Server) harnessOption {
	return func(h *harness) {
		h.srv.Requests.Mailer = &mail.Sender{Addr: m.Addr(), TLS: "none"}
	}
}

// notReady leaves the server not ready, as it is during start-up.
func notReady(h *harness) { h.srv.SetReady(false) }

// testServer is the server every web test runs: a real SQLite store and
// audit log, the example ledger, the vault and the services, and one user
// and one API token per role. newHarness serves it over HTTP; the fuzz
// targets call its handler directly.
type testServer struct {
	srv       *web.Server
	db        *sqlstore.DB
	staff     *staff.Service
	log       *audit.Log
	ledger    *ledger.Ledger
	users     map[hogo.Role]*hogo.User
	passwords map[hogo.Role]string
	tokens    map[hogo.Role]string
}

func newTestServer(tb testing.TB, logger *slog.Logger) *testServer {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatalf("sqlite.Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	key, err := audit.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	log := audit.NewLog(db, key)
	tb.Cleanup(func() { log.Close() }) // runs before db.Close
	st := staff.New(db, log)
	st.Params = fastParams

	data, err := examples.Ledgers.ReadFile(ledgerFile)
	if err != nil {
		tb.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(ledgerFile, data)
	if l == nil {
		tb.Fatalf("example ledger does not load: %v", ps.Errors())
	}
	srv := web.NewServer(db, st, log, logger)
	srv.SetLedger(&web.LedgerState{Ledger: l, YAML: data, Digest: ledger.Digest(data)})
	srv.SetReady(true)
	keys, err := vault.GenerateKeys()
	if err != nil {
		tb.Fatal(err)
	}
	srv.Vault = vault.NewService(db, log, keys, func() (*ledger.Ledger, string) {
		st := srv.Ledger()
		return st.Ledger, st.Digest
	})
	srv.Provisions = provision.New(db, log, srv.Vault, srv.Vault.LedgerFunc())
	srv.Incidents = breach.New(db, log, srv.Vault, srv.Vault.LedgerFunc())
	srv.Complaints = complaint.New(db, log, srv.Vault, srv.Vault.LedgerFunc())
	srv.Processors = processor.New(db, log, srv.Vault.LedgerFunc())
	srv.Receipts = receipt.New(db, log, srv.Vault.LedgerFunc())
	srv.Datasets = datasets.New(db, srv.Vault, keys, log, srv.Vault.LedgerFunc())
	srv.Requests = requests.New(db, log, srv.Vault, srv.Vault.LedgerFunc())
	srv.Requests.Provisions = srv.Provisions
	srv.Requests.Receipts = srv.Receipts
	srv.Requests.Signer = key

	ts := &testServer{srv: srv, db: db, staff: st, log: log, ledger: l,
		users: map[hogo.Role]*hogo.User{}, passwords: map[hogo.Role]string{}, tokens: map[hogo.Role]string{}}
	for _, r := range hogo.Roles {
		u, _, err := st.AddUser(ctx, hogo.SystemActor, userName(r), displayName(r), r, password(r))
		if err != nil {
			tb.Fatalf("AddUser %s: %v", r, err)
		}
		secret, _, err := st.CreateToken(ctx, hogo.SystemActor, u.Name, "test", 0)
		if err != nil {
			tb.Fatalf("CreateToken %s: %v", r, err)
		}
		ts.users[r], ts.passwords[r], ts.tokens[r] = u, password(r), secret
	}
	return ts
}

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	ctx := context.Background()
	logs := &syncBuffer{}
	ts := newTestServer(t, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	srv, st := ts.srv, ts.staff
	h := &harness{t: t, srv: srv, db: ts.db, staff: st, log: ts.log, ledger: ts.ledger, logs: logs,
		users: ts.users, passwords: ts.passwords, tokens: ts.tokens}
	secret, tok, err := st.CreateToken(ctx, hogo.SystemActor, userName(hogo.RoleAdmin), "revoked", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, hogo.SystemActor, tok.ID); err != nil {
		t.Fatal(err)
	}
	h.revoked = secret
	for _, o := range opts {
		o(h)
	}
	h.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(h.ts.Close) // runs first: no request outlives the log
	srv.Requests.BaseURL = h.ts.URL
	return h
}

// in returns the harness reporting to t, for use inside t.Run.
func (h *harness) in(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// response is a finished request.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) String() string { return string(r.body) }

// errorJSON decodes an API error body.
func (r *response) errorJSON(t *testing.T) (code, message, field string) {
	t.Helper()
	var b struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	return b.Error.Code, b.Error.Message, b.Error.Field
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
}

// noRedirect makes a client stop at redirects so tests see them.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// send makes one request with client c and checks the security headers that
// every response must carry.
func (h *harness) send(c *http.Client, method, path string, body io.Reader, header http.Header) *response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.ts.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := &response{status: resp.StatusCode, header: resp.Header, body: b}
	checkSecurityHeaders(h.t, method+" "+path, r)
	return r
}

// api calls the JSON API with auth as the Authorization header ("" for
// none).
func (h *harness) api(method, path, auth, body string) *response {
	h.t.Helper()
	hdr := http.Header{}
	if auth != "" {
		hdr.Set("Authorization", auth)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
		hdr.Set("Content-Type", "application/json")
	}
	return h.send(&http.Client{CheckRedirect: noRedirect}, method, path, rd, hdr)
}

// as calls the API with the token of role.
func (h *harness) as(role hogo.Role, method, path, body string) *response {
	h.t.Helper()
	return h.api(method, path, "Bearer "+h.tokens[role], body)
}

// browser is a console visitor with its own cookies; it does not follow
// redirects.
type browser struct {
	h *harness
	c *http.Client
}

func (h *harness) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return &browser{h: h, c: &http.Client{Jar: jar, CheckRedirect: noRedirect}}
}

func (b *browser) get(path string) *response {
	b.h.t.Helper()
	return b.h.send(b.c, "GET", path, nil, nil)
}

func (b *browser) post(path string, form url.Values) *response {
	b.h.t.Helper()
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return b.h.send(b.c, "POST", path, strings.NewReader(form.Encode()), hdr)
}

func (b *browser) login(name, pw string) *response {
	b.h.t.Helper()
	return b.post("/console/login", url.Values{"name": {name}, "password": {pw}})
}

// loginAs signs in as the harness user of role and fails the test unless
// it works.
func (b *browser) loginAs(role hogo.Role) {
	b.h.t.Helper()
	r := b.login(userName(role), password(role))
	if r.status != http.StatusSeeOther {
		b.h.t.Fatalf("login as %s: status %d, want 303\n%s", role, r.status, r.body)
	}
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.h.ts.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token from a console page.
func (b *browser) csrf(path string) string {
	b.h.t.Helper()
	r := b.get(path)
	m := csrfRE.FindSubmatch(r.body)
	if m == nil {
		b.h.t.Fatalf("GET %s: no csrf field (status %d)\n%s", path, r.status, r.body)
	}
	return string(m[1])
}

// checkSecurityHeaders checks the headers every response must have,
// whatever its status or handler.
func checkSecurityHeaders(t *testing.T, what string, r *response) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	}
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s (%d): header %s = %q, want %q", what, r.status, k, got, v)
		}
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s (%d): Content-Security-Policy %q lacks %q", what, r.status, csp, d)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
