package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/letter/pdftext"
)

// The provision of anonymised information to third parties (APPI Art.
// 43(4)), pseudonymised information (Art. 41) and statistics, over the
// API, the console and the portal.

// The provision the tests record: a recipient, its address and the method
// of provision, nine days after the datasets' clock.
const (
	provRecipient = "株式会社架空データ分析研究所"
	provAddress   = "東京都港区架空一丁目2番3号"
	provMethod    = "暗号化したCSVファイルを専用の転送サービスで送付"
	provDay       = "2026-04-10"
	provDayJa     = "令和8年4月10日"
)

var provBody = fmt.Sprintf(`{"recipient":%q,"recipient_address":%q,"method":%q,"provided_on":%q}`, provRecipient, provAddress, provMethod, provDay)

type datasetProvisionAPIJSON struct {
	ID               string `json:"id"`
	DatasetID        string `json:"dataset_id"`
	Recipient        string `json:"recipient"`
	RecipientAddress string `json:"recipient_address"`
	Method           string `json:"method"`
	ProvidedOn       string `json:"provided_on"`
	CreatedAt        string `json:"created_at"`
	PublishedAt      string `json:"published_at"`
	Actor            string `json:"actor"`
	Letter           string `json:"letter"`
}

// TestDatasetProvisionAPI: the manager records a provision of anonymised
// information and reads its cover letter (a PDF that says the information
// is anonymised and names the recipient); the manager and the auditor
// list the provisions (the letter's address for the manager alone); other
// roles are refused; bad input is refused naming the field and never a
// value; an unknown dataset or provision is not found; audited.
func TestDatasetProvisionAPI(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	personal := seedSeekers(h)
	d := createDataset(h)
	base := "/api/v1/datasets/" + d.ID + "/provisions"

	var list struct {
		Provisions []datasetProvisionAPIJSON `json:"provisions"`
	}
	if r := h.as(hogo.RoleManager, "GET", base, ""); r.status != http.StatusOK || !strings.Contains(r.String(), `"provisions": []`) {
		t.Errorf("no provision yet: %d %s", r.status, r.body)
	}

	r := h.as(hogo.RoleManager, "POST", base, provBody)
	if r.status != http.StatusCreated {
		t.Fatalf("provide: %d\n%s", r.status, r.body)
	}
	var pv datasetProvisionAPIJSON
	r.decode(t, &pv)
	letterURL := base + "/" + pv.ID + "/letter"
	if pv.ID == "" || pv.DatasetID != d.ID || pv.Recipient != provRecipient || pv.RecipientAddress != provAddress || pv.Method != provMethod ||
		pv.ProvidedOn != provDay || pv.Actor != userName(hogo.RoleManager) || pv.Letter != letterURL || r.header.Get("Location") != letterURL ||
		!strings.HasPrefix(pv.CreatedAt, "2026-04-01T10:00:00") || !strings.HasPrefix(pv.PublishedAt, "2026-04-01T10:00:00") {
		t.Errorf("provision: %s (Location %q)", r.body, r.header.Get("Location"))
	}
	holdsNone(t, "the provision", r.String(), personal)

	// The provided day defaults to today.
	r = h.as(hogo.RoleManager, "POST", base, `{"recipient":"架空統計株式会社","method":"記録媒体を手渡し"}`)
	var today datasetProvisionAPIJSON
	r.decode(t, &today)
	if r.status != http.StatusCreated || today.ProvidedOn != "2026-04-01" || today.RecipientAddress != "" {
		t.Errorf("provision without a day: %d %s", r.status, r.body)
	}

	for _, role := range []hogo.Role{hogo.RoleManager, hogo.RoleAuditor} {
		r := h.as(role, "GET", base, "")
		list.Provisions = nil
		r.decode(t, &list)
		if r.status != http.StatusOK || len(list.Provisions) != 2 || list.Provisions[0].ID != pv.ID || list.Provisions[0].Recipient != provRecipient ||
			list.Provisions[1].ID != today.ID {
			t.Errorf("%s list: %d %s", role, r.status, r.body)
			continue
		}
		if wantLetter := role == hogo.RoleManager; (list.Provisions[0].Letter == letterURL) != wantLetter {
			t.Errorf("%s list: letter %q", role, list.Provisions[0].Letter)
		}
	}

	// The cover letter: a PDF saying the information is anonymised, to the
	// recipient, with the items, the method and the day.
	r = h.as(hogo.RoleManager, "GET", letterURL, "")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" ||
		r.header.Get("Content-Disposition") != `attachment; filename="dataset-provision-`+pv.ID+`.pdf"` || !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
		t.Fatalf("letter: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	text, err := pdftext.Text(r.body)
	if err != nil {
		t.Fatalf("the letter is not a readable PDF: %v", err)
	}
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"匿名加工情報", provRecipient, provAddress, provMethod, provDayJa, "生年月日", "第43条第4項", "第45条", pv.ID,
		h.ledger.Organization.Name.Ja} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
	holdsNone(t, "the letter", text, personal)

	// Refusals by role.
	for _, c := range []struct {
		method, path string
		roles        []hogo.Role
	}{
		{"POST", base, []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor}},
		{"GET", base, []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin}},
		{"GET", letterURL, []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor}},
	} {
		for _, role := range c.roles {
			body := ""
			if c.method == "POST" {
				body = provBody
			}
			r := h.as(role, c.method, c.path, body)
			if code, _, _ := r.errorJSON(t); r.status != http.StatusForbidden || code != hogo.EFORBIDDEN {
				t.Errorf("%s %s as %s: %d %s", c.method, c.path, role, r.status, r.body)
			}
			holdsNone(t, "a refusal", r.String(), []string{provRecipient, provAddress})
		}
	}

	// Bad input: 400 naming the field, never a value.
	secret := "山田太郎様の住所を含む提供方法"
	for _, c := range []struct{ name, body, field string }{
		{"no recipient", `{"method":"` + secret + `"}`, "recipient"},
		{"a blank recipient", `{"recipient":"   ","method":"` + secret + `"}`, "recipient"},
		{"no method", `{"recipient":"` + secret + `"}`, "method"},
		{"a recipient too long", `{"recipient":"` + strings.Repeat("山田太郎", 51) + `","method":"手渡し"}`, "recipient"},
		{"an address too long", `{"recipient":"架空統計株式会社","recipient_address":"` + strings.Repeat("山田太郎", 76) + `","method":"手渡し"}`, "recipient_address"},
		{"a method too long", `{"recipient":"架空統計株式会社","method":"` + strings.Repeat("山田太郎", 126) + `"}`, "method"},
		{"a day not a date", `{"recipient":"` + secret + `","method":"手渡し","provided_on":"令和8年4月10日"}`, "provided_on"},
		{"a day passed", `{"recipient":"` + secret + `","method":"手渡し","provided_on":"2026-03-31"}`, "provided_on"},
		{"an unknown field", `{"recipient":"` + secret + `","method":"手渡し","recipient_phone":"03-1234-5678"}`, "recipient_phone"},
		{"a number as recipient", `{"recipient":12345678,"method":"手渡し"}`, "recipient"},
	} {
		r := h.as(hogo.RoleManager, "POST", base, c.body)
		code, msg, field := r.errorJSON(t)
		if r.status != http.StatusBadRequest || code != hogo.EINVALID || field != c.field || msg == "" {
			t.Errorf("%s: %d %s %q on %q, want 400 on %q", c.name, r.status, code, msg, field, c.field)
		}
		holdsNone(t, c.name, r.String(), []string{secret, "山田太郎", "03-1234-5678", "令和8年4月10日"})
	}

	// Unknown datasets and provisions.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/v1/datasets/0123456789abcdefghijklmnop/provisions", provBody},
		{"GET", "/api/v1/datasets/0123456789abcdefghijklmnop/provisions", ""},
		{"GET", "/api/v1/datasets/nope/provisions", ""},
		{"GET", "/api/v1/datasets/0123456789abcdefghijklmnop/provisions/" + pv.ID + "/letter", ""},
		{"GET", base + "/0123456789abcdefghijklmnop/letter", ""},
		{"GET", base + "/nope/letter", ""},
	} {
		if r := h.as(hogo.RoleManager, c.method, c.path, c.body); r.status != http.StatusNotFound {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	h.as(hogo.RoleManager, "GET", base, "").decode(t, &list)
	if len(list.Provisions) != 2 {
		t.Errorf("%d provisions after the refusals, want 2", len(list.Provisions))
	}

	// Audited: each provision once, with its day, never the recipient.
	es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "dataset.provide", Limit: 10})
	if len(es) != 2 || es[0].Target != d.ID || es[0].Actor != userName(hogo.RoleManager) {
		t.Errorf("audit: %s", auditJSON(t, es))
	}
	holdsNone(t, "the provisions' audit entries", auditJSON(t, es), append(slices.Clone(personal), provRecipient, provAddress))
}

