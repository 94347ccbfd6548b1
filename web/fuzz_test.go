package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/web"
)

// The fuzz targets of the web layer drive the real handler (every
// middleware: headers, instrumentation, recovery, cross-origin protection,
// the token and role gates) over a real SQLite store, audit log and vault,
// as newHarness builds them. A fuzz target cannot use newHarness, which
// wants a *testing.T that lives for the whole run, so fuzzServer builds the
// same server for a *testing.F and the targets call the handler directly
// (no sockets), which keeps them fast enough for the CI's short runs.

// fuzzServer is a server as newHarness builds it, for a fuzz target.
type fuzzServer struct {
	srv     *web.Server
	handler http.Handler
	db      interface {
		AuditHead(context.Context) (hogo.AuditHead, error)
	}
	count  func(table string) int64
	tokens map[hogo.Role]string
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	tb.Helper()
	ctx := context.Background()
	ts := newTestServer(tb, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	srv, db := ts.srv, ts.db
	// The consent page needs a relay for its codes; mail goes to a real
	// SMTP server on loopback, never out.
	relay := smtptest.Start(tb)
	srv.Requests.Mailer = &mail.Sender{Addr: relay.Addr(), TLS: "none"}
	srv.Requests.BaseURL = "http://hogo.test"
	// One address sends everything: lift the portal's limit of ten an
	// hour, or the fuzzer would only ever meet the limit.
	web.SetPortalLimit(srv, 1<<30)

	fs := &fuzzServer{srv: srv, handler: srv.Handler(), db: db}
	fs.count = func(table string) int64 {
		var n int64
		if err := db.Read.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			tb.Fatalf("count %s: %v", table, err)
		}
		return n
	}
	fs.tokens = ts.tokens
	return fs
}

// do serves one request through the whole handler and checks the security
// headers every response must carry.
func (fs *fuzzServer) do(t testing.TB, method, path, contentType string, body []byte, role hogo.Role) *response {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = "192.0.2.7:40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+fs.tokens[role])
	}
	rec := httptest.NewRecorder()
	fs.handler.ServeHTTP(rec, req)
	r := &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if tt, ok := t.(*testing.T); ok {
		checkSecurityHeaders(tt, method+" "+path, r)
	}
	return r
}

