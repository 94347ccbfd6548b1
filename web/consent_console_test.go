package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/mail/smtptest"
)

// TestConsentConsole: staff record a consent on the principal's consent
// page, the history shows it with its receipt, and withdrawing it there
// stops the use at once.
func TestConsentConsole(t *testing.T) {
	h := newHarness(t)
	pid, _ := createPrincipal(h, taroBody)
	b := h.browser()
	b.loginAs(hogo.RoleStaff)
	page := "/console/principals/" + pid + "/consents"
	r := b.post(page, url.Values{"csrf": {b.csrf(page)}, "purposes": {"marketing"}, "method": {"paper"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("record a consent: %d\n%s", r.status, r.body)
	}
	r = b.get(page)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `data-status="live"`) || !strings.Contains(string(r.body), "当社からの情報提供") {
		t.Fatalf("record a consent: %d\n%s", r.status, r.body)
	}
	if st := h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=marketing", "").status; st != http.StatusOK {
		t.Fatalf("marketing read after the console consent: %d", st)
	}
	m := regexp.MustCompile(`/consents/([0-9a-v]{26})/receipt`).FindSubmatch(r.body)
	if m == nil {
		t.Fatal("no receipt link")
	}
	cid := string(m[1])
	if r := b.get(page + "/" + cid + "/receipt"); r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "%PDF") {
		t.Errorf("receipt PDF: %d", r.status)
	}
	b.post(page+"/"+cid+"/withdraw", url.Values{"csrf": {b.csrf(page)}})
	r = b.get(page)
	if !strings.Contains(string(r.body), `data-status="withdrawn"`) {
		t.Fatalf("withdraw: %d\n%s", r.status, r.body)
	}
	if st := h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=marketing", "").status; st != http.StatusForbidden {
		t.Errorf("marketing read after the console withdrawal: %d", st)
	}
	// A verbal consent without its witness is refused with the reason.
	r = b.post(page, url.Values{"csrf": {b.csrf(page)}, "purposes": {"marketing"}, "method": {"verbal"}})
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "聞き取った者") {
		t.Errorf("verbal without witness: %d", r.status)
	}
	// The auditor sees the history but no form.
	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	if r := a.get(page); r.status != http.StatusOK || strings.Contains(string(r.body), `id="consent-form"`) {
		t.Errorf("auditor's view: %d", r.status)
	}
}