// TestDatasetProvisionConsole: on an anonymised dataset's page the manager
// records a provision with the form (CSRF-protected; a refusal shows the
// form again as filled in), lists it and reads its cover letter; the
// auditor sees the list without the form or the letters; the portal then
// publishes the day and the method of provision with each dataset, never
// the recipient.
func TestDatasetProvisionConsole(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	personal := seedSeekers(h)
	d := createDataset(h)
	page := "/console/datasets/" + d.ID

	anon := h.browser()
	if r := anon.get("/anonymized"); strings.Contains(r.String(), "anonymized-provisions") {
		t.Error("the portal lists provisions before any")
	}

	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r := m.get(page)
	wantStatus(t, "record", r, http.StatusOK, "第三者への提供", `id="dataset-provide-form"`, `action="/console/datasets/`+d.ID+`/provisions"`,
		`name="recipient"`, `name="recipient_address"`, `name="method"`, `name="provided_on" type="date" value="2026-04-01"`, `id="dataset-no-provisions"`,
		"提供先の名称", "所在地", "提供の方法", "提供日", "第43条第4項")
	token := m.csrf(page)

	f := url.Values{"recipient": {provRecipient}, "recipient_address": {provAddress}, "method": {provMethod}, "provided_on": {provDay}}
	wantStatus(t, "without csrf", m.post(page+"/provisions", f), http.StatusForbidden, msgCSRF)
	f.Set("csrf", token)
	bad := url.Values{"csrf": {token}, "recipient_address": {provAddress}, "method": {provMethod}, "provided_on": {provDay}}
	wantStatus(t, "no recipient", m.post(page+"/provisions", bad), http.StatusBadRequest, "提供先の名称を入力してください", provMethod, provAddress,
		`id="dataset-provide-form"`)
	bad.Set("recipient", provRecipient)
	bad.Set("provided_on", "2026-03-01")
	wantStatus(t, "a day passed", m.post(page+"/provisions", bad), http.StatusBadRequest, "提供日が過ぎています", `value="2026-03-01"`)
	if r := h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/provisions", ""); strings.Contains(r.String(), provRecipient) {
		t.Fatal("a refused form recorded a provision")
	}

	r = m.post(page+"/provisions", f)
	wantRedirect(t, "provide", r, http.StatusSeeOther, page+"?done=provided#dataset-provisions")
	r = m.get(page + "?done=provided")
	wantStatus(t, "provided", r, http.StatusOK, "第三者への提供を記録し", `id="dataset-provision-list"`, provRecipient, provAddress, provMethod,
		provDayJa, userName(hogo.RoleManager), "提供の通知書（PDF）")
	letter := regexp.MustCompile(`href="(/console/datasets/` + d.ID + `/provisions/[0-9a-z]+/letter)"`).FindStringSubmatch(r.String())
	if letter == nil {
		t.Fatalf("no letter link:\n%s", r.body)
	}
	holdsNone(t, "the record's page", r.String(), personal)
	l := m.get(letter[1])
	if l.status != http.StatusOK || l.header.Get("Content-Type") != "application/pdf" || !strings.Contains(l.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("console letter: %d %q %q", l.status, l.header.Get("Content-Type"), l.header.Get("Content-Disposition"))
	}
	if text, err := pdftext.Text(l.body); err != nil || !strings.Contains(text, "匿名加工情報") || !strings.Contains(strings.Join(strings.Fields(text), ""), provRecipient) {
		t.Errorf("console letter text (%v):\n%s", err, text)
	}
	wantStatus(t, "unknown letter", m.get(page+"/provisions/0123456789abcdefghijklmnop/letter"), http.StatusNotFound)
	wantStatus(t, "provision to an unknown dataset", m.post("/console/datasets/0123456789abcdefghijklmnop/provisions", f), http.StatusNotFound)
	wantStatus(t, "English", m.get(page+"?lang=en"), http.StatusOK, "Provision to third parties", "Recipient", "Method of provision", provDay)
	m.get(page + "?lang=ja")

	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	r = a.get(page)
	wantStatus(t, "auditor record", r, http.StatusOK, "第三者への提供", provRecipient, provMethod, provDayJa)
	if strings.Contains(r.String(), `id="dataset-provide-form"`) || strings.Contains(r.String(), "/letter") {
		t.Error("the auditor is offered the form or the letters")
	}
	wantStatus(t, "auditor letter", a.get(letter[1]), http.StatusForbidden, msgForbidden)
	f.Set("csrf", a.csrf(page))
	wantStatus(t, "auditor provides", a.post(page+"/provisions", f), http.StatusForbidden, msgForbidden)

	// The portal: the day and the method, published before the provision;
	// never the recipient.
	r = anon.get("/anonymized")
	wantStatus(t, "portal", r, http.StatusOK, `id="anonymized-`+d.ID+`"`, "第三者への提供", "提供日", "提供の方法", provDayJa, provMethod,
		"提供に先立ち", "第43条第4項")
	holdsNone(t, "the portal", r.String(), append(slices.Clone(personal), provRecipient, "架空データ", provAddress, userName(hogo.RoleManager), `name="csrf"`))
	wantStatus(t, "portal in English", h.browser().get("/anonymized?lang=en"), http.StatusOK, "10 April 2026", provMethod, "Method of provision")
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "dataset.provide", Limit: 10}); len(es) != 1 {
		t.Errorf("%d dataset.provide entries, want 1", len(es))
	}
}

