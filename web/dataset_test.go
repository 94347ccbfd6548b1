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
)

// datasetsNow is the datasets' clock in these tests: 令和8年4月1日 10:00.
var datasetsNow = time.Date(2026, 4, 1, 10, 0, 0, 0, hogo.Tokyo)

func atDatasetsNow(h *harness) { h.srv.Datasets.Now = func() time.Time { return datasetsNow } }

// seekerCount job seekers are registered by seedSeekers.
const seekerCount = 24

// seedSeekers registers job seekers through the vault, as the manager
// does, with the items anonymised information may keep (birth date,
// postal code, address, qualifications); it returns every personal value
// typed in, which no dataset, portal page, error or audit entry may hold.
func seedSeekers(h *harness) []string {
	h.t.Helper()
	return seedSeekersWith(h, nil)
}

// seedSeekersWith is seedSeekers with, for the i-th seeker, the items
// extra gives besides (an item a test's ledger adds).
func seedSeekersWith(h *harness, extra func(i int) map[string]string) []string {
	h.t.Helper()
	family := []string{"山田", "佐藤", "鈴木", "高橋", "田中", "伊藤"}
	familyKana := []string{"ヤマダ", "サトウ", "スズキ", "タカハシ", "タナカ", "イトウ"}
	given := []string{"一郎", "花子", "健太", "美咲"}
	givenKana := []string{"イチロウ", "ハナコ", "ケンタ", "ミサキ"}
	places := []struct{ postal, address string }{
		{"530-0001", "大阪府大阪市北区梅田三丁目%d-1"},
		{"530-0012", "大阪府大阪市北区芝田二丁目%d-2"},
		{"540-0002", "大阪府大阪市中央区大阪城%d-3"},
		{"100-0001", "東京都千代田区千代田%d-4"},
		{"100-0005", "東京都千代田区丸の内一丁目%d-5"},
		{"105-0011", "東京都港区芝公園四丁目%d-6"},
	}
	quals := []string{"普通自動車免許", "日商簿記2級", "TOEIC 800点"}
	var values []string
	for i := range seekerCount {
		name := family[i%6] + " " + given[i/6%4]
		kana := familyKana[i%6] + " " + givenKana[i/6%4]
		email := fmt.Sprintf("seeker%02d.yamada@example.jp", i)
		phone := fmt.Sprintf("090-7%03d-%04d", i, 1000+i)
		birth := fmt.Sprintf("%d-%02d-%02d", 1980+i%4, 1+i%12, 1+(i*7)%28)
		pl := places[i%6]
		addr := fmt.Sprintf(pl.address, 10+i)
		items := map[string]string{"name": name, "name_kana": kana, "email": email, "phone": phone, "birth_date": birth,
			"postal_code": pl.postal, "address": addr, "qualifications": quals[i%3]}
		if extra != nil {
			for k, v := range extra(i) {
				items[k] = v
			}
		}
		body, _ := json.Marshal(map[string]any{"category": "job_seeker", "purpose": "job_matching", "source": "web_form", "items": items})
		createPrincipal(h, string(body))
		values = append(values, name, kana, email, phone, birth, addr, strings.ReplaceAll(phone, "-", ""))
	}
	return values
}

// datasetSpec is the body of a creation: the job seekers' birth dates,
// postal codes and addresses as quasi-identifiers, read for statistics.
const datasetSpec = `"title":"求職者の年代・地域の分布","category":"job_seeker","purpose":"statistics","qi":["birth_date","postal_code","address"],"k":3,"suppress_pct":10`

type datasetAPIJSON struct {
	ID          string             `json:"id"`
	Kind        string             `json:"kind"`
	Title       string             `json:"title"`
	Category    string             `json:"category"`
	Purpose     string             `json:"purpose"`
	Items       []hogo.DatasetItem `json:"items"`
	Steps       []hogo.DatasetStep `json:"steps"`
	Report      *datasets.Report   `json:"report"`
	Rows        int                `json:"rows"`
	Suppressed  int                `json:"suppressed"`
	CreatedAt   time.Time          `json:"created_at"`
	PublishedAt time.Time          `json:"published_at"`
	Actor       string             `json:"actor"`
}

// createDataset creates the dataset of datasetSpec as the manager.
func createDataset(h *harness) datasetAPIJSON {
	h.t.Helper()
	r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets", `{`+datasetSpec+`}`)
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	var d datasetAPIJSON
	r.decode(h.t, &d)
	return d
}

