package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

// TestLogsHoldNoPersonalData drives sign-ins and user creation through a
// server logging JSON at debug level, and checks that no password and no
// display name reaches the log, nor a password the audit log.
func TestLogsHoldNoPersonalData(t *testing.T) {
	h := newHarness(t)
	const (
		apiDisplay     = "山田 太郎"
		consoleDisplay = "佐藤 花子"
		consolePW      = "console-chosen-Passw0rd!"
		typedInName    = "oops-Typed-Password-In-Name"
	)
	secrets := []string{password(hogo.RoleAdmin), password(hogo.RoleStaff), apiDisplay, consoleDisplay, consolePW, typedInName,
		displayName(hogo.RoleAdmin)}

	b := h.browser()
	wantStatus(t, "failed login", b.login("admin1", password(hogo.RoleStaff)), http.StatusUnauthorized)
	wantStatus(t, "password in the name field", b.login(typedInName, "x"), http.StatusUnauthorized)
	b.loginAs(hogo.RoleAdmin)
	wantStatus(t, "home", b.get("/console/"), http.StatusOK, displayName(hogo.RoleAdmin))

	r := h.as(hogo.RoleAdmin, "POST", "/api/v1/users", `{"name":"yamada","display_name":"`+apiDisplay+`","role":"staff"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("API create: %d %s", r.status, r.body)
	}
	var created struct{ Password string }
	r.decode(t, &created)
	generated := created.Password
	secrets = append(secrets, generated)

	form := url.Values{"csrf": {b.csrf("/console/users")}, "name": {"sato"}, "display_name": {consoleDisplay},
		"role": {"desk"}, "password": {consolePW}}
	wantStatus(t, "console create", b.post("/console/users", form), http.StatusOK, "sato")
	// A failing create with the same data, and a malformed body quoting
	// the display name.
	wantStatus(t, "console duplicate", b.post("/console/users", form), http.StatusConflict)
	h.as(hogo.RoleAdmin, "POST", "/api/v1/users", `{"name":"x","display_name":"`+apiDisplay+`",}`)
	b.login("sato", consolePW)

	logs := h.logs.String()
	for _, want := range []string{`"msg":"request"`, `"route":"POST /console/login"`, `"route":"POST /api/v1/users"`, `"route":"POST /console/users"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s; is the logger wired?\n%s", want, logs)
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log contains %q", s)
		}
	}
	audit := h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?limit=1000", "").String()
	for _, s := range []string{password(hogo.RoleAdmin), password(hogo.RoleStaff), consolePW, typedInName, generated} {
		if strings.Contains(audit, s) {
			t.Errorf("audit log contains %q", s)
		}
	}
}
