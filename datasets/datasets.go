// Package datasets creates anonymised information (匿名加工情報, APPI Art.
// 43; 則34–36) from the vault and keeps the record of each creation: the
// records of a category read for a declared purpose (each read audited),
// the steps of 則34 taken in order — identifying descriptions removed,
// identification codes removed, linking codes removed, unusual values
// generalised or suppressed, k-anonymity (with l-diversity or t-closeness)
// as the measures fitting the data — the processing-method information
// sealed under a key of its own and kept apart, and the item categories
// published at once on the portal (Art. 43(3)).
package datasets

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/anonymize"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what datasets need of a store.
type Store interface {
	hogo.DatasetService
}

// Service creates and lists datasets.
type Service struct {
	store  Store
	vault  *vault.Service
	keys   *vault.Keys
	audit  vault.Auditor
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New returns the datasets' service.
func New(store Store, v *vault.Service, keys *vault.Keys, auditor vault.Auditor, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, vault: v, keys: keys, audit: auditor, ledger: ledgerFn, Now: time.Now}
}

// CreateRoles create anonymised information and read its table and
// method: the protection manager.
var CreateRoles = []hogo.Role{hogo.RoleManager}

// ReadRoles read the records: the protection manager and the auditor.
var ReadRoles = []hogo.Role{hogo.RoleManager, hogo.RoleAuditor}

// Spec says what to create.
type Spec struct {
	Title     string   `json:"title"`
	Category  string   `json:"category"`
	Purpose   string   `json:"purpose"`
	QI        []string `json:"qi"`
	Sensitive []string `json:"sensitive,omitempty"`
	K         int      `json:"k"`
	L         float64  `json:"l,omitempty"`
	LEntropy  bool     `json:"l_entropy,omitempty"`
	T         float64  `json:"t,omitempty"`
	// SuppressPct is the share of rows that may be left out, in percent.
	SuppressPct float64 `json:"suppress_pct"`
}

// Run is an anonymisation of the vault's records: its result, the table it
// came from, and what the 則34 steps found.
type Run struct {
	Spec    Spec
	Result  *anonymize.Result
	Table   *anonymize.Table
	Items   []hogo.DatasetItem
	Steps   []hogo.DatasetStep
	Methods map[string]*anonymize.Hierarchy
	// Types are the quasi-identifiers' item types.
	Types  map[string]string
	Report Report
}

// Report is the anonymisation's outcome, as stored and shown.
type Report struct {
	Rows           int               `json:"rows"`
	RowsOut        int               `json:"rows_out"`
	K              int               `json:"k"`
	L              float64           `json:"l,omitempty"`
	LModel         string            `json:"l_model,omitempty"`
	T              float64           `json:"t,omitempty"`
	SuppressPct    float64           `json:"suppress_limit_pct"`
	Suppressed     int               `json:"suppressed"`
	Generalization map[string]int    `json:"generalization"`
	Heights        map[string]int    `json:"heights"`
	RiskBefore     anonymize.Risk    `json:"risk_before"`
	RiskAfter      anonymize.Risk    `json:"risk_after"`
	Utility        anonymize.Utility `json:"utility"`
	Unusual        map[string]int    `json:"unusual_rows"`
	SearchMS       float64           `json:"search_ms"`
}

// MaxRows bounds the records one creation reads in the server.
const MaxRows = 2_000_000

func forbidden() error {
	return hogo.NewError(hogo.EFORBIDDEN, "role", "匿名加工情報は個人情報保護管理者が作成します。",
		"anonymised information is created by the protection manager")
}

func invalid(field, ja, en string, args ...any) error {
	return hogo.NewError(hogo.EINVALID, field, ja, en, args...)
}