// TestDatasetAPI: the manager previews (nothing stored) and creates
// anonymised information; the manager and the auditor list and read the
// records; the manager alone downloads the table, whose every class holds
// at least k rows, and reads the method; other roles are refused, bad
// specs are refused naming the field and never a value; all audited.
func TestDatasetAPI(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	personal := seedSeekers(h)
	ctx := context.Background()

	// A preview answers the risk and stores nothing.
	r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets", `{`+datasetSpec+`,"preview":true}`)
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	var pv struct {
		Preview bool
		Report  datasets.Report
		Items   []hogo.DatasetItem
		Steps   []hogo.DatasetStep
	}
	r.decode(t, &pv)
	rep := pv.Report
	if !pv.Preview || rep.Rows != seekerCount || rep.RowsOut+rep.Suppressed != seekerCount || rep.K != 3 || rep.RiskAfter.SmallestSize < 3 ||
		rep.RiskAfter.Highest > 1.0/3+1e-9 || rep.RiskBefore.Highest != 1 || len(rep.Generalization) != 3 || len(pv.Items) != 3 || len(pv.Steps) != 5 {
		t.Errorf("preview: %s", r.body)
	}
	holdsNone(t, "the preview", r.String(), personal)
	var list struct {
		Datasets []datasetAPIJSON `json:"datasets"`
	}
	h.as(hogo.RoleManager, "GET", "/api/v1/datasets", "").decode(t, &list)
	if len(list.Datasets) != 0 {
		t.Fatalf("a preview stored a dataset: %+v", list.Datasets)
	}
	if es, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "dataset.create", Limit: 10}); len(es) != 0 {
		t.Fatalf("a preview is audited as a creation: %d entries", len(es))
	}

	// Creation.
	r = h.as(hogo.RoleManager, "POST", "/api/v1/datasets", `{`+datasetSpec+`}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	var d datasetAPIJSON
	r.decode(t, &d)
	if d.ID == "" || r.header.Get("Location") != "/api/v1/datasets/"+d.ID || d.Kind != hogo.DatasetAnonymized || d.Title != "求職者の年代・地域の分布" ||
		d.Category != "job_seeker" || d.Purpose != "statistics" || d.Rows+d.Suppressed != seekerCount || d.Actor != userName(hogo.RoleManager) ||
		!d.CreatedAt.Equal(datasetsNow) || !d.PublishedAt.Equal(datasetsNow) || len(d.Items) != 3 || len(d.Steps) != 5 || d.Report == nil ||
		d.Report.RiskAfter.SmallestSize < 3 {
		t.Fatalf("created: %s", r.body)
	}
	if d.Items[0].ID != "birth_date" || d.Items[0].NameJa != "生年月日" || d.Items[0].ProcessJa == "" || d.Items[0].ProcessEn == "" {
		t.Errorf("items: %+v", d.Items)
	}
	for i, st := range d.Steps {
		if st.Rule != i+1 || st.Ja == "" || st.En == "" {
			t.Errorf("step %d: %+v", i+1, st)
		}
	}
	if !strings.Contains(d.Steps[0].Ja, "氏名") || !strings.Contains(d.Steps[0].Ja, "メールアドレス") {
		t.Errorf("step 1 does not name the identifying items removed: %s", d.Steps[0].Ja)
	}

	// Listing and reading: the manager and the auditor.
	for _, role := range []hogo.Role{hogo.RoleManager, hogo.RoleAuditor} {
		r := h.as(role, "GET", "/api/v1/datasets", "")
		r.decode(t, &list)
		if r.status != http.StatusOK || len(list.Datasets) != 1 || list.Datasets[0].ID != d.ID || list.Datasets[0].Rows != d.Rows ||
			len(list.Datasets[0].Items) != 3 || list.Datasets[0].Actor != userName(hogo.RoleManager) || list.Datasets[0].Purpose != "statistics" {
			t.Errorf("%s listing: %d %s", role, r.status, r.body)
		}
		if strings.Contains(r.String(), `"steps"`) || strings.Contains(r.String(), `"report"`) {
			t.Errorf("%s listing carries the steps or the report:\n%s", role, r.body)
		}
		r = h.as(role, "GET", "/api/v1/datasets/"+d.ID, "")
		var got datasetAPIJSON
		r.decode(t, &got)
		if r.status != http.StatusOK || got.ID != d.ID || len(got.Steps) != 5 || got.Report == nil || got.Report.Rows != seekerCount ||
			got.Report.RiskAfter.SmallestSize < 3 {
			t.Errorf("%s reading: %d %s", role, r.status, r.body)
		}
	}

	// The table: CSV with the quasi-identifiers only, every class of at
	// least k rows, no personal value as it was held.
	r = h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/data", "")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		r.header.Get("Content-Disposition") != `attachment; filename="dataset-`+d.ID+`.csv"` {
		t.Fatalf("data: %d %q %q\n%s", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), r.body)
	}
	rows, err := csv.NewReader(strings.NewReader(r.String())).ReadAll()
	if err != nil {
		t.Fatalf("data is not CSV: %v", err)
	}
	if len(rows) != d.Rows+1 || !slices.Equal(rows[0], []string{"birth_date", "postal_code", "address"}) {
		t.Fatalf("data: %d rows, header %q; want %d and the quasi-identifiers", len(rows)-1, rows[0], d.Rows)
	}
	classes := map[string]int{}
	for _, row := range rows[1:] {
		classes[strings.Join(row, "\x00")]++
	}
	for c, n := range classes {
		if n < 3 {
			t.Errorf("class %q holds %d rows, fewer than k=3", strings.ReplaceAll(c, "\x00", " | "), n)
		}
	}
	holdsNone(t, "the anonymised table", r.String(), append(slices.Clone(personal), "梅田三丁目", "丸の内一丁目"))

	// The method: the spec, the levels, the hierarchies.
	r = h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+d.ID+"/method", "")
	var method struct {
		Spec        datasets.Spec
		Levels      map[string]int
		Hierarchies map[string]struct {
			From string `json:"generated_from"`
		}
	}
	r.decode(t, &method)
	if r.status != http.StatusOK || method.Spec.K != 3 || len(method.Levels) != 3 || method.Hierarchies["birth_date"].From != "date" {
		t.Errorf("method: %d %s", r.status, r.body)
	}
	// The method keeps the rules, not anyone's values.
	holdsNone(t, "the method information", string(r.body), append(slices.Clone(personal), "梅田三丁目", "丸の内一丁目"))

	// Refusals by role.
	for _, c := range []struct {
		method, path string
		roles        []hogo.Role
	}{
		{"GET", "/api/v1/datasets", []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin}},
		{"POST", "/api/v1/datasets", []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor}},
		{"GET", "/api/v1/datasets/" + d.ID, []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin}},
		{"GET", "/api/v1/datasets/" + d.ID + "/data", []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor}},
		{"GET", "/api/v1/datasets/" + d.ID + "/method", []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleAdmin, hogo.RoleAuditor}},
	} {
		for _, role := range c.roles {
			body := ""
			if c.method == "POST" {
				body = `{` + datasetSpec + `}`
			}
			r := h.as(role, c.method, c.path, body)
			if code, _, _ := r.errorJSON(t); r.status != http.StatusForbidden || code != hogo.EFORBIDDEN {
				t.Errorf("%s %s as %s: %d %s", c.method, c.path, role, r.status, r.body)
			}
		}
	}

	// Bad specs: 400 naming the field, never a value.
	for _, c := range []struct {
		name, body, field string
	}{
		{"unknown category", `{"category":"pets","purpose":"statistics","qi":["birth_date"],"k":3}`, "category"},
		{"no purpose", `{"category":"job_seeker","qi":["birth_date"],"k":3}`, "purpose"},
		{"no qi", `{"category":"job_seeker","purpose":"statistics","qi":[],"k":3}`, "qi"},
		{"k of 1", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":1}`, "k"},
		{"a name as qi", `{"category":"job_seeker","purpose":"statistics","qi":["name","birth_date"],"k":3}`, "qi"},
		{"an e-mail as sensitive", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"sensitive":["email"],"k":3}`, "qi"},
		{"an item of no category", `{"category":"job_seeker","purpose":"statistics","qi":["blood_type"],"k":3}`, "qi"},
		{"k above the records", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":1000}`, "k"},
		{"suppression above 50%", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":3,"suppress_pct":60}`, "suppress_pct"},
		{"l without a sensitive attribute", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":3,"l":2}`, "sensitive"},
		{"t above 1", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"sensitive":["qualifications"],"k":3,"t":2}`, "t"},
		{"unknown field", `{"category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":3,"exhaustive":true}`, "exhaustive"},
		{"a title of a name too long", `{"title":"` + strings.Repeat("山田太郎", 51) + `","category":"job_seeker","purpose":"statistics","qi":["birth_date"],"k":3}`, "title"},
	} {
		r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets", c.body)
		code, msg, field := r.errorJSON(t)
		if r.status != http.StatusBadRequest || code != hogo.EINVALID || field != c.field || msg == "" {
			t.Errorf("%s: %d %s %q on %q, want 400 on %q", c.name, r.status, code, msg, field, c.field)
		}
		holdsNone(t, c.name, r.String(), append(slices.Clone(personal), "山田太郎"))
	}
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets", `{`+datasetSpec+`,"preview":true,"qi":["name"]}`); r.status != http.StatusBadRequest ||
		!strings.Contains(r.String(), "氏名") {
		t.Errorf("a name as qi is refused naming the item: %d %s", r.status, r.body)
	}
	// A purpose the ledger does not let the manager read the category for.
	if r := h.as(hogo.RoleManager, "POST", "/api/v1/datasets", `{"category":"job_seeker","purpose":"sales","qi":["birth_date"],"k":3,"preview":true}`); r.status != http.StatusForbidden {
		t.Errorf("a purpose not of the category: %d %s", r.status, r.body)
	}
	for _, id := range []string{"0123456789abcdefghijklmnop", "nope"} {
		for _, p := range []string{"", "/data", "/method"} {
			if r := h.as(hogo.RoleManager, "GET", "/api/v1/datasets/"+id+p, ""); r.status != http.StatusNotFound {
				t.Errorf("GET %s%s: %d %s", id, p, r.status, r.body)
			}
		}
	}
	h.as(hogo.RoleManager, "GET", "/api/v1/datasets", "").decode(t, &list)
	if len(list.Datasets) != 1 {
		t.Errorf("%d datasets after the refusals, want 1", len(list.Datasets))
	}

	// The audit log: one creation, one download, one reading of the method.
	created, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "dataset.create", Limit: 10})
	downloaded, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "dataset.download", Limit: 10})
	read, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "dataset.method.read", Limit: 10})
	if len(created) != 1 || created[0].Target != d.ID || created[0].Category != "job_seeker" || created[0].Purpose != "statistics" ||
		created[0].Actor != userName(hogo.RoleManager) || len(downloaded) != 1 || len(read) != 1 {
		t.Errorf("audit: %d created, %d downloaded, %d method reads\n%s", len(created), len(downloaded), len(read), auditJSON(t, created))
	}
	holdsNone(t, "the datasets' audit entries", auditJSON(t, slices.Concat(created, downloaded, read)), personal)
}

// TestDatasetConsole: the manager's form offers the category's eligible
// items and lists those removed with the reason; a preview shows the risk
// before and after and the five steps without storing; a creation goes to
// the record's page with its download and method; the auditor reads the
// records but neither creates, downloads nor reads the method; others are
// refused.
func TestDatasetConsole(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	personal := seedSeekers(h)
	m := h.browser()
	m.loginAs(hogo.RoleManager)
	r := m.get("/console/datasets")
	wantStatus(t, "manager page", r, http.StatusOK, "匿名加工情報の作成", `id="no-datasets"`, `id="dataset-form"`, `name="csrf"`,
		"準識別子", "機微な属性", "削除される項目", "求職者", "統計・分析情報の作成", "リスクを確認", "作成して公表",
		`name="qi_job_seeker" value="birth_date"`, `name="sensitive_job_seeker" value="qualifications"`,
		"「氏名」は本人を特定するための記述", "「メールアドレス」は連絡先等", "「社員番号」は個人識別符号")
	_, form, _ := strings.Cut(r.String(), `id="dataset-items-job_seeker"`)
	form, _, _ = strings.Cut(form, "</fieldset>")
	for _, never := range []string{`value="name"`, `value="email"`, `value="phone"`, `value="name_kana"`} {
		if strings.Contains(form, never) {
			t.Errorf("the form offers %s for job seekers", never)
		}
	}
	if strings.Contains(r.String(), `id="dataset-items-business_contact"`) {
		t.Error("the form offers a category the manager may not read")
	}
	if strings.Contains(r.String(), `value="mynumber_tax"`) || strings.Contains(r.String(), `value="sales"`) {
		t.Error("the form offers a purpose of the My Number Act, or one the manager may not read the category for")
	}

	token := m.csrf("/console/datasets")
	f := url.Values{"csrf": {token}, "title": {"求職者の年代・地域の分布"}, "category": {"job_seeker"}, "purpose": {"statistics"},
		"qi_job_seeker": {"birth_date", "postal_code", "address"}, "qi_employee": {"birth_date"}, "k": {"3"}, "suppress_pct": {"10"},
		"action": {"preview"}}
	r = m.post("/console/datasets", f)
	wantStatus(t, "preview", r, http.StatusOK, `id="dataset-preview"`, "再識別リスク", "加工前", "加工後", "最大リスク", "平均リスク",
		"一人だけの集団にいる行の割合", "最小の集団の人数", "100.0%", "抑制した行", "情報損失", "k=3", "生年月日", "郵便番号", "住所",
		"第1号 特定の個人を識別できる記述等の削除", "第5号", "再識別リスク（最大）は 100.0% から", `value="birth_date" checked`,
		`value="求職者の年代・地域の分布"`, `id="no-datasets"`)
	holdsNone(t, "the preview page", r.String(), personal)
	var list struct{ Datasets []datasetAPIJSON }
	h.as(hogo.RoleManager, "GET", "/api/v1/datasets", "").decode(t, &list)
	if len(list.Datasets) != 0 {
		t.Fatal("a console preview stored a dataset")
	}

	bad := url.Values{}
	for k, v := range f {
		bad[k] = v
	}
	bad.Set("k", "1")
	wantStatus(t, "k of 1", m.post("/console/datasets", bad), http.StatusBadRequest, "k は2以上", `value="birth_date" checked`)
	bad.Set("k", "三")
	wantStatus(t, "k not a number", m.post("/console/datasets", bad), http.StatusBadRequest, "k は2以上の整数")
	bad.Set("k", "3")
	bad.Set("l", "2")
	wantStatus(t, "l without sensitive", m.post("/console/datasets", bad), http.StatusBadRequest, "機微な属性を一つ以上")
	bad.Del("l")
	bad.Del("qi_job_seeker")
	wantStatus(t, "no qi", m.post("/console/datasets", bad), http.StatusBadRequest, "準識別子にする項目を一つ以上")

	f.Set("action", "create")
	r = m.post("/console/datasets", f)
	loc := r.header.Get("Location")
	id, ok := strings.CutPrefix(loc, "/console/datasets/")
	id, _, _ = strings.Cut(id, "?")
	if r.status != http.StatusSeeOther || !ok || !strings.HasSuffix(loc, "?done=created") {
		t.Fatalf("create: %d → %q\n%s", r.status, loc, r.body)
	}
	r = m.get(loc)
	wantStatus(t, "record", r, http.StatusOK, "匿名加工情報を作成し、含まれる項目を公表しました。", "求職者の年代・地域の分布", "求職者",
		"統計・分析情報の作成", "令和8年4月1日 10:00", userName(hogo.RoleManager), "生年月日", "第1号", "第2号", "第3号", "第4号", "第5号",
		"加工前", "加工後", `id="dataset-download"`, `href="/console/datasets/`+id+`/data"`, `id="dataset-method-link"`, "加工方法等情報")
	holdsNone(t, "the record's page", r.String(), personal)
	wantStatus(t, "list", m.get("/console/datasets"), http.StatusOK, `id="datasets"`, `href="/console/datasets/`+id+`"`, "令和8年4月1日 10:00",
		"生年月日、郵便番号、住所")
	wantStatus(t, "English", m.get("/console/datasets/"+id+"?lang=en"), http.StatusOK, `<html lang="en">`, "Date of birth", "Re-identification risk",
		"(i) Descriptions that identify a person removed", "2026-04-01 10:00")
	m.get("/console/datasets?lang=ja")

	dl := m.get("/console/datasets/" + id + "/data")
	if dl.status != http.StatusOK || dl.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(dl.header.Get("Content-Disposition"), "dataset-"+id+".csv") || !strings.HasPrefix(dl.String(), "birth_date,postal_code,address\n") {
		t.Errorf("console download: %d %q %q\n%s", dl.status, dl.header.Get("Content-Type"), dl.header.Get("Content-Disposition"), dl.body)
	}
	wantStatus(t, "method", m.get("/console/datasets/"+id+"/method"), http.StatusOK, `id="dataset-method"`, `"hierarchies": {`, `"k": 3`,
		"個人情報保護管理者だけが見られます")
	wantStatus(t, "unknown record", m.get("/console/datasets/0123456789abcdefghijklmnop"), http.StatusNotFound, "見つかりません")

	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	r = a.get("/console/datasets")
	wantStatus(t, "auditor list", r, http.StatusOK, "求職者の年代・地域の分布", `id="datasets"`)
	if strings.Contains(r.String(), `id="dataset-form"`) {
		t.Error("the auditor is offered the form")
	}
	r = a.get("/console/datasets/" + id)
	wantStatus(t, "auditor record", r, http.StatusOK, "求職者の年代・地域の分布", "第5号", "加工後")
	if strings.Contains(r.String(), `id="dataset-download"`) || strings.Contains(r.String(), `id="dataset-method-link"`) {
		t.Error("the auditor is offered the table or the method")
	}
	wantStatus(t, "auditor download", a.get("/console/datasets/"+id+"/data"), http.StatusForbidden, msgForbidden)
	wantStatus(t, "auditor method", a.get("/console/datasets/"+id+"/method"), http.StatusForbidden, msgForbidden)
	f.Set("csrf", a.csrf("/console/datasets"))
	wantStatus(t, "auditor creates", a.post("/console/datasets", f), http.StatusForbidden, msgForbidden)

	s := h.browser()
	s.loginAs(hogo.RoleStaff)
	wantStatus(t, "staff list", s.get("/console/datasets"), http.StatusForbidden, msgForbidden)
	wantStatus(t, "staff record", s.get("/console/datasets/"+id), http.StatusForbidden, msgForbidden)
	navRE := regexp.MustCompile(`id="nav-datasets"`)
	if !navRE.MatchString(m.get("/console/").String()) || !navRE.MatchString(a.get("/console/").String()) || navRE.MatchString(s.get("/console/").String()) {
		t.Error("navigation to the datasets")
	}
	if es, _ := h.db.ListAudit(context.Background(), hogo.AuditFilter{Action: "dataset.create", Limit: 10}); len(es) != 1 {
		t.Errorf("%d dataset.create entries, want 1", len(es))
	}
}

// TestDatasetPortal: the portal publishes, for each dataset, its title,
// the day of its creation in 和暦 and the item categories with how each
// was processed, and the undertaking not to re-identify; never personal
// data, the actor or the table.
func TestDatasetPortal(t *testing.T) {
	h := newHarness(t, atDatasetsNow)
	anon := h.browser()
	wantStatus(t, "none yet", anon.get("/anonymized"), http.StatusOK, "匿名加工情報の公表", `id="anonymized-empty"`, "照合することはありません")
	if r := anon.get("/"); !strings.Contains(r.String(), `href="/anonymized"`) {
		t.Error("the portal's home page does not link to the publication")
	}
	personal := seedSeekers(h)
	d := createDataset(h)
	r := anon.get("/anonymized")
	want := []string{"匿名加工情報の公表", `id="anonymized-` + d.ID + `"`, "求職者の年代・地域の分布", "令和8年4月1日",
		"匿名加工情報に含まれる個人に関する情報の項目", "加工の方法", "生年月日", "郵便番号", "住所", "照合することはありません", "第43条第5項", "第45条"}
	for _, it := range d.Items {
		want = append(want, it.ProcessJa)
	}
	wantStatus(t, "published", r, http.StatusOK, want...)
	holdsNone(t, "the portal's publication", r.String(), append(slices.Clone(personal), userName(hogo.RoleManager), "statistics",
		"統計・分析情報の作成", `name="csrf"`, "530-00", "梅田"))
	if strings.Contains(r.String(), `id="anonymized-empty"`) {
		t.Error("the publication says none is published")
	}
	wantEn := []string{`<html lang="en">`, "Publication of anonymised information", "1 April 2026",
		"Categories of information about individuals it contains", "Date of birth", "Postal code"}
	for _, it := range d.Items {
		wantEn = append(wantEn, it.ProcessEn)
	}
	wantStatus(t, "published in English", h.browser().get("/anonymized?lang=en"), http.StatusOK, wantEn...)
}