// loadRecruitment makes the recruitment ledger, which states purposes of
// pseudonymised information, the server's, and registers job seekers in
// it; it returns the values that identify them (names, e-mail addresses,
// addresses), which pseudonymised information never holds.
func loadRecruitment(h *harness, n int) []string {
	h.t.Helper()
	data, err := examples.Ledgers.ReadFile("ledgers/recruitment.yaml")
	if err != nil {
		h.t.Fatal(err)
	}
	h.loadNoticeLedger(data)
	var identifying []string
	careers := []string{"営業職5年", "経理事務3年", "システム開発8年"}
	for i := range n {
		name := fmt.Sprintf("仮名 太郎%02d", i)
		email := fmt.Sprintf("kamei%02d.taro@example.jp", i)
		addr := fmt.Sprintf("京都府京都市下京区烏丸通%d番地", 100+i)
		body, _ := json.Marshal(map[string]any{"category": "job_seeker", "purpose": "service_provision", "source": "web",
			"items": map[string]string{"name": name, "email": email, "birth_date": fmt.Sprintf("199%d-0%d-1%d", i%10, 1+i%9, i%10),
				"address": addr, "career": careers[i%3], "qualifications": "普通自動車免許"}})
		createPrincipal(h, string(body))
		identifying = append(identifying, name, email, addr)
	}
	return identifying
}

// pseudoSpec is the body of a pseudonymised creation in the recruitment
// ledger: birth dates, careers and qualifications, read for statistics,
// for the second purpose of its pseudonymized.purposes.
const pseudoSpec = `"title":"求職者の職歴の研究用データ","category":"job_seeker","purpose":"statistics","items":["birth_date","career","qualifications"],"use_purpose":1`