// check checks a spec against the ledger before anything is read: the
// category and its purpose, and each quasi-identifier and sensitive
// attribute an item of the category that may be kept in anonymised
// information.
func (s *Service) check(c *ledger.Category, sp *Spec) error {
	sp.Title = strings.TrimSpace(sp.Title)
	if utf8.RuneCountInString(sp.Title) > 200 {
		return invalid("title", "表題は200文字以内にしてください。", "the title is at most 200 characters")
	}
	if len(sp.QI) == 0 {
		return invalid("qi", "準識別子にする項目を一つ以上選んでください。", "choose at least one item as a quasi-identifier")
	}
	if sp.K < 2 {
		return invalid("k", "k は2以上にしてください（k=1 では誰も紛れません）。", "k must be 2 or more (with k=1 no one is hidden)")
	}
	switch {
	case sp.L < 0 || math.IsNaN(sp.L) || math.IsInf(sp.L, 0):
		return invalid("l", "l は0（使わない）以上にしてください。", "l must be 0 (not used) or more")
	case sp.T < 0 || sp.T > 1 || math.IsNaN(sp.T):
		return invalid("t", "t は0（使わない）から1の間にしてください。", "t must be between 0 (not used) and 1")
	case (sp.L > 0 || sp.T > 0) && len(sp.Sensitive) == 0:
		return invalid("sensitive", "l 多様性・t 近接性を使うときは、機微な属性を一つ以上選んでください。",
			"l-diversity and t-closeness need at least one sensitive attribute")
	}
	if sp.SuppressPct < 0 || sp.SuppressPct > 50 || math.IsNaN(sp.SuppressPct) {
		return invalid("suppress_pct", "抑制の上限は0〜50%%で指定してください。", "the suppression limit is between 0 and 50 %%")
	}
	seen := map[string]bool{}
	for _, id := range append(slices.Clone(sp.QI), sp.Sensitive...) {
		if seen[id] {
			return invalid("qi", "同じ項目が二度指定されています。", "an item is given twice")
		}
		seen[id] = true
		it := item(c, id)
		if it == nil {
			return invalid("qi", "種別の項目ではないものが指定されています。", "an item given is not an item of the category")
		}
		if err := Eligible(it); err != nil {
			return err
		}
	}
	return nil
}

// source finds the ledger in force, the category named and the declared
// purpose its records are read for.
func (s *Service) source(category, purpose string) (*ledger.Ledger, *ledger.Category, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	c := l.Category(category)
	if c == nil {
		return nil, nil, invalid("category", "台帳にない種別です。", "the category is not in the ledger")
	}
	if purpose == "" || l.Purpose(purpose) == nil {
		return nil, nil, invalid("purpose", "記録を読む利用目的を台帳の利用目的から指定してください（個人情報保護法第17条、第18条）。",
			"name the purpose the records are read for, from the ledger's purposes (APPI Art. 17, 18)")
	}
	return l, c, nil
}

func item(c *ledger.Category, id string) *ledger.Item {
	for _, it := range c.Items {
		if it.ID == id {
			return it
		}
	}
	return nil
}

// Eligible says whether an item may be kept, generalised, in anonymised
// information: identification codes are removed whole (則34(ii)), and
// names, contact details and other identifying descriptions too (則34(i)).
func Eligible(it *ledger.Item) error {
	switch it.Type {
	case ledger.TypeMyNumber, ledger.TypeCode:
		return hogo.NewError(hogo.EINVALID, "qi", "「%[1]s」は個人識別符号です。匿名加工情報からは全部を削除します（規則第34条第2号）。",
			"%[2]s is an identification code: anonymised information leaves it out whole (PPC rules Art. 34(ii))", it.Name.Ja, it.Name.En)
	case ledger.TypeEmail, ledger.TypePhone, ledger.TypeURL, ledger.TypeFile:
		return hogo.NewError(hogo.EINVALID, "qi", "「%[1]s」は連絡先等の本人を特定できる記述です。削除します（規則第34条第1号）。",
			"%[2]s is a contact detail that identifies the person: it is left out (PPC rules Art. 34(i))", it.Name.Ja, it.Name.En)
	}
	if it.Identifier && (it.Type == ledger.TypeText || it.Type == ledger.TypeKana) {
		return hogo.NewError(hogo.EINVALID, "qi", "「%[1]s」は本人を特定するための記述（氏名等）です。削除します（規則第34条第1号）。",
			"%[2]s identifies the person (a name or the like): it is left out (PPC rules Art. 34(i))", it.Name.Ja, it.Name.En)
	}
	if financial(it) {
		return hogo.NewError(hogo.EINVALID, "qi", "「%[1]s」は口座番号・カード番号等の、本人に結び付く符号です。削除します（規則第34条第1号、第3号）。",
			"%[2]s is an account or card number that links to the person: it is left out (PPC rules Art. 34(i), (iii))", it.Name.Ja, it.Name.En)
	}
	return nil
}

