package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
)

// The person every vault API test stores. Fictional, with an example.jp
// address.
const (
	taroName  = "山田 太郎"
	taroKana  = "ヤマダ タロウ"
	taroEmail = "taro@example.jp"
	taroPhone = "090-1234-5678"
	taroBirth = "1990-04-01"
	taroAddr  = "大阪府大阪市中央区南船場九丁目9番9号"
)

// taroBody is the body of the create call the API documents.
const taroBody = `{"category":"job_seeker","purpose":"job_matching","source":"web_form","items":{"name":"山田 太郎","name_kana":"ヤマダ タロウ","email":"taro@example.jp","phone":"090-1234-5678"}}`

// taroValues are the personal values of taro as typed and as stored, and
// fragments an echo would carry; no error body, log line or audit entry may
// hold any of them.
var taroValues = []string{taroName, "山田", "太郎", taroKana, "ヤマダ", "ヤマダ　タロウ", taroEmail, "taro@", "taro%40", taroPhone,
	"09012345678", "1234-5678", taroBirth, taroAddr, "南船場九丁目"}

// A second person, for the tests of bad input: the fixed examples in the
// messages of invalid values (090-1234-5678, 1990-04-01) are taro's values,
// so an echo of hanako's could not hide behind them.
const (
	hanakoName  = "佐藤 花子"
	hanakoEmail = "hanako.sato@example.jp"
	hanakoPhone = "080-2468-1357"
	hanakoBirth = "1991-07-15"
	hanakoBody  = `{"category":"job_seeker","purpose":"job_matching","source":"web_form","items":{"name":"佐藤 花子","name_kana":"サトウ ハナコ","email":"hanako.sato@example.jp","phone":"080-2468-1357"}}`
)

var hanakoValues = []string{hanakoName, "佐藤", "花子", "サトウ", "ハナコ", hanakoEmail, "hanako", hanakoPhone, "08024681357", "2468-1357",
	hanakoBirth, "1991"}

var principalIDRE = regexp.MustCompile(`^[0-9a-v]{26}$`)

// recordJSON is a record as the vault API returns it.
type recordJSON struct {
	ID            string            `json:"id"`
	Category      string            `json:"category"`
	Source        string            `json:"source"`
	Purposes      []string          `json:"purposes"`
	NoticeVersion string            `json:"notice_version"`
	Version       int64             `json:"version"`
	Items         map[string]string `json:"items"`
	Usable        []string          `json:"usable_purposes"`
}

// principalJSON is a principal as the vault API returns it.
type principalJSON struct {
	ID        string       `json:"id"`
	Records   []recordJSON `json:"records"`
	Exception string       `json:"exception"`
	ReviewID  int64        `json:"review_id"`
}

// principal decodes a principal into a fresh value: decoding into a used
// one would keep map entries the new body lacks.
func (r *response) principal(t *testing.T) principalJSON {
	t.Helper()
	var v principalJSON
	r.decode(t, &v)
	return v
}

type foundJSON struct {
	Principals []principalJSON `json:"principals"`
}

// apiError is the whole error body, reason and Japanese message included.
type apiError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageJa string `json:"message_ja"`
	Field     string `json:"field"`
	Reason    string `json:"reason"`
}

func (r *response) apiError(t *testing.T) apiError {
	t.Helper()
	var b struct{ Error *apiError }
	if err := json.Unmarshal(r.body, &b); err != nil || b.Error == nil {
		t.Fatalf("status %d: body is not an API error (%v)\n%s", r.status, err, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type = %q, want JSON", ct)
	}
	return *b.Error
}

// asWith calls the API with the token of role and extra headers.
func (h *harness) asWith(role hogo.Role, method, path, body string, extra http.Header) *response {
	h.t.Helper()
	hdr := http.Header{"Authorization": {"Bearer " + h.tokens[role]}}
	if body != "" {
		hdr.Set("Content-Type", "application/json")
	}
	for k, vs := range extra {
		hdr[k] = vs
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return h.send(&http.Client{CheckRedirect: noRedirect}, method, path, rd, hdr)
}

// auditEntries returns the whole audit log, newest first, read from the
// store (so that reading it adds no entry).
func (h *harness) auditEntries() []*hogo.AuditEntry {
	h.t.Helper()
	var all []*hogo.AuditEntry
	f := hogo.AuditFilter{Limit: 1000}
	for {
		es, err := h.db.ListAudit(context.Background(), f)
		if err != nil {
			h.t.Fatalf("ListAudit: %v", err)
		}
		all = append(all, es...)
		if len(es) < f.Limit || es[len(es)-1].Seq <= 1 {
			return all
		}
		f.BeforeSeq = es[len(es)-1].Seq
	}
}

// auditHead is the number of the newest audit entry.
func (h *harness) auditHead() int64 {
	h.t.Helper()
	head, err := h.db.AuditHead(context.Background())
	if err != nil {
		h.t.Fatalf("AuditHead: %v", err)
	}
	return head.Seq
}

// principalCount counts the stored principals.
func (h *harness) principalCount() int64 {
	h.t.Helper()
	n, err := h.db.CountPrincipals(context.Background())
	if err != nil {
		h.t.Fatalf("CountPrincipals: %v", err)
	}
	return n
}

// auditFor returns the newest audit entry with the action about principal
// (any principal for ""), failing the test when there is none.
func (h *harness) auditFor(action, principal string) *hogo.AuditEntry {
	h.t.Helper()
	es, err := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: action, Principal: principal, Limit: 1})
	if err != nil {
		h.t.Fatalf("ListAudit: %v", err)
	}
	if len(es) == 0 || es[0].Action != action {
		h.t.Fatalf("no audit entry %s for principal %q", action, principal)
	}
	return es[0]
}

