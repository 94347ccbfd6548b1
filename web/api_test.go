package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// apiCase is one API scenario. auth is a role (its token), or one of
// none, empty, basic, bad, revoked. path may hold {admin}, {staff}… for
// the users' IDs.
type apiCase struct {
	name     string
	method   string
	path     string
	auth     string
	body     string
	status   int
	code     string   // the error code, for errors
	contains []string // substrings of the body
	check    func(t *testing.T, h *harness, r *response)
}

func (h *harness) authHeader(auth string) string {
	switch auth {
	case "none":
		return ""
	case "empty":
		return "Bearer "
	case "basic":
		return "Basic YWRtaW4xOnB3"
	case "bad":
		return "Bearer hogo_thisIsNotARealTokenAtAll"
	case "revoked":
		return "Bearer " + h.revoked
	}
	tok, ok := h.tokens[hogo.Role(auth)]
	if !ok {
		h.t.Fatalf("unknown auth %q", auth)
	}
	return "Bearer " + tok
}

func (h *harness) expandPath(p string) string {
	var pairs []string
	for r, u := range h.users {
		pairs = append(pairs, "{"+string(r)+"}", strconv.FormatInt(u.ID, 10))
	}
	return strings.NewReplacer(pairs...).Replace(p)
}

func runAPICases(t *testing.T, h *harness, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.in(t)
			r := h.api(tc.method, h.expandPath(tc.path), h.authHeader(tc.auth), tc.body)
			if r.status != tc.status {
				t.Fatalf("%s %s as %s: status %d, want %d\n%s", tc.method, tc.path, tc.auth, r.status, tc.status, r.body)
			}
			if tc.code != "" {
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("error Content-Type = %q, want JSON", ct)
				}
				if code, msg, _ := r.errorJSON(t); code != tc.code || msg == "" {
					t.Errorf("error code %q (message %q), want code %q", code, msg, tc.code)
				}
			}
			for _, s := range tc.contains {
				if !strings.Contains(string(r.body), s) {
					t.Errorf("body lacks %q:\n%s", s, r.body)
				}
			}
			if tc.check != nil {
				tc.check(t, h, r)
			}
		})
	}
}

func wantWWWAuthenticate(sub string) func(*testing.T, *harness, *response) {
	return func(t *testing.T, h *harness, r *response) {
		got := r.header.Get("WWW-Authenticate")
		if !strings.HasPrefix(got, "Bearer ") || !strings.Contains(got, sub) {
			t.Errorf("WWW-Authenticate = %q, want Bearer … %s", got, sub)
		}
	}
}

func wantField(field string) func(*testing.T, *harness, *response) {
	return func(t *testing.T, h *harness, r *response) {
		_, msg, f := r.errorJSON(t)
		if f != field {
			t.Errorf("error field = %q, want %q", f, field)
		}
		if !strings.Contains(msg, field) {
			t.Errorf("error message %q does not name %q", msg, field)
		}
	}
}

type auditListJSON struct {
	Entries []struct {
		Seq     int64
		Actor   string
		Role    string
		Action  string
		Outcome string
		Target  string
		Detail  map[string]string
	}
	NextBefore int64 `json:"next_before"`
}