// TestPseudonymizedAPI: without purposes of pseudonymised information in
// the ledger nothing is made; with them the manager makes pseudonymised
// information, listed as its kind with the three steps of 則31 and its
// use purpose; its table holds pseudonyms and the items kept, never a
// name, an e-mail or an address; its removed information maps the
// pseudonyms back, for the manager alone; it is never provided nor
// published; bad specs are refused naming the field.
func TestPseudonymizedAPI(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	// The staffing ledger states no purpose of pseudonymised information.
	r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets/pseudonymized", `{`+pseudoSpec+`}`)
	if code, _, field := r.errorJSON(t); r.status != http.StatusBadRequest || code != hogo.EINVALID || field != "use_purpose" {
		t.Errorf("without purposes in the ledger: %d %s", r.status, r.body)
	}
	const n = 12
	identifying := loadRecruitment(h, n)

	r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/pseudonymized", `{`+pseudoSpec+`}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	var d struct {
		datasetAPIJSON
		Report struct {
			Rows       int
			UsePurpose struct{ Ja, En string } `json:"use_purpose"`
		} `json:"report"`
	}
	r.decode(t, &d)
	if d.ID == "" || r.header.Get("Location") != "/api/v1/datasets/"+d.ID || d.Kind != hogo.DatasetPseudonymized || d.Title != "求職者の職歴の研究用データ" ||
		d.Category != "job_seeker" || d.Purpose != "statistics" || d.Rows != n || len(d.Items) != 3 || len(d.Steps) != 3 ||
		d.Report.UsePurpose.Ja != "新たなサービスの研究開発のため" || d.Actor != userName(hogo.RoleManager) || !d.CreatedAt.Equal(datasetsNow) {
		t.Fatalf("created: %s", r.body)
	}
	// The use purpose changed to the ledger's first: recorded with its
	// history; the same again is refused, and so is a desk clerk.
	r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/"+d.ID+"/purpose", `{"use_purpose":0}`)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "purpose_changes") || !strings.Contains(string(r.body), "新たなサービスの研究開発のため") {
		t.Errorf("purpose change: %d %s", r.status, r.body)
	}
	if r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/"+d.ID+"/purpose", `{"use_purpose":0}`); r.status != http.StatusBadRequest {
		t.Errorf("the same purpose again: %d %s", r.status, r.body)
	}
	if r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/"+d.ID+"/purpose", `{}`); r.status != http.StatusBadRequest {
		t.Errorf("no purpose: %d %s", r.status, r.body)
	}
	if r = h.as(hogo.RoleDesk, "POST", "/api/v1/datasets/"+d.ID+"/purpose", `{"use_purpose":1}`); r.status != http.StatusForbidden {
		t.Errorf("desk: %d", r.status)
	}
	for i, st := range d.Steps {
		if st.Rule != i+1 || st.Ja == "" || st.En == "" {
			t.Errorf("step %d: %+v", i+1, st)
		}
	}
	if !strings.Contains(d.Steps[0].Ja, "氏名") {
		t.Errorf("step 1 does not name the names replaced: %s", d.Steps[0].Ja)
	}
	holdsNone(t, "the dataset", r.String(), identifying)

	// Listed and read as any dataset, with its kind.
	var list struct {
		Datasets []datasetAPIJSON `json:"datasets"`
	}
	h.as(hogo.RoleAuditor, "GET", "/api/v1/datasets", "").decode(t, &list)
	if len(list.Datasets) != 1 || list.Datasets[0].Kind != hogo.DatasetPseudonymized {
		t.Errorf("list: %+v", list.Datasets)
	}

	// The table: a pseudonym per principal, the items as held.
	r = h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/data", "")
	rows, err := csv.NewReader(strings.NewReader(r.String())).ReadAll()
	if r.status != http.StatusOK || err != nil || len(rows) != n+1 || !slices.Equal(rows[0], []string{"pseudonym", "birth_date", "career", "qualifications"}) {
		t.Fatalf("data: %d %v\n%s", r.status, err, r.body)
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[0], "P") || seen[row[0]] {
			t.Errorf("pseudonym %q", row[0])
		}
		seen[row[0]] = true
	}
	holdsNone(t, "the pseudonymised table", r.String(), identifying)

	// The removed information: the pseudonyms and whom they stand for.
	r = h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/method", "")
	var removed struct {
		Pseudonyms map[string]string
		Keyset     struct {
			EncryptedKeyset string `json:"encryptedKeyset"`
		}
	}
	r.decode(t, &removed)
	if r.status != http.StatusOK || len(removed.Pseudonyms) != n || removed.Keyset.EncryptedKeyset == "" {
		t.Errorf("removed information: %d %s", r.status, r.body)
	}
	for p := range removed.Pseudonyms {
		if !seen[p] {
			t.Errorf("the removed information maps %q, which the table does not hold", p)
		}
	}
	if r := h.as(hogo.RoleAuditor, "GET", "/api/v1/datasets/"+d.ID+"/method", ""); r.status != http.StatusForbidden {
		t.Errorf("the auditor reads the removed information: %d", r.status)
	}

	// Never provided (Art. 41(6)), never published.
	r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/"+d.ID+"/provisions", provBody)
	if code, msg, field := r.errorJSON(t); r.status != http.StatusBadRequest || code != hogo.EINVALID || field != "id" || !strings.Contains(msg, "41(6)") {
		t.Errorf("provide pseudonymised information: %d %s", r.status, r.body)
	}
	if r := h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/provisions", ""); r.status != http.StatusOK || !strings.Contains(r.String(), `"provisions": []`) {
		t.Errorf("provisions of pseudonymised information: %d %s", r.status, r.body)
	}
	if r := h.browser().get("/anonymized"); strings.Contains(r.String(), d.ID) || strings.Contains(r.String(), d.Title) || !strings.Contains(r.String(), `id="anonymized-empty"`) {
		t.Errorf("the portal publishes pseudonymised information:\n%s", r.body)
	}

	// Refusals by role.
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor} {
		r := h.as(role, "POST", "/api/v1/datasets/pseudonymized", `{`+pseudoSpec+`}`)
		if code, _, _ := r.errorJSON(t); r.status != http.StatusForbidden || code != hogo.EFORBIDDEN {
			t.Errorf("create as %s: %d %s", role, r.status, r.body)
		}
	}

	// Bad specs: 400 naming the field, never a value.
	for _, c := range []struct{ name, body, field string }{
		{"no use purpose", `{"category":"job_seeker","purpose":"statistics","items":["career"]}`, "use_purpose"},
		{"a use purpose out of range", `{"category":"job_seeker","purpose":"statistics","items":["career"],"use_purpose":2}`, "use_purpose"},
		{"a negative use purpose", `{"category":"job_seeker","purpose":"statistics","items":["career"],"use_purpose":-1}`, "use_purpose"},
		{"a use purpose as text", `{"category":"job_seeker","purpose":"statistics","items":["career"],"use_purpose":"新たなサービスの研究開発のため"}`, "use_purpose"},
		{"unknown category", `{"category":"pets","purpose":"statistics","items":["career"],"use_purpose":0}`, "category"},
		{"no purpose", `{"category":"job_seeker","items":["career"],"use_purpose":0}`, "purpose"},
		{"no items", `{"category":"job_seeker","purpose":"statistics","items":[],"use_purpose":0}`, "items"},
		{"a name", `{"category":"job_seeker","purpose":"statistics","items":["name"],"use_purpose":0}`, "items"},
		{"an e-mail", `{"category":"job_seeker","purpose":"statistics","items":["career","email"],"use_purpose":0}`, "items"},
		{"an address", `{"category":"job_seeker","purpose":"statistics","items":["address"],"use_purpose":0}`, "items"},
		{"an item twice", `{"category":"job_seeker","purpose":"statistics","items":["career","career"],"use_purpose":0}`, "items"},
		{"an unknown item", `{"category":"job_seeker","purpose":"statistics","items":["blood_type"],"use_purpose":0}`, "items"},
		{"an unknown field", `{"category":"job_seeker","purpose":"statistics","items":["career"],"use_purpose":0,"k":3}`, "k"},
	} {
		r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets/pseudonymized", c.body)
		code, msg, field := r.errorJSON(t)
		if r.status != http.StatusBadRequest || code != hogo.EINVALID || field != c.field || msg == "" {
			t.Errorf("%s: %d %s %q on %q, want 400 on %q", c.name, r.status, code, msg, field, c.field)
		}
		holdsNone(t, c.name, r.String(), append(slices.Clone(identifying), "仮名太郎", "新たなサービスの研究開発のため"))
	}
	h.as(hogo.RoleManager, "GET", "/api/v1/datasets", "").decode(t, &list)
	if len(list.Datasets) != 1 {
		t.Errorf("%d datasets after the refusals, want 1", len(list.Datasets))
	}
	es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "dataset.create", Limit: 10})
	if len(es) != 1 || es[0].Target != d.ID || es[0].Detail["kind"] != hogo.DatasetPseudonymized {
		t.Errorf("audit: %s", auditJSON(t, es))
	}
	holdsNone(t, "the audit entry", auditJSON(t, es), identifying)
}