// Preview reads the records and anonymises them without keeping anything:
// the risk before and after, the utility and the steps, for the manager to
// judge before creating. The reads are audited as any export.
func (s *Service) Preview(ctx context.Context, a hogo.Actor, sp Spec) (*Run, error) {
	return s.run(ctx, a, sp)
}

func (s *Service) run(ctx context.Context, a hogo.Actor, sp Spec) (*Run, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, forbidden()
	}
	_, c, err := s.source(sp.Category, sp.Purpose)
	if err != nil {
		return nil, err
	}
	if err := s.check(c, &sp); err != nil {
		return nil, err
	}
	tab, err := s.read(ctx, a, c, sp)
	if err != nil {
		return nil, err
	}
	cfg := anonymize.Config{QI: sp.QI, Sensitive: sp.Sensitive, K: sp.K, L: sp.L, LEntropy: sp.LEntropy, T: sp.T,
		Suppress: sp.SuppressPct / 100, Hierarchies: map[string]*anonymize.Hierarchy{}}
	for _, q := range sp.QI {
		h, err := anonymize.ForItemType(string(item(c, q).Type), q, tab.Column(q), 0)
		if err != nil {
			return nil, invalid("qi", "「%[1]s」の値から一般化の階層を作れません: %[3]v", "cannot make a hierarchy from the values of %[2]s: %[3]v",
				item(c, q).Name.Ja, item(c, q).Name.En, err)
		}
		cfg.Hierarchies[q] = h
	}
	if sp.K > len(tab.Rows) {
		return nil, invalid("k", "k（%d）が読めた記録の数（%d）より大きくなっています。", "k (%d) is larger than the records read (%d)", sp.K, len(tab.Rows))
	}
	res, err := anonymize.Anonymize(tab, cfg)
	if err == anonymize.ErrNoSolution {
		return nil, invalid("k", "抑制の上限の中で条件を満たす一般化がありません。抑制の上限を上げるか、k・l・t を下げてください。",
			"no generalisation meets the models within the suppression limit: allow more suppression, or lower k, l or t")
	}
	if err != nil {
		return nil, err
	}
	run := &Run{Spec: sp, Result: res, Table: tab, Methods: cfg.Hierarchies, Types: map[string]string{}}
	for _, q := range sp.QI {
		run.Types[q] = string(item(c, q).Type)
	}
	run.Report = Report{Rows: res.Rows, RowsOut: res.Rows - res.Suppressed, K: sp.K, L: sp.L, T: sp.T, SuppressPct: sp.SuppressPct,
		Suppressed: res.Suppressed, Generalization: res.Generalization(), Heights: map[string]int{}, RiskBefore: res.Before,
		RiskAfter: res.After, Utility: res.Utility, Unusual: res.Unusual, SearchMS: float64(res.Search.Microseconds()) / 1000}
	if sp.L > 0 {
		run.Report.LModel = "distinct"
		if sp.LEntropy {
			run.Report.LModel = "entropy"
		}
	}
	for _, q := range sp.QI {
		run.Report.Heights[q] = cfg.Hierarchies[q].Height() - 1
	}
	run.Items = items(c, sp, res, cfg.Hierarchies)
	run.Steps = steps(c, sp, res)
	return run, nil
}

