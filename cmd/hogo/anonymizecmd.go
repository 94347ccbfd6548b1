package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/anonymize"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/tabular"
)

// anonymizeReport is the JSON of "hogo anonymize --json".
type anonymizeReport struct {
	Input          string            `json:"input"`
	Output         string            `json:"output"`
	Rows           int               `json:"rows"`
	RowsOut        int               `json:"rows_out"`
	QI             []string          `json:"qi"`
	Sensitive      []string          `json:"sensitive,omitempty"`
	K              int               `json:"k"`
	L              float64           `json:"l,omitempty"`
	LModel         string            `json:"l_model,omitempty"`
	T              float64           `json:"t,omitempty"`
	SuppressLimit  float64           `json:"suppress_limit_pct"`
	Suppressed     int               `json:"suppressed"`
	SearchMS       float64           `json:"search_ms"`
	Generalization map[string]int    `json:"generalization"`
	Heights        map[string]int    `json:"heights"`
	Nodes          int               `json:"nodes"`
	Evaluated      int               `json:"evaluated"`
	Exhaustive     bool              `json:"exhaustive"`
	Metric         string            `json:"metric"`
	Score          float64           `json:"score"`
	RiskBefore     anonymize.Risk    `json:"risk_before"`
	RiskAfter      anonymize.Risk    `json:"risk_after"`
	Utility        anonymize.Utility `json:"utility"`
	Hierarchies    map[string]string `json:"hierarchies"`
	Unusual        map[string]int    `json:"unusual_rows"`
	Dataset        string            `json:"dataset_id,omitempty"`
}

