package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/letter/pdftext"
)

type incidentJSON struct {
	breach.View
	Error struct{ Code, Field string } `json:"error"`
}

// TestIncidentAPI: anyone records a discovery with what they know; it is
// kept as a draft whose clock runs; the manager completes the facts; the
// principals are counted from the vault; the triggers and the deadlines
// follow; the report draft holds the nine items.
func TestIncidentAPI(t *testing.T) {
	h := newHarness(t)
	for i := range 3 {
		createPrincipal(h, strings.Replace(taroBody, "taro@", fmt.Sprintf("taro%d@", i), 1))
	}
	h.srv.Incidents.Now = func() time.Time { return time.Date(2026, 12, 1, 15, 0, 0, 0, hogo.Tokyo) }
	r := h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", `{"title":"求職者名簿の誤送信","scope":{"categories":["job_seeker"]}}`)
	var v incidentJSON
	r.decode(t, &v)
	if r.status != http.StatusCreated || v.Status != hogo.IncidentDraft || v.KnownOn != "2026-12-01" || v.Affected != 3 || len(v.Missing) == 0 {
		t.Fatalf("record: %d %+v", r.status, v)
	}
	if len(v.Triggers) != 0 || v.Deadlines.Reportable {
		t.Errorf("three principals, nothing special: %+v", v.Triggers)
	}
	// The manager completes it: an attack (unjust purpose): 60 days.
	body := `{"title":"求職者名簿の誤送信","known_on":"2026-12-01","summary":"不正アクセスにより求職者情報が閲覧されたおそれ","items":"氏名、メールアドレス",
		"cause":"管理画面の認証不備","secondary_damage":"現時点で確認されていない","principal_response":"対象者へメールで通知","publication":"当社サイトで公表予定",
		"prevention":"多要素認証の導入","medium":"electronic","scope":{"categories":["job_seeker"]},"item_ids":["name","email"],"unjust_purpose":true}`
	r = h.as(hogo.RoleManager, "PUT", "/api/v1/incidents/"+v.ID, body)
	r.decode(t, &v)
	if r.status != http.StatusOK || v.Status != hogo.IncidentOpen || len(v.Missing) != 0 || v.Deadlines.FinalDue != "2027-01-29" ||
		v.Deadlines.PreliminaryDue != "2026-12-07" || v.Triggers[0].ID != breach.TriggerUnjustPurpose {
		t.Fatalf("update: %d %+v", r.status, v)
	}
	// Staff may not read or update the register.
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/incidents/"+v.ID, ""); r.status != http.StatusForbidden {
		t.Errorf("staff reading an incident: %d", r.status)
	}
	pdf := h.as(hogo.RoleAuditor, "GET", "/api/v1/incidents/"+v.ID+"/report", "")
	text, err := pdftext.Text(pdf.body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"漏えい等事案の報告", "個人情報保護委員会", "一 概要", "九 その他参考となる事項", "3人", "令和9年1月29日", "不正の目的"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Notices to the principals, and the letter for them (則10).
	r = h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/notices", `{"method":"email","count":3,"on":"2026-12-03"}`)
	r.decode(t, &v)
	if r.status != http.StatusOK || len(v.Facts.Notices) != 1 || v.Facts.Notices[0].Count != 3 {
		t.Errorf("notice: %d %+v", r.status, v.Facts.Notices)
	}
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/notices", `{"method":"carrier_pigeon"}`); r.status != http.StatusBadRequest {
		t.Errorf("unknown notice method: %d", r.status)
	}
	nt, err := pdftext.Text(h.as(hogo.RoleManager, "GET", "/api/v1/incidents/"+v.ID+"/notice", "").body)
	// The notice carries the items of 則10, not the prevention measures
	// (a report item only).
	if err != nil || !strings.Contains(nt, "お知らせとお詫び") || strings.Contains(nt, "多要素認証") {
		t.Errorf("notice letter: %v\n%s", err, nt)
	}
	if !strings.Contains(nt, "管理画面の認証不備") {
		t.Errorf("the notice lacks the cause:\n%s", nt)
	}
	r = h.as(hogo.RoleManager, "POST", "/api/v1/incidents/"+v.ID+"/sent", `{"which":"final","on":"2027-01-20"}`)
	r.decode(t, &v)
	if v.Status != hogo.IncidentReported || v.FinalSent != "2027-01-20" {
		t.Errorf("final sent: %d %+v", r.status, v)
	}
	// The facts are sealed at rest; the audit holds no fact.
	var facts []byte
	h.db.Read.QueryRow(`SELECT facts FROM incidents WHERE id = $1`, v.ID).Scan(&facts)
	if strings.Contains(string(facts), "不正アクセス") {
		t.Error("the facts are stored in the clear")
	}
}

