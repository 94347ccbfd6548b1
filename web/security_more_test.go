package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// The tests here go through HTTP, as an attacker would: sessions
// (fixation, logout), the sign-in lockout and its end, cross-origin
// state changes on the console, the API and the portal, the portal's rate
// limit, the security headers on every kind of answer, and the purpose
// every read of personal data must name. docs/SECURITY.md maps them to the
// threats they answer.

// sessionValue is the hogo_session cookie a response set, or "".
func sessionValue(r *response) string {
	if c := setCookies(r)["hogo_session"]; c != nil {
		return c.Value
	}
	return ""
}

// withSession GETs path with only the session cookie value given, from a
// client that has no cookies of its own.
func (h *harness) withSession(value, path string) *response {
	h.t.Helper()
	return h.send(&http.Client{CheckRedirect: noRedirect}, "GET", path, nil,
		http.Header{"Cookie": {"hogo_session=" + value}})
}

// TestSessionFixation: the session ID changes at sign-in, and the session
// the browser held before — planted by an attacker who signed in
// themselves, or left from an earlier sign-in — is not accepted afterwards;
// the attacker's planted session never becomes the victim's.
func TestSessionFixation(t *testing.T) {
	h := newHarness(t)
	loginPage := "/console/login?next=%2Fconsole%2F"

	// The attacker signs in as staff and plants that session in the
	// victim's browser.
	attacker := h.browser()
	r := attacker.login(userName(hogo.RoleStaff), password(hogo.RoleStaff))
	planted := sessionValue(r)
	if planted == "" {
		t.Fatalf("staff sign-in set no session: %d", r.status)
	}
	victim := h.browser()
	u, _ := url.Parse(h.ts.URL)
	victim.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hogo_session", Value: planted, Path: "/"}})
	r = victim.login(userName(hogo.RoleManager), password(hogo.RoleManager))
	got := sessionValue(r)
	if r.status != http.StatusSeeOther || got == "" || got == planted {
		t.Fatalf("victim's sign-in: %d, session %q (planted %q): the ID must change", r.status, got, planted)
	}
	wantStatus(t, "the victim's new session", victim.get("/console/"), http.StatusOK, displayName(hogo.RoleManager))
	// The planted ID is refused now: it never became the manager's, and
	// it is no longer anyone's.
	wantRedirect(t, "the planted session after the victim's sign-in", h.withSession(planted, "/console/"), http.StatusSeeOther, loginPage)
	if strings.Contains(h.withSession(planted, "/console/users").String(), displayName(hogo.RoleManager)) {
		t.Error("the planted session shows the manager's pages")
	}

	// Signing in again ends the earlier session of the same browser.
	b := h.browser()
	first := sessionValue(b.login(userName(hogo.RoleDesk), password(hogo.RoleDesk)))
	second := sessionValue(b.login(userName(hogo.RoleDesk), password(hogo.RoleDesk)))
	if first == "" || second == "" || first == second {
		t.Fatalf("sessions of two sign-ins: %q, %q", first, second)
	}
	wantRedirect(t, "the first session after the second sign-in", h.withSession(first, "/console/"), http.StatusSeeOther, loginPage)
	wantStatus(t, "the second session", h.withSession(second, "/console/"), http.StatusOK, displayName(hogo.RoleDesk))

	// A failed sign-in leaves the session alone (no one is signed out by
	// a stranger's wrong password posted with their cookie).
	r = b.login(userName(hogo.RoleDesk), "a wrong password for desk")
	if r.status != http.StatusUnauthorized || sessionValue(r) != "" {
		t.Errorf("failed sign-in: %d, cookie %q", r.status, sessionValue(r))
	}
	wantStatus(t, "the session after a failed sign-in", h.withSession(second, "/console/"), http.StatusOK, displayName(hogo.RoleDesk))

	// A session ID the server never issued is never accepted, and signing
	// in does not adopt it.
	forged := h.browser()
	forged.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hogo_session", Value: strings.Repeat("a", len(second)), Path: "/"}})
	wantRedirect(t, "a forged session", forged.get("/console/"), http.StatusSeeOther, loginPage)
	if v := sessionValue(forged.login(userName(hogo.RoleAuditor), password(hogo.RoleAuditor))); v == "" || v == strings.Repeat("a", len(second)) {
		t.Errorf("sign-in adopted the forged ID: %q", v)
	}
}

