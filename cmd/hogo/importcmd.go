package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/tabular"
	"hogo.example.jp/hogo/vault"
)

// parseMap reads --map: "見出し=item_id,列名=-", or @FILE with one pair a line.
func parseMap(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	if f, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("--map: %w", err)
		}
		s = strings.ReplaceAll(string(b), "\n", ",")
	}
	m := map[string]string{}
	for i, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(strings.TrimSuffix(pair, "\r"))
		if pair == "" {
			continue
		}
		h, item, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(h) == "" || strings.TrimSpace(item) == "" {
			return nil, fail(2, "--map entry %d (%q) is not HEADER=ITEM_ID; write e.g. --map '氏名=name,メール=email' (ITEM_ID - skips the column)", i+1, pair)
		}
		m[strings.TrimSpace(h)] = strings.TrimSpace(item)
	}
	return m, nil
}

// openTable opens FILE and binds its columns to the category.
func openTable(path string, opt tabular.Options, wv *withVault, category string) (*tabular.Reader, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	rd, err := tabular.Open(f, path, opt)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	c := wv.ledger.Category(category)
	if c == nil {
		rd.Close()
		f.Close()
		return nil, nil, fail(2, "--category %q is not in the ledger", category)
	}
	if err := rd.Bind(c); err != nil {
		rd.Close()
		f.Close()
		return nil, nil, err
	}
	return rd, f, nil
}

func boundItems(rd *tabular.Reader) []string {
	var items []string
	for _, b := range rd.Binding() {
		if b != "" && b != tabular.Ignore {
			items = append(items, b)
		}
	}
	return items
}