// TestPseudonymizedConsole: the second form of the records' page, only
// with purposes of pseudonymised information in the ledger, offers the
// items pseudonymised information may keep (the others listed with the
// reason) and the ledger's use purposes; a refusal keeps the form as
// filled in; a creation goes to the record, which shows its kind, the
// three steps of 則31, its use purpose, the removed information (削除情報等)
// for the manager, and that it cannot be provided.
func TestPseudonymizedConsole(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	if r := m.get("/console/datasets"); strings.Contains(r.String(), `id="pseudo-form"`) || strings.Contains(r.String(), "仮名加工情報の作成") {
		t.Error("the form is offered without purposes of pseudonymised information in the ledger")
	}
	identifying := loadRecruitment(h, 12)
	r := m.get("/console/datasets")
	wantStatus(t, "records", r, http.StatusOK, `id="pseudo-form"`, `action="/console/datasets/pseudonymized"`, "仮名加工情報の作成", `name="csrf"`,
		`name="use_purpose"`, `<option value="0">サービス使用状況の分析及びサービス品質の改善のため</option>`, `<option value="1">新たなサービスの研究開発のため</option>`,
		`name="items_job_seeker" value="career"`, `name="items_job_seeker" value="birth_date"`, "残せない項目", "仮名（符号）に置き換えます", "本人への連絡に使わない",
		"第41条")
	for _, it := range []string{"name", "email", "phone", "address", "call_recording"} {
		if strings.Contains(r.String(), `name="items_job_seeker" value="`+it+`"`) {
			t.Errorf("the form offers %s", it)
		}
	}
	token := m.csrf("/console/datasets")
	f := url.Values{"csrf": {token}, "title": {"職歴の研究用"}, "category": {"job_seeker"}, "purpose": {"statistics"}, "use_purpose": {"1"},
		"items_job_seeker": {"birth_date", "career"}}
	bad := url.Values{"csrf": {token}, "title": {"職歴の研究用"}, "category": {"job_seeker"}, "purpose": {"statistics"}, "use_purpose": {"1"}}
	wantStatus(t, "no items", m.post("/console/datasets/pseudonymized", bad), http.StatusBadRequest, "残す項目を一つ以上", `value="職歴の研究用"`,
		`<option value="1" selected>新たなサービスの研究開発のため</option>`)
	bad.Set("items_job_seeker", "career")
	bad.Set("use_purpose", "")
	wantStatus(t, "no use purpose", m.post("/console/datasets/pseudonymized", bad), http.StatusBadRequest, "仮名加工情報の利用目的を", `value="career" checked`)
	bad.Set("use_purpose", "7")
	wantStatus(t, "a use purpose out of range", m.post("/console/datasets/pseudonymized", bad), http.StatusBadRequest, "利用目的は台帳の仮名加工情報の利用目的から")
	bad.Set("use_purpose", "0")
	bad["items_job_seeker"] = []string{"career", "name"}
	wantStatus(t, "a name", m.post("/console/datasets/pseudonymized", bad), http.StatusBadRequest, "仮名（符号）に置き換えます")
	wantStatus(t, "without csrf", m.post("/console/datasets/pseudonymized", url.Values{"use_purpose": {"0"}}), http.StatusForbidden, msgCSRF)

	r = m.post("/console/datasets/pseudonymized", f)
	loc := r.header.Get("Location")
	id, ok := strings.CutPrefix(loc, "/console/datasets/")
	id, _, _ = strings.Cut(id, "?")
	if r.status != http.StatusSeeOther || !ok || !strings.HasSuffix(loc, "?done=pseudonymized") {
		t.Fatalf("create: %d → %q\n%s", r.status, loc, r.body)
	}
	r = m.get(loc)
	wantStatus(t, "record", r, http.StatusOK, "仮名加工情報を作成しました", "仮名加工情報", "職歴の研究用", "新たなサービスの研究開発のため",
		"加工の基準（規則第31条）", "第1号 特定の個人を識別できる記述等の削除・置換", "第2号 個人識別符号の全部の削除", "第3号 財産的被害が生じるおそれのある記述等の削除",
		"生年月日", "職歴・学歴", `id="dataset-method-link">削除情報等</a>`, `id="dataset-download"`, `id="dataset-no-provision"`, "第41条第6項", "公表しません")
	for _, absent := range []string{`id="dataset-provide-form"`, `id="dataset-risk-card"`, "加工方法等情報", "第5号", `id="dataset-published-link"`} {
		if strings.Contains(r.String(), absent) {
			t.Errorf("the pseudonymised record holds %q", absent)
		}
	}
	holdsNone(t, "the record", r.String(), identifying)
	wantStatus(t, "English record", m.get("/console/datasets/"+id+"?lang=en"), http.StatusOK, "Pseudonymised information", "To research and develop new services",
		"(iii) Descriptions that could cause financial damage removed", "Removed information")
	m.get("/console/datasets?lang=ja")
	wantStatus(t, "removed information", m.get("/console/datasets/"+id+"/method"), http.StatusOK, "<h1>削除情報等</h1>", `"pseudonyms": {`, "第41条第7項")
	wantStatus(t, "list", m.get("/console/datasets"), http.StatusOK, `<td class="dataset-kind">仮名加工情報</td>`, `href="/console/datasets/`+id+`"`)
	wantStatus(t, "provide", m.post("/console/datasets/"+id+"/provisions", url.Values{"csrf": {token}, "recipient": {provRecipient}, "method": {provMethod}}),
		http.StatusBadRequest, "第41条第6項")
	if r := h.browser().get("/anonymized"); strings.Contains(r.String(), "職歴の研究用") {
		t.Error("the portal publishes pseudonymised information")
	}
	// The use purpose changed from the record's page, the change listed.
	wantStatus(t, "purpose form", m.get("/console/datasets/"+id), http.StatusOK, `id="dataset-purpose-form"`, `id="dataset-purpose-select"`)
	r = m.post("/console/datasets/"+id+"/purpose", url.Values{"csrf": {token}, "use_purpose": {"0"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("purpose change: %d %s", r.status, r.String())
	}
	wantStatus(t, "after the change", m.get("/console/datasets/"+id+"?done=purpose"), http.StatusOK, `id="dataset-purpose-history"`,
		"サービス使用状況の分析及びサービス品質の改善のため", "利用目的を変更し")
	wantStatus(t, "the same purpose again", m.post("/console/datasets/"+id+"/purpose", url.Values{"csrf": {token}, "use_purpose": {"0"}}),
		http.StatusBadRequest, "今の利用目的と同じです")

	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	r = a.get("/console/datasets/" + id)
	wantStatus(t, "auditor record", r, http.StatusOK, "仮名加工情報", "第3号")
	if strings.Contains(r.String(), `id="dataset-method-link"`) || strings.Contains(r.String(), `id="dataset-download"`) {
		t.Error("the auditor is offered the table or the removed information")
	}
	if strings.Contains(a.get("/console/datasets").String(), `id="pseudo-form"`) {
		t.Error("the auditor is offered the form")
	}
	f.Set("csrf", a.csrf("/console/datasets"))
	wantStatus(t, "auditor creates", a.post("/console/datasets/pseudonymized", f), http.StatusForbidden, msgForbidden)
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "dataset.create", Limit: 10}); len(es) != 1 {
		t.Errorf("%d dataset.create entries, want 1", len(es))
	}
}