func TestAPIAuthentication(t *testing.T) {
	h := newHarness(t)
	cases := []apiCase{
		{name: "no Authorization", method: "GET", path: "/api/v1/me", auth: "none", status: 401, code: "unauthorized",
			check: wantWWWAuthenticate(`realm="hogo"`)},
		{name: "empty bearer", method: "GET", path: "/api/v1/me", auth: "empty", status: 401, code: "unauthorized",
			check: wantWWWAuthenticate(`realm="hogo"`)},
		{name: "basic auth", method: "GET", path: "/api/v1/ledger", auth: "basic", status: 401, code: "unauthorized"},
		{name: "bad token", method: "GET", path: "/api/v1/me", auth: "bad", status: 401, code: "unauthorized",
			check: wantWWWAuthenticate(`error="invalid_token"`)},
		{name: "revoked token", method: "GET", path: "/api/v1/me", auth: "revoked", status: 401, code: "unauthorized",
			contains: []string{"revoked"}, check: wantWWWAuthenticate(`error="invalid_token"`)},
		{name: "no auth on a forbidden route is 401 not 403", method: "POST", path: "/api/v1/users", auth: "none",
			body: `{"name":"x","role":"staff"}`, status: 401, code: "unauthorized"},
		{name: "openapi needs no token", method: "GET", path: "/api/v1/openapi.json", auth: "none", status: 200,
			contains: []string{`"openapi": "3.1.0"`}},
		{name: "unknown endpoint", method: "GET", path: "/api/v1/nope", auth: "admin", status: 404, code: "not_found",
			contains: []string{"there is no API endpoint GET /api/v1/nope"}},
		{name: "unknown endpoint without a token", method: "GET", path: "/api/v1/nope", auth: "none", status: 404, code: "not_found"},
		{name: "unknown method", method: "DELETE", path: "/api/v1/users", auth: "admin", status: 404, code: "not_found",
			contains: []string{"there is no API endpoint DELETE /api/v1/users"}},
	}
	for _, r := range hogo.Roles {
		role := r
		cases = append(cases, apiCase{name: "me as " + string(r), method: "GET", path: "/api/v1/me", auth: string(r), status: 200,
			check: func(t *testing.T, h *harness, resp *response) {
				var u struct {
					ID          int64
					Name        string
					DisplayName string `json:"display_name"`
					Role        hogo.Role
					Disabled    bool
					Locked      bool
				}
				resp.decode(t, &u)
				want := struct {
					ID          int64
					Name        string
					DisplayName string `json:"display_name"`
					Role        hogo.Role
					Disabled    bool
					Locked      bool
				}{h.users[role].ID, userName(role), displayName(role), role, false, false}
				if diff := cmp.Diff(want, u); diff != "" {
					t.Errorf("me (-want +got):\n%s", diff)
				}
			}})
	}
	runAPICases(t, h, cases)
}

func TestAPILedger(t *testing.T) {
	h := newHarness(t)
	type category struct {
		ID    string
		Name  string
		Items []struct{ ID, Name string }
	}
	jobSeeker := func(t *testing.T, r *response) category {
		var v struct {
			Organization map[string]string
			Digest       string
			Categories   []category
		}
		r.decode(t, &v)
		if v.Digest == "" || v.Organization["name"] == "" {
			t.Errorf("ledger without digest or organisation: %+v", v.Organization)
		}
		for _, c := range v.Categories {
			if c.ID == "job_seeker" {
				return c
			}
		}
		t.Fatalf("no job_seeker category in %s", r.body)
		return category{}
	}
	runAPICases(t, h, []apiCase{
		{name: "ja", method: "GET", path: "/api/v1/ledger", auth: "staff", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				c := jobSeeker(t, r)
				if c.Name != "求職者" {
					t.Errorf("job_seeker name = %q, want 求職者", c.Name)
				}
				have := map[string]bool{}
				for _, it := range c.Items {
					have[it.ID] = true
				}
				for _, id := range []string{"name", "name_kana", "email", "phone", "birth_date", "address"} {
					if !have[id] {
						t.Errorf("job_seeker lacks item %s", id)
					}
				}
			}},
		{name: "en", method: "GET", path: "/api/v1/ledger?lang=en", auth: "auditor", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				if c := jobSeeker(t, r); c.Name != "Job seekers" {
					t.Errorf("job_seeker name in English = %q", c.Name)
				}
			}},
	})
}