func cmdImport(ctx context.Context, e *env, args []string) (err error) {
	fs := e.newFlags("import", "使い方: hogo import --category C --source S --purpose P [--map 見出し=項目,…] [--dry-run] [--skip-invalid] FILE\nCSV（UTF-8、BOM付きUTF-8、Shift_JIS/CP932 を自動判定）または Excel（.xlsx）から本人を一括登録します。既定では一行でも不備があれば何も登録せず、不備のある行と列をすべて報告します。",
		"Usage: hogo import --category C --source S --purpose P [--map HEADER=ITEM,…] [--dry-run] [--skip-invalid] FILE\nImports principals from CSV (UTF-8, UTF-8 with BOM or Shift_JIS/CP932, detected) or Excel (.xlsx). By default nothing is imported if any row is bad, and every bad row and field is reported.")
	sf := addStoreFlags(fs)
	category := fs.String("category", "", "ledger category of the rows")
	source := fs.String("source", "", "acquisition method (a ledger source of the category)")
	purpose := fs.String("purpose", "", "purpose the import serves")
	mapping := fs.String("map", "", "header to item mapping: '見出し=item_id,列=-' or @FILE")
	encoding := fs.String("encoding", "", "CSV encoding: utf-8 or shift_jis (default: detect)")
	sheet := fs.String("sheet", "", "worksheet of an .xlsx file (default: the first)")
	dry := fs.Bool("dry-run", false, "check every row and report, import nothing")
	skip := fs.Bool("skip-invalid", false, "import the valid rows and write the others to a rejects file")
	rejects := fs.String("rejects", "", "rejects file for --skip-invalid (default FILE.rejects.csv)")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	file, err := parseOne(fs, args)
	if err != nil {
		return err
	}
	if *category == "" || *source == "" || *purpose == "" {
		fs.Usage()
		return fail(2, "--category, --source and --purpose are required")
	}
	m, err := parseMap(*mapping)
	if err != nil {
		return err
	}
	wv, err := openVault(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	opt := tabular.Options{Encoding: *encoding, Sheet: *sheet, Map: m}
	a := cliActor()

	// Pass 1: check every row; nothing is written.
	rd, f, err := openTable(file, opt, wv, *category)
	if err != nil {
		return err
	}
	spec := vault.ImportSpec{Category: *category, Source: *source, Use: vault.Use{Purpose: *purpose}, Items: boundItems(rd)}
	if _, err := wv.vault.CheckImport(ctx, a, &spec); err != nil {
		rd.Close()
		f.Close()
		return err
	}
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	terminal := false
	if ef, ok := e.io.err.(*os.File); ok {
		terminal = tabular.IsTerminal(ef)
	}
	good, bad, shown := 0, 0, 0
	const maxShown = 50
	bar := tabular.NewProgress(e.io.err, size, terminal, e.p.lang)
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rd.Close()
			f.Close()
			return err
		}
		if row.OK() {
			good++
		} else {
			bad++
			for _, p := range row.Problems {
				if shown < maxShown && !*skip {
					fmt.Fprintln(e.io.err, p.In(e.p.lang))
				}
				shown++
			}
		}
		bar.Update(rd.Offset(), good+bad)
	}
	bar.Finish()
	kind := rd.Format()
	if enc := rd.Encoding(); enc != "" {
		kind += e.p.msg("import.sep") + enc
	}
	stamp := fileStamp(file)
	rd.Close()
	f.Close()
	fmt.Fprintln(e.io.out, e.p.msg("import.checked", file, kind, good, bad))
	if shown > maxShown && !*skip {
		fmt.Fprintln(e.io.err, e.p.msg("import.more", shown-maxShown))
	}
	if good == 0 && bad == 0 {
		return fail(1, "%s has no rows to import", file)
	}
	if *dry {
		if bad > 0 {
			return fail(1, "%s", e.p.msg("import.dry.bad", bad))
		}
		return nil
	}
	if bad > 0 && !*skip {
		return fail(1, "%s", e.p.msg("import.refused", bad))
	}

	// Pass 2: import the good rows (all of them, unless --skip-invalid).
	// A file changed since the check is refused, and so is a bad row the
	// check did not see: the import is rolled back.
	if fileStamp(file) != stamp {
		return fail(1, "%s", e.p.msg("import.changed", file))
	}
	rd, f, err = openTable(file, opt, wv, *category)
	if err != nil {
		return err
	}
	defer f.Close()
	defer rd.Close()
	var rw *tabular.RejectWriter
	if bad > 0 {
		name := *rejects
		if name == "" {
			name = file + ".rejects.csv"
		}
		rf, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("rejects file: %w (choose another with --rejects)", err)
		}
		defer rf.Close()
		rw = tabular.NewRejectWriter(rf, rd.Header())
		rw.Lang = e.p.lang
		defer func() {
			// The rejects file is complete only once flushed and closed.
			if cerr := rw.Close(); cerr == nil {
				if cerr = rf.Close(); cerr == nil {
					fmt.Fprintln(e.io.out, e.p.msg("import.rejects", rw.Rows(), name))
					return
				}
			}
			if err == nil {
				err = fmt.Errorf("rejects file %s could not be written", name)
			}
		}()
	}
	bar = tabular.NewProgress(e.io.err, size, terminal, e.p.lang)
	next := tabular.ImportRows(rd, func(row *tabular.Row) error {
		if rw == nil {
			return fail(1, "%s", e.p.msg("import.changed", file))
		}
		return rw.Write(row)
	})
	res, ierr := wv.vault.Import(ctx, a, spec, next, func(n int) { bar.Update(rd.Offset(), n) })
	bar.Finish()
	if ierr != nil {
		if res.RolledBack {
			fmt.Fprintln(e.io.err, e.p.msg("import.rolledback"))
		}
		return ierr
	}
	fmt.Fprintln(e.io.out, e.p.msg("import.done", res.Imported, *category))
	return nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("export", "使い方: hogo export --category C --purpose P -o FILE [--format csv|xlsx] [--encoding utf-8|shift_jis]\n種別の記録のうち、利用目的と役割で閲覧できる項目を書き出します。書き出した本人ごとに監査ログに記録します。",
		"Usage: hogo export --category C --purpose P -o FILE [--format csv|xlsx] [--encoding utf-8|shift_jis]\nWrites the records of a category with the items the purpose and role may read; every exported principal is audited.")
	sf := addStoreFlags(fs)
	category := fs.String("category", "", "ledger category")
	purpose := fs.String("purpose", "", "purpose the export serves")
	out := fs.String("o", "", "file to create")
	format := fs.String("format", "", "csv or xlsx (default: by the file name)")
	encoding := fs.String("encoding", "utf-8", "CSV encoding: utf-8 (with BOM) or shift_jis")
	role := fs.String("role", "manager", "role the export is made under (the ledger's access rules apply)")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *category == "" || *purpose == "" || *out == "" {
		fs.Usage()
		return fail(2, "--category, --purpose and -o are required")
	}
	if !hogo.Role(*role).Valid() {
		return fail(2, "--role %q is not a role; use manager, desk, staff or auditor", *role)
	}
	if *format == "" {
		*format = "csv"
		if strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
			*format = "xlsx"
		}
	}
	wv, err := openVault(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	a := cliActor()
	a.Role = hogo.Role(*role)
	u := vault.Use{Purpose: *purpose}
	c, cols, err := wv.vault.ExportColumns(ctx, a, *category, u)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	w, err := tabular.NewWriter(f, *format, *encoding, c.ID)
	if err != nil {
		f.Close()
		os.Remove(*out)
		return err
	}
	n := 0
	err = w.WriteRow(vault.ExportHeader(c, cols, e.p.lang))
	if err == nil {
		n, err = wv.vault.Export(ctx, a, c.ID, u, 0, w.WriteRow)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Close()
	} else {
		f.Close()
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("export.done", n, *out))
	return nil
}