// created POSTs a JSON body as role and returns the answer's "id".
func (fs *fuzzServer) created(tb testing.TB, role hogo.Role, path, body string) map[string]any {
	tb.Helper()
	r := fs.do(tb, "POST", path, "application/json", []byte(body), role)
	if r.status != http.StatusCreated {
		tb.Fatalf("POST %s: %d\n%s", path, r.status, r.body)
	}
	var out map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func (fs *fuzzServer) auditHead(tb testing.TB) int64 {
	tb.Helper()
	h, err := fs.db.AuditHead(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return h.Seq
}

// fuzzRoute is a JSON POST (or PUT/PATCH) of the API, called as a role
// that may call it, with the seeds that reach its checks.
type fuzzRoute struct {
	method, path string
	role         hogo.Role
	seeds        []string
}

// apiFuzzRoutes are the API's JSON-body routes the fuzzer feeds; {pid},
// {rid}, {iid}, {cid}, {rq} and {did} are a principal, its record, an
// incident, a complaint, a request and a dataset of anonymised information
// made when the fuzzer starts.
var apiFuzzRoutes = []fuzzRoute{
	{"POST", "/api/v1/principals", hogo.RoleManager, []string{taroBody,
		`{"category":"job_seeker","purpose":"job_matching","items":{"name":"山田 花子","birth_date":"令和元年5月1日","postal_code":"１００-０００１"}}`}},
	{"POST", "/api/v1/principals/search", hogo.RoleManager, []string{
		`{"by":"email","value":"taro@example.jp","purpose":"job_matching"}`, `{"by":"phone","value":"０９０-１２３４-５６７８","purpose":"job_matching"}`}},
	{"POST", "/api/v1/principals/{pid}/records", hogo.RoleManager, []string{taroBody}},
	{"PATCH", "/api/v1/principals/{pid}/records/{rid}", hogo.RoleManager, []string{
		`{"purpose":"job_matching","items":{"phone":"03-1234-5678"}}`}},
	{"POST", "/api/v1/principals/{pid}/consents", hogo.RoleManager, []string{
		`{"purposes":["marketing"],"recipients":["client_company"],"method":"web_form"}`,
		`{"purposes":["marketing"],"method":"verbal","witness":"窓口 受付子"}`, `{"recipients":["client_company"],"method":"paper"}`}},
	{"POST", "/api/v1/provisions", hogo.RoleManager, []string{
		`{"recipient":"client_company","principals":["{pid}"],"items":["name","email"],"basis":"consent"}`,
		`{"recipient":"client_company","principals":["{pid}"],"items":["name"],"basis":"exception","exception":"law","justification":"裁判所の嘱託"}`}},
	{"POST", "/api/v1/requests", hogo.RoleDesk, []string{
		`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"道下 鈴","email":"suzu@example.jp"}}`,
		`{"types":["correct","erase"],"channel":"desk","response_method":"electronic","requester":{"kind":"agent","agent_kind":"appointed","name":"代理 人","principal_name":"本人 花子","phone":"090-0000-1111"}}`}},
	{"POST", "/api/v1/requests/{rq}/checks", hogo.RoleDesk, []string{`{"method":"document","documents":["driver_licence"],"passed":true}`, `{"method":"callback","passed":true}`}},
	{"POST", "/api/v1/requests/{rq}/payments", hogo.RoleDesk, []string{`{"method":"bank_transfer","amount":1000}`, `{"method":"waived","note":"生活保護受給のため"}`}},
	{"POST", "/api/v1/requests/{rq}/decisions", hogo.RoleManager, []string{`{"type":"disclose","outcome":"granted"}`, `{"type":"disclose","outcome":"not_held"}`}},
	{"POST", "/api/v1/complaints", hogo.RoleDesk, []string{complaintBody,
		`{"channel":"post","category":"other","anonymous":true,"statement":"匿名の相談"}`}},
	{"POST", "/api/v1/complaints/{cid}/steps", hogo.RoleDesk, []string{
		`{"step":"acknowledge","note":"電話で受付を伝えた"}`, `{"step":"note","note":"x"}`}},
	{"POST", "/api/v1/incidents", hogo.RoleStaff, []string{
		`{"title":"求職者名簿の誤送信","scope":{"categories":["job_seeker"]}}`,
		`{"title":"不正アクセス","known_on":"2026-12-01","scope":{"estimate":40},"unjust_purpose":true}`}},
	{"PUT", "/api/v1/incidents/{iid}", hogo.RoleManager, []string{
		`{"title":"求職者名簿の誤送信","scope":{"principals":["{pid}"]}}`}},
	{"POST", "/api/v1/receipts", hogo.RoleStaff, []string{
		`{` + receiptBody + `,"basis":"consent","consent_confirmed":true,"principals":["{pid}"]}`,
		`{` + receiptBody + `,"basis":"referable","consent_confirmed":true,"cross_border":true}`}},
	{"POST", "/api/v1/users", hogo.RoleAdmin, []string{`{"name":"fuzz1","display_name":"ファズ","role":"staff"}`}},
	{"POST", "/api/v1/datasets", hogo.RoleManager, []string{`{` + datasetSpec + `,"preview":true}`,
		`{"category":"job_seeker","purpose":"statistics","qi":["birth_date","address"],"sensitive":["qualifications"],"k":2,"l":2,"t":0.5,"suppress_pct":10}`,
		`{"category":"job_seeker","purpose":"statistics","qi":["name"],"k":2}`}},
	{"POST", "/api/v1/datasets/{did}/provisions", hogo.RoleManager, []string{provBody,
		`{"recipient":"架空統計株式会社","method":"記録媒体を手渡し","provided_on":"2026-02-30"}`, `{"recipient":"架空統計株式会社"}`}},
	{"POST", "/api/v1/datasets/{did}/purpose", hogo.RoleManager, []string{`{"use_purpose":0}`, `{"use_purpose":-1}`, `{}`}},
	{"POST", "/api/v1/datasets/pseudonymized", hogo.RoleManager, []string{`{` + pseudoSpec + `}`,
		`{"category":"job_seeker","purpose":"statistics","items":["name","birth_date"],"use_purpose":0}`}},
	{"POST", "/api/v1/statistics", hogo.RoleManager, []string{`{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":2}}`,
		`{"category":"job_seeker","purpose":"statistics","by":["birth_date","postal_code"],"levels":{"birth_date":1,"postal_code":2},"sum":"birth_date"}`,
		`{"category":"job_seeker","purpose":"statistics","by":["name"]}`}},
}

// FuzzAPIBodies sends arbitrary bytes as the body of the API's JSON routes
// through the real handler, as a role that may call each. Whatever the
// body: never a 5xx (a panic becomes one), every answer carries the
// security headers, and an error is JSON {"error":{"code",…}} with a code
// that does not repeat any string value of the body (8 bytes or more, in
// the body's own or in JSON-escaped form) — errors name fields, never
// values. Lower-case identifiers (category or role names) are exempt.
func FuzzAPIBodies(f *testing.F) {
	fs := newFuzzServer(f)
	pr := fs.created(f, hogo.RoleManager, "/api/v1/principals", taroBody)
	ids := map[string]string{"{pid}": pr["id"].(string), "{rid}": pr["record_id"].(string)}
	ids["{iid}"] = fs.created(f, hogo.RoleStaff, "/api/v1/incidents", `{"title":"ファズ用の事故"}`)["id"].(string)
	ids["{cid}"] = fs.created(f, hogo.RoleDesk, "/api/v1/complaints", complaintBody)["id"].(string)
	ids["{rq}"] = fs.created(f, hogo.RoleDesk, "/api/v1/requests",
		`{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"道下 鈴","email":"suzu@example.jp"}}`)["id"].(string)
	// Job seekers enough for a dataset of anonymised information, to
	// provide.
	for i := range 4 {
		fs.created(f, hogo.RoleManager, "/api/v1/principals", fmt.Sprintf(`{"category":"job_seeker","purpose":"job_matching","source":"web_form",`+
			`"items":{"name":"布津 花子%d","name_kana":"フズ ハナコ","email":"fuzz%d@example.jp","phone":"090-0000-000%d","birth_date":"1990-0%d-01",`+
			`"postal_code":"100-0001","address":"東京都千代田区千代田1-%d"}}`, i, i, i, i+1, i))
	}
	ids["{did}"] = fs.created(f, hogo.RoleManager, "/api/v1/datasets",
		`{"category":"job_seeker","purpose":"statistics","qi":["birth_date","address"],"k":2,"suppress_pct":50}`)["id"].(string)
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	for i, rt := range apiFuzzRoutes {
		for _, s := range rt.seeds {
			f.Add(uint8(i), []byte(expand(s)))
		}
		f.Add(uint8(i), []byte(`{}`))
	}
	f.Add(uint8(0), []byte(``))
	f.Add(uint8(0), []byte(`{"category":"job_seeker"} {"x":1}`))
	f.Add(uint8(1), []byte(`{"purpose":"job_matching","email":"\ud800yamada@example.jp"}`))
	f.Add(uint8(4), []byte("{\"types\":[\"disclose\"],\"requester\":{\"name\":\"\x00\xff\"}}"))
	f.Add(uint8(5), []byte(`{"purposes":"marketing"}`))
	f.Add(uint8(6), []byte(`{"recipient":"client_company","principals":[1e999]}`))

	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		rt := apiFuzzRoutes[int(k)%len(apiFuzzRoutes)]
		path := expand(rt.path)
		r := fs.do(t, rt.method, path, "application/json", body, rt.role)
		if r.status >= 500 {
			t.Fatalf("%s %s: %d\nbody %q\n%s", rt.method, rt.path, r.status, body, r.body)
		}
		if r.status < 400 {
			return
		}
		checkAPIError(t, rt.method+" "+rt.path, r, body, func(b []byte) *response {
			return fs.do(t, rt.method, path, "application/json", b, rt.role)
		})
	})
}