// statsJSON is the answer of POST /api/v1/statistics.
type statsJSON struct {
	Threshold int                 `json:"threshold"`
	Columns   []string            `json:"columns"`
	Cells     []datasets.StatCell `json:"cells"`
	Total     int                 `json:"total"`
	Hidden    int                 `json:"suppressed_cells"`
}

// withWages gives the staffing ledger's job seekers a number item, a
// desired hourly wage, and a smallest cell of 5 instead of the default.
func withWages(h *harness) {
	data, err := examples.Ledgers.ReadFile(ledgerFile)
	if err != nil {
		h.t.Fatal(err)
	}
	data = replaceOnce(h.t, data, "      - {id: desired_conditions, name: {ja: 希望条件, en: Desired conditions}, type: text}\n",
		"      - {id: desired_conditions, name: {ja: 希望条件, en: Desired conditions}, type: text}\n"+
			"      - {id: desired_wage, name: {ja: 希望時給, en: Desired hourly wage}, type: number}\n")
	data = replaceOnce(h.t, data, "\nstatistics:\n", "\nstatistics:\n  min_cell: 5\n")
	h.loadNoticeLedger(data)
}

func wage(i int) map[string]string { return map[string]string{"desired_wage": fmt.Sprint(1000 + 10*i)} }

// TestStatisticsAPI: the manager counts job seekers by items generalised
// to a level; cells under the ledger's threshold are hidden (no count),
// the total too when it is under it; with a number item, its sum and
// mean per cell; other roles are refused; bad specs are refused naming
// the field, never a value; each count is audited.
func TestStatisticsAPI(t *testing.T) {
	h := newHarness(t)
	personal := seedSeekers(h)
	count := func(body string) statsJSON {
		t.Helper()
		r := h.as(hogo.RoleManager, "POST", "/api/v1/statistics", body)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d\n%s", body, r.status, r.body)
		}
		holdsNone(t, "statistics", r.String(), personal)
		var st statsJSON
		r.decode(t, &st)
		return st
	}
	// By prefecture: two cells of twelve, over the default threshold of 10.
	st := count(`{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":2}}`)
	if st.Threshold != 10 || st.Total != seekerCount || st.Hidden != 0 || !slices.Equal(st.Columns, []string{"address"}) || len(st.Cells) != 2 ||
		st.Cells[0].Values[0] != "大阪府" || st.Cells[0].Count != 12 || st.Cells[1].Values[0] != "東京都" || st.Cells[1].Count != 12 {
		t.Errorf("by prefecture: %+v", st)
	}
	// By year of birth: four cells of six, all hidden.
	st = count(`{"category":"job_seeker","purpose":"statistics","by":["birth_date"],"levels":{"birth_date":2}}`)
	// The hidden cells come as one row of "*": their values could name a
	// person.
	if st.Threshold != 10 || st.Total != seekerCount || st.Hidden != 4 || len(st.Cells) != 1 || st.Cells[0].Values[0] != "*" {
		t.Errorf("by year: %+v", st)
	}
	for _, c := range st.Cells {
		if !c.Hidden || c.Count != 0 {
			t.Errorf("a cell of six is shown: %+v", c)
		}
	}
	// By prefecture and postal area: 530 and 100 (8 each), 540 and 105
	// (4 each), all under 10.
	st = count(`{"category":"job_seeker","purpose":"statistics","by":["address","postal_code"],"levels":{"address":2,"postal_code":1}}`)
	if st.Hidden != 4 || len(st.Cells) != 1 || st.Cells[0].Values[1] != "*" {
		t.Errorf("by prefecture and postal area: %+v", st)
	}

	// Refusals by role.
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor} {
		r := h.as(role, "POST", "/api/v1/statistics", `{"category":"job_seeker","purpose":"statistics","by":["address"]}`)
		if code, _, _ := r.errorJSON(t); r.status != http.StatusForbidden || code != hogo.EFORBIDDEN {
			t.Errorf("as %s: %d %s", role, r.status, r.body)
		}
	}
	// Bad specs.
	for _, c := range []struct{ name, body, field string }{
		{"unknown category", `{"category":"pets","purpose":"statistics","by":["address"]}`, "category"},
		{"no purpose", `{"category":"job_seeker","by":["address"]}`, "purpose"},
		{"nothing to count by", `{"category":"job_seeker","purpose":"statistics","by":[]}`, "by"},
		{"an unknown item", `{"category":"job_seeker","purpose":"statistics","by":["blood_type"]}`, "by"},
		{"an item twice", `{"category":"job_seeker","purpose":"statistics","by":["address","address"]}`, "by"},
		{"a level too high", `{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":9}}`, "levels"},
		{"a negative level", `{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":-1}}`, "levels"},
		{"a sum of text", `{"category":"job_seeker","purpose":"statistics","by":["address"],"sum":"qualifications"}`, "sum"},
		{"a level as text", `{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":"都道府県ごと"}}`, "levels"},
		{"an unknown field", `{"category":"job_seeker","purpose":"statistics","by":["address"],"where":"山田 一郎"}`, "where"},
	} {
		r := h.as(hogo.RoleManager, "POST", "/api/v1/statistics", c.body)
		code, msg, field := r.errorJSON(t)
		if r.status != http.StatusBadRequest || code != hogo.EINVALID || field != c.field || msg == "" {
			t.Errorf("%s: %d %s %q on %q, want 400 on %q", c.name, r.status, code, msg, field, c.field)
		}
		holdsNone(t, c.name, r.String(), append(slices.Clone(personal), "都道府県ごと"))
	}
	// A name is refused as an item to count by, naming the item (the
	// service's datasets.Eligible names the field "qi").
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/statistics", `{"category":"job_seeker","purpose":"statistics","by":["name"]}`); r.status != http.StatusBadRequest ||
		!strings.Contains(r.String(), "氏名") {
		t.Errorf("a name to count by: %d %s", r.status, r.body)
	}
	// A purpose the manager may not read job seekers for.
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/statistics", `{"category":"job_seeker","purpose":"sales","by":["address"]}`); r.status != http.StatusForbidden {
		t.Errorf("a purpose not of the category: %d %s", r.status, r.body)
	}
	es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "statistics.create", Limit: 10})
	if len(es) != 3 || es[0].Category != "job_seeker" || es[0].Purpose != "statistics" || es[0].Actor != userName(hogo.RoleManager) {
		t.Errorf("audit: %s", auditJSON(t, es))
	}
	holdsNone(t, "the statistics' audit entries", auditJSON(t, es), personal)
}