// TestIncidentTriggers: special-care items (unless encrypted), more than
// 1,000 principals by estimate, individual numbers over 100, the entrustee
// notifying its entrustor instead of reporting.
func TestIncidentTriggers(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, body string
		want       []string
		reportable bool
	}{
		{"health checks", `{"title":"a","scope":{"categories":["employee"],"estimate":5},"item_ids":["health_check"]}`, []string{"special_care"}, true},
		{"health checks encrypted", `{"title":"a","scope":{"categories":["employee"],"estimate":5},"item_ids":["health_check"],"encrypted":true}`, nil, false},
		{"over 1,000", `{"title":"a","scope":{"estimate":1001}}`, []string{"over_1000"}, true},
		{"exactly 1,000", `{"title":"a","scope":{"estimate":1000}}`, nil, false},
		{"individual numbers of 101", `{"title":"a","scope":{"categories":["employee"],"estimate":101},"item_ids":["mynumber"]}`, []string{"mynumber_over_100"}, true},
		{"card numbers", `{"title":"a","scope":{"estimate":2},"financial_risk":true}`, []string{"financial_damage"}, true},
		{"entrusted data", `{"title":"a","scope":{"estimate":5000},"entrustee":true,"entrustor":"株式会社みどり商事"}`, []string{"over_1000"}, false},
	} {
		r := h.as(hogo.RoleManager, "POST", "/api/v1/incidents", tc.body)
		var v incidentJSON
		r.decode(t, &v)
		var got []string
		for _, x := range v.Triggers {
			got = append(got, x.ID)
		}
		if r.status != http.StatusCreated || strings.Join(got, ",") != strings.Join(tc.want, ",") || v.Deadlines.Reportable != tc.reportable {
			t.Errorf("%s: %d triggers %v reportable %v", tc.name, r.status, got, v.Deadlines.Reportable)
		}
	}
	for _, tc := range []struct{ body, field string }{
		{`{"scope":{"estimate":1}}`, "title"},
		{`{"title":"a","known_on":"2099-01-01"}`, "known_on"},
		{`{"title":"a","scope":{"categories":["nobody"]}}`, "scope.categories"},
		{`{"title":"a","medium":"smoke"}`, "medium"},
		{`{"title":"a","entrustee":true}`, "entrustor"},
	} {
		r := h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", tc.body)
		if _, _, field := r.errorJSON(t); r.status != http.StatusBadRequest || field != tc.field {
			t.Errorf("%s: %d %s, want 400 on %s", tc.body, r.status, field, tc.field)
		}
	}
}

// TestIncidentConsole: staff record from the console; the manager sees the
// register and the incident with its clock, and downloads the report.
func TestIncidentConsole(t *testing.T) {
	h := newHarness(t)
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	r := s.post("/console/incidents", url.Values{"csrf": {s.csrf("/console/incidents")}, "title": {"USBメモリの紛失"}, "categories": {"job_seeker"},
		"estimate": {"1500"}, "medium": {"device"}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "記録しました") {
		t.Fatalf("staff record: %d\n%s", r.status, r.body)
	}
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r = m.get("/console/incidents")
	if !strings.Contains(string(r.body), "USBメモリの紛失") || !strings.Contains(string(r.body), `data-status="draft"`) {
		t.Fatalf("register: %d\n%s", r.status, r.body)
	}
	link := r.body[strings.Index(string(r.body), "/console/incidents/"):]
	link = link[:strings.Index(string(link), `"`)]
	r = m.get(string(link))
	if !strings.Contains(string(r.body), `data-id="over_1000"`) || !strings.Contains(string(r.body), `id="incident-final"`) {
		t.Errorf("incident page: %d\n%s", r.status, r.body)
	}
	if r := m.get(string(link) + "/report"); r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "%PDF") {
		t.Errorf("report: %d", r.status)
	}
}
