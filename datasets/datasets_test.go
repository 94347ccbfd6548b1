package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/anonymize"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/testenv"
	"hogo.example.jp/hogo/vault"
)

var (
	manager = hogo.Actor{UserID: 2, Name: "keiko", Role: hogo.RoleManager}
	auditor = hogo.Actor{UserID: 3, Name: "kansa", Role: hogo.RoleAuditor}
	desk    = hogo.Actor{UserID: 4, Name: "madoguchi", Role: hogo.RoleDesk}
)

var wards = []string{"東京都千代田区丸の内1-1", "東京都新宿区西新宿2-8", "大阪府大阪市北区梅田3-1", "神奈川県横浜市中区本町6-50", "北海道虻田郡倶知安町北1条"}

// seed creates n job seekers (fictional) with birth dates over 30 years
// and addresses in five municipalities.
func seed(t *testing.T, env *testenv.Env, n int) {
	t.Helper()
	for i := range n {
		items := map[string]string{
			"name": fmt.Sprintf("架空 太郎%d", i), "name_kana": "カクウ タロウ", "email": fmt.Sprintf("seeker%d@example.jp", i),
			"phone":      fmt.Sprintf("090-1000-%04d", i),
			"birth_date": fmt.Sprintf("%d-%02d-%02d", 1970+i%30, 1+i%12, 1+i%28),
			"address":    fmt.Sprintf("%s-%d", wards[i%len(wards)], i),
		}
		if _, _, err := env.Vault.Create(env.Ctx, manager, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
			Source: "web_form", Items: items}); err != nil {
			t.Fatal(err)
		}
	}
}

func newService(t *testing.T, n int) (*Service, *testenv.Env) {
	env := testenv.New(t)
	seed(t, env, n)
	return New(env.DB, env.Vault, env.Keys, env.Log, env.LedgerFunc()), env
}

var spec = Spec{Title: "求職者の年代と地域", Category: "job_seeker", Purpose: "statistics", QI: []string{"birth_date", "address"}, K: 5, SuppressPct: 2}