// TestSessionLogoutServerSide: signing out ends the session on the server,
// so a copy of the cookie (a stolen one) is refused afterwards, for pages
// and for form posts, and the sign-out is audited.
func TestSessionLogoutServerSide(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleAdmin)
	stolen := b.cookie("hogo_session").Value
	token := b.csrf("/console/users")
	wantStatus(t, "the stolen copy before sign-out", h.withSession(stolen, "/console/users"), http.StatusOK, "利用者を追加")

	wantRedirect(t, "logout", b.post("/console/logout", url.Values{"csrf": {token}}), http.StatusSeeOther, "/console/login")
	wantRedirect(t, "the stolen copy after sign-out", h.withSession(stolen, "/console/users"), http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fusers")
	// A form posted with the old cookie and its form token changes nothing.
	form := url.Values{"csrf": {token}, "name": {"afterlogout"}, "role": {"admin"}}
	r := h.send(&http.Client{CheckRedirect: noRedirect}, "POST", "/console/users", strings.NewReader(form.Encode()),
		http.Header{"Cookie": {"hogo_session=" + stolen}, "Content-Type": {"application/x-www-form-urlencoded"}})
	wantRedirect(t, "a post with the old session", r, http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fusers")
	if _, err := h.db.FindUserByName(context.Background(), "afterlogout"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("a post with an ended session created a user (%v)", err)
	}
	es, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "logout", Limit: 10})
	if err != nil || len(es) != 1 || es[0].Actor != userName(hogo.RoleAdmin) {
		t.Errorf("logout audit entries: %+v, %v", es, err)
	}
}

// TestLockoutEndsAfterItsTime: five wrong passwords in a row lock the
// account (even the right password is refused, with 423 and no session);
// after the lock's time (15 minutes) the right password works again and
// the count starts afresh; each step is audited with its reason.
func TestLockoutEndsAfterItsTime(t *testing.T) {
	h := newHarness(t)
	start := time.Now()
	clock := start
	h.staff.Now = func() time.Time { return clock }
	b := h.browser()
	for i := 1; i <= 5; i++ {
		wantStatus(t, "wrong password", b.login("staff1", "wrong password number x"), http.StatusUnauthorized, msgLoginFailed)
	}
	r := b.login("staff1", password(hogo.RoleStaff))
	wantStatus(t, "right password, locked", r, http.StatusLocked, msgLocked)
	if sessionValue(r) != "" {
		t.Error("a locked account got a session")
	}
	clock = start.Add(14 * time.Minute)
	wantStatus(t, "right password, 14 minutes on", b.login("staff1", password(hogo.RoleStaff)), http.StatusLocked, msgLocked)

	clock = start.Add(16 * time.Minute)
	r = b.login("staff1", password(hogo.RoleStaff))
	if r.status != http.StatusSeeOther || sessionValue(r) == "" {
		t.Fatalf("right password after the lock: %d\n%s", r.status, r.body)
	}
	// A success clears the count: one more mistake does not lock again.
	wantStatus(t, "one wrong password after", b.login("staff1", "wrong password number y"), http.StatusUnauthorized, msgLoginFailed)
	if r := b.login("staff1", password(hogo.RoleStaff)); r.status != http.StatusSeeOther {
		t.Errorf("right password after one mistake: %d", r.status)
	}

	reasons := map[string]int{}
	es, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "login.failure", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Actor == "staff1" && e.Outcome == hogo.OutcomeDenied {
			reasons[e.Detail["reason"]]++
		}
	}
	if reasons["bad_password"] != 5 || reasons["bad_password_locked"] != 1 || reasons["locked"] != 2 {
		t.Errorf("audited failures by reason: %v; want 5 bad_password (4 + 1 after), 1 bad_password_locked, 2 locked", reasons)
	}
}

