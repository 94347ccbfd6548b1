package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/vault"
)

type provisionJSON struct {
	provision.Record
	Error struct {
		Code, Message, Reason string
	} `json:"error"`
	Refusals []provision.Refusal `json:"refusals"`
}

func provide(h *harness, role hogo.Role, body string) (int, provisionJSON) {
	h.t.Helper()
	r := h.as(role, "POST", "/api/v1/provisions", body)
	var p provisionJSON
	r.decode(h.t, &p)
	return r.status, p
}

// TestProvisionAPI is the documented path: without consent nothing goes
// out (422 no_lawful_basis, the reason, no record); with consent the
// provider record is written with its retention and the export that went
// out; the records are found by principal.
func TestProvisionAPI(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager
	pid, _ := createPrincipal(h, taroBody)
	other, _ := createPrincipal(h, strings.Replace(taroBody, "taro@example.jp", "jiro@example.jp", 1))
	body := fmt.Sprintf(`{"recipient":"client_company","principals":[%q,%q],"items":["name","email"],"basis":"consent"}`, pid, other)

	st, p := provide(h, mgr, body)
	if st != http.StatusUnprocessableEntity || p.Error.Code != hogo.ENOLAWFULBASIS || p.Error.Reason != provision.ReasonNoConsent || len(p.Refusals) != 2 {
		t.Fatalf("without consent: %d %+v", st, p)
	}
	var list struct {
		Provisions []provision.Record `json:"provisions"`
	}
	h.as(mgr, "GET", "/api/v1/provisions?principal="+pid, "").decode(t, &list)
	if len(list.Provisions) != 0 {
		t.Fatalf("a refused provision left a record: %+v", list.Provisions)
	}
	// One consents; the other does not: still nothing goes out.
	h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"recipients":["client_company"],"method":"web_form"}`)
	if st, p = provide(h, mgr, body); st != http.StatusUnprocessableEntity || len(p.Refusals) != 1 || p.Refusals[0].Principal != other {
		t.Fatalf("one without consent: %d %+v", st, p)
	}
	h.as(mgr, "POST", "/api/v1/principals/"+other+"/consents", `{"recipients":["client_company"],"method":"paper"}`)
	st, p = provide(h, mgr, body)
	if st != http.StatusCreated {
		t.Fatalf("with consent: %d %+v", st, p)
	}
	if p.Basis != "consent" || !strings.Contains(p.Statement, "同意") || p.RecipientName != "派遣先・紹介先の企業" || p.Count != 2 ||
		p.RecordMethod != "bulk" || p.RetainUntil[:4] != fmt.Sprint(p.ProvidedAt.Year()+3) || len(p.ExportSHA256) != 64 {
		t.Errorf("record: %+v", p.Record)
	}
	// The export that went out, as it went.
	r := h.as(mgr, "GET", p.ExportURL, "")
	sum := sha256.Sum256(r.body)
	if r.status != http.StatusOK || hex.EncodeToString(sum[:]) != p.ExportSHA256 || !strings.Contains(string(r.body), "氏名,メールアドレス") ||
		!strings.Contains(string(r.body), "jiro@example.jp") || strings.Contains(string(r.body), "09012345678") {
		t.Errorf("export: %d\n%s", r.status, r.body)
	}
	h.as(mgr, "GET", "/api/v1/provisions?principal="+pid, "").decode(t, &list)
	if len(list.Provisions) != 1 || list.Provisions[0].ID != p.ID || list.Provisions[0].Count != 2 {
		t.Errorf("records of the principal: %+v", list.Provisions)
	}
	h.as(mgr, "GET", "/api/v1/provisions", "").decode(t, &list)
	if len(list.Provisions) != 1 || list.Provisions[0].Count != 2 {
		t.Errorf("all records: %+v", list.Provisions)
	}
	// Audited per principal, with no value.
	es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Target: p.ID, Limit: 10})
	if len(es) < 3 {
		t.Errorf("%d audit entries for the provision", len(es))
	}
	holdsNone(t, "the provision's audit entries", auditJSON(t, es), []string{"taro@example.jp", "jiro@example.jp", "山田"})

	// Withdrawing the consent stops the next provision at once.
	var cons struct {
		Consents []vault.ConsentView `json:"consents"`
	}
	h.as(mgr, "GET", "/api/v1/principals/"+other+"/consents", "").decode(t, &cons)
	h.as(mgr, "DELETE", "/api/v1/principals/"+other+"/consents/"+cons.Consents[0].ID, "")
	if st, _ := provide(h, mgr, body); st != http.StatusUnprocessableEntity {
		t.Errorf("after withdrawal: %d", st)
	}
}

// TestProvisionBases: each basis and its limits.
func TestProvisionBases(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager
	pid, _ := createPrincipal(h, taroBody)
	ctx := context.Background()
	desk := hogo.Actor{UserID: h.users[hogo.RoleDesk].ID, Name: userName(hogo.RoleDesk), Role: hogo.RoleDesk}
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"opt-out to a consent recipient", `"recipient":"client_company","items":["name"],"basis":"opt_out"`, 422, hogo.ENOLAWFULBASIS},
		{"exception without justification", `"recipient":"client_company","items":["name"],"basis":"exception","exception":"law"`, 400, hogo.EINVALID},
		{"exception not in the ledger", `"recipient":"client_company","items":["name"],"basis":"exception","exception":"academic","justification":"研究"`, 422, hogo.ENOLAWFULBASIS},
		{"exception", `"recipient":"client_company","items":["name"],"basis":"exception","exception":"law","justification":"裁判所の文書提出命令"`, 201, ""},
		{"entrustment to a processor", `"recipient":"mailing","items":["name","address"],"basis":"entrustment"`, 201, ""},
		{"entrustment to a recipient", `"recipient":"client_company","items":["name"],"basis":"entrustment"`, 400, hogo.EINVALID},
		{"unknown recipient", `"recipient":"nobody","items":["name"],"basis":"consent"`, 400, hogo.EINVALID},
		{"unknown basis", `"recipient":"client_company","items":["name"],"basis":"friendship"`, 400, hogo.EINVALID},
		{"item not for that recipient's category", `"recipient":"client_company","items":["mynumber"],"basis":"consent"`, 400, hogo.EINVALID},
		{"bad format", `"recipient":"client_company","items":["name"],"basis":"exception","exception":"law","justification":"x","format":"pdf"`, 400, hogo.EINVALID},
	} {
		st, p := provide(h, mgr, fmt.Sprintf(`{"principals":[%q],%s}`, pid, tc.body))
		if st != tc.status || p.Error.Code != tc.code {
			t.Errorf("%s: %d %s %s, want %d %s", tc.name, st, p.Error.Code, p.Error.Message, tc.status, tc.code)
		}
	}
	// The auditor and the desk may not provide.
	for _, role := range []hogo.Role{hogo.RoleAuditor, hogo.RoleDesk, hogo.RoleAdmin} {
		if st, _ := provide(h, role, fmt.Sprintf(`{"principals":[%q],"recipient":"client_company","items":["name"],"basis":"consent"}`, pid)); st != http.StatusForbidden {
			t.Errorf("%s providing: %d", role, st)
		}
	}
	// A stop of provision at the principal's request refuses even a
	// consented provision; entrustment is not provision and goes on.
	h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"recipients":["client_company"],"method":"web_form"}`)
	if err := h.srv.Vault.RightsSuspend(ctx, desk, pid, "20261124-TEST-0001", []string{vault.StopProvision}); err != nil {
		t.Fatal(err)
	}
	st, p := provide(h, mgr, fmt.Sprintf(`{"principals":[%q],"recipient":"client_company","items":["name"],"basis":"consent"}`, pid))
	if st != 422 || p.Error.Reason != provision.ReasonProvisionStopped {
		t.Errorf("after a stop of provision: %d %+v", st, p)
	}
	if st, _ := provide(h, mgr, fmt.Sprintf(`{"principals":[%q],"recipient":"mailing","items":["name"],"basis":"entrustment"}`, pid)); st != 201 {
		t.Errorf("entrustment after a stop of provision: %d", st)
	}
}