// checkAPIError checks an API error answer to body: JSON with a code, no
// string value of the body in it. A value found in the answer may be a
// piece of the message's own fixed text (an example such as
// 090-1234-5678 holds 90-1234-567): resend asks the same call with the
// value changed (shift) and only a changed value coming back is an echo.
func checkAPIError(t *testing.T, what string, r *response, body []byte, resend func([]byte) *response) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: %d with Content-Type %q\n%s", what, r.status, ct, r.body)
	}
	var e struct {
		Error *struct {
			Code, Message string
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("%s: %d is not an error with a code and a message (%v)\n%s", what, r.status, err, r.body)
	}
	values, keys := bodyValues(body, strings.HasSuffix(what, "/users"))
	for _, v := range values {
		// An error names fields, and so may repeat a key of the body
		// (an unknown field): a value inside a key is not an echo.
		if !echoes(r.body, v) || slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(k, v) }) {
			continue
		}
		m := shift(v)
		changed := bytes.ReplaceAll(body, []byte(v), []byte(m))
		if m != v && !bytes.Equal(changed, body) && !echoes(r.body, m) {
			if again := resend(changed); !echoes(again.body, m) {
				continue // the value is part of the message's fixed text
			}
		}
		t.Fatalf("%s: the error (%d) repeats the value %q of the body\nbody %q\n%s", what, r.status, v, body, r.body)
	}
}