// TestCrossOriginStateChanges: a state-changing request from another site
// is refused with 403 before it reaches a handler — on the console with a
// valid session and form token, on the API with a valid token (POST,
// PATCH, DELETE), and on the portal's forms — and changes nothing.
func TestCrossOriginStateChanges(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	admin := h.browser()
	admin.loginAs(hogo.RoleAdmin)
	token := admin.csrf("/console/users")
	pid, rid := createPrincipal(h, taroBody)
	principals := h.principalCount()
	requestsBefore := countRows(t, h, "requests")
	complaintsBefore := countRows(t, h, "complaints")

	evil := []http.Header{{"Origin": {"https://evil.example"}}, {"Sec-Fetch-Site": {"cross-site"}}}
	for _, x := range evil {
		// The console, signed in, with the right form token.
		form := url.Values{"csrf": {token}, "name": {"xorigin"}, "role": {"admin"}}
		hdr := x.Clone()
		hdr.Set("Content-Type", "application/x-www-form-urlencoded")
		r := h.send(admin.c, "POST", "/console/users", strings.NewReader(form.Encode()), hdr)
		wantCrossOriginRefusal(t, "console POST /console/users", r)
		r = h.send(admin.c, "POST", "/console/logout", strings.NewReader(url.Values{"csrf": {token}}.Encode()), hdr)
		wantCrossOriginRefusal(t, "console POST /console/logout", r)

		// The API, with a valid token.
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/api/v1/principals", taroBody},
			{"PATCH", "/api/v1/principals/" + pid + "/records/" + rid, `{"purpose":"job_matching","items":{"phone":"03-1111-2222"}}`},
			{"DELETE", "/api/v1/principals/" + pid, `{"reason":"消去請求"}`},
			{"POST", "/api/v1/requests", `{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"道下 鈴","email":"suzu@example.jp"}}`},
		} {
			hdr := x.Clone()
			hdr.Set("Authorization", "Bearer "+h.tokens[hogo.RoleManager])
			hdr.Set("Content-Type", "application/json")
			r := h.send(http.DefaultClient, c.method, c.path, strings.NewReader(c.body), hdr)
			wantCrossOriginRefusal(t, "API "+c.method+" "+c.path, r)
		}

		// The portal's forms.
		for path, form := range map[string]url.Values{
			"/requests/new":   {"types": {"disclose"}, "kind": {"principal"}, "name": {"道下 鈴"}, "email": {"suzu@example.jp"}},
			"/complaints/new": {"category": {"other"}, "statement": {"他サイトからの送信"}, "anonymous": {"1"}},
			"/consents/code":  {"email": {"taro@example.jp"}},
		} {
			hdr := x.Clone()
			hdr.Set("Content-Type", "application/x-www-form-urlencoded")
			r := h.send(http.DefaultClient, "POST", path, strings.NewReader(form.Encode()), hdr)
			wantCrossOriginRefusal(t, "portal POST "+path, r)
		}
	}
	if _, err := h.db.FindUserByName(ctx, "xorigin"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("a cross-origin console post created a user (%v)", err)
	}
	wantStatus(t, "the admin's session after a cross-origin logout", admin.get("/console/users"), http.StatusOK, "利用者を追加")
	if n := h.principalCount(); n != principals {
		t.Errorf("principals %d → %d after cross-origin API calls", principals, n)
	}
	var v principalJSON
	h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", "").decode(t, &v)
	if v.ID != pid || len(v.Records) != 1 || v.Records[0].Version != 1 {
		t.Errorf("the principal changed after cross-origin API calls: %+v", v)
	}
	if n := countRows(t, h, "requests"); n != requestsBefore {
		t.Errorf("requests %d → %d after cross-origin posts", requestsBefore, n)
	}
	if n := countRows(t, h, "complaints"); n != complaintsBefore {
		t.Errorf("complaints %d → %d after cross-origin posts", complaintsBefore, n)
	}
}