// read reads the category's records for the purpose into a table of the
// quasi-identifiers and sensitive attributes only.
func (s *Service) read(ctx context.Context, a hogo.Actor, c *ledger.Category, sp Spec) (*anonymize.Table, error) {
	u := vault.Use{Purpose: sp.Purpose}
	_, cols, err := s.vault.ExportColumns(ctx, a, c.ID, u)
	if err != nil {
		return nil, err
	}
	want := append(slices.Clone(sp.QI), sp.Sensitive...)
	pick := make([]int, len(want))
	for i, id := range want {
		j := slices.Index(cols, id)
		if j < 0 {
			return nil, invalid("qi", "「%[1]s」はこの利用目的では読めない項目です。", "%[2]s cannot be read for this purpose", item(c, id).Name.Ja, item(c, id).Name.En)
		}
		pick[i] = j + 2 // after principal_id and record_id
	}
	tab := &anonymize.Table{Header: want, Comma: ','}
	_, err = s.vault.Export(ctx, a, c.ID, u, MaxRows, func(cells []string) error {
		row := make([]string, len(pick))
		for i, j := range pick {
			row[i] = cells[j]
		}
		tab.Rows = append(tab.Rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(tab.Rows) == 0 {
		return nil, invalid("category", "この種別には、この利用目的で読める記録がありません。", "the category has no records readable for this purpose")
	}
	return tab, nil
}

// items are the published item categories: each quasi-identifier with how
// it was generalised, each sensitive attribute as kept.
func items(c *ledger.Category, sp Spec, res *anonymize.Result, hs map[string]*anonymize.Hierarchy) []hogo.DatasetItem {
	var out []hogo.DatasetItem
	for _, q := range sp.QI {
		it := item(c, q)
		lv, top := res.Generalization()[q], hs[q].Height()-1
		ja, en := processed(it.Type, lv, top)
		out = append(out, hogo.DatasetItem{ID: q, NameJa: it.Name.Ja, NameEn: it.Name.En, ProcessJa: ja, ProcessEn: en})
	}
	for _, q := range sp.Sensitive {
		it := item(c, q)
		out = append(out, hogo.DatasetItem{ID: q, NameJa: it.Name.Ja, NameEn: it.Name.En, ProcessJa: "そのまま（集団ごとの多様性を確保）",
			ProcessEn: "as held (diversity ensured in each group)"})
	}
	return out
}

// processed says how an item of type t was generalised to level lv of top.
func processed(t ledger.ItemType, lv, top int) (ja, en string) {
	switch {
	case lv == 0:
		return "そのまま", "as held"
	case lv >= top:
		return "削除（すべて「*」）", "removed (all \"*\")"
	}
	switch t {
	case ledger.TypeDate:
		return [...]string{"", "年月に丸め", "年に丸め"}[min(lv, 2)], [...]string{"", "to the month", "to the year"}[min(lv, 2)]
	case ledger.TypePostalCode:
		return [...]string{"", "上3桁のみ", "上1桁のみ"}[min(lv, 2)], [...]string{"", "first 3 digits", "first digit"}[min(lv, 2)]
	case ledger.TypeAddress:
		return [...]string{"", "市区町村まで", "都道府県まで"}[min(lv, 2)], [...]string{"", "to the municipality", "to the prefecture"}[min(lv, 2)]
	case ledger.TypeNumber:
		w := 5 << (lv - 1)
		return fmt.Sprintf("%d刻みの区間", w), fmt.Sprintf("in bands of %d", w)
	}
	return fmt.Sprintf("一般化（%d/%d段階）", lv, top), fmt.Sprintf("generalised (level %d of %d)", lv, top)
}

// steps records the five standards of 則34 as they were met.
func steps(c *ledger.Category, sp Spec, res *anonymize.Result) []hogo.DatasetStep {
	kept := append(slices.Clone(sp.QI), sp.Sensitive...)
	var ident, codes []string
	var identEn, codesEn []string
	for _, it := range c.Items {
		if slices.Contains(kept, it.ID) {
			continue
		}
		if it.Type == ledger.TypeMyNumber || it.Type == ledger.TypeCode {
			codes, codesEn = append(codes, it.Name.Ja), append(codesEn, it.Name.En)
		} else {
			ident, identEn = append(ident, it.Name.Ja), append(identEn, it.Name.En)
		}
	}
	none := func(ss []string, ja bool) string {
		if len(ss) == 0 {
			if ja {
				return "なし"
			}
			return "none"
		}
		if ja {
			return strings.Join(ss, "、")
		}
		return strings.Join(ss, ", ")
	}
	var unusual, unusualEn []string
	for _, q := range sp.QI {
		if n := res.Unusual[q]; n > 0 {
			it := item(c, q)
			unusual = append(unusual, fmt.Sprintf("%s %d行", it.Name.Ja, n))
			unusualEn = append(unusualEn, fmt.Sprintf("%s %d rows", it.Name.En, n))
		}
	}
	models := fmt.Sprintf("k=%d", sp.K)
	if sp.L > 0 {
		models += fmt.Sprintf("、l=%g", sp.L)
	}
	if sp.T > 0 {
		models += fmt.Sprintf("、t=%g", sp.T)
	}
	modelsEn := strings.ReplaceAll(models, "、", ", ")
	pct := func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }
	return []hogo.DatasetStep{
		{Rule: 1, Ja: "特定の個人を識別することができる記述等を含む、残さない項目を削除しました: " + none(ident, true) + "。残した項目は一般化しています。",
			En: "The items not kept, among them the descriptions that identify a person, were removed: " + none(identEn, false) + ". The items kept are generalised."},
		{Rule: 2, Ja: "個人識別符号を全部削除しました: " + none(codes, true) + "。",
			En: "Identification codes were removed whole: " + none(codesEn, false) + "."},
		{Rule: 3, Ja: "本人ID・記録IDなど元の個人情報と結び付ける符号を削除しました（置き換えた符号も残していません）。",
			En: "The principal and record IDs that link back to the personal information were removed (no replacement code is kept)."},
		{Rule: 4, Ja: "特異な記述等（値だけで" + strconv.Itoa(sp.K) + "行未満に絞られるもの）: " + none(unusual, true) + "。一般化または抑制により削除しました。",
			En: "Unusual values (shared by fewer than " + strconv.Itoa(sp.K) + " rows): " + none(unusualEn, false) + ". Generalised or suppressed."},
		{Rule: 5, Ja: fmt.Sprintf("データベースの性質を踏まえた措置として %s を満たすよう一般化し、%d行を抑制しました（上限 %g%%）。再識別リスク（最大）は %s から %s に下がりました。",
			models, res.Suppressed, sp.SuppressPct, pct(res.Before.Highest), pct(res.After.Highest)),
			En: fmt.Sprintf("As the measures fitting the data, generalised to meet %s and suppressed %d rows (limit %g%%); the highest re-identification risk fell from %s to %s.",
				modelsEn, res.Suppressed, sp.SuppressPct, pct(res.Before.Highest), pct(res.After.Highest))},
	}
}

// Create anonymises the records and keeps the record of the creation, in
// one audited write: the dataset with its steps and report, the method
// information sealed under a data key of its own, the anonymised table.
// The item categories are published at once (Art. 43(3)).
func (s *Service) Create(ctx context.Context, a hogo.Actor, sp Spec) (*hogo.Dataset, *Run, error) {
	run, err := s.run(ctx, a, sp)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	d := &hogo.Dataset{ID: vault.NewID(now), Kind: hogo.DatasetAnonymized, Title: run.Spec.Title, Category: sp.Category, Purpose: sp.Purpose,
		Items: run.Items, Steps: run.Steps, Rows: run.Report.RowsOut, Suppressed: run.Report.Suppressed, CreatedAt: now, Actor: a.Name,
		PublishedAt: now}
	if d.Title == "" {
		l, _ := s.ledger()
		name := sp.Category
		if c := l.Category(sp.Category); c != nil && c.Name.Ja != "" {
			name = c.Name.Ja
		}
		d.Title = fmt.Sprintf("%s %s", name, now.In(hogo.Tokyo).Format("2006-01-02"))
	}
	if d.Report, err = json.Marshal(run.Report); err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := run.Result.Write(zw, run.Table); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	d.Data = buf.Bytes()
	method, err := json.Marshal(map[string]any{"spec": run.Spec, "levels": run.Result.Generalization(), "hierarchies": hierarchyRules(run.Methods, run.Types)})
	if err != nil {
		return nil, nil, err
	}
	wrapped, dk, err := s.keys.NewDataKey(methodKeyID(d.ID))
	if err != nil {
		return nil, nil, err
	}
	if d.Method, err = dk.Encrypt(method, []byte(d.ID)); err != nil {
		return nil, nil, err
	}
	d.MethodKey = wrapped
	e := a.Entry("dataset.create")
	e.Target, e.Category, e.Purpose = d.ID, d.Category, d.Purpose
	e.Detail = map[string]string{"kind": d.Kind, "rows": strconv.Itoa(d.Rows), "suppressed": strconv.Itoa(d.Suppressed), "k": strconv.Itoa(sp.K),
		"qi": strings.Join(sp.QI, ","), "published": "item_categories"}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDataset(ctx, d) }, e); err != nil {
		return nil, nil, err
	}
	d.Data, d.Method, d.MethodKey = nil, nil, nil
	return d, run, nil
}