func TestAPILedgerExport(t *testing.T) {
	h := newHarness(t)
	header, rows := ledger.ExportRows(h.ledger, "ja")
	want := append([][]string{header}, rows...)

	runAPICases(t, h, []apiCase{
		{name: "xlsx by default", method: "GET", path: "/api/v1/ledger/export", auth: "desk", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				if ct := r.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
					t.Errorf("Content-Type = %q", ct)
				}
			}},
		{name: "xlsx", method: "GET", path: "/api/v1/ledger/export?format=xlsx", auth: "staff", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
					t.Errorf("Content-Disposition = %q", cd)
				}
				f, err := excelize.OpenReader(bytes.NewReader(r.body))
				if err != nil {
					t.Fatalf("xlsx does not open: %v", err)
				}
				defer f.Close()
				got, err := f.GetRows(f.GetSheetName(0))
				if err != nil {
					t.Fatal(err)
				}
				// GetRows drops trailing empty cells.
				for i := range got {
					for len(got[i]) < len(header) {
						got[i] = append(got[i], "")
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("xlsx rows (-want +got):\n%s", diff)
				}
			}},
		{name: "csv utf-8", method: "GET", path: "/api/v1/ledger/export?format=csv", auth: "manager", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				body, ok := bytes.CutPrefix(r.body, []byte("\xEF\xBB\xBF"))
				if !ok {
					t.Fatalf("CSV does not start with a UTF-8 BOM: % x", r.body[:min(8, len(r.body))])
				}
				got, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("csv rows (-want +got):\n%s", diff)
				}
			}},
		{name: "csv shift_jis", method: "GET", path: "/api/v1/ledger/export?format=csv&encoding=sjis", auth: "admin", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=Shift_JIS" {
					t.Errorf("Content-Type = %q", ct)
				}
				if bytes.HasPrefix(r.body, []byte("\xEF\xBB\xBF")) {
					t.Error("Shift_JIS CSV starts with a UTF-8 BOM")
				}
				dec, err := japanese.ShiftJIS.NewDecoder().Bytes(r.body)
				if err != nil {
					t.Fatalf("not Shift_JIS: %v", err)
				}
				got, err := csv.NewReader(bytes.NewReader(dec)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(header, got[0]); diff != "" {
					t.Errorf("Shift_JIS header (-want +got):\n%s", diff)
				}
				if len(got) != len(want) || !strings.Contains(string(dec), "求職者") || !strings.Contains(string(dec), "氏名") {
					t.Errorf("Shift_JIS CSV has %d rows (want %d) or lacks 求職者/氏名", len(got), len(want))
				}
			}},
		{name: "json", method: "GET", path: "/api/v1/ledger/export?format=json", auth: "auditor", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				var v struct {
					Organization string
					Rows         []json.RawMessage
				}
				r.decode(t, &v)
				if v.Organization != h.ledger.Organization.Name.In("ja") || len(v.Rows) != len(rows) {
					t.Errorf("json export: organisation %q, %d rows; want %q, %d", v.Organization, len(v.Rows), h.ledger.Organization.Name.In("ja"), len(rows))
				}
			}},
		{name: "pdf is not a format", method: "GET", path: "/api/v1/ledger/export?format=pdf", auth: "admin", status: 400, code: "invalid",
			contains: []string{"pdf", "xlsx, csv or json"}, check: wantField("format")},
		{name: "exports are audited", method: "GET", path: "/api/v1/audit?action=ledger.export", auth: "admin", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				var l auditListJSON
				r.decode(t, &l)
				formats := map[string]int{}
				for _, e := range l.Entries {
					formats[e.Detail["format"]]++
				}
				if diff := cmp.Diff(map[string]int{"xlsx": 2, "csv": 2, "json": 1}, formats); diff != "" {
					t.Errorf("ledger.export entries by format (-want +got):\n%s", diff)
				}
			}},
	})
}