// shift changes every digit, letter and kana or kanji of s to the next
// one of its kind, keeping its shape (090-1234-5678 → 101-2345-6789).
func shift(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return '0' + (r-'0'+1)%10
		case r >= 'a' && r <= 'z':
			return 'a' + (r-'a'+1)%26
		case r >= 'A' && r <= 'Z':
			return 'A' + (r-'A'+1)%26
		case r >= 0x3041 && r < 0x3096, r >= 0x30A1 && r < 0x30F6, r >= 0x4E00 && r < 0x9FFF:
			return r + 1
		}
		return r
	}, s)
}

// enumKeys are the fields whose values name something of the ledger or of
// a fixed list (a category, a purpose, a request type, a staff user's
// name): an error may repeat such a value to say it is not known. Matched
// without case, as encoding/json matches fields. A value elsewhere — an
// item's value, a requester's or complainant's details, a statement, a
// note, a justification — must never come back.
var enumKeys = map[string]bool{
	"category": true, "categories": true, "purpose": true, "purposes": true, "recipient": true, "recipients": true,
	"source": true, "method": true, "basis": true, "channel": true, "kind": true, "agent_kind": true, "types": true,
	"type": true, "outcome": true, "step": true, "role": true, "response_method": true, "documents": true,
	"exception": true, "by": true, "principal": true, "principals": true, "request": true, "incident": true,
	"reason": true, "grounds": true, "status": true, "decision": true,
}

// bodyValues lists the string values of a JSON body, as far as it is JSON,
// that an error must not repeat: 8 bytes or more, not object keys, not in
// the fields of enumKeys, not the item names listed in an "items" array
// (a record's "items" object holds values, which count), and for the users
// route not the new user's name.
func bodyValues(body []byte, users bool) (values, keys []string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object, wantKey bool
		key             string // the current key of an object, the array's key for an array
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return values, keys
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		isKey := top != nil && top.object && top.wantKey
		key := ""
		if top != nil {
			key = strings.ToLower(top.key)
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
				continue
			case '[':
				stack = append(stack, frame{key: key})
				continue
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
		case string:
			switch {
			case isKey:
				top.key = v
				keys = append(keys, v)
			case len(v) < 8, enumKeys[key], key == "items" && !top.object, users && key == "name":
			default:
				values = append(values, v)
			}
		}
		if top != nil && top.object {
			top.wantKey = !isKey
		}
	}
}

// echoes reports whether the JSON answer holds v, as typed or as JSON
// escapes it.
func echoes(answer []byte, v string) bool {
	if bytes.Contains(answer, []byte(v)) {
		return true
	}
	enc, _ := json.Marshal(v)
	return bytes.Contains(answer, enc[1:len(enc)-1])
}