// methodKeyID binds a method's data key to its dataset.
func methodKeyID(id string) string { return "dataset-method:" + id }

// hierarchyRules describes each hierarchy by the rule that made it — the
// item type and its levels — not by its rows, which hold the original
// values: the method information keeps no personal data.
func hierarchyRules(hs map[string]*anonymize.Hierarchy, types map[string]string) map[string]any {
	out := make(map[string]any, len(hs))
	for k, h := range hs {
		out[k] = map[string]any{"generated_from": types[k], "levels": h.Height()}
	}
	return out
}

// List returns the datasets, newest first (without their tables).
func (s *Service) List(ctx context.Context, a hogo.Actor) ([]*hogo.Dataset, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "匿名加工情報の作成記録は個人情報保護管理者と監査担当が見られます。",
			"the records of anonymised information are for the protection manager and the auditor")
	}
	return s.store.ListDatasets(ctx)
}

// Get returns one dataset's record (without its table).
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string) (*hogo.Dataset, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "匿名加工情報の作成記録は個人情報保護管理者と監査担当が見られます。",
			"the records of anonymised information are for the protection manager and the auditor")
	}
	if !vault.ValidID(id) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "匿名加工情報の作成記録が見つかりません。", "no such anonymised dataset")
	}
	return s.store.GetDataset(ctx, id)
}