// createPrincipal stores a job seeker with the documented call as the
// manager and returns the principal's and the record's IDs.
func createPrincipal(h *harness, body string) (id, rid string) {
	h.t.Helper()
	r := h.as(hogo.RoleManager, "POST", "/api/v1/principals", body)
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: %d, want 201\n%s", r.status, r.body)
	}
	var c map[string]string
	r.decode(h.t, &c)
	if !principalIDRE.MatchString(c["id"]) || c["record_id"] == "" {
		h.t.Fatalf("create answered %s", r.body)
	}
	return c["id"], c["record_id"]
}

// holdsNone fails the test if text holds any of values.
func holdsNone(t *testing.T, what, text string, values []string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("%s holds the personal value %q:\n%s", what, v, text)
		}
	}
}

// auditJSON renders entries for searching, as an auditor would read them.
func auditJSON(t *testing.T, es []*hogo.AuditEntry) string {
	t.Helper()
	b, err := json.Marshal(es)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVaultAPIEndToEnd drives the documented vault calls as the manager:
// create, read for a purpose, refusals, the four ways to find a person (by
// query and by body), adding and correcting records, and erasure; each
// call must leave its audit entry naming the principal and the purpose and
// holding no item value.
func TestVaultAPIEndToEnd(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager

	// Create.
	r := h.as(mgr, "POST", "/api/v1/principals", taroBody)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /api/v1/principals: %d, want 201\n%s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("create Content-Type = %q", ct)
	}
	var created map[string]string
	r.decode(t, &created)
	id, rid := created["id"], created["record_id"]
	if !principalIDRE.MatchString(id) {
		t.Fatalf("created principal ID %q does not match the documented pattern", id)
	}
	if rid == "" || rid == id {
		t.Errorf("record_id %q (principal %q)", rid, id)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/principals/"+id {
		t.Errorf("Location = %q, want /api/v1/principals/%s", loc, id)
	}
	holdsNone(t, "create response", r.String(), taroValues)
	if n := h.principalCount(); n != 1 {
		t.Errorf("%d principals after one create", n)
	}
	e := h.auditFor("principal.create", id)
	if e.Purpose != "job_matching" || e.Category != "job_seeker" || e.Outcome != hogo.OutcomeOK || e.Target != rid ||
		e.Actor != userName(mgr) || e.Role != mgr {
		t.Errorf("principal.create entry: %+v", e)
	}
	if e.Detail["source"] != "web_form" || e.Detail["items"] != "email,name,name_kana,phone" {
		t.Errorf("principal.create detail = %v", e.Detail)
	}

	// Read for a purpose.
	r = h.as(mgr, "GET", "/api/v1/principals/"+id+"?purpose=job_matching", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET principal: %d\n%s", r.status, r.body)
	}
	v := r.principal(t)
	if v.ID != id || len(v.Records) != 1 {
		t.Fatalf("GET principal: %s", r.body)
	}
	rec := v.Records[0]
	wantItems := map[string]string{"name": taroName, "name_kana": "ヤマダ　タロウ", "email": taroEmail, "phone": "09012345678"}
	if fmt.Sprint(rec.Items) != fmt.Sprint(wantItems) {
		t.Errorf("items = %v, want %v (canonical forms)", rec.Items, wantItems)
	}
	if rec.ID != rid || rec.Category != "job_seeker" || rec.Source != "web_form" || rec.Version != 1 {
		t.Errorf("record = %+v", rec)
	}
	if !slices.Contains(rec.Purposes, "job_matching") || !slices.Contains(rec.Usable, "job_matching") || slices.Contains(rec.Usable, "marketing") {
		t.Errorf("purposes %v, usable_purposes %v", rec.Purposes, rec.Usable)
	}
	if v.Exception != "" || v.ReviewID != 0 {
		t.Errorf("a read within its purpose names exception %q review %d", v.Exception, v.ReviewID)
	}
	e = h.auditFor("principal.read", id)
	if e.Purpose != "job_matching" || e.Category != "job_seeker" || e.Outcome != hogo.OutcomeOK || e.Detail["records"] != "1" {
		t.Errorf("principal.read entry: %+v", e)
	}

	// Refusals: consent missing, purpose not declared for the category.
	for _, tc := range []struct{ purpose, reason string }{
		{"marketing", "consent_missing"},
		{"sales", "purpose_not_declared"},
	} {
		before := h.auditHead()
		r = h.as(mgr, "GET", "/api/v1/principals/"+id+"?purpose="+tc.purpose, "")
		if r.status != http.StatusForbidden {
			t.Errorf("GET for %s: %d, want 403\n%s", tc.purpose, r.status, r.body)
			continue
		}
		ae := r.apiError(t)
		if ae.Code != hogo.EPURPOSENOTPERMITTED || ae.Reason != tc.reason || ae.Field == "" || ae.MessageJa == "" {
			t.Errorf("GET for %s: error %+v, want purpose_not_permitted with reason %s", tc.purpose, ae, tc.reason)
		}
		holdsNone(t, "refusal", r.String(), taroValues)
		if h.auditHead() != before+1 {
			t.Errorf("GET for %s: %d audit entries for one refusal", tc.purpose, h.auditHead()-before)
		}
		d := h.auditFor("principal.read", id)
		if d.Outcome != hogo.OutcomeDenied || d.Purpose != tc.purpose || d.Detail["reason"] != tc.reason {
			t.Errorf("refusal audited as %+v", d)
		}
	}
	// No purpose.
	r = h.as(mgr, "GET", "/api/v1/principals/"+id, "")
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Code != hogo.EINVALID || ae.Field != "purpose" {
		t.Errorf("GET without a purpose: %d %+v, want 400 on field purpose", r.status, ae)
	}

	// Correct the record: add the date of birth and an address.
	patch := func(body string) *response {
		t.Helper()
		return h.as(mgr, "PATCH", "/api/v1/principals/"+id+"/records/"+rid, body)
	}
	r = patch(`{"purpose":"job_matching","version":1,"items":{"birth_date":"平成2年4月1日","address":"` + taroAddr + `"}}`)
	var upd struct {
		ID      string
		Version int64
	}
	if r.status != http.StatusOK {
		t.Fatalf("PATCH: %d\n%s", r.status, r.body)
	}
	r.decode(t, &upd)
	if upd.ID != rid || upd.Version != 2 {
		t.Errorf("PATCH answered %s, want record %s version 2", r.body, rid)
	}
	e = h.auditFor("record.update", id)
	if e.Purpose != "job_matching" || e.Target != rid || e.Detail["items"] != "address,birth_date" || e.Detail["version"] != "2" {
		t.Errorf("record.update entry: %+v", e)
	}
	// A stale version is a conflict that changes nothing.
	before := h.auditHead()
	r = patch(`{"purpose":"job_matching","version":1,"items":{"address":null}}`)
	if ae := r.apiError(t); r.status != http.StatusConflict || ae.Code != hogo.ECONFLICT || ae.Field != "version" {
		t.Errorf("stale PATCH: %d %+v, want 409 on field version", r.status, ae)
	}
	if h.auditHead() != before {
		t.Errorf("a stale PATCH was audited as a change")
	}
	// null deletes an item.
	r = patch(`{"purpose":"job_matching","version":2,"items":{"address":null}}`)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH deleting address: %d\n%s", r.status, r.body)
	}
	r = h.as(mgr, "GET", "/api/v1/principals/"+id+"?purpose=job_matching", "")
	v = r.principal(t)
	if got := v.Records[0]; got.Version != 3 || got.Items["birth_date"] != taroBirth || got.Items["address"] != "" {
		t.Errorf("after the corrections: version %d items %v, want version 3, birth_date %s, no address", got.Version, got.Items, taroBirth)
	}

	// Add a record in another category the manager handles.
	r = h.as(mgr, "POST", "/api/v1/principals/"+id+"/records",
		`{"category":"applicant","purpose":"recruitment_selection","source":"paper_form","items":{"name":"山田 太郎","email":"taro@example.jp","selection_notes":"一次面接 通過"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST records: %d\n%s", r.status, r.body)
	}
	var added map[string]string
	r.decode(t, &added)
	rid2 := added["id"]
	if rid2 == "" || rid2 == rid {
		t.Errorf("POST records answered %s", r.body)
	}
	e = h.auditFor("record.create", id)
	if e.Purpose != "recruitment_selection" || e.Category != "applicant" || e.Target != rid2 || e.Detail["items"] != "email,name,selection_notes" {
		t.Errorf("record.create entry: %+v", e)
	}
	// A read for a purpose of one category sees only that category's record.
	r = h.as(mgr, "GET", "/api/v1/principals/"+id+"?purpose=recruitment_selection", "")
	v = r.principal(t)
	if len(v.Records) != 1 || v.Records[0].ID != rid2 || v.Records[0].Items["selection_notes"] != "一次面接 通過" {
		t.Errorf("read for recruitment_selection: %s", r.body)
	}
	// labour_management is declared for both categories.
	r = h.as(mgr, "GET", "/api/v1/principals/"+id+"?purpose=labour_management", "")
	v = r.principal(t)
	if len(v.Records) != 2 {
		t.Errorf("read for labour_management: %d records, want both", len(v.Records))
	}
	for _, rec := range v.Records {
		if _, ok := rec.Items["selection_notes"]; ok {
			t.Errorf("selection_notes (recruitment_selection only) read for labour_management: %s", r.body)
		}
	}
	if e := h.auditFor("principal.read", id); e.Category != "job_seeker,applicant" && e.Category != "applicant,job_seeker" {
		t.Errorf("a read of two categories audited with category %q", e.Category)
	}

	// Find, by query and by body; variants of the values as people type them.
	finds := []struct{ name, method, path, body, by string }{
		{"email", "GET", "/api/v1/principals?" + url.Values{"email": {taroEmail}, "purpose": {"job_matching"}}.Encode(), "", "email"},
		{"email, other case", "GET", "/api/v1/principals?" + url.Values{"email": {"Taro@Example.JP"}, "purpose": {"job_matching"}}.Encode(), "", "email"},
		{"phone", "GET", "/api/v1/principals?" + url.Values{"phone": {taroPhone}, "purpose": {"job_matching"}}.Encode(), "", "phone"},
		{"phone, full width", "GET", "/api/v1/principals?" + url.Values{"phone": {"０９０１２３４５６７８"}, "purpose": {"job_matching"}}.Encode(), "", "phone"},
		{"name_kana", "GET", "/api/v1/principals?" + url.Values{"name_kana": {taroKana}, "purpose": {"job_matching"}}.Encode(), "", "name_kana"},
		{"name_kana, hiragana", "GET", "/api/v1/principals?" + url.Values{"name_kana": {"やまだ　たろう"}, "purpose": {"job_matching"}}.Encode(), "", "name_kana"},
		{"birth_date and name", "GET", "/api/v1/principals?" + url.Values{"birth_date": {taroBirth}, "name": {taroName}, "purpose": {"job_matching"}}.Encode(), "", "birth_date+name"},
		{"search email", "POST", "/api/v1/principals/search", `{"by":"email","value":"taro@example.jp","purpose":"job_matching"}`, "email"},
		{"search phone", "POST", "/api/v1/principals/search", `{"by":"phone","value":"090-1234-5678","purpose":"job_matching"}`, "phone"},
		{"search name_kana", "POST", "/api/v1/principals/search", `{"by":"name_kana","value":"ヤマダ タロウ","purpose":"job_matching"}`, "name_kana"},
		{"search birth_date+name", "POST", "/api/v1/principals/search", `{"by":"birth_date+name","birth_date":"1990-04-01","name":"山田 太郎","purpose":"job_matching"}`, "birth_date+name"},
	}
	for _, f := range finds {
		t.Run("find by "+f.name, func(t *testing.T) {
			h := h.in(t)
			before := h.auditHead()
			r := h.as(mgr, f.method, f.path, f.body)
			if r.status != http.StatusOK {
				t.Fatalf("%d\n%s", r.status, r.body)
			}
			var found foundJSON
			r.decode(t, &found)
			if len(found.Principals) != 1 || found.Principals[0].ID != id {
				t.Fatalf("found %s, want only %s", r.body, id)
			}
			for _, rec := range found.Principals[0].Records {
				if rec.Category != "job_seeker" {
					t.Errorf("a find for job_matching returned a %s record", rec.Category)
				}
			}
			e := h.auditFor("principal.search", "")
			if e.Seq <= before || e.Purpose != "job_matching" || e.Detail["by"] != f.by || e.Detail["matches"] != "1" {
				t.Errorf("principal.search entry: %+v", e)
			}
			// Each principal found is read, and the read audited.
			if e := h.auditFor("principal.read", id); e.Seq <= before || e.Purpose != "job_matching" || e.Outcome != hogo.OutcomeOK {
				t.Errorf("principal.read entry of the find: %+v", e)
			}
		})
	}
	// Nobody is found by a value no one has: 200 with an empty list.
	r = h.as(mgr, "POST", "/api/v1/principals/search", `{"by":"email","value":"hanako@example.jp","purpose":"job_matching"}`)
	if r.status != http.StatusOK || !strings.Contains(r.String(), `"principals": []`) {
		t.Errorf("search for an unknown e-mail: %d %s", r.status, r.body)
	}

	// Erase.
	r = h.as(mgr, "DELETE", "/api/v1/principals/"+id, `{}`)
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Field != "reason" {
		t.Errorf("DELETE without a reason: %d %+v, want 400 on field reason", r.status, ae)
	}
	r = h.as(mgr, "DELETE", "/api/v1/principals/"+id, `{"reason":"   "}`)
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Field != "reason" {
		t.Errorf("DELETE with a blank reason: %d %+v, want 400 on field reason", r.status, ae)
	}
	if n := h.principalCount(); n != 1 {
		t.Fatalf("a refused erasure left %d principals", n)
	}
	const reason = "本人からの消去請求（電話受付 受付番号 E-0001）"
	r = h.as(mgr, "DELETE", "/api/v1/principals/"+id, `{"reason":"`+reason+`"}`)
	if r.status != http.StatusOK {
		t.Fatalf("DELETE: %d\n%s", r.status, r.body)
	}
	var erased struct {
		ID     string
		Erased bool
	}
	r.decode(t, &erased)
	if erased.ID != id || !erased.Erased {
		t.Errorf("DELETE answered %s", r.body)
	}
	if n := h.principalCount(); n != 0 {
		t.Errorf("%d principals after the erasure", n)
	}
	e = h.auditFor("principal.erase", id)
	if e.Outcome != hogo.OutcomeOK || e.Detail["records"] != "2" || e.Detail["key"] != "destroyed" {
		t.Errorf("principal.erase entry: %+v", e)
	}
	for _, p := range []string{"?purpose=job_matching", "?purpose=recruitment_selection"} {
		r = h.as(mgr, "GET", "/api/v1/principals/"+id+p, "")
		if ae := r.apiError(t); r.status != http.StatusNotFound || ae.Code != hogo.ENOTFOUND {
			t.Errorf("GET after erasure: %d %+v, want 404", r.status, ae)
		}
	}
	r = h.as(mgr, "POST", "/api/v1/principals/search", `{"by":"email","value":"taro@example.jp","purpose":"job_matching"}`)
	if r.status != http.StatusOK || !strings.Contains(r.String(), `"principals": []`) {
		t.Errorf("search after erasure: %d %s, want nobody", r.status, r.body)
	}
	for _, tc := range []struct{ method, path, body string }{
		{"DELETE", "/api/v1/principals/" + id, `{"reason":"二度目の消去"}`},
		{"PATCH", "/api/v1/principals/" + id + "/records/" + rid, `{"purpose":"job_matching","items":{"address":"` + taroAddr + `"}}`},
		{"POST", "/api/v1/principals/" + id + "/records", taroBody},
	} {
		r = h.as(mgr, tc.method, tc.path, tc.body)
		if ae := r.apiError(t); r.status != http.StatusNotFound || ae.Code != hogo.ENOTFOUND {
			t.Errorf("%s after erasure: %d %+v, want 404", tc.method, r.status, ae)
		}
	}
	if n := h.principalCount(); n != 0 {
		t.Errorf("writes to an erased principal left %d principals", n)
	}

	// Nothing personal in the audit log (the reason stays with the
	// tombstone), nor in the server's log; the audit log is read over the
	// API too.
	all := h.auditEntries()
	holdsNone(t, "audit log", auditJSON(t, all), append(slices.Clone(taroValues), reason, "一次面接"))
	api := h.as(mgr, "GET", "/api/v1/audit?limit=1000&principal="+id, "")
	if api.status != http.StatusOK || !strings.Contains(api.String(), `"action": "principal.erase"`) {
		t.Errorf("GET /api/v1/audit?principal=: %d %s", api.status, api.body)
	}
	holdsNone(t, "audit log over the API", api.String(), taroValues)
	checkLogs(t, h, nil)
}

// checkLogs checks that the server log holds no personal value, no query
// string and none of extra.
func checkLogs(t *testing.T, h *harness, extra []string) {
	t.Helper()
	logs := h.logs.String()
	if !strings.Contains(logs, `"route":"POST /api/v1/principals"`) && !strings.Contains(logs, `"route":"GET /api/v1/principals/{id}"`) {
		t.Errorf("the log has no vault request; is the logger wired?\n%s", logs)
	}
	holdsNone(t, "server log", logs, append(slices.Clone(taroValues), extra...))
	for _, q := range []string{"purpose=", "email=", "phone=", "name_kana=", "birth_date=", "exception=", "justification=", "?"} {
		if strings.Contains(logs, q) {
			t.Errorf("server log holds a query string (%q)", q)
		}
	}
}

// TestVaultAPIBadInput sends bad bodies and queries: each is refused with a
// 4xx naming the field at fault, writes nothing (no principal, no audit
// entry) and echoes no value that was sent.
func TestVaultAPIBadInput(t *testing.T) {
	h := newHarness(t)
	id, rid := createPrincipal(h, hanakoBody)
	big := strings.Repeat("大阪府大阪市", 1<<20/len("大阪府大阪市")+10)
	body := func(mod string) string { return strings.Replace(hanakoBody, `"source":"web_form",`, mod, 1) }
	cases := []struct {
		name, method, path, body string
		status                   int
		field                    []string // acceptable error.field values
		message                  []string // substrings of the message
		sent                     []string // values sent that must not be echoed
		// columns, when set, is the span of line 1 the message's
		// position must fall in.
		columns [2]int
	}{
		{name: "malformed JSON", method: "POST", path: "/api/v1/principals",
			body:   "{\n  \"category\": \"job_seeker\",\n  \"items\": {\"email\": \"hanako.sato@example.jp\",}\n}",
			status: 400, message: []string{"syntax error", "line 3, column 47"}},
		{name: "malformed JSON in Japanese text", method: "POST", path: "/api/v1/principals",
			body:   "{\"items\": {\"name\": \"佐藤 花子\" \"email\": \"hanako.sato@example.jp\"}}",
			status: 400, message: []string{"line 1, column 28"}},
		{name: "empty body", method: "POST", path: "/api/v1/principals", status: 400, message: []string{"empty"}},
		{name: "two objects", method: "POST", path: "/api/v1/principals", body: hanakoBody + hanakoBody, status: 400, message: []string{"after the JSON object"}},
		{name: "unknown JSON field", method: "POST", path: "/api/v1/principals", body: body(`"source":"web_form","nickname":"タロちゃん",`),
			status: 400, field: []string{"", "nickname"}, message: []string{`"nickname"`}, sent: []string{"タロちゃん"}},
		{name: "item not a string", method: "POST", path: "/api/v1/principals",
			body:   `{"category":"job_seeker","purpose":"job_matching","source":"web_form","items":{"name":"佐藤 花子","name_kana":"ヤマダ タロウ","email":"hanako.sato@example.jp","phone":9012345678}}`,
			status: 400, field: []string{"items", "items.phone"}, message: []string{`"items" must be string`}, columns: [2]int{158, 168}},
		{name: "unknown category", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"job_seeker"`, `"job_hunter"`, 1),
			status: 400, field: []string{"category"}, message: []string{"job_hunter"}},
		{name: "no category", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"category":"job_seeker",`, ``, 1),
			status: 400, field: []string{"category"}},
		{name: "unknown source", method: "POST", path: "/api/v1/principals", body: body(`"source":"carrier_pigeon",`),
			status: 400, field: []string{"source"}, message: []string{"carrier_pigeon", "web_form"}},
		{name: "source of another category", method: "POST", path: "/api/v1/principals", body: body(`"source":"business_card",`),
			status: 400, field: []string{"source"}},
		{name: "no source", method: "POST", path: "/api/v1/principals", body: body(``),
			status: 400, field: []string{"source"}},
		{name: "unknown item", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"items":{`, `"items":{"favourite_food":"たこ焼き",`, 1),
			status: 400, field: []string{"items", "items.favourite_food"}, message: []string{"favourite_food"}, sent: []string{"たこ焼き"}},
		{name: "required item missing", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `,"phone":"080-2468-1357"`, ``, 1),
			status: 400, field: []string{"items.phone"}},
		{name: "bad e-mail", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, hanakoEmail, "hanako.sato-at-example.jp", 1),
			status: 400, field: []string{"items.email", "email"}, sent: []string{"hanako.sato-at-example.jp", "sato-at"}},
		{name: "bad phone", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, hanakoPhone, "12-345", 1),
			status: 400, field: []string{"items.phone"}, sent: []string{"12-345"}},
		{name: "impossible date", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"items":{`, `"items":{"birth_date":"2026-13-40",`, 1),
			status: 400, field: []string{"items.birth_date", "birth_date"}, sent: []string{"2026-13-40", "13-40"}},
		{name: "unknown purpose", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"job_matching"`, `"fortune_telling"`, 1),
			status: 400, field: []string{"purpose"}, message: []string{"fortune_telling"}},
		{name: "no purpose", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"purpose":"job_matching",`, ``, 1),
			status: 400, field: []string{"purpose"}},
		{name: "stated purpose not declared", method: "POST", path: "/api/v1/principals", body: body(`"source":"web_form","purposes":["sales"],`),
			status: 400, field: []string{"purposes"}, message: []string{"sales"}},
		{name: "unknown exception", method: "POST", path: "/api/v1/principals", body: body(`"source":"web_form","exception":"because","justification":"急ぎのため"` + `,`),
			status: 400, field: []string{"exception"}, sent: []string{"急ぎのため"}},
		{name: "body too large", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"items":{`, `"items":{"address":"`+big+`",`, 1),
			status: 400, message: []string{"1 MiB"}, sent: []string{"大阪府大阪市"}},
		{name: "value too long", method: "POST", path: "/api/v1/principals", body: strings.Replace(hanakoBody, `"items":{`, `"items":{"address":"`+big[:300000]+`",`, 1),
			status: 400, field: []string{"items.address", "address"}, sent: []string{"大阪府大阪市"}},

		{name: "GET without purpose", method: "GET", path: "/api/v1/principals/" + id, status: 400, field: []string{"purpose"}},
		{name: "GET with empty purpose", method: "GET", path: "/api/v1/principals/" + id + "?purpose=", status: 400, field: []string{"purpose"}},
		{name: "GET for an unknown purpose", method: "GET", path: "/api/v1/principals/" + id + "?purpose=fortune_telling",
			status: 400, field: []string{"purpose"}, message: []string{"not in the ledger"}},
		{name: "GET with justification in the URL", method: "GET",
			path:   "/api/v1/principals/" + id + "?exception=law&" + url.Values{"justification": {"佐藤 花子さんの件"}}.Encode(),
			status: 400, field: []string{"justification"}, message: []string{"Hogo-Justification"}},
		{name: "GET of no such principal", method: "GET", path: "/api/v1/principals/00000000000000000000000000?purpose=job_matching", status: 404, field: []string{"id"}},
		{name: "GET of a malformed ID", method: "GET", path: "/api/v1/principals/hanako?purpose=job_matching", status: 404, field: []string{"id"}},
		{name: "find without purpose", method: "GET", path: "/api/v1/principals?" + url.Values{"email": {hanakoEmail}}.Encode(),
			status: 400, field: []string{"purpose"}},
		{name: "find by two identifiers", method: "GET", path: "/api/v1/principals?" + url.Values{"email": {hanakoEmail}, "phone": {hanakoPhone}, "purpose": {"job_matching"}}.Encode(),
			status: 400, field: []string{"query"}},
		{name: "find by nothing", method: "GET", path: "/api/v1/principals?purpose=job_matching", status: 400, field: []string{"query"}},
		{name: "find by birth_date without name", method: "GET", path: "/api/v1/principals?" + url.Values{"birth_date": {hanakoBirth}, "purpose": {"job_matching"}}.Encode(),
			status: 400, field: []string{"name"}},
		{name: "find by an impossible birth_date", method: "GET", path: "/api/v1/principals?" + url.Values{"birth_date": {"2026-13-40"}, "name": {hanakoName}, "purpose": {"job_matching"}}.Encode(),
			status: 400, field: []string{"birth_date"}, sent: []string{"2026-13-40"}},
		{name: "find by an empty e-mail", method: "GET", path: "/api/v1/principals?email=&purpose=job_matching", status: 400, field: []string{"email"}},
		{name: "search by an unknown kind", method: "POST", path: "/api/v1/principals/search", body: `{"by":"fax","value":"06-0000-0000","purpose":"job_matching"}`,
			status: 400, field: []string{"by", "kind"}, sent: []string{"06-0000-0000"}},
		{name: "search without purpose", method: "POST", path: "/api/v1/principals/search", body: `{"by":"email","value":"hanako.sato@example.jp"}`,
			status: 400, field: []string{"purpose"}},
		{name: "search with an unknown field", method: "POST", path: "/api/v1/principals/search", body: `{"by":"email","email":"hanako.sato@example.jp","purpose":"job_matching"}`,
			status: 400, field: []string{"", "email"}, message: []string{`"email"`}},

		{name: "PATCH without purpose", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"items":{"phone":"080-2468-1357"}}`,
			status: 400, field: []string{"purpose"}},
		{name: "PATCH for an unknown purpose", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"fortune_telling","items":{"phone":"080-2468-1357"}}`,
			status: 400, field: []string{"purpose"}},
		{name: "PATCH without items", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"job_matching"}`,
			status: 400, field: []string{"items"}},
		{name: "PATCH removing a required item", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"job_matching","items":{"phone":null}}`,
			status: 400, field: []string{"items.phone"}},
		{name: "PATCH with a bad e-mail", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"job_matching","items":{"email":"hanako.sato@@example.jp"}}`,
			status: 400, field: []string{"items.email", "email"}, sent: []string{"sato@@"}},
		{name: "PATCH with an unknown item", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"job_matching","items":{"favourite_food":"たこ焼き"}}`,
			status: 400, field: []string{"items", "items.favourite_food"}, sent: []string{"たこ焼き"}},
		{name: "PATCH with a stale version", method: "PATCH", path: "/api/v1/principals/" + id + "/records/" + rid, body: `{"purpose":"job_matching","version":7,"items":{"phone":"080-2468-1357"}}`,
			status: 409, field: []string{"version"}},
		{name: "PATCH of no such record", method: "PATCH", path: "/api/v1/principals/" + id + "/records/nosuchrecord", body: `{"purpose":"job_matching","items":{"phone":"080-2468-1357"}}`,
			status: 404, field: []string{"rid"}},
		{name: "POST record of an unknown category", method: "POST", path: "/api/v1/principals/" + id + "/records", body: strings.Replace(hanakoBody, `"job_seeker"`, `"job_hunter"`, 1),
			status: 400, field: []string{"category"}},
		{name: "POST record with a bad phone", method: "POST", path: "/api/v1/principals/" + id + "/records", body: strings.Replace(hanakoBody, hanakoPhone, "12-345", 1),
			status: 400, field: []string{"items.phone", "phone"}},
		{name: "POST record to no such principal", method: "POST", path: "/api/v1/principals/00000000000000000000000000/records", body: hanakoBody,
			status: 404, field: []string{"id"}},
		{name: "DELETE without a body", method: "DELETE", path: "/api/v1/principals/" + id, status: 400, message: []string{"empty"}},
		{name: "DELETE without reason", method: "DELETE", path: "/api/v1/principals/" + id, body: `{}`, status: 400, field: []string{"reason"}},
		{name: "DELETE with a reason too long", method: "DELETE", path: "/api/v1/principals/" + id, body: `{"reason":"` + strings.Repeat("消", 501) + `"}`,
			status: 400, field: []string{"reason"}},
		{name: "DELETE with an unknown field", method: "DELETE", path: "/api/v1/principals/" + id, body: `{"reason":"本人の請求","purpose":"job_matching"}`,
			status: 400, message: []string{`"purpose"`}},
		{name: "review with a bad decision", method: "POST", path: "/api/v1/exceptions/1/review", body: `{"decision":"maybe"}`, status: 400, field: []string{"decision"}},
		{name: "review of a malformed ID", method: "POST", path: "/api/v1/exceptions/x/review", body: `{"decision":"approve"}`, status: 400},
		{name: "review of no such use", method: "POST", path: "/api/v1/exceptions/999/review", body: `{"decision":"approve"}`, status: 404, field: []string{"id"}},
		{name: "exceptions with a bad status", method: "GET", path: "/api/v1/exceptions?status=done", status: 400, field: []string{"status"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.in(t)
			principals, head := h.principalCount(), h.auditHead()
			r := h.as(hogo.RoleManager, tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("%s %s: %d, want %d\n%.2000s", tc.method, tc.path, r.status, tc.status, r.body)
			}
			ae := r.apiError(t)
			wantCode := map[int]string{400: hogo.EINVALID, 404: hogo.ENOTFOUND, 409: hogo.ECONFLICT}[tc.status]
			if ae.Code != wantCode || ae.Message == "" {
				t.Errorf("error %+v, want code %s", ae, wantCode)
			}
			if tc.field != nil && !slices.Contains(tc.field, ae.Field) {
				t.Errorf("error.field = %q, want one of %q (message %q)", ae.Field, tc.field, ae.Message)
			}
			for _, m := range tc.message {
				if !strings.Contains(ae.Message, m) {
					t.Errorf("error message %q lacks %q", ae.Message, m)
				}
			}
			if tc.columns[0] > 0 {
				c := 0
				if m := regexp.MustCompile(`at line 1, column (\d+)`).FindStringSubmatch(ae.Message); m != nil {
					c, _ = strconv.Atoi(m[1])
				}
				if c < tc.columns[0] || c > tc.columns[1] {
					t.Errorf("error message %q does not point into columns %d–%d of line 1", ae.Message, tc.columns[0], tc.columns[1])
				}
			}
			holdsNone(t, "error body", r.String(), append(slices.Clone(hanakoValues), tc.sent...))
			if n := h.principalCount(); n != principals {
				t.Errorf("%d principals after a refused call, want %d", n, principals)
			}
			if n := h.auditHead(); n != head {
				t.Errorf("a refused call wrote %d audit entries: %s", n-head, auditJSON(t, h.auditEntries()[:n-head]))
			}
		})
	}
	// Nothing was changed: the record is as created.
	r := h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+id+"?purpose=job_matching", "")
	v := r.principal(t)
	if len(v.Records) != 1 || v.Records[0].Version != 1 || v.Records[0].Items["email"] != hanakoEmail {
		t.Errorf("after the bad calls: %s", r.body)
	}
	checkLogs(t, h, []string{"タロちゃん", "たこ焼き", "hanako.sato-at-example.jp", "12-345", "2026-13-40", "大阪府大阪市", "06-0000-0000"})
}