func cmdAnonymize(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("anonymize",
		"使い方: hogo anonymize --input FILE --qi 列,… [--sensitive 列,…] --k K [--l L] [--t T] [--suppress PCT] --hierarchies DIR [--generate 列=型,…] -o OUT [--json]\n"+
			"表（CSV。UTF-8 または Shift_JIS、区切りは ; , タブを自動判定）を k-匿名化します。準識別子ごとの階層で一般化し、"+
			"条件（k、l-多様性、t-近接性）を満たす一般化のうち情報損失の最も少ないものを探し、抑制した行を除いて OUT に書きます（見出しと区切りは入力のまま）。"+
			"処理前後の再識別リスク、有用性、選んだ一般化を報告します。",
		"Usage: hogo anonymize --input FILE --qi COLS [--sensitive COLS] --k K [--l L] [--t T] [--suppress PCT] --hierarchies DIR [--generate COL=TYPE,…] -o OUT [--json]\n"+
			"k-anonymises a table (CSV, UTF-8 or Shift_JIS, delimited by ; , or tabs): generalises each quasi-identifier over its hierarchy, "+
			"finds the generalisation meeting the models (k, l-diversity, t-closeness) with the least loss, and writes it to OUT without the suppressed rows, "+
			"keeping the input's header and delimiter. Reports the re-identification risk before and after, the utility and the chosen generalisation.")
	input := fs.String("input", "", "the table to anonymise (CSV)")
	qi := fs.String("qi", "", "quasi-identifier columns, comma-separated")
	sens := fs.String("sensitive", "", "sensitive columns for l-diversity and t-closeness, comma-separated")
	k := fs.Int("k", 0, "every class of quasi-identifier values holds at least k rows")
	l := fs.Float64("l", 0, "l-diversity: at least l distinct sensitive values per class (0: off)")
	lEntropy := fs.Bool("l-entropy", false, "l-diversity by entropy (at least log l) instead of distinct values")
	t := fs.Float64("t", 0, "t-closeness: each class's sensitive distribution within t of the table's (0: off)")
	suppress := fs.Float64("suppress", 0, "rows that may be left out, in percent of the table")
	hdir := fs.String("hierarchies", "", "directory of hierarchy CSVs: COLUMN.csv or *_hierarchy_COLUMN.csv, each line a value then its generalisations")
	generate := fs.String("generate", "", "hierarchies made from the values: COL=date|postal_code|address|age|number[:WIDTH], comma-separated")
	out := fs.String("o", "", "the anonymised table to write (CSV)")
	metric := fs.String("metric", "loss", "what the search minimises: loss or entropy")
	exhaustive := fs.Bool("exhaustive", false, "check every generalisation instead of searching (slower; the same result)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	category := fs.String("category", "", "read the table from the vault instead: the records of this ledger category (needs --purpose)")
	purpose := fs.String("purpose", "", "with --category: the declared purpose the records are read for (each read is audited)")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	title := fs.String("title", "", "with --category: the title of the record of the creation")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.args", strings.Join(pos, " ")))
	}
	switch {
	case *input == "" && *category == "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.need", "--input"))
	case *input != "" && *category != "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.both"))
	case *category != "" && *purpose == "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.need", "--purpose"))
	case *qi == "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.need", "--qi"))
	case *k < 1:
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.k"))
	case *out == "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.need", "-o"))
	case *hdir == "" && *generate == "" && *category == "":
		fs.Usage()
		return fail(2, "%s", e.p.msg("anon.need", "--hierarchies"))
	case *suppress < 0 || *suppress > 100 || math.IsNaN(*suppress):
		return fail(2, "%s", e.p.msg("anon.suppress"))
	}
	var tab *anonymize.Table
	var res *anonymize.Result
	var hs map[string]*anonymize.Hierarchy
	from := map[string]string{}
	datasetID := ""
	if *category != "" {
		if *hdir != "" || *generate != "" {
			return fail(2, "%s", e.p.msg("anon.vaulthier"))
		}
		sp := datasets.Spec{Title: *title, Category: *category, Purpose: *purpose, QI: splitCols(*qi), Sensitive: splitCols(*sens),
			K: *k, L: *l, LEntropy: *lEntropy, T: *t, SuppressPct: *suppress}
		d, run, types, err := createDataset(ctx, sf, *ledgerFile, sp)
		if err != nil {
			return err
		}
		tab, res, hs, datasetID = run.Table, run.Result, run.Methods, d.ID
		for q := range hs {
			from[q] = "generated:" + types[q]
		}
		*input = "vault:" + *category
	} else {
		f, err := os.Open(*input)
		if err != nil {
			return err
		}
		tab, err = anonymize.ReadTable(f, *input)
		f.Close()
		if err != nil {
			return err
		}
		cfg := anonymize.Config{QI: splitCols(*qi), Sensitive: splitCols(*sens), K: *k, L: *l, LEntropy: *lEntropy, T: *t,
			Suppress: *suppress / 100, Metric: anonymize.Metric(*metric), Exhaustive: *exhaustive, Hierarchies: map[string]*anonymize.Hierarchy{}}
		if *hdir != "" {
			if err := loadHierarchies(*hdir, cfg.QI, cfg.Hierarchies, from); err != nil {
				return err
			}
		}
		if *generate != "" {
			if err := generateHierarchies(tab, *generate, cfg.Hierarchies, from); err != nil {
				return err
			}
		}
		terminal := false
		if ef, ok := e.io.err.(*os.File); ok {
			terminal = tabular.IsTerminal(ef)
		}
		bar := tabular.NewProgress(e.io.err, 0, terminal, e.p.lang)
		bar.SetUnit("節点", "nodes")
		cfg.Progress = func(done, total int) { bar.Update(0, done) }
		res, err = anonymize.Anonymize(tab, cfg)
		bar.Finish()
		if err != nil {
			return err
		}
		hs = cfg.Hierarchies
	}
	cfg := struct {
		QI, Sensitive []string
		K             int
		L, T          float64
		LEntropy      bool
	}{splitCols(*qi), splitCols(*sens), *k, *l, *t, *lEntropy}
	written, err := writeAtomic(*out, func(w io.Writer) (int, error) { return res.Write(w, tab) })
	if err != nil {
		return err
	}
	rep := anonymizeReport{Input: *input, Output: *out, Rows: res.Rows, RowsOut: written, QI: cfg.QI, Sensitive: cfg.Sensitive,
		K: cfg.K, L: cfg.L, T: cfg.T, SuppressLimit: *suppress, Suppressed: res.Suppressed,
		SearchMS: math.Round(float64(res.Search.Microseconds())) / 1000, Generalization: res.Generalization(), Heights: map[string]int{},
		Nodes: res.Nodes, Evaluated: res.Evaluated, Exhaustive: res.Exhaustive, Metric: string(res.Metric), Score: res.Score,
		RiskBefore: res.Before, RiskAfter: res.After, Utility: res.Utility, Hierarchies: from, Unusual: res.Unusual, Dataset: datasetID}
	if cfg.L > 0 {
		rep.LModel = "distinct"
		if cfg.LEntropy {
			rep.LModel = "entropy"
		}
	}
	for _, q := range cfg.QI {
		rep.Heights[q] = hs[q].Height() - 1
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printAnonymizeReport(e, &rep)
	return nil
}