// Data writes the anonymised table (CSV, UTF-8) to w, audited.
func (s *Service) Data(ctx context.Context, a hogo.Actor, id string, w io.Writer) error {
	if !slices.Contains(CreateRoles, a.Role) {
		return forbidden()
	}
	d, err := s.Get(ctx, a, id)
	if err != nil {
		return err
	}
	gz, err := s.store.DatasetData(ctx, id)
	if err != nil {
		return err
	}
	e := a.Entry("dataset.download")
	e.Target, e.Category = d.ID, d.Category
	if err := s.audit.Append(ctx, e); err != nil {
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, zr)
	return err
}

// Method returns the processing-method information (加工方法等情報) of a
// dataset, opened with its own key, to the protection manager, audited.
func (s *Service) Method(ctx context.Context, a hogo.Actor, id string) (json.RawMessage, error) {
	if !slices.Contains(CreateRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "加工方法等情報は個人情報保護管理者だけが見られます（規則第35条）。",
			"processing-method information is for the protection manager alone (PPC rules Art. 35)")
	}
	if !vault.ValidID(id) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "匿名加工情報の作成記録が見つかりません。", "no such anonymised dataset")
	}
	sealed, key, err := s.store.DatasetMethod(ctx, id)
	if err != nil {
		return nil, err
	}
	dk, err := s.keys.OpenDataKey(methodKeyID(id), key)
	if err != nil {
		return nil, err
	}
	plain, err := dk.Decrypt(sealed, []byte(id))
	if err != nil {
		return nil, err
	}
	e := a.Entry("dataset.method.read")
	e.Target = id
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return plain, nil
}
