package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

// Role changes, password resets and token revocation, through the API and
// through the console: the same operations on both sides.
func TestAPIUserManagement(t *testing.T) {
	h := newHarness(t)
	staffID := h.users[hogo.RoleStaff].ID
	path := fmt.Sprintf("/api/v1/users/%d", staffID)

	r := h.as(hogo.RoleAdmin, "PATCH", path, `{"role":"desk"}`)
	var got struct {
		User struct {
			Role     string `json:"role"`
			Disabled bool   `json:"disabled"`
		} `json:"user"`
	}
	r.decode(t, &got)
	if r.status != 200 || got.User.Role != "desk" {
		t.Fatalf("PATCH role: %d %s", r.status, r)
	}
	if r := h.as(hogo.RoleAdmin, "PATCH", path, `{"role":"root"}`); r.status != 400 {
		t.Fatalf("bad role: %d", r.status)
	} else if code, _, field := r.errorJSON(t); code != hogo.EINVALID || field != "role" {
		t.Fatalf("bad role error: %s %s", code, field)
	}
	if r := h.as(hogo.RoleAdmin, "PATCH", path, `{}`); r.status != 400 {
		t.Fatalf("empty PATCH: %d", r.status)
	}
	if r := h.as(hogo.RoleAdmin, "PATCH", "/api/v1/users/99999", `{"disabled":true}`); r.status != 404 {
		t.Fatalf("unknown user: %d", r.status)
	}
	// Disabling makes the user's token stop working at once.
	h.as(hogo.RoleAdmin, "PATCH", path, `{"disabled":true}`)
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/me", ""); r.status != 401 {
		t.Fatalf("disabled user's token: %d", r.status)
	}
	h.as(hogo.RoleAdmin, "PATCH", path, `{"disabled":false,"role":"staff"}`)
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/me", ""); r.status != 200 {
		t.Fatalf("re-enabled user's token: %d", r.status)
	}

	var pw struct{ Password string }
	r = h.as(hogo.RoleAdmin, "POST", path+"/password", `{}`)
	r.decode(t, &pw)
	if r.status != 200 || len(pw.Password) != 20 {
		t.Fatalf("password reset: %d %s", r.status, r)
	}
	if r := h.as(hogo.RoleAdmin, "POST", path+"/password", `{"password":"short"}`); r.status != 400 {
		t.Fatalf("short password: %d", r.status)
	}
	b := h.browser()
	if r := b.login(userName(hogo.RoleStaff), pw.Password); r.status != http.StatusSeeOther {
		t.Fatalf("login with the reset password: %d", r.status)
	}

	var toks struct {
		Tokens []struct {
			ID      int64 `json:"id"`
			UserID  int64 `json:"user_id"`
			Revoked bool  `json:"revoked"`
		} `json:"tokens"`
	}
	h.as(hogo.RoleAdmin, "GET", fmt.Sprintf("/api/v1/tokens?user=%d", staffID), "").decode(t, &toks)
	if len(toks.Tokens) != 1 || toks.Tokens[0].UserID != staffID {
		t.Fatalf("tokens of staff: %+v", toks)
	}
	if r := h.as(hogo.RoleAdmin, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", toks.Tokens[0].ID), ""); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r)
	}
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/me", ""); r.status != 401 {
		t.Fatalf("revoked token still works: %d", r.status)
	}
	if r := h.as(hogo.RoleAdmin, "DELETE", "/api/v1/tokens/99999", ""); r.status != 404 {
		t.Fatalf("revoke unknown: %d", r.status)
	}
	var l auditListJSON
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=user.&limit=1000", "").decode(t, &l)
	actions := map[string]int{}
	for _, e := range l.Entries {
		actions[e.Action]++
	}
	if actions["user.role"] < 2 || actions["user.disable"] < 1 || actions["user.enable"] < 1 || actions["user.password"] < 1 {
		t.Fatalf("administrative actions not audited: %v", actions)
	}
}

func TestConsoleUserManagement(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.loginAs(hogo.RoleAdmin)
	desk := h.users[hogo.RoleDesk]
	csrf := b.csrf("/console/users")

	r := b.post(fmt.Sprintf("/console/users/%d/role", desk.ID), url.Values{"csrf": {csrf}, "role": {"manager"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("role change: %d %s", r.status, r)
	}
	page := b.get("/console/users?flash=users.roleset")
	if !strings.Contains(page.String(), "役割を変更しました") {
		t.Fatal("no confirmation after role change")
	}
	if u, _ := h.db.FindUserByID(t.Context(), desk.ID); u.Role != hogo.RoleManager {
		t.Fatalf("role not changed: %s", u.Role)
	}
	// The flash parameter shows only known messages, never the query.
	if p := b.get("/console/users?flash=" + url.QueryEscape("<script>x</script>")); strings.Contains(p.String(), "<script>x") {
		t.Fatal("flash echoes the query string")
	}

	r = b.post(fmt.Sprintf("/console/users/%d/password", desk.ID), url.Values{"csrf": {csrf}})
	if r.status != 200 || !strings.Contains(r.String(), "パスワードを再設定しました") {
		t.Fatalf("password reset: %d", r.status)
	}
	if !strings.Contains(r.String(), "id=\"token-list\"") {
		t.Fatal("the admin's users page has no token list")
	}
	toks, _ := h.db.ListTokens(t.Context(), desk.ID)
	if len(toks) != 1 {
		t.Fatalf("desk has %d tokens", len(toks))
	}
	tokID := toks[0].ID
	r = b.post(fmt.Sprintf("/console/tokens/%d/revoke", tokID), url.Values{"csrf": {csrf}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/me", ""); r.status != 401 {
		t.Fatalf("token revoked in the console still works: %d", r.status)
	}
	// Without the form token nothing changes.
	if r := b.post(fmt.Sprintf("/console/users/%d/role", desk.ID), url.Values{"role": {"admin"}}); r.status != 403 {
		t.Fatalf("role change without csrf: %d", r.status)
	}
	// A manager sees users but may not manage them.
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	if r := m.post(fmt.Sprintf("/console/users/%d/role", desk.ID), url.Values{"csrf": {m.csrf("/console/users")}, "role": {"admin"}}); r.status != 403 {
		t.Fatalf("manager role change: %d", r.status)
	}
}