// TestStatisticsSum: with the ledger's smallest cell of 5 and a number
// item, cells of six are shown, with the sum and mean of the wages.
func TestStatisticsSum(t *testing.T) {
	h := newHarness(t, withWages)
	personal := seedSeekersWith(h, wage)
	r := h.as(hogo.RoleManager, "POST", "/api/v1/statistics", `{"category":"job_seeker","purpose":"statistics","by":["address"],"levels":{"address":2},"sum":"desired_wage"}`)
	var st statsJSON
	r.decode(t, &st)
	if r.status != http.StatusOK || st.Threshold != 5 || len(st.Cells) != 2 || st.Cells[0].Sum != 13200 || st.Cells[0].Mean != 1100 ||
		st.Cells[1].Sum != 13560 || st.Cells[1].Mean != 1130 {
		t.Errorf("sum by prefecture: %d %s", r.status, r.body)
	}
	r = h.as(hogo.RoleManager, "POST", "/api/v1/statistics", `{"category":"job_seeker","purpose":"statistics","by":["birth_date"],"levels":{"birth_date":2}}`)
	r.decode(t, &st)
	if st.Hidden != 0 || len(st.Cells) != 4 || st.Cells[0].Count != 6 {
		t.Errorf("by year with a smallest cell of 5: %s", r.body)
	}
	holdsNone(t, "statistics", r.String(), personal)

	m := h.browser()
	m.loginAs(hogo.RoleManager)
	wantStatus(t, "form", m.get("/console/statistics"), http.StatusOK, "合計する項目", `name="sum_job_seeker"`, `<option value="desired_wage">希望時給</option>`,
		"5人未満の区分を非表示")
	f := url.Values{"csrf": {m.csrf("/console/statistics")}, "category": {"job_seeker"}, "purpose": {"statistics"}, "by_job_seeker": {"address"},
		"level_job_seeker_address": {"2"}, "sum_job_seeker": {"desired_wage"}}
	wantStatus(t, "sum", m.post("/console/statistics", f), http.StatusOK, "合計（希望時給）", "平均（希望時給）", "13200", "1100.0", "13560", "1130.0",
		"5人未満は非表示", `<option value="desired_wage" selected>`)
}

// TestStatisticsConsole: the manager's page offers the items statistics
// may count by, each with the levels of its type, and lists the others
// with the reason; a count shows the table, hidden cells in words with
// the total and the threshold; more than three items, or none, are
// refused with the form kept; other roles are refused and have no link.
func TestStatisticsConsole(t *testing.T) {
	h := newHarness(t)
	personal := seedSeekers(h)
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r := m.get("/console/statistics")
	wantStatus(t, "form", r, http.StatusOK, "<h1>統計</h1>", `id="statistics-form"`, `name="csrf"`, `name="by_job_seeker" value="birth_date"`,
		`name="by_job_seeker" value="address"`, `name="level_job_seeker_birth_date"`, "1 年月", "2 年", "1 市区町村", "2 都道府県", "1 上3桁", "2 上1桁",
		"集計に使えない項目", "氏名", "10人未満の区分を非表示", `id="nav-statistics"`)
	if strings.Contains(r.String(), `name="by_job_seeker" value="name"`) || strings.Contains(r.String(), `name="by_job_seeker" value="email"`) {
		t.Error("the form offers a name or an e-mail to count by")
	}
	if strings.Contains(r.String(), `name="level_job_seeker_qualifications"`) {
		t.Error("a text item is offered levels")
	}
	token := m.csrf("/console/statistics")
	f := url.Values{"csrf": {token}, "category": {"job_seeker"}, "purpose": {"statistics"}, "by_job_seeker": {"address", "birth_date"},
		"level_job_seeker_address": {"2"}, "level_job_seeker_birth_date": {"2"}}
	r = m.post("/console/statistics", f)
	wantStatus(t, "hidden cells", r, http.StatusOK, `id="statistics-result"`, "住所（都道府県）", "生年月日（年）",
		"（10人未満のため非表示）", `<dd id="statistics-total">24</dd>`, "10人未満は非表示", `<dd id="statistics-suppressed">8</dd>`,
		`value="address" checked`, `<option value="2" selected>2 都道府県</option>`)
	if strings.Contains(r.String(), `class="statistics-count"`) {
		t.Error("a cell under the threshold is counted")
	}
	holdsNone(t, "the result", r.String(), personal)
	f["by_job_seeker"] = []string{"address"}
	r = m.post("/console/statistics", f)
	wantStatus(t, "by prefecture", r, http.StatusOK, `<td class="statistics-count">12</td>`, "東京都")
	if strings.Contains(r.String(), "（10人未満のため非表示）</td>") {
		t.Error("a cell of twelve is hidden")
	}
	wantStatus(t, "English", m.get("/console/statistics?lang=en"), http.StatusOK, "Statistics", "prefecture", "year and month")
	f.Set("csrf", token)
	wantStatus(t, "English result", m.post("/console/statistics", url.Values{"csrf": {token}, "category": {"job_seeker"}, "purpose": {"statistics"},
		"by_job_seeker": {"birth_date"}, "level_job_seeker_birth_date": {"2"}}), http.StatusOK, "(hidden: fewer than 10 people)", "Date of birth (year)")
	m.get("/console/statistics?lang=ja")

	bad := url.Values{"csrf": {token}, "category": {"job_seeker"}, "purpose": {"statistics"}, "by_job_seeker": {"address", "birth_date", "postal_code", "qualifications"}}
	wantStatus(t, "four items", m.post("/console/statistics", bad), http.StatusBadRequest, "3つまで", `value="qualifications" checked`)
	bad.Del("by_job_seeker")
	wantStatus(t, "no item", m.post("/console/statistics", bad), http.StatusBadRequest, "1〜3個")
	bad.Set("by_job_seeker", "address")
	bad.Set("level_job_seeker_address", "都道府県")
	wantStatus(t, "a level not a number", m.post("/console/statistics", bad), http.StatusBadRequest, "一覧から選んで")
	bad.Set("level_job_seeker_address", "7")
	wantStatus(t, "a level too high", m.post("/console/statistics", bad), http.StatusBadRequest, "水準は0から")
	bad.Set("by_job_seeker", "name")
	bad.Del("level_job_seeker_address")
	wantStatus(t, "a name", m.post("/console/statistics", bad), http.StatusBadRequest, "氏名")
	wantStatus(t, "without csrf", m.post("/console/statistics", url.Values{"category": {"job_seeker"}}), http.StatusForbidden, msgCSRF)

	for _, role := range []hogo.Role{hogo.RoleAuditor, hogo.RoleStaff} {
		b := h.browser()
		b.loginAs(role)
		wantStatus(t, string(role)+" page", b.get("/console/statistics"), http.StatusForbidden, msgForbidden)
		f.Set("csrf", b.csrf("/console/"))
		wantStatus(t, string(role)+" count", b.post("/console/statistics", f), http.StatusForbidden, msgForbidden)
		if strings.Contains(b.get("/console/").String(), `id="nav-statistics"`) {
			t.Errorf("%s has the link to statistics", role)
		}
	}
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "statistics.create", Limit: 10}); len(es) != 3 {
		t.Errorf("%d statistics.create entries, want 3", len(es))
	}
}