func wantCrossOriginRefusal(t *testing.T, what string, r *response) {
	t.Helper()
	if r.status != http.StatusForbidden {
		t.Errorf("%s cross-origin: %d, want 403\n%s", what, r.status, r.body)
		return
	}
	var b struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(r.body, &b); err != nil || b.Error.Code != hogo.EFORBIDDEN || !strings.Contains(b.Error.Message, "cross-origin") {
		t.Errorf("%s cross-origin: %s (%v)", what, r.body, err)
	}
}

func countRows(t *testing.T, h *harness, table string) int64 {
	t.Helper()
	var n int64
	if err := h.db.Read.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPortalRateLimit: the portal's forms share one limit per address, ten
// posts an hour; the eleventh, on any form, is answered 429 with
// Retry-After and the reason, and stores nothing; another address is not
// held back, and the limit lifts after the hour.
func TestPortalRateLimit(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	for i := 0; i < 10; i++ {
		// Refused forms count too: guessing is what the limit is for.
		r := anon.post("/complaints/new", url.Values{"category": {"other"}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("post %d: %d, want 400\n%s", i+1, r.status, r.body)
		}
	}
	requests, complaints, head := countRows(t, h, "requests"), countRows(t, h, "complaints"), h.auditHead()
	for path, form := range map[string]url.Values{
		"/requests/new":      {"types": {"disclose"}, "kind": {"principal"}, "name": {"道下 鈴"}, "email": {"suzu@example.jp"}},
		"/complaints/new":    {"category": {"other"}, "statement": {"十一回目の送信"}, "anonymous": {"1"}},
		"/consents/code":     {"email": {"taro@example.jp"}},
		"/requests/status":   {"receipt_number": {"20261124-AAAA-BBBB"}, "secret": {"x"}},
		"/complaints/status": {"receipt_number": {"C-20261124-AAAA-BBBB"}, "secret": {"x"}},
	} {
		r := anon.post(path, form)
		wantStatus(t, "the eleventh post, to "+path, r, http.StatusTooManyRequests, "短時間に多くの送信がありました")
		if r.header.Get("Retry-After") == "" {
			t.Errorf("%s: 429 without Retry-After", path)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: 429 as %q, want the portal's page", path, r.header.Get("Content-Type"))
		}
	}
	if countRows(t, h, "requests") != requests || countRows(t, h, "complaints") != complaints || h.auditHead() != head {
		t.Error("a rate-limited post stored something")
	}
	// The limit is per address: another one gets through.
	form := url.Values{"category": {"other"}, "statement": {"別の住所から"}, "anonymous": {"1"}}
	req := httptest.NewRequest("POST", "/complaints/new", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.9:5555"
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("another address: %d, want 200", rec.Code)
	}
	// An hour on, the first address may post again.
	h.srv.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
	if r := anon.post("/complaints/new", form); r.status != http.StatusOK {
		t.Errorf("an hour on: %d, want 200\n%s", r.status, r.body)
	}
}

// TestSecurityHeadersEveryKind: every kind of answer — console pages and
// their errors, portal pages, forms, downloads and errors, API answers of
// every status, static files, redirects, health and metrics, the mux's own
// 404 and 405 — carries the security headers (the harness checks every
// response it sees); pages and API answers that can hold personal data are
// not cached; HSTS is sent over TLS only.
func TestSecurityHeadersEveryKind(t *testing.T) {
	h := newHarness(t)
	pid, _ := createPrincipal(h, taroBody)
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	noStore := func(what string, r *response) {
		t.Helper()
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("%s (%d): Cache-Control %q, want no-store", what, r.status, cc)
		}
	}
	// Console: pages, a principal, an export, errors.
	for _, p := range []string{"/console/", "/console/ledger", "/console/users", "/console/audit", "/console/principals/" + pid + "?purpose=job_matching",
		"/console/requests", "/console/complaints", "/console/incidents", "/console/datasets", "/console/statistics", "/console/nope"} {
		r := b.get(p)
		if r.status == http.StatusOK {
			noStore("console "+p, r)
		}
	}
	b.get("/console/ledger/export?format=csv")
	b.post("/console/users", url.Values{"name": {"x"}}) // 403: no form token
	b.post("/console/audit/verify", url.Values{"csrf": {"wrong"}})
	// Portal: pages, forms refused and accepted, the notice and its PDF.
	anon := h.browser()
	for _, p := range []string{"/", "/requests/new", "/requests/status", "/complaints/new", "/complaints/status", "/consents",
		"/notice", "/notice.pdf", "/notice.md", "/notice/versions", "/anonymized", "/requests/answer/not-a-token", "/no/such/page"} {
		anon.get(p)
	}
	anon.post("/complaints/new", url.Values{"category": {"other"}})
	noStore("portal complaint receipt", anon.post("/complaints/new", url.Values{"category": {"other"}, "statement": {"見出し"}, "anonymous": {"1"}}))
	anon.post("/requests/status", url.Values{"receipt_number": {"x"}, "secret": {"y"}})
	// API: 200, 201, 400, 401, 403, 404, 405, a CSV.
	noStore("API read", h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=job_matching", ""))
	h.as(hogo.RoleManager, "POST", "/api/v1/principals", taroBody)
	noStore("API error", h.as(hogo.RoleManager, "POST", "/api/v1/principals", `{`))
	h.api("GET", "/api/v1/me", "", "")
	h.as(hogo.RoleStaff, "GET", "/api/v1/users", "")
	h.as(hogo.RoleManager, "GET", "/api/v1/principals/0123456789abcdefghijklmnop?purpose=job_matching", "")
	h.as(hogo.RoleManager, "PUT", "/api/v1/principals", "{}")
	h.as(hogo.RoleManager, "GET", "/api/v1/principals/export?category=job_seeker&purpose=job_matching&format=csv", "")
	// Static, health, metrics, the mux's own answers.
	for _, p := range []string{"/static/style.css", "/static/nope.js", "/healthz", "/metrics", "/console"} {
		h.api("GET", p, "", "")
	}
	h.api("DELETE", "/console/login", "", "")
	h.api("TRACE", "/", "", "")

	// HSTS over TLS only.
	ts := httptest.NewTLSServer(h.srv.Handler())
	defer ts.Close()
	for _, p := range []string{"/", "/api/v1/me", "/static/style.css", "/console/"} {
		resp, err := ts.Client().Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if v := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(v, "max-age=") {
			t.Errorf("over TLS %s: Strict-Transport-Security %q", p, v)
		}
	}
	if r := h.api("GET", "/", "", ""); r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
}

// readRoutes are the API's reads of personal data, with how each is called
// for a job seeker with a purpose.
var readRoutes = map[string]func(h *harness, role hogo.Role, pid, purpose string) *response{
	"GET /api/v1/principals/{id}": func(h *harness, role hogo.Role, pid, purpose string) *response {
		return h.as(role, "GET", "/api/v1/principals/"+pid+"?"+url.Values{"purpose": {purpose}}.Encode(), "")
	},
	"GET /api/v1/principals": func(h *harness, role hogo.Role, pid, purpose string) *response {
		return h.as(role, "GET", "/api/v1/principals?"+url.Values{"email": {taroEmail}, "purpose": {purpose}}.Encode(), "")
	},
	"POST /api/v1/principals/search": func(h *harness, role hogo.Role, pid, purpose string) *response {
		b, _ := json.Marshal(map[string]string{"by": "email", "value": taroEmail, "purpose": purpose})
		return h.as(role, "POST", "/api/v1/principals/search", string(b))
	},
	"GET /api/v1/principals/export": func(h *harness, role hogo.Role, pid, purpose string) *response {
		return h.as(role, "GET", "/api/v1/principals/export?"+url.Values{"category": {"job_seeker"}, "purpose": {purpose}, "format": {"csv"}}.Encode(), "")
	},
}

// TestPurposeRequiredOnReads walks every API read of personal data with
// every role: without a purpose it is refused (400 on the field purpose)
// before anything is read; with a purpose of the category that the
// role's rules do not name it is refused with 403 purpose_not_permitted
// and the refusal is audited (actor, role, purpose, outcome denied); no
// refusal carries the personal data.
func TestPurposeRequiredOnReads(t *testing.T) {
	h := newHarness(t)
	for op := range readRoutes {
		if !purposeBound[op] {
			t.Errorf("%s is walked here but is not in purposeBound", op)
		}
	}
	for op := range purposeBound {
		if _, ok := readRoutes[op]; !ok && (strings.HasPrefix(op, "GET /api/v1/principals") || op == "POST /api/v1/principals/search") {
			t.Errorf("%s reads personal data but is not walked here", op)
		}
	}
	pid, _ := createPrincipal(h, taroBody)
	cat := h.ledger.Category("job_seeker")
	lacked := 0
	for _, role := range hogo.Roles {
		var lacks string
		for _, p := range refs(cat.Purposes) {
			if len(roleRules(cat, role, p)) == 0 {
				lacks = p
				break
			}
		}
		for op, call := range readRoutes {
			t.Run(op+" as "+string(role), func(t *testing.T) {
				h := h.in(t)
				head := h.auditHead()
				r := call(h, role, pid, "")
				if r.status != http.StatusBadRequest {
					t.Fatalf("without a purpose: %d, want 400\n%s", r.status, r.body)
				}
				if e := r.apiError(t); e.Code != hogo.EINVALID || e.Field != "purpose" {
					t.Errorf("without a purpose: %+v", e)
				}
				holdsNone(t, "the refusal without a purpose", r.String(), taroValues)
				for _, e := range h.auditEntries() {
					if e.Seq > head && e.Outcome == hogo.OutcomeOK && e.Principal == pid {
						t.Errorf("a read without a purpose was audited as done: %+v", e)
					}
				}

				if lacks == "" {
					t.Logf("%s may read job seekers for every purpose of the category", role)
					return
				}
				head = h.auditHead()
				r = call(h, role, pid, lacks)
				if r.status != http.StatusForbidden {
					t.Fatalf("purpose %s, which %s lacks: %d, want 403\n%s", lacks, role, r.status, r.body)
				}
				if e := r.apiError(t); e.Code != hogo.EPURPOSENOTPERMITTED {
					t.Errorf("purpose %s: %+v", lacks, e)
				}
				holdsNone(t, "the refusal of a purpose the role lacks", r.String(), taroValues)
				denied := 0
				for _, e := range h.auditEntries() {
					if e.Seq > head && e.Outcome == hogo.OutcomeDenied {
						if e.ActorID != h.users[role].ID || e.Role != role || e.Purpose != lacks {
							t.Errorf("denied entry names %s/%s/%q, want %s/%s/%q", e.Actor, e.Role, e.Purpose, userName(role), role, lacks)
						}
						denied++
					}
				}
				if denied == 0 {
					t.Errorf("purpose %s refused but not audited", lacks)
				}
				lacked++
			})
		}
	}
	if lacked == 0 {
		t.Error("no role lacks a purpose of job_seeker: the walk checked no refusal")
	}
}