// TestProvisionConsole: the wizard shows the legal-basis decision first
// (a refusal with the principals and reasons, or the basis and a confirm
// button), then provides and records; the record and the export follow.
func TestProvisionConsole(t *testing.T) {
	h := newHarness(t)
	pid, _ := createPrincipal(h, taroBody)
	b := h.browser()
	b.loginAs(hogo.RoleStaff)
	form := url.Values{"recipient": {"client_company"}, "basis": {"consent"}, "items": {"name", "email"}, "principals": {pid}, "format": {"csv"}}
	form.Set("csrf", b.csrf("/console/provisions"))
	r := b.post("/console/provisions/preview", form)
	if !strings.Contains(string(r.body), `id="decision-refused"`) || !strings.Contains(string(r.body), "有効な同意がない") {
		t.Fatalf("preview without consent: %d\n%s", r.status, r.body)
	}
	// The wizard keeps what was chosen, and says why in words.
	if !strings.Contains(string(r.body), `id="pv-item-email" checked`) || strings.Contains(string(r.body), `id="pv-item-phone" checked`) ||
		!strings.Contains(string(r.body), `value="client_company" selected`) || !strings.Contains(string(r.body), "有効な同意なし 1人") {
		t.Errorf("the wizard after a refusal:\n%s", r.body)
	}
	h.as(hogo.RoleStaff, "POST", "/api/v1/principals/"+pid+"/consents", `{"recipients":["client_company"],"method":"web_form"}`)
	r = b.post("/console/provisions/preview", form)
	if !strings.Contains(string(r.body), `id="decision-ok"`) || !strings.Contains(string(r.body), `id="provision-confirm"`) {
		t.Fatalf("preview with consent: %d\n%s", r.status, r.body)
	}
	r = b.post("/console/provisions", form)
	if !strings.Contains(string(r.body), `id="provision-done"`) {
		t.Fatalf("provide: %d\n%s", r.status, r.body)
	}
	m := regexp.MustCompile(`/console/provisions/([0-9a-v]{26})/export`).FindSubmatch(r.body)
	if m == nil {
		t.Fatal("no export link")
	}
	if r := b.get(fmt.Sprintf("/console/provisions/%s/export", m[1])); r.status != http.StatusOK || !strings.Contains(string(r.body), "taro@example.jp") {
		t.Errorf("export: %d", r.status)
	}
	mgr := h.browser()
	mgr.loginAs(hogo.RoleManager)
	if r := mgr.get("/console/provisions?principal=" + pid); !strings.Contains(string(r.body), `id="provision-records"`) || !strings.Contains(string(r.body), "派遣先・紹介先の企業") {
		t.Errorf("records page: %d", r.status)
	}
	d := h.browser()
	d.loginAs(hogo.RoleAdmin)
	if r := d.get("/console/provisions"); r.status != http.StatusForbidden {
		t.Errorf("admin on the provision page: %d", r.status)
	}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// TestConsentPortal: the principal proves their registered address with a
// code sent to it, sees their consents and withdraws one; the vault obeys
// at once. An address the company does not hold gets the same page and no
// mail.
func TestConsentPortal(t *testing.T) {
	relay := smtptest.Start(t)
	h := newHarness(t, withMail(relay))
	pid, _ := createPrincipal(h, taroBody)
	h.as(hogo.RoleStaff, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"method":"web_form"}`)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	post := func(path string, v url.Values) *response {
		return h.send(http.DefaultClient, "POST", path, strings.NewReader(v.Encode()), form)
	}
	unknown := post("/consents/code", url.Values{"email": {"nobody@example.jp"}})
	r := post("/consents/code", url.Values{"email": {"TARO@example.jp"}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `id="portal-code-sent"`) {
		t.Fatalf("code: %d\n%s", r.status, r.body)
	}
	strip := func(b []byte) string { return tokenRE.ReplaceAllString(string(b), "") }
	if strip(unknown.body) != strip(r.body) {
		t.Error("an unknown address gets a different page")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := msgs[0].Parse()
	code := regexp.MustCompile(`確認コード: (\d{6})`).FindStringSubmatch(m.Text)
	if code == nil || m.To != "TARO@example.jp" {
		t.Fatalf("mail to %q:\n%s", m.To, m.Text)
	}
	token := tokenRE.FindSubmatch(r.body)[1]
	if r := post("/consents/verify", url.Values{"token": {string(token)}, "code": {"000000"}}); r.status != http.StatusBadRequest {
		t.Errorf("wrong code: %d", r.status)
	}
	r = post("/consents/verify", url.Values{"token": {string(token)}, "code": {code[1]}})
	if !strings.Contains(string(r.body), `data-status="live"`) || !strings.Contains(string(r.body), "当社からの情報提供") {
		t.Fatalf("verified page: %d\n%s", r.status, r.body)
	}
	cid := regexp.MustCompile(`name="consent" value="([^"]+)"`).FindSubmatch(r.body)[1]
	vtok := tokenRE.FindSubmatch(r.body)[1]
	if rc := post("/consents/receipt", url.Values{"token": {string(vtok)}, "principal": {pid}, "consent": {string(cid)}}); rc.status != http.StatusOK ||
		!strings.HasPrefix(string(rc.body), "%PDF") {
		t.Errorf("receipt on the portal: %d", rc.status)
	}
	r = post("/consents/withdraw", url.Values{"token": {string(vtok)}, "principal": {pid}, "consent": {string(cid)}})
	if !strings.Contains(string(r.body), `data-status="withdrawn"`) {
		t.Fatalf("withdraw: %d\n%s", r.status, r.body)
	}
	if st := h.as(hogo.RoleManager, "GET", "/api/v1/principals/"+pid+"?purpose=marketing", "").status; st != http.StatusForbidden {
		t.Errorf("marketing read after the portal withdrawal: %d", st)
	}
	// The unverified token cannot withdraw.
	if r := post("/consents/withdraw", url.Values{"token": {string(token)}, "principal": {pid}, "consent": {string(cid)}}); r.status != http.StatusBadRequest {
		t.Errorf("withdraw with the code token: %d", r.status)
	}
	if len(relay.Messages()) != 1 {
		t.Errorf("%d mails, want 1 (none to the unknown address)", len(relay.Messages()))
	}
	holdsNone(t, "the server log", h.logs.String(), []string{"taro@example.jp", "TARO@example.jp", code[1]})
}
