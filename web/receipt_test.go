package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/receipt"
)

const receiptBody = `"provider_name":"株式会社人材バンク","provider_address":"東京都千代田区丸の内1-1-1","provider_corporation":true,
	"provider_representative":"代表取締役 山本一郎","acquisition":"提供元が自社の登録フォームで本人から取得","received_on":"2026-03-31",
	"category":"job_seeker","items":["name","email"],"count":5`

// TestReceiptAPI: a receipt record is made by staff or the manager (201,
// retention computed), refused with the field named when the law's
// confirmations are missing (400), refused to other roles (403); the
// records are read by the manager, the desk and the auditor, by
// principal too; all audited.
func TestReceiptAPI(t *testing.T) {
	h := newHarness(t, atRegistersNow)
	pid, _ := createPrincipal(h, taroBody)
	for _, c := range []struct {
		name   string
		role   hogo.Role
		body   string
		status int
		field  string
	}{
		{"consent", hogo.RoleStaff, `{` + receiptBody + `,"basis":"consent","consent_confirmed":true,"principals":["` + pid + `"]}`, 201, ""},
		{"opt-out by contract", hogo.RoleManager, `{` + receiptBody + `,"basis":"opt_out","optout_published":true,"record_method":"contract"}`, 201, ""},
		{"referable abroad", hogo.RoleManager, `{` + receiptBody + `,"basis":"referable","consent_confirmed":true,"cross_border":true,"foreign_info_given":true}`, 201, ""},
		{"no acquisition", hogo.RoleStaff, `{` + strings.Replace(receiptBody, "提供元が自社の登録フォームで本人から取得", " ", 1) + `,"basis":"consent","consent_confirmed":true}`, 400, "acquisition"},
		{"opt-out unchecked", hogo.RoleStaff, `{` + receiptBody + `,"basis":"opt_out"}`, 400, "optout_published"},
		{"referable without consent", hogo.RoleStaff, `{` + receiptBody + `,"basis":"referable"}`, 400, "consent_confirmed"},
		{"abroad uninformed", hogo.RoleStaff, `{` + receiptBody + `,"basis":"referable","consent_confirmed":true,"cross_border":true}`, 400, "foreign_info_given"},
		{"no representative", hogo.RoleStaff, `{` + strings.Replace(receiptBody, "代表取締役 山本一郎", "", 1) + `,"basis":"consent","consent_confirmed":true}`, 400, "provider_representative"},
		{"principal not held", hogo.RoleStaff, `{` + receiptBody + `,"basis":"consent","consent_confirmed":true,"principals":["0123456789abcdefghijklmnop"]}`, 400, "principals"},
		{"unknown item", hogo.RoleStaff, `{` + strings.Replace(receiptBody, `"email"`, `"blood_type"`, 1) + `,"basis":"consent","consent_confirmed":true}`, 400, "items"},
		{"desk", hogo.RoleDesk, `{` + receiptBody + `,"basis":"consent","consent_confirmed":true}`, 403, ""},
		{"auditor", hogo.RoleAuditor, `{` + receiptBody + `,"basis":"consent","consent_confirmed":true}`, 403, ""},
		{"admin", hogo.RoleAdmin, `{` + receiptBody + `,"basis":"consent","consent_confirmed":true}`, 403, ""},
	} {
		r := h.as(c.role, "POST", "/api/v1/receipts", c.body)
		if r.status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.status, c.status, r.body)
			continue
		}
		if c.status >= 400 {
			if code, msg, field := r.errorJSON(t); field != c.field || msg == "" || (c.status == 400 && code != hogo.EINVALID) {
				t.Errorf("%s: %s %q on %q, want the field %q", c.name, code, msg, field, c.field)
			}
			continue
		}
		var rec receipt.Record
		r.decode(t, &rec)
		want := "2029-04-01"
		if strings.Contains(c.body, "contract") {
			want = "2027-04-01"
		}
		if rec.ID == "" || rec.RetainUntil != want || rec.ReceivedJa != "令和8年3月31日" || rec.Count != 5 || rec.Statement == "" {
			t.Errorf("%s: %+v", c.name, rec)
		}
	}

	var list struct {
		Receipts []receipt.Record `json:"receipts"`
	}
	for _, role := range []hogo.Role{hogo.RoleManager, hogo.RoleDesk, hogo.RoleAuditor} {
		r := h.as(role, "GET", "/api/v1/receipts", "")
		r.decode(t, &list)
		if r.status != 200 || len(list.Receipts) != 3 || list.Receipts[2].Basis != "consent" || list.Receipts[0].Basis != "referable" {
			t.Errorf("%s listing: %d %s", role, r.status, r.body)
		}
	}
	h.as(hogo.RoleDesk, "GET", "/api/v1/receipts?principal="+pid, "").decode(t, &list)
	if len(list.Receipts) != 1 || list.Receipts[0].Principals[0] != pid {
		t.Errorf("by principal: %+v", list.Receipts)
	}
	if r := h.as(hogo.RoleDesk, "GET", "/api/v1/receipts?principal=山田", ""); r.status != 400 {
		t.Errorf("a name as principal: %d", r.status)
	}
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleAdmin} {
		if r := h.as(role, "GET", "/api/v1/receipts", ""); r.status != 403 {
			t.Errorf("%s listing: %d", role, r.status)
		}
	}

	ctx := context.Background()
	created, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "receipt.create", Limit: 100})
	received, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "principal.receive", Principal: pid, Limit: 100})
	listed, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "receipt.list", Limit: 100})
	if len(created) != 3 || len(received) != 1 || len(listed) != 4 || listed[0].Principal != pid {
		t.Errorf("audit: %d created, %d received, %d listed", len(created), len(received), len(listed))
	}
	holdsNone(t, "the receipts' audit entries", auditJSON(t, append(created, received...)), []string{"山本", "人材バンク", "丸の内"})
}