func splitCols(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// loadHierarchies reads the hierarchy of each quasi-identifier from dir:
// COLUMN.csv, or a file ending in _hierarchy_COLUMN.csv.
func loadHierarchies(dir string, qi []string, hs map[string]*anonymize.Hierarchy, from map[string]string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("the hierarchy directory: %w", err)
	}
	for _, ent := range entries {
		if ent.IsDir() || !strings.EqualFold(filepath.Ext(ent.Name()), ".csv") {
			continue
		}
		col := anonymize.ColumnOfFile(ent.Name())
		if !slices.Contains(qi, col) {
			continue
		}
		if prev, dup := from[col]; dup {
			return fmt.Errorf("two hierarchies for %q in %s: %s and %s; keep one", col, dir, filepath.Base(prev), ent.Name())
		}
		h, err := anonymize.ReadHierarchyFile(filepath.Join(dir, ent.Name()))
		if err != nil {
			return err
		}
		hs[col] = h
		from[col] = filepath.Join(dir, ent.Name())
	}
	return nil
}

// generateHierarchies makes hierarchies from the table's values, by the
// ledger's item types: COL=date|postal_code|address|age|number[:WIDTH].
func generateHierarchies(tab *anonymize.Table, spec string, hs map[string]*anonymize.Hierarchy, from map[string]string) error {
	for _, part := range splitCols(spec) {
		col, kind, ok := strings.Cut(part, "=")
		if !ok {
			return fmt.Errorf("--generate %q: write COLUMN=TYPE, e.g. birth_date=date or age=number:5", part)
		}
		values := tab.Column(col)
		if values == nil {
			return fmt.Errorf("--generate: %q is not a column of the table", col)
		}
		if _, dup := from[col]; dup {
			return fmt.Errorf("--generate: %q already has a hierarchy from %s", col, from[col])
		}
		kind, widthS, _ := strings.Cut(kind, ":")
		w := 0.0
		if widthS != "" {
			var err error
			if w, err = strconv.ParseFloat(widthS, 64); err != nil || w <= 0 {
				return fmt.Errorf("--generate %q: the width after ':' must be a positive number", part)
			}
		}
		var h *anonymize.Hierarchy
		var err error
		switch kind {
		case "age":
			h, err = anonymize.Ages(col, anonymize.Distinct(values))
		case "date", "postal_code", "address", "number":
			h, err = anonymize.ForItemType(kind, col, values, w)
		default:
			return fmt.Errorf("--generate %q: the type is one of date, postal_code, address, age, number", part)
		}
		if err != nil {
			return err
		}
		hs[col] = h
		from[col] = "generated:" + kind
	}
	return nil
}

// writeAtomic writes through write beside path and renames the file over
// path, so that a failure leaves no half-written output.
func writeAtomic(path string, write func(io.Writer) (int, error)) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	n, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), path)
}