// TestVaultAPIExceptionRead walks a read under a legal exception: the
// staff member names exception "law" with a justification in the header;
// the read is queued for review; the manager (and the auditor) see the
// queue with the justification, the staff member may not; the manager
// approves once.
func TestVaultAPIExceptionRead(t *testing.T) {
	h := newHarness(t)
	id, _ := createPrincipal(h, taroBody)
	const justification = "大阪府警察本部からの捜査関係事項照会書（刑事訴訟法第197条第2項）への回答のため"
	hdr := http.Header{"Hogo-Justification": {url.PathEscape(justification)}}

	// The justification may not travel in the URL.
	r := h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=law&justification="+url.QueryEscape(justification), "", nil)
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Field != "justification" {
		t.Errorf("justification in the URL: %d %+v, want 400 on field justification", r.status, ae)
	}
	// Nor without one, nor badly encoded.
	r = h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=law", "", nil)
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Field != "justification" {
		t.Errorf("exception without justification: %d %+v, want 400 on field justification", r.status, ae)
	}
	r = h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=law", "", http.Header{"Hogo-Justification": {"%E5%"}})
	if ae := r.apiError(t); r.status != http.StatusBadRequest || ae.Field != "Hogo-Justification" {
		t.Errorf("badly encoded justification: %d %+v, want 400 naming the header", r.status, ae)
	}
	// An exception the ledger does not rely on for use beyond purpose.
	r = h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=published_special", "", hdr)
	if ae := r.apiError(t); r.status != http.StatusForbidden || ae.Code != hogo.EPURPOSENOTPERMITTED {
		t.Errorf("exception published_special: %d %+v, want 403", r.status, ae)
	}

	r = h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=law", "", hdr)
	if r.status != http.StatusOK {
		t.Fatalf("read under exception law: %d\n%s", r.status, r.body)
	}
	v := r.principal(t)
	if v.ID != id || v.Exception != "law" || v.ReviewID <= 0 || len(v.Records) != 1 || v.Records[0].Items["email"] != taroEmail {
		t.Fatalf("read under exception law answered %s", r.body)
	}
	holdsNone(t, "read under an exception", r.String(), []string{justification})
	e := h.auditFor("principal.read", id)
	if e.Role != hogo.RoleStaff || e.Detail["exception"] != "law" || e.Outcome != hogo.OutcomeOK {
		t.Errorf("read under exception audited as %+v", e)
	}

	type reviewList struct {
		Exceptions []struct {
			ID            int64
			Actor         string
			Role          string
			Principal     string
			Category      string
			Op            string
			Exception     string
			Justification string
			Status        string
			Reviewer      string
			Note          string
		}
	}
	r = h.as(hogo.RoleStaff, "GET", "/api/v1/exceptions", "")
	if ae := r.apiError(t); r.status != http.StatusForbidden || ae.Code != hogo.EFORBIDDEN {
		t.Errorf("staff GET /api/v1/exceptions: %d %+v, want 403", r.status, ae)
	}
	holdsNone(t, "refused exceptions list", r.String(), []string{justification})
	for _, role := range []hogo.Role{hogo.RoleManager, hogo.RoleAuditor} {
		r = h.as(role, "GET", "/api/v1/exceptions?status=pending", "")
		if r.status != http.StatusOK {
			t.Fatalf("%s GET /api/v1/exceptions: %d\n%s", role, r.status, r.body)
		}
		var l reviewList
		r.decode(t, &l)
		if len(l.Exceptions) != 1 {
			t.Fatalf("%s sees %d pending reviews, want 1: %s", role, len(l.Exceptions), r.body)
		}
		x := l.Exceptions[0]
		if x.ID != v.ReviewID || x.Principal != id || x.Actor != userName(hogo.RoleStaff) || x.Role != "staff" || x.Category != "job_seeker" ||
			x.Op != "read" || x.Exception != "law" || x.Justification != justification || x.Status != hogo.ReviewPending {
			t.Errorf("%s sees the review as %+v", role, x)
		}
	}
	if e := h.auditFor("exception.list", ""); e.Actor != userName(hogo.RoleAuditor) || e.Detail["count"] != "1" {
		t.Errorf("exception.list entry: %+v", e)
	}

	path := fmt.Sprintf("/api/v1/exceptions/%d/review", v.ReviewID)
	const note = "照会書の原本を確認済み"
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleAuditor, hogo.RoleAdmin, hogo.RoleDesk} {
		r = h.as(role, "POST", path, `{"decision":"approve"}`)
		if r.status != http.StatusForbidden {
			t.Errorf("%s approves: %d, want 403", role, r.status)
		}
	}
	r = h.as(hogo.RoleManager, "POST", path, `{"decision":"approve","note":"`+note+`"}`)
	if r.status != http.StatusOK {
		t.Fatalf("manager approves: %d\n%s", r.status, r.body)
	}
	var dec struct {
		ID     int64
		Status string
	}
	r.decode(t, &dec)
	if dec.ID != v.ReviewID || dec.Status != hogo.ReviewApproved {
		t.Errorf("approve answered %s", r.body)
	}
	e = h.auditFor("exception.review", id)
	if e.Actor != userName(hogo.RoleManager) || e.Detail["status"] != hogo.ReviewApproved || e.Target != fmt.Sprint(v.ReviewID) {
		t.Errorf("exception.review entry: %+v", e)
	}
	for _, d := range []string{"approve", "reject"} {
		r = h.as(hogo.RoleManager, "POST", path, `{"decision":"`+d+`"}`)
		if ae := r.apiError(t); r.status != http.StatusConflict || ae.Code != hogo.ECONFLICT {
			t.Errorf("%s again: %d %+v, want 409", d, r.status, ae)
		}
	}
	r = h.as(hogo.RoleManager, "GET", "/api/v1/exceptions?status=approved", "")
	var l reviewList
	r.decode(t, &l)
	if len(l.Exceptions) != 1 || l.Exceptions[0].Reviewer != userName(hogo.RoleManager) || l.Exceptions[0].Note != note {
		t.Errorf("approved reviews: %s", r.body)
	}
	r = h.as(hogo.RoleManager, "GET", "/api/v1/exceptions?status=pending", "")
	if !strings.Contains(r.String(), `"exceptions": []`) {
		t.Errorf("pending reviews after the approval: %s", r.body)
	}

	// The justification and the note are sealed: neither the audit log nor
	// the server log holds them.
	holdsNone(t, "audit log", auditJSON(t, h.auditEntries()), append(slices.Clone(taroValues), justification, note, "捜査関係事項照会"))
	checkLogs(t, h, []string{justification, url.PathEscape(justification), note, "捜査関係事項照会"})
}