func TestAPIUsers(t *testing.T) {
	h := newHarness(t)
	big := `{"name":"big","role":"staff","display_name":"` + strings.Repeat("a", 1<<20) + `"}`
	runAPICases(t, h, []apiCase{
		{name: "admin creates a user", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"newbie","display_name":"新人 花子","role":"desk"}`, status: 201,
			check: func(t *testing.T, h *harness, r *response) {
				var v struct {
					User struct {
						ID   int64
						Name string
						Role hogo.Role
					}
					Password string
				}
				r.decode(t, &v)
				if v.User.ID == 0 || v.User.Name != "newbie" || v.User.Role != hogo.RoleDesk {
					t.Errorf("created user = %+v", v.User)
				}
				if len(v.Password) < 12 {
					t.Fatalf("generated password %q is too short", v.Password)
				}
				// The generated password signs in.
				if _, _, _, err := h.staff.Login(context.Background(), "newbie", v.Password, "127.0.0.1"); err != nil {
					t.Errorf("generated password does not sign in: %v", err)
				}
			}},
		{name: "given password is not echoed", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"withpw","role":"staff","password":"a-long-enough-password"}`, status: 201,
			check: func(t *testing.T, h *harness, r *response) {
				if strings.Contains(string(r.body), "a-long-enough-password") || strings.Contains(string(r.body), `"password"`) {
					t.Errorf("response echoes the password:\n%s", r.body)
				}
			}},
		{name: "manager may not create users", method: "POST", path: "/api/v1/users", auth: "manager",
			body: `{"name":"sneaky","role":"admin"}`, status: 403, code: "forbidden",
			check: func(t *testing.T, h *harness, r *response) {
				a := h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=access.denied&actor="+userName(hogo.RoleManager), "")
				var l auditListJSON
				a.decode(t, &l)
				if len(l.Entries) != 1 {
					t.Fatalf("want one access.denied entry for the manager, got %s", a.body)
				}
				e := l.Entries[0]
				if e.Outcome != hogo.OutcomeDenied || e.Target != "POST /api/v1/users" || e.Role != "manager" {
					t.Errorf("access.denied entry = %+v", e)
				}
				if _, err := h.db.FindUserByName(context.Background(), "sneaky"); hogo.ErrorCode(err) != hogo.ENOTFOUND {
					t.Errorf("refused user exists: %v", err)
				}
			}},
		{name: "staff may not list users", method: "GET", path: "/api/v1/users", auth: "staff", status: 403, code: "forbidden"},
		{name: "auditor lists users", method: "GET", path: "/api/v1/users", auth: "auditor", status: 200,
			contains: []string{`"name": "admin1"`, `"name": "newbie"`}},
		{name: "duplicate name", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"admin1","role":"staff"}`, status: 409, code: "conflict", check: wantField("name")},
		{name: "unknown field", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"x1","role":"staff","nickname":"y"}`, status: 400, code: "invalid", contains: []string{`unknown field \"nickname\"`}},
		{name: "malformed JSON", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name": }`, status: 400, code: "invalid", contains: []string{"syntax error at line 1, column 10"}},
		{name: "malformed JSON on line 2", method: "POST", path: "/api/v1/users", auth: "admin",
			body: "{\n  \"name\": x\n}", status: 400, code: "invalid", contains: []string{"line 2, column 11"}},
		{name: "malformed JSON after Japanese text counts characters", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"display_name":"山田",,}`, status: 400, code: "invalid", contains: []string{"line 1, column 22"}},
		{name: "wrong type names the field", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name": 5, "role":"staff"}`, status: 400, code: "invalid", contains: []string{`field \"name\" must be string`, "line 1"}},
		{name: "empty body", method: "POST", path: "/api/v1/users", auth: "admin", status: 400, code: "invalid", contains: []string{"empty"}},
		{name: "truncated body", method: "POST", path: "/api/v1/users", auth: "admin", body: `{"name":"x"`, status: 400, code: "invalid"},
		{name: "two objects", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"two","role":"staff"} {}`, status: 400, code: "invalid", contains: []string{"after the JSON object"}},
		{name: "body over 1 MiB", method: "POST", path: "/api/v1/users", auth: "admin", body: big, status: 400, code: "invalid",
			contains: []string{"1 MiB"}},
		{name: "unknown role", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"r1","role":"boss"}`, status: 400, code: "invalid", check: wantField("role")},
		{name: "bad name", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"a b","role":"staff"}`, status: 400, code: "invalid", check: wantField("name")},
		{name: "short password", method: "POST", path: "/api/v1/users", auth: "admin",
			body: `{"name":"p1","role":"staff","password":"short"}`, status: 400, code: "invalid", check: wantField("password")},
		{name: "token for a user", method: "POST", path: "/api/v1/users/{staff}/tokens", auth: "admin",
			body: `{"name":"ci","expires_in_days":30}`, status: 201,
			check: func(t *testing.T, h *harness, r *response) {
				var v struct {
					ID    int64
					Name  string
					Token string
				}
				r.decode(t, &v)
				if v.ID == 0 || v.Name != "ci" || !strings.HasPrefix(v.Token, "hogo_") {
					t.Fatalf("token response = %s", r.body)
				}
				me := h.api("GET", "/api/v1/me", "Bearer "+v.Token, "")
				if me.status != 200 || !strings.Contains(me.String(), `"name": "staff1"`) {
					t.Errorf("new token: %d %s", me.status, me.body)
				}
			}},
		{name: "token with an empty body", method: "POST", path: "/api/v1/users/{staff}/tokens", auth: "admin", status: 400, code: "invalid"},
		{name: "token for nobody", method: "POST", path: "/api/v1/users/999999/tokens", auth: "admin", body: `{}`, status: 404, code: "not_found"},
		{name: "token for a bad id", method: "POST", path: "/api/v1/users/abc/tokens", auth: "admin", body: `{}`, status: 400, code: "invalid"},
		{name: "token for a negative id", method: "POST", path: "/api/v1/users/-1/tokens", auth: "admin", body: `{}`, status: 400, code: "invalid"},
		{name: "token as manager", method: "POST", path: "/api/v1/users/{manager}/tokens", auth: "manager", body: `{}`, status: 403, code: "forbidden"},
	})
}

func TestAPIAudit(t *testing.T) {
	h := newHarness(t)
	list := func(t *testing.T, r *response) auditListJSON {
		var l auditListJSON
		r.decode(t, &l)
		for i := 1; i < len(l.Entries); i++ {
			if l.Entries[i].Seq >= l.Entries[i-1].Seq {
				t.Errorf("entries not newest first: %d then %d", l.Entries[i-1].Seq, l.Entries[i].Seq)
			}
		}
		return l
	}
	runAPICases(t, h, []apiCase{
		{name: "all", method: "GET", path: "/api/v1/audit", auth: "auditor", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				// Five users, six tokens, one revocation.
				if l := list(t, r); len(l.Entries) != 12 {
					t.Errorf("got %d entries, want 12:\n%s", len(l.Entries), r.body)
				}
			}},
		{name: "the read was audited", method: "GET", path: "/api/v1/audit?action=audit.read", auth: "manager", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				l := list(t, r)
				if len(l.Entries) != 1 || l.Entries[0].Actor != "auditor1" || l.Entries[0].Detail["returned"] != "12" {
					t.Errorf("audit.read entries: %s", r.body)
				}
			}},
		{name: "action prefix", method: "GET", path: "/api/v1/audit?action=user.", auth: "admin", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				l := list(t, r)
				if len(l.Entries) != len(hogo.Roles) {
					t.Errorf("got %d user.* entries, want %d", len(l.Entries), len(hogo.Roles))
				}
				for _, e := range l.Entries {
					if e.Action != "user.create" {
						t.Errorf("action filter let through %q", e.Action)
					}
				}
			}},
		{name: "actor", method: "GET", path: "/api/v1/audit?actor=auditor1", auth: "admin", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				for _, e := range list(t, r).Entries {
					if e.Actor != "auditor1" {
						t.Errorf("actor filter let through %q", e.Actor)
					}
				}
			}},
		{name: "limit and paging", method: "GET", path: "/api/v1/audit?limit=2", auth: "admin", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				l := list(t, r)
				if len(l.Entries) != 2 || l.NextBefore != l.Entries[1].Seq {
					t.Fatalf("limit=2: %s", r.body)
				}
				older := list(t, h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?limit=2&before="+strconv.FormatInt(l.NextBefore, 10), ""))
				if len(older.Entries) != 2 || older.Entries[0].Seq != l.NextBefore-1 {
					t.Errorf("next page: %+v", older)
				}
			}},
		{name: "limit=0", method: "GET", path: "/api/v1/audit?limit=0", auth: "admin", status: 400, code: "invalid", check: wantField("limit")},
		{name: "limit=1001", method: "GET", path: "/api/v1/audit?limit=1001", auth: "admin", status: 400, code: "invalid", check: wantField("limit")},
		{name: "limit=ten", method: "GET", path: "/api/v1/audit?limit=ten", auth: "admin", status: 400, code: "invalid", check: wantField("limit")},
		{name: "limit=1000", method: "GET", path: "/api/v1/audit?limit=1000", auth: "admin", status: 200},
		{name: "before=0", method: "GET", path: "/api/v1/audit?before=0", auth: "admin", status: 400, code: "invalid", check: wantField("before")},
		{name: "desk may not read", method: "GET", path: "/api/v1/audit", auth: "desk", status: 403, code: "forbidden"},
		{name: "verify", method: "POST", path: "/api/v1/audit/verify", auth: "auditor", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				var v struct {
					OK      bool
					Count   int64
					HeadSeq int64 `json:"head_seq"`
					Problem string
				}
				r.decode(t, &v)
				if !v.OK || v.Count < 12 || v.HeadSeq != v.Count || v.Problem != "" {
					t.Errorf("verify = %s", r.body)
				}
			}},
		{name: "verify as staff", method: "POST", path: "/api/v1/audit/verify", auth: "staff", status: 403, code: "forbidden"},
		{name: "checkpoints", method: "GET", path: "/api/v1/audit/checkpoints", auth: "manager", status: 200,
			check: func(t *testing.T, h *harness, r *response) {
				type cpFile struct {
					PublicKey   string `json:"public_key"`
					KeyID       string `json:"key_id"`
					Checkpoints []json.RawMessage
				}
				var before cpFile
				r.decode(t, &before)
				if !strings.Contains(before.PublicKey, "BEGIN PUBLIC KEY") || before.KeyID != h.log.Key().ID() {
					t.Errorf("checkpoint file: %s", r.body)
				}
				if _, err := h.log.Checkpoint(context.Background()); err != nil {
					t.Fatal(err)
				}
				var after cpFile
				h.as(hogo.RoleManager, "GET", "/api/v1/audit/checkpoints", "").decode(t, &after)
				if len(after.Checkpoints) != len(before.Checkpoints)+1 {
					t.Errorf("checkpoints: %d before, %d after a checkpoint", len(before.Checkpoints), len(after.Checkpoints))
				}
			}},
	})
	if t.Failed() {
		return
	}
	// The API answers with the right status for each error code it can
	// produce; 405 never appears because /api/ catches everything.
	if r := h.as(hogo.RoleAdmin, "PUT", "/api/v1/audit/verify", ""); r.status != http.StatusNotFound {
		t.Errorf("PUT /api/v1/audit/verify: %d", r.status)
	}
}

// TestAuditTampering changes an entry behind the server's back, as someone
// with access to the database file could, and checks that both the API and
// the console report it and that the log says so without the content.
func TestAuditTampering(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, q := range []string{
		`DROP TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET bodies = CAST(replace(CAST(bodies AS TEXT), '"user.create"', '"user.delete"') AS BLOB) WHERE seq = 3`,
	} {
		if _, err := h.db.Write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	r := h.as(hogo.RoleAuditor, "POST", "/api/v1/audit/verify", "")
	var v struct {
		OK          bool
		ProblemSeq  int64  `json:"problem_seq"`
		ProblemKind string `json:"problem_kind"`
		Problem     string
	}
	r.decode(t, &v)
	if r.status != http.StatusOK || v.OK || v.ProblemSeq != 3 || v.ProblemKind != "changed" || v.Problem == "" {
		t.Errorf("verify after tampering: %d %s", r.status, r.body)
	}
	var l auditListJSON
	h.as(hogo.RoleAuditor, "GET", "/api/v1/audit?action=audit.verify", "").decode(t, &l)
	if len(l.Entries) != 1 || l.Entries[0].Outcome != hogo.OutcomeError || l.Entries[0].Detail["problem_seq"] != "3" {
		t.Errorf("audit.verify entry: %+v", l.Entries)
	}
	if logs := h.logs.String(); !strings.Contains(logs, `"msg":"audit chain verification failed","seq":3,"kind":"changed"`) {
		t.Errorf("tampering not logged:\n%s", logs)
	}

	b := h.browser()
	b.loginAs(hogo.RoleManager)
	page := b.post("/console/audit/verify", url.Values{"csrf": {b.csrf("/console/audit")}})
	wantStatus(t, "console verify", page, http.StatusOK, "監査ログの改ざんを検出しました", `id="verify-problem"`, "#3 (changed)")
}

// TestPanicRecovered breaks the server (no audit log) so that a handler
// panics: the client gets a plain internal error and the log names the
// route but not the panic, which might quote request data.
func TestPanicRecovered(t *testing.T) {
	h := newHarness(t, func(h *harness) { h.srv.Audit = nil })
	r := h.as(hogo.RoleAdmin, "GET", "/api/v1/ledger/export?format=csv", "")
	if code, msg, _ := r.errorJSON(t); r.status != http.StatusInternalServerError || code != hogo.EINTERNAL || msg != "internal error" {
		t.Errorf("panic: %d %s", r.status, r.body)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, `"msg":"handler panic","route":"GET /api/v1/ledger/export"`) {
		t.Errorf("panic not logged:\n%s", logs)
	}
	if strings.Contains(logs, "nil pointer") || strings.Contains(logs, "goroutine") {
		t.Errorf("log holds the panic value:\n%s", logs)
	}
}