func printAnonymizeReport(e *env, r *anonymizeReport) {
	p := e.p
	w := e.io.out
	pct := func(f float64) string { return strconv.FormatFloat(f*100, 'f', 2, 64) + "%" }
	fmt.Fprintln(w, p.msg("anon.head", r.Input, benchCommas(r.Rows), len(r.QI), r.K, r.SuppressLimit))
	if r.L > 0 {
		fmt.Fprintln(w, p.msg("anon.l", r.L, r.LModel, strings.Join(r.Sensitive, ", ")))
	}
	if r.T > 0 {
		fmt.Fprintln(w, p.msg("anon.t", r.T, strings.Join(r.Sensitive, ", ")))
	}
	var gens []string
	for _, q := range r.QI {
		gens = append(gens, fmt.Sprintf("%s %d/%d", q, r.Generalization[q], r.Heights[q]))
	}
	fmt.Fprintln(w, p.msg("anon.gen", strings.Join(gens, ", ")))
	var unusual []string
	for _, q := range r.QI {
		if n := r.Unusual[q]; n > 0 {
			unusual = append(unusual, fmt.Sprintf("%s %s", q, benchCommas(n)))
		}
	}
	if len(unusual) > 0 {
		fmt.Fprintln(w, p.msg("anon.unusual", r.K, strings.Join(unusual, ", ")))
	}
	fmt.Fprintln(w, p.msg("anon.supp", benchCommas(r.Suppressed), pct(float64(r.Suppressed)/float64(max(1, r.Rows)))))
	risk := func(key string, k anonymize.Risk) {
		fmt.Fprintln(w, p.msg(key, pct(k.Highest), pct(k.Average), pct(k.Unique), benchCommas(k.SmallestSize), k.AverageSize, benchCommas(k.Classes)))
	}
	risk("anon.before", r.RiskBefore)
	risk("anon.after", r.RiskAfter)
	fmt.Fprintln(w, p.msg("anon.utility", r.Utility.Loss, r.Utility.Entropy, r.Utility.Discernibility))
	fmt.Fprintln(w, p.msg("anon.search", r.SearchMS, benchCommas(r.Evaluated), benchCommas(r.Nodes), r.Metric))
	fmt.Fprintln(w, p.msg("anon.wrote", r.Output, benchCommas(r.RowsOut)))
	if r.Dataset != "" {
		fmt.Fprintln(w, p.msg("anon.dataset", r.Dataset))
	}
}

// openDatasets opens the store, its vault and the ledger, and the datasets
// service over them, used by the protection manager at the command line.
func openDatasets(ctx context.Context, sf storeFlags, ledgerFile string) (*datasets.Service, hogo.Actor, *withVault, error) {
	wv, err := openVault(ctx, sf, ledgerFile)
	if err != nil {
		return nil, hogo.Actor{}, nil, err
	}
	a := cliActor()
	a.Role = hogo.RoleManager
	return datasets.New(wv.db, wv.vault, wv.keys, wv.log, func() (*ledger.Ledger, string) { return wv.ledger, "" }), a, wv, nil
}

// createDataset creates anonymised information from the vault through
// the datasets service, as the console does: the records read for the
// purpose (audited), the steps of 則34, the method information sealed
// apart, the item categories published, one audited record of the
// creation. It returns the item types of the quasi-identifiers.
func createDataset(ctx context.Context, sf storeFlags, ledgerFile string, sp datasets.Spec) (*hogo.Dataset, *datasets.Run, map[string]string, error) {
	svc, a, wv, err := openDatasets(ctx, sf, ledgerFile)
	if err != nil {
		return nil, nil, nil, err
	}
	defer wv.Close()
	d, run, err := svc.Create(ctx, a, sp)
	if err != nil {
		return nil, nil, nil, err
	}
	types := map[string]string{}
	if c := wv.ledger.Category(sp.Category); c != nil {
		for _, it := range c.Items {
			types[it.ID] = string(it.Type)
		}
	}
	return d, run, types, nil
}