// TestProvisionRecordsDisclosed: a request to disclose provision records
// (APPI Art. 33(5)) answers with the records, in the letter and the
// archive.
func TestProvisionRecordsDisclosed(t *testing.T) {
	h := newHarness(t)
	const mgr, desk = hogo.RoleManager, hogo.RoleDesk
	pid, _ := createPrincipal(h, taroBody)
	h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"recipients":["client_company"],"method":"web_form"}`)
	if st, p := provide(h, mgr, fmt.Sprintf(`{"principals":[%q],"recipient":"client_company","items":["name","email"],"basis":"consent"}`, pid)); st != 201 {
		t.Fatalf("provide: %d %+v", st, p)
	}
	rr := h.as(mgr, "POST", "/api/v1/receipts", fmt.Sprintf(`{"provider_name":"株式会社みなと求人広告","provider_address":"東京都港区芝9-9-9",
		"provider_corporation":true,"provider_representative":"代表取締役 港 一郎","received_on":"2026-11-20","acquisition":"同社の求人サイトで本人が登録し、提供に同意したもの",
		"category":"job_seeker","items":["name","email"],"principals":[%q],"basis":"consent","consent_confirmed":true}`, pid))
	if rr.status != http.StatusCreated {
		t.Fatalf("receipt record: %d %s", rr.status, rr.body)
	}
	r := h.as(desk, "POST", "/api/v1/requests", `{"types":["disclose_records"],"channel":"post","response_method":"paper",
		"requester":{"kind":"principal","name":"山田 太郎","address":"大阪府大阪市北区梅田9-9-9"}}`)
	var rc struct {
		ID     string `json:"id"`
		Number string `json:"receipt_number"`
		Secret string `json:"secret"`
	}
	r.decode(t, &rc)
	h.step(desk, rc.ID, "checks", `{"method":"document","documents":["driver_licence"],"passed":true}`)
	h.step(desk, rc.ID, "payments", `{"method":"bank_transfer","amount":1000}`)
	h.step(desk, rc.ID, "match", fmt.Sprintf(`{"principal":%q}`, pid))
	h.step(desk, rc.ID, "decisions", `{"type":"disclose_records","outcome":"granted"}`)
	h.step(desk, rc.ID, "answer", "")
	var det struct {
		Files []struct{ ID, Kind string } `json:"files"`
	}
	h.as(desk, "GET", "/api/v1/requests/"+rc.ID, "").decode(t, &det)
	var letterID string
	for _, f := range det.Files {
		if f.Kind == hogo.FileAnswerLetter {
			letterID = f.ID
		}
	}
	pdf := h.as(desk, "GET", "/api/v1/requests/"+rc.ID+"/files/"+letterID, "")
	text, err := pdftext.Text(pdf.body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"第三者に提供した記録", "派遣先・紹介先の企", "氏名、メールアドレス", "本人の同意を得ている旨",
		"株式会社みなと求人", "同社の求人サイト"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
}