// TestReceiptConsole: staff record from the form and see the record made
// but not the list; the manager sees the list; a refusal shows the form
// again, filled in, with the reason.
func TestReceiptConsole(t *testing.T) {
	h := newHarness(t, atRegistersNow)
	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	r := s.get("/console/receipts")
	wantStatus(t, "staff page", r, http.StatusOK, "第三者提供の受領記録", `id="receipt-form"`, "求職者", "委託元からの預託")
	if strings.Contains(r.String(), `id="receipts"`) || strings.Contains(r.String(), `id="no-receipts"`) {
		t.Error("staff are shown the records")
	}
	token := s.csrf("/console/receipts")
	form := url.Values{"csrf": {token}, "provider_name": {"株式会社人材バンク"}, "provider_address": {"東京都千代田区丸の内1-1-1"},
		"provider_corporation": {"1"}, "provider_representative": {"山本一郎"}, "acquisition": {"登録フォームで本人から取得"},
		"received_on": {"2026-03-31"}, "category": {"job_seeker"}, "items_job_seeker": {"name", "career"}, "items_employee": {"health_check"},
		"count": {"3"}, "basis": {"opt_out"}, "record_method": {"individual"}}
	wantStatus(t, "opt-out unchecked", s.post("/console/receipts", form), http.StatusBadRequest, "個人情報保護委員会により公表",
		`value="株式会社人材バンク"`, "登録フォームで本人から取得", `value="career" checked`)
	form.Set("optout_published", "1")
	wantStatus(t, "recorded", s.post("/console/receipts", form), http.StatusOK, "受領記録を作成しました。", "令和11年4月1日")

	m := h.browser()
	m.loginAs(hogo.RoleManager)
	wantStatus(t, "manager list", m.get("/console/receipts"), http.StatusOK, "株式会社人材バンク", "オプトアウトによる提供", "氏名、職歴",
		"令和8年3月31日", "staff1")
	if list, _, _ := strings.Cut(m.get("/console/receipts").String(), `id="receipt-new"`); strings.Contains(list, "健康診断結果") {
		t.Error("an item of another category was recorded")
	}
	d := h.browser()
	d.loginAs(hogo.RoleDesk)
	r = d.get("/console/receipts?principal=0123456789abcdefghijklmnop")
	wantStatus(t, "desk filter", r, http.StatusOK, `id="no-receipts"`)
	if strings.Contains(r.String(), `id="receipt-form"`) {
		t.Error("the desk is offered the form")
	}
	wantStatus(t, "desk posts", d.post("/console/receipts", url.Values{"csrf": {d.csrf("/console/receipts")}}), http.StatusForbidden, msgForbidden)
	a := h.browser()
	a.loginAs(hogo.RoleAdmin)
	wantStatus(t, "admin", a.get("/console/receipts"), http.StatusForbidden, msgForbidden)
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "receipt.create", Limit: 10}); len(es) != 1 {
		t.Errorf("%d receipt.create entries", len(es))
	}
	if !strings.Contains(s.get("/console/").String(), `id="nav-receipts"`) || strings.Contains(a.get("/console/").String(), `id="nav-receipts"`) {
		t.Error("navigation to receipts")
	}
}