func TestCreate(t *testing.T) {
	s, env := newService(t, 240)

	// A preview keeps nothing.
	run, err := s.Preview(env.Ctx, manager, spec)
	if err != nil {
		t.Fatal(err)
	}
	if run.Report.Rows != 240 || run.Report.RiskBefore.Highest != 1 || run.Report.RiskAfter.Highest > 0.2 {
		t.Errorf("preview report: %+v", run.Report)
	}
	if ds, _ := env.DB.ListDatasets(env.Ctx); len(ds) != 0 {
		t.Errorf("a preview stored %d datasets", len(ds))
	}

	d, run, err := s.Create(env.Ctx, manager, spec)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != spec.Title || d.Kind != hogo.DatasetAnonymized || d.Rows != 240-run.Report.Suppressed || d.PublishedAt.IsZero() {
		t.Errorf("dataset: %+v", d)
	}
	got, err := s.Get(env.Ctx, auditor, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The items published, with how each was processed.
	if len(got.Items) != 2 || got.Items[0].NameJa != "生年月日" || got.Items[0].ProcessJa == "" || got.Items[1].NameJa != "住所" {
		t.Errorf("items: %+v", got.Items)
	}
	// The five steps of 則34, in order; step 1 names what was removed.
	if len(got.Steps) != 5 {
		t.Fatalf("steps: %+v", got.Steps)
	}
	for i, st := range got.Steps {
		if st.Rule != i+1 || st.Ja == "" || st.En == "" {
			t.Errorf("step %d: %+v", i+1, st)
		}
	}
	if !strings.Contains(got.Steps[0].Ja, "氏名") || !strings.Contains(got.Steps[0].Ja, "メールアドレス") || strings.Contains(got.Steps[0].Ja, "生年月日") {
		t.Errorf("step 1: %s", got.Steps[0].Ja)
	}
	var rep Report
	if err := json.Unmarshal(got.Report, &rep); err != nil || rep.K != 5 || rep.Generalization["birth_date"] == 0 {
		t.Errorf("report: %v %+v", err, rep)
	}

	// The table: only the quasi-identifiers, every class of k rows or more,
	// no personal data.
	var csv bytes.Buffer
	if err := s.Data(env.Ctx, manager, d.ID, &csv); err != nil {
		t.Fatal(err)
	}
	tab, err := anonymize.ReadTable(bytes.NewReader(csv.Bytes()), "data")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Header, ",") != "birth_date,address" || len(tab.Rows) != d.Rows {
		t.Errorf("header %v, %d rows (record: %d)", tab.Header, len(tab.Rows), d.Rows)
	}
	classes := map[string]int{}
	for _, r := range tab.Rows {
		classes[strings.Join(r, "|")]++
	}
	for k, n := range classes {
		if n < 5 {
			t.Errorf("class %q of %d rows", k, n)
		}
	}
	if strings.Contains(csv.String(), "@example.jp") || strings.Contains(csv.String(), "架空") || strings.Contains(csv.String(), "丸の内") {
		t.Error("personal data in the anonymised table")
	}

	// The method information: sealed at rest, opened for the manager.
	sealed, _, err := env.DB.DatasetMethod(env.Ctx, d.ID)
	if err != nil || bytes.Contains(sealed, []byte("hierarchies")) || bytes.Contains(sealed, []byte("birth_date")) {
		t.Errorf("the method is stored in the clear (%v)", err)
	}
	m, err := s.Method(env.Ctx, manager, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var method struct {
		Spec        Spec           `json:"spec"`
		Levels      map[string]int `json:"levels"`
		Hierarchies map[string]struct {
			From   string `json:"generated_from"`
			Levels int    `json:"levels"`
		} `json:"hierarchies"`
	}
	if err := json.Unmarshal(m, &method); err != nil || method.Spec.K != 5 || method.Hierarchies["address"].From != "address" ||
		method.Hierarchies["birth_date"].Levels != 4 || method.Levels["birth_date"] != 2 {
		t.Errorf("method: %v %s", err, m)
	}
	// It keeps the rule, not the values: no one's address or birth date.
	if strings.Contains(string(m), "丸の内") || strings.Contains(string(m), "-04-") || strings.Contains(string(m), "19") && strings.Contains(string(m), "-0") {
		t.Errorf("the method holds original values: %s", m)
	}

	// Who may do what.
	if _, err := s.Method(env.Ctx, auditor, d.ID); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("auditor read the method: %v", err)
	}
	if err := s.Data(env.Ctx, auditor, d.ID, io.Discard); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("auditor read the table: %v", err)
	}
	if _, err := s.List(env.Ctx, desk); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("desk listed: %v", err)
	}
	if _, _, err := s.Create(env.Ctx, auditor, spec); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("auditor created: %v", err)
	}

	// The public list carries no report, steps, actor or purpose.
	pub, _, err := s.Publications(env.Ctx)
	if err != nil || len(pub) != 1 || pub[0].Actor != "" || pub[0].Report != nil || len(pub[0].Items) != 2 {
		t.Errorf("published: %v %+v", err, pub)
	}

	// Every read of the vault and the creation were audited.
	count := map[string]int{}
	var es []*hogo.AuditEntry
	for before := int64(0); ; {
		page, err := env.DB.ListAudit(env.Ctx, hogo.AuditFilter{Limit: 1000, BeforeSeq: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		es = append(es, page...)
		before = page[len(page)-1].Seq
	}
	for _, e := range es {
		count[e.Action]++
		if e.Action == "principal.export" && e.Purpose != "statistics" {
			t.Errorf("export entry for %q", e.Purpose)
		}
		if e.Action == "dataset.create" && (e.Target != d.ID || e.Detail["k"] != "5") {
			t.Errorf("create entry: %+v", e)
		}
	}
	// 240 principals read by the preview and by the creation.
	if count["principal.export"] != 480 || count["dataset.create"] != 1 || count["dataset.download"] != 1 || count["dataset.method.read"] != 1 {
		t.Errorf("audit: %v", count)
	}
}

func TestCreateRefuses(t *testing.T) {
	s, env := newService(t, 12)
	with := func(f func(*Spec)) Spec {
		sp := spec
		sp.QI = append([]string(nil), spec.QI...)
		f(&sp)
		return sp
	}
	cases := map[string]struct {
		sp    Spec
		field string
	}{
		"name as a quasi-identifier": {with(func(s *Spec) { s.QI = []string{"name"} }), "qi"},
		"e-mail":                     {with(func(s *Spec) { s.QI = append(s.QI, "email") }), "qi"},
		"unknown item":               {with(func(s *Spec) { s.QI = []string{"no_such_item"} }), "qi"},
		"twice":                      {with(func(s *Spec) { s.QI = []string{"address", "address"} }), "qi"},
		"no quasi-identifier":        {with(func(s *Spec) { s.QI = nil }), "qi"},
		"k of 1":                     {with(func(s *Spec) { s.K = 1 }), "k"},
		"k above the records":        {with(func(s *Spec) { s.K = 50 }), "k"},
		"unknown category":           {with(func(s *Spec) { s.Category = "no_such_category" }), "category"},
		"purpose not in the ledger":  {with(func(s *Spec) { s.Purpose = "no_such_purpose" }), "purpose"},
		"suppression over 50 %":      {with(func(s *Spec) { s.SuppressPct = 80 }), "suppress_pct"},
	}
	for name, c := range cases {
		_, _, err := s.Create(env.Ctx, manager, c.sp)
		var he *hogo.Error
		if !errorsAs(err, &he) || he.Code != hogo.EINVALID || he.Field != c.field {
			t.Errorf("%s: %v, want invalid %s", name, err, c.field)
		}
		if err != nil && (strings.Contains(err.Error(), "架空") || strings.Contains(err.Error(), "@example.jp")) {
			t.Errorf("%s: personal data in %v", name, err)
		}
	}
	if ds, _ := env.DB.ListDatasets(env.Ctx); len(ds) != 0 {
		t.Errorf("%d datasets stored by refused creations", len(ds))
	}
}

func errorsAs(err error, target **hogo.Error) bool {
	he, ok := err.(*hogo.Error)
	if ok {
		*target = he
	}
	return ok
}

// The stored table is compressed: a dataset of many rows stays small.
func TestDataCompressed(t *testing.T) {
	s, env := newService(t, 100)
	d, _, err := s.Create(env.Ctx, manager, spec)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := env.DB.DatasetData(env.Ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if len(gz) >= len(plain) {
		t.Errorf("%d bytes stored for %d of CSV", len(gz), len(plain))
	}
}

// TestProvide: a provision publishes the items and the method, tells the
// recipient in writing that it is anonymised information, and is audited;
// the portal's list names no recipient.
func TestProvide(t *testing.T) {
	s, env := newService(t, 60)
	d, _, err := s.Create(env.Ctx, manager, spec)
	if err != nil {
		t.Fatal(err)
	}
	in := ProvisionInput{Recipient: "架空リサーチ株式会社", RecipientAddress: "東京都港区芝公園4-2-8", Method: "暗号化した電子ファイルを専用の受け渡しサイトで提供"}
	p, pdf, err := s.Provide(env.Ctx, manager, d.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if p.DatasetID != d.ID || p.ProvidedOn == "" || p.PublishedAt.IsZero() {
		t.Errorf("provision: %+v", p)
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"匿名加工情報の提供について", "匿名加工情報であることを明示", "架空リサーチ株式会社御中", "生年月日", "住所", "第45条", "専用の受け渡しサイト", p.ID} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the cover letter lacks %q:\n%s", want, text)
		}
	}
	again, err := s.Letter(env.Ctx, manager, d.ID, p.ID)
	if err != nil || len(again) == 0 {
		t.Errorf("letter again: %v", err)
	}
	if ps, err := s.Provisions(env.Ctx, auditor, d.ID); err != nil || len(ps) != 1 || ps[0].Recipient != in.Recipient {
		t.Errorf("provisions: %v %+v", err, ps)
	}
	pub, err := s.PublishedProvisions(env.Ctx)
	if err != nil || len(pub) != 1 || pub[0].Recipient != "" || pub[0].Method != in.Method {
		t.Errorf("published: %v %+v", err, pub)
	}
	es, _ := env.DB.ListAudit(env.Ctx, hogo.AuditFilter{Action: "dataset.provide", Limit: 10})
	if len(es) != 1 || es[0].Target != d.ID || es[0].Detail["provision"] != p.ID {
		t.Errorf("audit: %+v", es)
	}

	// Refused: no recipient, no method, a past day, by the auditor, an
	// unknown dataset.
	for name, c := range map[string]struct {
		a    hogo.Actor
		id   string
		in   ProvisionInput
		code string
	}{
		"no recipient": {manager, d.ID, ProvisionInput{Method: "郵送"}, hogo.EINVALID},
		"no method":    {manager, d.ID, ProvisionInput{Recipient: "架空商事"}, hogo.EINVALID},
		"past day":     {manager, d.ID, ProvisionInput{Recipient: "架空商事", Method: "郵送", ProvidedOn: "2020-01-01"}, hogo.EINVALID},
		"auditor":      {auditor, d.ID, in, hogo.EFORBIDDEN},
		"unknown":      {manager, "01J0000000000000000000000X", in, hogo.ENOTFOUND},
	} {
		if _, _, err := s.Provide(env.Ctx, c.a, c.id, c.in); hogo.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	if ps, _ := s.Provisions(env.Ctx, manager, ""); len(ps) != 1 {
		t.Errorf("%d provisions after refusals", len(ps))
	}
}

// TestPseudonymized: principals replaced by pseudonyms keyed per dataset,
// the items kept as held, the removed information sealed apart and opened
// for the manager only; names, contact details and codes refused; never
// published nor provided.
func TestPseudonymized(t *testing.T) {
	env := testenv.New(t)
	env.Ledger, env.YAML = testenv.Ledger(t, "recruitment.yaml")
	env.Vault = vault.NewService(env.DB, env.Log, env.Keys, env.LedgerFunc())
	ids := map[string]bool{}
	for i := range 20 {
		id, _, err := env.Vault.Create(env.Ctx, manager, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "service_provision"},
			Source: "web", Items: map[string]string{"name": fmt.Sprintf("架空 花子%d", i), "email": fmt.Sprintf("hanako%d@example.jp", i),
				"birth_date": fmt.Sprintf("19%d-04-01", 70+i), "desired_conditions": "週3日・在宅可"}})
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	s := New(env.DB, env.Vault, env.Keys, env.Log, env.LedgerFunc())
	sp := PseudoSpec{Title: "希望条件の分析", Category: "job_seeker", Purpose: "statistics", Items: []string{"birth_date", "desired_conditions"}, UsePurpose: 0}
	d, err := s.CreatePseudonymized(env.Ctx, manager, sp)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != hogo.DatasetPseudonymized || d.Rows != 20 || len(d.Steps) != 3 || !strings.Contains(d.Steps[0].Ja, "氏名") {
		t.Errorf("dataset: %+v", d)
	}
	var out bytes.Buffer
	if err := s.Data(env.Ctx, manager, d.ID, &out); err != nil {
		t.Fatal(err)
	}
	tab, err := anonymize.ReadTable(&out, "data")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Header, ",") != "pseudonym,birth_date,desired_conditions" || len(tab.Rows) != 20 {
		t.Fatalf("table: %v, %d rows", tab.Header, len(tab.Rows))
	}
	seen := map[string]bool{}
	for _, r := range tab.Rows {
		if ids[r[0]] || seen[r[0]] || !strings.HasPrefix(r[0], "P") {
			t.Errorf("pseudonym %q: a principal ID, repeated, or malformed", r[0])
		}
		seen[r[0]] = true
	}
	if strings.Contains(out.String(), "架空") || strings.Contains(out.String(), "@example.jp") {
		t.Error("names or e-mail addresses in pseudonymised information")
	}
	// The removed information maps each pseudonym to its principal.
	raw, err := s.Method(env.Ctx, manager, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var removed struct {
		Pseudonyms map[string]string `json:"pseudonyms"`
	}
	json.Unmarshal(raw, &removed)
	for _, r := range tab.Rows {
		if !ids[removed.Pseudonyms[r[0]]] {
			t.Errorf("pseudonym %s maps to %q", r[0], removed.Pseudonyms[r[0]])
		}
	}
	// The pseudonyms' key is a tink PRF keyset, kept only encrypted under
	// the dataset's own data key: read back, it makes the same pseudonyms.
	var sealedKeyset struct {
		Keyset json.RawMessage `json:"keyset"`
	}
	json.Unmarshal(raw, &sealedKeyset)
	if bytes.Contains(sealedKeyset.Keyset, []byte(`"keyMaterialType"`)) {
		t.Error("the pseudonyms' keyset is stored in the clear")
	}
	_, wrapped, err := env.DB.DatasetMethod(env.Ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := env.Keys.OpenDataKey(methodKeyID(d.ID), wrapped)
	if err != nil {
		t.Fatal(err)
	}
	kh, err := keyset.ReadWithAssociatedData(keyset.NewJSONReader(bytes.NewReader(sealedKeyset.Keyset)), dk, []byte(d.ID))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := prf.NewPRFSet(kh)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		b, _ := ps.ComputePrimaryPRF([]byte(removed.Pseudonyms[r[0]]), 10)
		if "P"+base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b) != r[0] {
			t.Errorf("pseudonym %s not made by the sealed keyset", r[0])
		}
	}
	if _, err := keyset.ReadWithAssociatedData(keyset.NewJSONReader(bytes.NewReader(sealedKeyset.Keyset)), dk, []byte("another")); err == nil {
		t.Error("the keyset opens for another dataset's ID")
	}
	// A second dataset's pseudonyms do not link to the first's.
	d2, err := s.CreatePseudonymized(env.Ctx, manager, sp)
	if err != nil {
		t.Fatal(err)
	}
	var out2 bytes.Buffer
	s.Data(env.Ctx, manager, d2.ID, &out2)
	for p := range seen {
		if strings.Contains(out2.String(), p) {
			t.Errorf("pseudonym %s reused across datasets", p)
		}
	}
	// The use purpose changed to another the ledger publishes: recorded
	// with its history, audited; the same one again or an unknown one
	// refused, and an anonymised dataset has none.
	changed, err := s.ChangeUsePurpose(env.Ctx, manager, d.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var rep PseudoReport
	if err := json.Unmarshal(changed.Report, &rep); err != nil || rep.UsePurpose.Ja != env.Ledger.Pseudonymized.Purposes[1].Ja ||
		len(rep.Changes) != 1 || rep.Changes[0].From.Ja != env.Ledger.Pseudonymized.Purposes[0].Ja || rep.Changes[0].Actor != manager.Name {
		t.Errorf("after the change: %v %s", err, changed.Report)
	}
	if stored, _ := s.Get(env.Ctx, manager, d.ID); string(stored.Report) != string(changed.Report) {
		t.Errorf("stored report %s", stored.Report)
	}
	for name, use := range map[string]int{"same": 1, "unknown": 7, "negative": -1} {
		if _, err := s.ChangeUsePurpose(env.Ctx, manager, d.ID, use); hogo.ErrorCode(err) != hogo.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.ChangeUsePurpose(env.Ctx, auditor, d.ID, 0); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("auditor: %v", err)
	}
	// The change is published: when, of which category, from and to.
	if _, pc, err := s.Publications(env.Ctx); err != nil || len(pc) != 1 || pc[0].DatasetID != d.ID || pc[0].Category != "job_seeker" ||
		pc[0].To != rep.UsePurpose || pc[0].From != rep.Changes[0].From || !pc[0].At.Equal(rep.Changes[0].At) {
		t.Errorf("published changes: %v %+v", err, pc)
	}
	if es, _ := env.DB.ListAudit(env.Ctx, hogo.AuditFilter{Action: "dataset.purpose", Limit: 10}); len(es) != 1 || es[0].Target != d.ID {
		t.Errorf("audit: %+v", es)
	}
	// Never published, never provided.
	if pub, _, _ := s.Publications(env.Ctx); len(pub) != 0 {
		t.Errorf("pseudonymised information published: %+v", pub)
	}
	if _, _, err := s.Provide(env.Ctx, manager, d.ID, ProvisionInput{Recipient: "架空商事", Method: "郵送"}); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("provided: %v", err)
	}
	// Refused items and purposes.
	for name, c := range map[string]PseudoSpec{
		"name":           {Category: "job_seeker", Purpose: "statistics", Items: []string{"name"}},
		"e-mail":         {Category: "job_seeker", Purpose: "statistics", Items: []string{"email"}},
		"address":        {Category: "job_seeker", Purpose: "statistics", Items: []string{"address"}},
		"use purpose":    {Category: "job_seeker", Purpose: "statistics", Items: []string{"birth_date"}, UsePurpose: 9},
		"no items":       {Category: "job_seeker", Purpose: "statistics"},
		"unknown purpos": {Category: "job_seeker", Purpose: "nope", Items: []string{"birth_date"}},
	} {
		if _, err := s.CreatePseudonymized(env.Ctx, manager, c); hogo.ErrorCode(err) != hogo.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.CreatePseudonymized(env.Ctx, auditor, sp); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("auditor: %v", err)
	}
	// A ledger without purposes of pseudonymised information refuses.
	s2, env2 := newService(t, 3)
	if _, err := s2.CreatePseudonymized(env2.Ctx, manager, PseudoSpec{Category: "job_seeker", Purpose: "statistics", Items: []string{"birth_date"}}); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("staffing ledger: %v", err)
	}
}

