package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Japanese texts the console must show.
const (
	msgLoginFailed = "利用者名またはパスワードが正しくありません。"
	msgLocked      = "このアカウントは一時的にロックされています"
	msgRateLimited = "ログインの試行が多すぎます"
	msgCSRF        = "フォームの有効期限が切れました"
	msgForbidden   = "この操作を行う権限がありません。"
	msgNotFound    = "ページが見つかりません。"
	msgAuditOK     = "監査ログの連鎖は正常です"
)

func setCookies(r *response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		out[c.Name] = c
	}
	return out
}

func wantStatus(t *testing.T, what string, r *response, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d\n%s", what, r.status, status, r.body)
		return
	}
	body := html.UnescapeString(r.String())
	for _, s := range contains {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q\n%s", what, s, r.body)
		}
	}
}

func wantRedirect(t *testing.T, what string, r *response, status int, location string) {
	t.Helper()
	if r.status != status || r.header.Get("Location") != location {
		t.Errorf("%s: %d → %q, want %d → %q", what, r.status, r.header.Get("Location"), status, location)
	}
}

func TestConsoleNeedsSession(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	wantRedirect(t, "GET /console/", b.get("/console/"), http.StatusSeeOther, "/console/login?next=%2Fconsole%2F")
	wantRedirect(t, "GET /console/ledger", b.get("/console/ledger?lang=en"), http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fledger")
	wantRedirect(t, "GET /console", b.get("/console"), http.StatusMovedPermanently, "/console/")
	wantRedirect(t, "POST /console/users", b.post("/console/users", url.Values{"name": {"x"}, "role": {"admin"}}),
		http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fusers")
	// A made-up session is no session.
	u, _ := url.Parse(h.ts.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hogo_session", Value: "planted-by-an-attacker", Path: "/"}})
	wantRedirect(t, "GET /console/ with a forged cookie", b.get("/console/"), http.StatusSeeOther, "/console/login?next=%2Fconsole%2F")
	wantStatus(t, "GET /console/login", b.get("/console/login"), http.StatusOK, "ログイン", `name="password"`)
}

func TestConsoleLogin(t *testing.T) {
	h := newHarness(t)
	b := h.browser()

	r := b.login("admin1", "not the password at all")
	wantStatus(t, "wrong password", r, http.StatusUnauthorized, msgLoginFailed)
	if _, ok := setCookies(r)["hogo_session"]; ok {
		t.Error("a failed login set a session cookie")
	}
	wantStatus(t, "unknown user", b.login("nobody", "not the password at all"), http.StatusUnauthorized, msgLoginFailed)

	// A session ID planted before sign-in is not the one after.
	u, _ := url.Parse(h.ts.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hogo_session", Value: "planted", Path: "/"}})
	r = b.login("admin1", password(hogo.RoleAdmin))
	wantRedirect(t, "right password", r, http.StatusSeeOther, "/console/")
	c := setCookies(r)["hogo_session"]
	if c == nil {
		t.Fatal("no hogo_session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Value == "" || c.Value == "planted" {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Strict, Path=/, a new value", c)
	}
	first := c.Value
	wantStatus(t, "home", b.get("/console/"), http.StatusOK, "ようこそ", displayName(hogo.RoleAdmin))

	r = b.login("admin1", password(hogo.RoleAdmin))
	second := setCookies(r)["hogo_session"]
	if second == nil || second.Value == first {
		t.Errorf("a second login kept the session ID")
	}

	// Sign-ins are audited, failed ones without the password.
	var l auditListJSON
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=login.", "").decode(t, &l)
	count := map[string]int{}
	for _, e := range l.Entries {
		count[e.Action+"/"+e.Outcome]++
	}
	if count["login.failure/denied"] != 2 || count["login.success/ok"] != 2 {
		t.Errorf("login audit entries: %v", count)
	}
}

// TestConsoleNextRedirect checks that sign-in follows next only within
// the console: no open redirect.
func TestConsoleNextRedirect(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	// next is followed only within the console.
	for next, want := range map[string]string{
		"/console/ledger":          "/console/ledger",
		"//evil.example":           "/console/",
		"//evil.example/console/":  "/console/",
		"https://evil.example/":    "/console/",
		"/console/\\evil.example":  "/console/",
		"/\\evil.example":          "/console/",
		"/console//evil.example/x": "/console/evil.example/x",
	} {
		r := b.post("/console/login", url.Values{"name": {"admin1"}, "password": {password(hogo.RoleAdmin)}, "next": {next}})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || loc != want {
			t.Errorf("next=%q: %d → %q, want %q", next, r.status, loc, want)
		}
		if l, err := url.Parse(loc); err != nil || l.Host != "" || strings.HasPrefix(loc, "//") {
			t.Errorf("next=%q redirects off-site to %q", next, loc)
		}
	}
	page := b.get("/console/login?next=//evil.example")
	if !strings.Contains(page.String(), `name="next" value="/console/"`) {
		t.Errorf("login form keeps an off-site next:\n%s", page.body)
	}
}

func TestConsoleLogout(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	token := b.csrf("/console/")
	wantStatus(t, "logout without csrf", b.post("/console/logout", nil), http.StatusForbidden, msgCSRF)
	wantRedirect(t, "logout", b.post("/console/logout", url.Values{"csrf": {token}}), http.StatusSeeOther, "/console/login")
	if c := b.cookie("hogo_session"); c != nil {
		t.Errorf("session cookie kept after logout: %v", c)
	}
	wantRedirect(t, "after logout", b.get("/console/"), http.StatusSeeOther, "/console/login?next=%2Fconsole%2F")
}

func TestConsoleLedgerAndLanguage(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleStaff)
	r := b.get("/console/ledger")
	wantStatus(t, "ledger", r, http.StatusOK, "求職者", "個人情報管理台帳", `<html lang="ja">`, "氏名（フリガナ）")
	if _, ok := setCookies(r)["hogo_lang"]; ok {
		t.Error("hogo_lang set without ?lang=")
	}

	r = b.get("/console/ledger?lang=en")
	wantStatus(t, "ledger in English", r, http.StatusOK, "Personal information ledger", "Job seekers", `<html lang="en">`)
	if c := setCookies(r)["hogo_lang"]; c == nil || c.Value != "en" {
		t.Errorf("hogo_lang cookie = %v, want en", c)
	}
	// The choice is remembered, and ?lang=ja switches back.
	wantStatus(t, "ledger remembered in English", b.get("/console/ledger"), http.StatusOK, "Personal information ledger")
	wantStatus(t, "ledger back in Japanese", b.get("/console/ledger?lang=ja"), http.StatusOK, "個人情報管理台帳")
	wantStatus(t, "home in Japanese", b.get("/console/"), http.StatusOK, "ホーム")

	r = b.get("/console/ledger/export?format=csv")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Errorf("console export: %d %s", r.status, r.header.Get("Content-Type"))
	}
	wantStatus(t, "console export as pdf", b.get("/console/ledger/export?format=pdf"), http.StatusBadRequest, "pdf")
}

func TestConsoleUsers(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.loginAs(hogo.RoleAdmin)
	token := admin.csrf("/console/users")
	wantStatus(t, "users page", admin.get("/console/users"), http.StatusOK, "利用者を追加", "staff1")

	form := url.Values{"name": {"console1"}, "display_name": {"コンソール 一郎"}, "role": {"desk"}}
	wantStatus(t, "create without csrf", admin.post("/console/users", form), http.StatusForbidden, msgCSRF)
	form.Set("csrf", "wrong"+token)
	wantStatus(t, "create with a wrong csrf", admin.post("/console/users", form), http.StatusForbidden, msgCSRF)
	ctx := context.Background()
	if _, err := h.db.FindUserByName(ctx, "console1"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Fatalf("user created without a form token (%v)", err)
	}

	// Another session's token is no good either.
	other := h.browser()
	other.loginAs(hogo.RoleAdmin)
	form.Set("csrf", other.csrf("/console/users"))
	wantStatus(t, "create with another session's csrf", admin.post("/console/users", form), http.StatusForbidden, msgCSRF)

	form.Set("csrf", token)
	r := admin.post("/console/users", form)
	wantStatus(t, "create", r, http.StatusOK, "利用者を作成しました", "console1", "コンソール 一郎")
	u, err := h.db.FindUserByName(ctx, "console1")
	if err != nil || u.Role != hogo.RoleDesk || u.DisplayName != "コンソール 一郎" {
		t.Fatalf("created user = %+v, %v", u, err)
	}
	// The generated password is shown once and works.
	m := regexp.MustCompile(`console1: (\S+)</p>`).FindStringSubmatch(r.String())
	if m == nil {
		t.Fatalf("no generated password in the flash:\n%s", r.body)
	}
	if _, _, _, err := h.staff.Login(ctx, "console1", html.UnescapeString(m[1]), "127.0.0.1"); err != nil {
		t.Errorf("shown password does not sign in: %v", err)
	}

	wantStatus(t, "duplicate", admin.post("/console/users", form), http.StatusConflict, "console1")
	form.Set("name", "bad name")
	wantStatus(t, "bad name", admin.post("/console/users", form), http.StatusBadRequest)

	// Disable and enable, and tokens.
	id := itoa(u.ID)
	wantRedirect(t, "disable", admin.post("/console/users/"+id+"/disable", url.Values{"csrf": {token}}), http.StatusSeeOther, "/console/users")
	if u, _ := h.db.FindUserByID(ctx, u.ID); !u.Disabled {
		t.Error("user not disabled")
	}
	wantStatus(t, "disable yourself", admin.post("/console/users/"+itoa(h.users[hogo.RoleAdmin].ID)+"/disable", url.Values{"csrf": {token}}),
		http.StatusBadRequest, "自分のアカウントは無効にできません")
	wantRedirect(t, "enable", admin.post("/console/users/"+id+"/enable", url.Values{"csrf": {token}}), http.StatusSeeOther, "/console/users")
	wantStatus(t, "token", admin.post("/console/users/"+id+"/tokens", url.Values{"csrf": {token}, "name": {"console"}}),
		http.StatusOK, "APIトークンを発行しました", "hogo_")
	wantStatus(t, "token for nobody", admin.post("/console/users/999999/tokens", url.Values{"csrf": {token}}), http.StatusNotFound)
}

func TestConsoleLockout(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for i := 1; i <= 5; i++ {
		wantStatus(t, "wrong password", b.login("staff1", "wrong password number x"), http.StatusUnauthorized, msgLoginFailed)
	}
	r := b.login("staff1", password(hogo.RoleStaff))
	wantStatus(t, "right password on a locked account", r, http.StatusLocked, msgLocked)
	if _, ok := setCookies(r)["hogo_session"]; ok {
		t.Error("a locked account got a session")
	}
	// Other accounts are not affected.
	b.loginAs(hogo.RoleDesk)
	wantStatus(t, "locked shown in users list", func() *response {
		a := h.browser()
		a.loginAs(hogo.RoleAdmin)
		return a.get("/console/users")
	}(), http.StatusOK, "ロック中")
}

func TestConsoleLoginRateLimit(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for i := 1; i <= 10; i++ {
		r := b.login("nobody", "guessing passwords")
		if r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := b.login("admin1", password(hogo.RoleAdmin))
	wantStatus(t, "11th attempt", r, http.StatusTooManyRequests, msgRateLimited)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if _, ok := setCookies(r)["hogo_session"]; ok {
		t.Error("a rate-limited login got a session")
	}
}

func TestConsoleAudit(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleAuditor)
	r := b.get("/console/audit")
	wantStatus(t, "audit page", r, http.StatusOK, `id="audit-entries"`, "login.success", "user.create", "auditor1")
	wantStatus(t, "filtered", b.get("/console/audit?action=token.revoke"), http.StatusOK, "token.revoke")
	if strings.Contains(b.get("/console/audit?action=token.revoke").String(), "<code>user.create</code>") {
		t.Error("filter let user.create through")
	}
	wantStatus(t, "bad limit", b.get("/console/audit?limit=0"), http.StatusOK, "limit must be")
	wantStatus(t, "paging", b.get("/console/audit?limit=2"), http.StatusOK, "さらに古いログ", "before=")

	token := b.csrf("/console/audit")
	wantStatus(t, "verify without csrf", b.post("/console/audit/verify", nil), http.StatusForbidden, msgCSRF)
	wantStatus(t, "verify", b.post("/console/audit/verify", url.Values{"csrf": {token}}), http.StatusOK, msgAuditOK, `id="verify-count"`)
}

// TestConsoleRoleMatrix signs in as each role and checks the console
// pages against the same permission rules as the API.
func TestConsoleRoleMatrix(t *testing.T) {
	h := newHarness(t)
	seeUsers := map[hogo.Role]bool{hogo.RoleAdmin: true, hogo.RoleManager: true, hogo.RoleAuditor: true}
	for _, role := range hogo.Roles {
		t.Run(string(role), func(t *testing.T) {
			h := h.in(t)
			b := h.browser()
			b.loginAs(role)
			token := b.csrf("/console/")
			wantStatus(t, "home", b.get("/console/"), http.StatusOK, displayName(role))
			wantStatus(t, "ledger", b.get("/console/ledger"), http.StatusOK, "求職者")
			for _, p := range []string{"/console/users", "/console/audit"} {
				if seeUsers[role] {
					wantStatus(t, p, b.get(p), http.StatusOK)
				} else {
					wantStatus(t, p, b.get(p), http.StatusForbidden, msgForbidden)
				}
			}
			form := url.Values{"csrf": {token}, "name": {"m-" + string(role)}, "role": {"staff"}}
			if role == hogo.RoleAdmin {
				wantStatus(t, "create", b.post("/console/users", form), http.StatusOK, "利用者を作成しました")
			} else {
				wantStatus(t, "create", b.post("/console/users", form), http.StatusForbidden, msgForbidden)
			}
			if seeUsers[role] {
				wantStatus(t, "verify", b.post("/console/audit/verify", url.Values{"csrf": {token}}), http.StatusOK, msgAuditOK)
			} else {
				wantStatus(t, "verify", b.post("/console/audit/verify", url.Values{"csrf": {token}}), http.StatusForbidden, msgForbidden)
			}
			// Anonymised information: the manager and the auditor read
			// the records, the manager alone creates (an empty form is
			// refused for its k, after the role is let through).
			switch role {
			case hogo.RoleManager:
				wantStatus(t, "datasets", b.get("/console/datasets"), http.StatusOK, `id="dataset-form"`)
				wantStatus(t, "dataset preview", b.post("/console/datasets", url.Values{"csrf": {token}}), http.StatusBadRequest, "k は2以上の整数")
			case hogo.RoleAuditor:
				wantStatus(t, "datasets", b.get("/console/datasets"), http.StatusOK, `id="no-datasets"`)
				wantStatus(t, "dataset preview", b.post("/console/datasets", url.Values{"csrf": {token}}), http.StatusForbidden, msgForbidden)
			default:
				wantStatus(t, "datasets", b.get("/console/datasets"), http.StatusForbidden, msgForbidden)
				wantStatus(t, "dataset preview", b.post("/console/datasets", url.Values{"csrf": {token}}), http.StatusForbidden, msgForbidden)
			}
			for _, p := range []string{"/console/datasets/0123456789abcdefghijklmnop/data", "/console/datasets/0123456789abcdefghijklmnop/method",
				"/console/datasets/0123456789abcdefghijklmnop/provisions/0123456789abcdefghijklmnop/letter"} {
				if role == hogo.RoleManager {
					wantStatus(t, p, b.get(p), http.StatusNotFound)
				} else {
					wantStatus(t, p, b.get(p), http.StatusForbidden, msgForbidden)
				}
			}
			// Provisions, pseudonymised information and statistics: the
			// manager's alone (an empty form is refused for what it
			// lacks, after the role is let through).
			provide := b.post("/console/datasets/0123456789abcdefghijklmnop/provisions", url.Values{"csrf": {token}})
			pseudo := b.post("/console/datasets/pseudonymized", url.Values{"csrf": {token}})
			stats := b.post("/console/statistics", url.Values{"csrf": {token}})
			purpose := b.post("/console/datasets/0123456789abcdefghijklmnop/purpose", url.Values{"csrf": {token}, "use_purpose": {"0"}})
			if role == hogo.RoleManager {
				wantStatus(t, "purpose", purpose, http.StatusNotFound)
				wantStatus(t, "provide", provide, http.StatusNotFound)
				wantStatus(t, "pseudonymise", pseudo, http.StatusBadRequest, "仮名加工情報の利用目的を")
				wantStatus(t, "statistics", b.get("/console/statistics"), http.StatusOK, `id="statistics-form"`, `id="nav-statistics"`)
				wantStatus(t, "count", stats, http.StatusBadRequest, "台帳にない種別です")
			} else {
				wantStatus(t, "provide", provide, http.StatusForbidden, msgForbidden)
				wantStatus(t, "purpose", purpose, http.StatusForbidden, msgForbidden)
				wantStatus(t, "pseudonymise", pseudo, http.StatusForbidden, msgForbidden)
				wantStatus(t, "statistics", b.get("/console/statistics"), http.StatusForbidden, msgForbidden)
				wantStatus(t, "count", stats, http.StatusForbidden, msgForbidden)
				if strings.Contains(b.get("/console/").String(), `id="nav-statistics"`) {
					t.Errorf("%s has the link to statistics", role)
				}
			}
		})
	}
	// Each refusal is audited with the console route.
	var l auditListJSON
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=access.denied&actor=staff1", "").decode(t, &l)
	targets := map[string]bool{}
	for _, e := range l.Entries {
		targets[e.Target] = true
	}
	for _, want := range []string{"GET /console/users", "GET /console/audit", "POST /console/users", "POST /console/audit/verify",
		"GET /console/datasets", "POST /console/datasets", "GET /console/datasets/{id}/data", "GET /console/datasets/{id}/method",
		"POST /console/datasets/{id}/provisions", "GET /console/datasets/{id}/provisions/{pid}/letter", "POST /console/datasets/pseudonymized",
		"POST /console/datasets/{id}/purpose", "GET /console/statistics", "POST /console/statistics"} {
		if !targets[want] {
			t.Errorf("no access.denied entry for staff1 on %s (have %v)", want, targets)
		}
	}
}

// wantHours is the desk's hours as the portal should write them, from the
// ledger: consecutive weekdays Monday to Friday read 月〜金.
func wantHours(hr ledger.Hours, lang string) string {
	names := map[string][2]string{"sun": {"日", "Sun"}, "mon": {"月", "Mon"}, "tue": {"火", "Tue"}, "wed": {"水", "Wed"},
		"thu": {"木", "Thu"}, "fri": {"金", "Fri"}, "sat": {"土", "Sat"}}
	i, sep, dash := 0, "・", "〜"
	if lang == "en" {
		i, sep, dash = 1, ", ", "–"
	}
	var days string
	switch strings.Join(hr.Days, ",") {
	case "mon,tue,wed,thu,fri":
		days = [2]string{"月〜金", "Mon–Fri"}[i]
	case "mon,tue,wed,thu,fri,sat":
		days = [2]string{"月〜土", "Mon–Sat"}[i]
	default:
		var d []string
		for _, day := range hr.Days {
			d = append(d, names[day][i])
		}
		days = strings.Join(d, sep)
	}
	return days + " " + hr.Open.String() + dash + hr.Close.String()
}

var deskHoursRE = regexp.MustCompile(`<dd id="desk-hours">([^<]*)</dd>`)

func TestPortal(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for _, lang := range []string{"ja", "en"} {
		path := "/"
		if lang == "en" {
			path = "/?lang=en"
		}
		r := b.get(path)
		org := h.ledger.Organization.Name.In(lang)
		wantStatus(t, "portal "+lang, r, http.StatusOK, `<html lang="`+lang+`">`, org, h.ledger.ComplaintDesk.Name.In(lang))
		m := deskHoursRE.FindStringSubmatch(r.String())
		if m == nil {
			t.Fatalf("portal %s has no desk hours:\n%s", lang, r.body)
		}
		if got, want := html.UnescapeString(m[1]), wantHours(h.ledger.ComplaintDesk.Hours, lang); got != want {
			t.Errorf("portal %s desk hours = %q, want %q", lang, got, want)
		}
		if strings.Contains(r.String(), `action="/console/login"`) || strings.Contains(r.String(), "csrf") {
			t.Errorf("portal %s shows console parts", lang)
		}
	}
	// The English choice stuck; Japanese is the default for a new visitor,
	// whatever the browser asks for.
	wantStatus(t, "portal after choosing English", b.get("/"), http.StatusOK, `<html lang="en">`)
	r := h.send(http.DefaultClient, "GET", "/", nil, http.Header{"Accept-Language": {"en-US,en;q=0.9"}})
	wantStatus(t, "portal default", r, http.StatusOK, `<html lang="ja">`, "株式会社", "月〜金")

	wantStatus(t, "unknown page", b.get("/nope/nothing"), http.StatusNotFound, "Error")
	wantStatus(t, "unknown page ja", h.browser().get("/nope/nothing"), http.StatusNotFound, msgNotFound)
	wantStatus(t, "unknown console page", h.browser().get("/console/nope"), http.StatusNotFound, msgNotFound)
	wantStatus(t, "POST to the portal", h.browser().post("/", nil), http.StatusNotFound, msgNotFound)
}

// TestNoLedger checks that a server started without a ledger says so
// everywhere instead of failing.
func TestNoLedger(t *testing.T) {
	h := newHarness(t)
	h.srv.SetLedger(nil)
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	wantStatus(t, "portal", h.browser().get("/"), http.StatusOK, "台帳はまだ登録されていません")
	wantStatus(t, "console home", b.get("/console/"), http.StatusOK, "ようこそ")
	wantStatus(t, "console ledger", b.get("/console/ledger"), http.StatusOK, "台帳はまだ登録されていません")
	wantStatus(t, "console export", b.get("/console/ledger/export?format=csv"), http.StatusNotFound, "--ledger")
	for _, path := range []string{"/api/v1/ledger", "/api/v1/ledger/export?format=csv"} {
		r := h.as(hogo.RoleManager, "GET", path, "")
		if code, msg, _ := r.errorJSON(t); r.status != http.StatusNotFound || code != hogo.ENOTFOUND || !strings.Contains(msg, "--ledger") {
			t.Errorf("%s without a ledger: %d %s", path, r.status, r.body)
		}
	}
}