// portalFuzzForms are the portal's forms the fuzzer posts to, with the
// table a submission stores into ("" for none).
var portalFuzzForms = []struct{ path, table string }{
	{"/requests/new", "requests"},
	{"/complaints/new", "complaints"},
	{"/consents/code", ""},
}

// FuzzPortalForms posts arbitrary form bodies to the portal's public forms
// (a rights request, a complaint, the consent page's code form) through the
// real handler. Whatever the form: never a 5xx or a panic, the security
// headers on every answer, an HTML page, and on a 4xx nothing stored —
// no row in the form's table and no audit entry.
func FuzzPortalForms(f *testing.F) {
	fs := newFuzzServer(f)
	fs.created(f, hogo.RoleManager, "/api/v1/principals", taroBody)
	seeds := []url.Values{
		{"types": {"disclose"}, "kind": {"principal"}, "name": {"道下 鈴"}, "email": {"suzu@example.jp"}, "response_method": {"electronic"}},
		{"types": {"correct", "erase"}, "kind": {"agent"}, "agent_kind": {"legal"}, "name": {"代理 人"}, "principal_name": {"本人 花子"},
			"phone": {"090-1234-5678"}, "postal_code": {"100-0001"}, "address": {"東京都千代田区1-1"}},
		{"category": {"marketing"}, "statement": {"退会後も案内が届く"}, "name": {"道下 鈴"}, "email": {"suzu@example.jp"}},
		{"category": {"other"}, "statement": {"匿名の相談"}, "anonymous": {"1"}},
		{"email": {"taro@example.jp"}},
		{"email": {"ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"}},
	}
	for i := range portalFuzzForms {
		for _, s := range seeds {
			f.Add(uint8(i), s.Encode())
		}
		f.Add(uint8(i), "")
	}
	f.Add(uint8(0), "types=disclose&types=disclose&kind=principal&name=%zz")
	f.Add(uint8(1), "category=other&statement="+strings.Repeat("あ", 300))
	f.Add(uint8(2), "email=%00%ff&email=a@b")

	f.Fuzz(func(t *testing.T, k uint8, form string) {
		pf := portalFuzzForms[int(k)%len(portalFuzzForms)]
		head := fs.auditHead(t)
		var rows int64
		if pf.table != "" {
			rows = fs.count(pf.table)
		}
		r := fs.do(t, "POST", pf.path, "application/x-www-form-urlencoded", []byte(form), "")
		if r.status >= 500 {
			t.Fatalf("POST %s: %d\nform %q\n%s", pf.path, r.status, form, r.body)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("POST %s: %d with Content-Type %q", pf.path, r.status, ct)
		}
		if r.status < 400 {
			return
		}
		if n := fs.auditHead(t); n != head {
			t.Fatalf("POST %s: %d, yet the audit log grew from %d to %d\nform %q", pf.path, r.status, head, n, form)
		}
		if pf.table != "" {
			if n := fs.count(pf.table); n != rows {
				t.Fatalf("POST %s: %d, yet %s grew from %d to %d\nform %q", pf.path, r.status, pf.table, rows, n, form)
			}
		}
	})
}

// TestFuzzHelpers checks the fuzzers' own oracles, so that a target that
// can never fail is noticed.
func TestFuzzHelpers(t *testing.T) {
	got, _ := bodyValues([]byte(`{"name":"山田 太郎です","unknown_field_name":["taro@example.jp",{"k":"short"}],"CATEGORY":"00000000",`+
		`"items":{"email":"hanako@example.jp"},"principals":["0123456789"],"statement":"退会したのに"} trailing`), false)
	want := []string{"山田 太郎です", "taro@example.jp", "hanako@example.jp", "退会したのに"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bodyValues = %q, want %q", got, want)
	}
	if !echoes([]byte(`{"error":{"message":"\"山田\n太郎\" is bad"}}`), "山田\n太郎") {
		t.Error("echoes misses a JSON-escaped value")
	}
	if got := shift("090-1234-5678 山田 taro@Ex"); got != "101-2345-6789 屲由 ubsp@Fy" {
		t.Errorf("shift = %q", got)
	}
}