func TestFinancialItems(t *testing.T) {
	l, _ := testenv.Ledger(t, "recruitment.yaml")
	it := item(l.Category("employee"), "bank_account")
	if it == nil || PseudoEligible(it) == nil {
		t.Errorf("the salary bank account is not refused: %+v", it)
	}
}

// TestStatistics: counts by prefecture and by birth year, cells under the
// ledger's threshold (10 by default) hidden, and a lone hidden cell
// joined by the next smallest.
func TestStatistics(t *testing.T) {
	s, env := newService(t, 240)
	st, err := s.Statistics(env.Ctx, manager, StatSpec{Category: "job_seeker", Purpose: "statistics", By: []string{"address"}, Levels: map[string]int{"address": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Threshold != 10 || st.Total != 240 || len(st.Cells) != 4 || st.Suppressed != 0 {
		t.Fatalf("by prefecture: %+v", st)
	}
	counts := map[string]int{}
	for _, c := range st.Cells {
		counts[c.Values[0]] = c.Count
	}
	if counts["東京都"] != 96 || counts["大阪府"] != 48 || counts["北海道"] != 48 {
		t.Errorf("counts: %v", counts)
	}
	// By birth year and prefecture every cell is small: all hidden.
	st, err = s.Statistics(env.Ctx, manager, StatSpec{Category: "job_seeker", Purpose: "statistics", By: []string{"birth_date", "address"},
		Levels: map[string]int{"birth_date": 2, "address": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Cells) != 1 || !st.Cells[0].Hidden || st.Cells[0].Count != 0 || st.Suppressed < 2 {
		t.Errorf("small cells shown: %d suppressed, %+v", st.Suppressed, st.Cells)
	}
	// At level 0, a hidden cell would be one person's exact address: none
	// is named.
	st, err = s.Statistics(env.Ctx, manager, StatSpec{Category: "job_seeker", Purpose: "statistics", By: []string{"address"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Cells {
		if strings.Contains(c.Values[0], "丸の内") {
			t.Errorf("an address in a cell: %+v", c)
		}
	}
	for name, sp := range map[string]StatSpec{
		"name":      {Category: "job_seeker", Purpose: "statistics", By: []string{"name"}},
		"no axis":   {Category: "job_seeker", Purpose: "statistics"},
		"bad level": {Category: "job_seeker", Purpose: "statistics", By: []string{"address"}, Levels: map[string]int{"address": 9}},
		"sum text":  {Category: "job_seeker", Purpose: "statistics", By: []string{"address"}, Sum: "career"},
		"four axes": {Category: "job_seeker", Purpose: "statistics", By: []string{"address", "birth_date", "postal_code", "career"}},
	} {
		if _, err := s.Statistics(env.Ctx, manager, sp); hogo.ErrorCode(err) != hogo.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.Statistics(env.Ctx, desk, StatSpec{Category: "job_seeker", Purpose: "statistics", By: []string{"address"}}); hogo.ErrorCode(err) != hogo.EFORBIDDEN {
		t.Errorf("desk: %v", err)
	}
}

func TestStatisticsLoneCell(t *testing.T) {
	env := testenv.New(t)
	for i := range 30 {
		addr := "東京都千代田区丸の内1-" + strconv.Itoa(i)
		if i >= 25 {
			addr = "大阪府大阪市北区梅田3-" + strconv.Itoa(i)
		}
		if _, _, err := env.Vault.Create(env.Ctx, manager, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"}, Source: "web_form",
			Items: map[string]string{"name": "架空 一郎", "name_kana": "カクウ イチロウ", "email": fmt.Sprintf("ichiro%d@example.jp", i), "phone": "090-2000-0000", "address": addr}}); err != nil {
			t.Fatal(err)
		}
	}
	s := New(env.DB, env.Vault, env.Keys, env.Log, env.LedgerFunc())
	st, err := s.Statistics(env.Ctx, manager, StatSpec{Category: "job_seeker", Purpose: "statistics", By: []string{"address"}, Levels: map[string]int{"address": 2}})
	if err != nil {
		t.Fatal(err)
	}
	// 大阪府 (5) is under 10; 東京都 (25) would give it away from the total.
	// The hidden cells become one row naming neither.
	if st.Suppressed != 2 || len(st.Cells) != 1 || !st.Cells[0].Hidden || st.Cells[0].Values[0] != "*" {
		t.Errorf("%+v", st)
	}
}