// TestNoticePublishesDatasets: the notice in force lists each anonymised
// dataset created with the items it contains (APPI Art. 43(3)) and each
// change of pseudonymised information's use purpose (Art. 41(4)), in
// Japanese and English, as HTML, Markdown and PDF, and the portal's
// publication page lists the changes too — never a person's data, never
// who made them.
func TestNoticePublishesDatasets(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	anon := h.browser()
	if r := anon.get("/notice"); strings.Contains(r.String(), "これまでに作成した匿名加工情報") {
		t.Error("the notice lists anonymised information before any is created")
	}
	personal := seedSeekers(h)
	d := createDataset(h)
	r := anon.get("/notice")
	want := []string{"これまでに作成した匿名加工情報", "含まれる個人に関する情報の項目", d.Title, "令和8年4月1日", "/anonymized"}
	for _, it := range d.Items {
		want = append(want, it.NameJa)
	}
	wantStatus(t, "the notice", r, http.StatusOK, want...)
	holdsNone(t, "the notice", r.String(), append(slices.Clone(personal), userName(hogo.RoleManager)))
	wantEn := []string{"Anonymised information we have created", "1 April 2026"}
	for _, it := range d.Items {
		wantEn = append(wantEn, it.NameEn)
	}
	wantStatus(t, "the notice in English", h.browser().get("/notice?lang=en"), http.StatusOK, wantEn...)
	wantStatus(t, "the notice as Markdown", anon.get("/notice.md"), http.StatusOK, "これまでに作成した匿名加工情報", d.Title)
	pdf := anon.get("/notice.pdf")
	text, err := pdftext.Text(pdf.body)
	if pdf.status != http.StatusOK || err != nil || !strings.Contains(text, "これまでに作成した匿名加工情報") {
		t.Errorf("the notice as PDF: %d %v", pdf.status, err)
	}

	// Pseudonymised information whose use purpose changes two weeks later.
	loadRecruitment(h, 12)
	r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/pseudonymized", `{`+pseudoSpec+`}`)
	var pd datasetAPIJSON
	r.decode(t, &pd)
	if strings.Contains(anon.get("/notice").String(), "仮名加工情報の利用目的の変更") {
		t.Error("the notice lists a change before any")
	}
	h.srv.Datasets.Now = func() time.Time { return datasetsNow.AddDate(0, 0, 14) }
	if r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets/"+pd.ID+"/purpose", `{"use_purpose":0}`); r.status != http.StatusOK {
		t.Fatalf("purpose change: %d %s", r.status, r.body)
	}
	l := h.srv.Ledger().Ledger
	to, from := l.Pseudonymized.Purposes[0].Ja, l.Pseudonymized.Purposes[1].Ja
	wantStatus(t, "the notice after the change", anon.get("/notice"), http.StatusOK, "仮名加工情報の利用目的の変更", "令和8年4月15日", from, to, "変更後の利用目的")
	wantStatus(t, "the notice in English after the change", h.browser().get("/notice?lang=en"), http.StatusOK,
		"Changes of the purpose of pseudonymised information", "15 April 2026", l.Pseudonymized.Purposes[0].En)
	r = anon.get("/anonymized")
	wantStatus(t, "the publication page", r, http.StatusOK, `id="pseudonymized-changes"`, "仮名加工情報の利用目的の変更", "令和8年4月15日", "求職者", from, to, "第41条第4項")
	holdsNone(t, "the publication page", r.String(), []string{userName(hogo.RoleManager), pd.ID, pd.Title})
	wantStatus(t, "the publication page in English", h.browser().get("/anonymized?lang=en"), http.StatusOK,
		"Changes of the purpose of pseudonymised information", "15 April 2026", l.Pseudonymized.Purposes[0].En)
	// The version of the notice recorded from the ledger is the ledger's
	// text alone: what is published as it happens does not make versions.
	r = anon.get("/notice/versions")
	if strings.Count(r.String(), "/notice/versions/") > 3 {
		t.Errorf("versions: %s", r.String())
	}
}