// cmdPseudonymize makes pseudonymised information from the vault.
func cmdPseudonymize(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("pseudonymize",
		"使い方: hogo pseudonymize --category C --purpose P --items 項目,… [--use-purpose N] [--title T] -o OUT\n"+
			"保管庫の種別の記録から仮名加工情報を作ります。本人は作成ごとの鍵による仮名に置き換え、選んだ項目だけをそのまま残し、"+
			"削除情報等（仮名と本人の対応、鍵）は別の鍵で暗号化して分けて保管します。氏名・連絡先・個人識別符号・口座番号等は残せません（規則第31条）。",
		"Usage: hogo pseudonymize --category C --purpose P --items ITEMS [--use-purpose N] [--title T] -o OUT\n"+
			"Makes pseudonymised information from a category's records in the vault: each principal replaced by a pseudonym keyed for this dataset, "+
			"the chosen items kept as held, the removed information (which principal each pseudonym is, and the key) sealed apart under a key of its own. "+
			"Names, contact details, identification codes and account numbers cannot be kept (PPC rules Art. 31).")
	category := fs.String("category", "", "ledger category")
	purpose := fs.String("purpose", "", "with --category: the declared purpose the records are read for (each read is audited)")
	items := fs.String("items", "", "the items to keep, comma-separated")
	use := fs.Int("use-purpose", 1, "the use, by its number in the ledger's purposes of pseudonymised information (1, 2, …)")
	title := fs.String("title", "", "with --category: the title of the record of the creation")
	out := fs.String("o", "", "the pseudonymised table to write (CSV)")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *category == "" || *purpose == "" || *items == "" || *out == "" {
		fs.Usage()
		return fail(2, "%s", e.p.msg("pseudo.need"))
	}
	svc, a, wv, err := openDatasets(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	d, err := svc.CreatePseudonymized(ctx, a, datasets.PseudoSpec{Title: *title, Category: *category, Purpose: *purpose,
		Items: splitCols(*items), UsePurpose: *use - 1})
	if err != nil {
		return err
	}
	if _, err := writeAtomic(*out, func(w io.Writer) (int, error) { return d.Rows, svc.Data(ctx, a, d.ID, w) }); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("pseudo.done", benchCommas(d.Rows), *out, d.ID))
	return nil
}

// cmdStats counts the vault's records with small cells suppressed.
func cmdStats(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("stats",
		"使い方: hogo stats --category C --purpose P --by 項目[:水準],… [--sum 項目] [--json]\n"+
			"保管庫の種別の記録を項目ごとに集計します（統計情報）。台帳の statistics.min_cell（既定 10）人未満の区分は伏せ、"+
			"伏せた区分が一つだけのときは次に小さい区分も伏せて、どの区分も特定の個人を指さないようにします。"+
			"水準は日付なら 1=年月 2=年、住所なら 1=市区町村 2=都道府県、郵便番号なら 1=上3桁 2=上1桁です。",
		"Usage: hogo stats --category C --purpose P --by ITEM[:LEVEL],… [--sum ITEM] [--json]\n"+
			"Counts a category's records in the vault by items (statistics). Cells under the ledger's statistics.min_cell (default 10) people are hidden, "+
			"and when only one is, the next smallest too, so that no cell points at a person. Levels: a date 1=month 2=year, an address 1=municipality "+
			"2=prefecture, a postal code 1=first 3 digits 2=first digit.")
	category := fs.String("category", "", "ledger category")
	purpose := fs.String("purpose", "", "with --category: the declared purpose the records are read for (each read is audited)")
	by := fs.String("by", "", "items to count by, each with its level after a colon, comma-separated")
	sum := fs.String("sum", "", "a number item to sum and average in each cell")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *category == "" || *purpose == "" || *by == "" {
		fs.Usage()
		return fail(2, "%s", e.p.msg("stats.need"))
	}
	sp := datasets.StatSpec{Category: *category, Purpose: *purpose, Sum: *sum, Levels: map[string]int{}}
	for _, b := range splitCols(*by) {
		id, lv, _ := strings.Cut(b, ":")
		sp.By = append(sp.By, id)
		if lv != "" {
			n, err := strconv.Atoi(lv)
			if err != nil {
				return fail(2, "%s", e.p.msg("stats.level", b))
			}
			sp.Levels[id] = n
		}
	}
	svc, a, wv, err := openDatasets(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	st, err := svc.Statistics(ctx, a, sp)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	fmt.Fprintln(e.io.out, strings.Join(append(slices.Clone(st.Columns), e.p.msg("stats.count")), "\t"))
	for _, c := range st.Cells {
		n := strconv.Itoa(c.Count)
		if c.Hidden {
			n = e.p.msg("stats.hidden", st.Threshold)
		}
		fmt.Fprintln(e.io.out, strings.Join(append(slices.Clone(c.Values), n), "\t"))
	}
	fmt.Fprintln(e.io.out, e.p.msg("stats.total", benchCommas(st.Total), st.Suppressed, st.Threshold))
	return nil
}
