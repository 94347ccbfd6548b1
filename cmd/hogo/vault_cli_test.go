package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// The tests of "hogo import", "hogo export" and "hogo keys" run the command
// line in-process against a SQLite data directory prepared by a demo start
// (which stores the demo ledger, staffing.yaml, and the vault keys). All
// people, addresses and e-mail addresses below are fictional.

// vcHeader is the header of the job seekers' files: the Japanese names of
// the job_seeker items in vcItems, which import matches automatically.
var (
	vcHeader = []string{"氏名", "氏名（フリガナ）", "メールアドレス", "電話番号", "生年月日", "郵便番号", "住所"}
	vcItems  = []string{"name", "name_kana", "email", "phone", "birth_date", "postal_code", "address"}
)

// vcSeeker is one fictional job seeker: the cells as a file holds them and
// the values the vault stores (and export writes) for them.
type vcSeeker struct {
	cells []string          // in vcHeader order
	want  map[string]string // item ID → canonical value
}

// vcSeekers makes n job seekers. Their names use 髙 and their addresses ①
// and ㈱, which only Shift_JIS as Windows writes it (CP932) has; their
// cells are in the forms people type (hyphens, slashes, a mixed-case
// domain), so that the stored values differ from the cells.
func vcSeekers(n int) []vcSeeker {
	family := []string{"山田", "髙橋", "佐藤", "鈴木", "中村", "小林", "加藤", "吉田"}
	fkana := []string{"ヤマダ", "タカハシ", "サトウ", "スズキ", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ"}
	given := []string{"太郎", "花子", "健一", "美咲", "翔太", "陽菜"}
	gkana := []string{"タロウ", "ハナコ", "ケンイチ", "ミサキ", "ショウタ", "ヒナ"}
	out := make([]vcSeeker, n)
	for i := range out {
		f, g := i%len(family), (i/len(family))%len(given)
		name := family[f] + " " + given[g]
		email := fmt.Sprintf("seeker%03d@Hinode-Test.example.jp", i)
		month, day := 1+i%12, 1+i%28
		address := fmt.Sprintf("大阪府大阪市北区梅田%d丁目%d番 ㈱ひので商事ビル①号室", 1+i%3, 1+i%20)
		out[i] = vcSeeker{
			cells: []string{name, fkana[f] + " " + gkana[g], email,
				fmt.Sprintf("090-%04d-%04d", 2000+i, 7000+i), fmt.Sprintf("1985/%d/%d", month, day),
				fmt.Sprintf("530-%04d", 100+i), address},
			want: map[string]string{
				"name":        name,
				"name_kana":   fkana[f] + "　" + gkana[g],
				"email":       fmt.Sprintf("seeker%03d@hinode-test.example.jp", i),
				"phone":       fmt.Sprintf("090%04d%04d", 2000+i, 7000+i),
				"birth_date":  fmt.Sprintf("1985-%02d-%02d", month, day),
				"postal_code": fmt.Sprintf("530-%04d", 100+i),
				"address":     address,
			},
		}
	}
	return out
}

// vcRows returns the seekers' cells.
func vcRows(ss []vcSeeker) [][]string {
	rows := make([][]string, len(ss))
	for i, s := range ss {
		rows[i] = slices.Clone(s.cells)
	}
	return rows
}

// vcCSV formats a header and rows as CSV with CRLF, as Excel saves it.
func vcCSV(t *testing.T, header []string, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func vcWrite(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// vcXLSX writes a workbook whose first sheet holds the header and rows, as
// text cells.
func vcXLSX(t *testing.T, path string, header []string, rows [][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, r := range append([][]string{header}, rows...) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// vcDemoData prepares a data directory as the demo's first start leaves it:
// the demo ledger stored, the demo users made, the vault keys created, and
// no principal yet.
func vcDemoData(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour}}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

// vcEnglish makes the commands speak English unless --lang says otherwise,
// whatever the locale the tests run in.
func vcEnglish(t *testing.T) {
	t.Setenv("HOGO_LANG", "en")
}

// vcImport runs "hogo import" of job seekers from the web form for job
// matching, with more arguments (flags and the file).
func vcImport(t *testing.T, data string, args ...string) (int, string, string) {
	t.Helper()
	base := []string{"import", "--data", data, "--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching"}
	return hogoRun(t, "", append(base, args...)...)
}

// vcStore opens the data directory's store as another process would; the
// caller closes it.
func vcStore(t *testing.T, data string) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// vcCount returns the number of principals in the store.
func vcCount(t *testing.T, data string) int64 {
	t.Helper()
	db := vcStore(t, data)
	defer db.Close()
	n, err := db.CountPrincipals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// vcAudited returns the audit entries whose action starts with action,
// newest first.
func vcAudited(t *testing.T, data, action string) []*hogo.AuditEntry {
	t.Helper()
	db := vcStore(t, data)
	defer db.Close()
	es, err := db.ListAudit(context.Background(), hogo.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// vcWrappedKEKs returns, per principal, the ID of the key-encryption key
// that wraps their data key.
func vcWrappedKEKs(t *testing.T, data string) map[string]uint32 {
	t.Helper()
	db := vcStore(t, data)
	defer db.Close()
	out := map[string]uint32{}
	after := ""
	for {
		keys, err := db.PrincipalKeys(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			return out
		}
		for _, k := range keys {
			id, ok := vault.WrappedKEKID(k.WrappedKey)
			if !ok {
				t.Fatalf("principal %s: the wrapped data key has no key ID", k.ID)
			}
			out[k.ID] = id
		}
		after = keys[len(keys)-1].ID
	}
}

// vcExport runs "hogo --lang ja export" of job seekers for job matching to
// out and returns the file's rows, read back in its format and encoding.
func vcExport(t *testing.T, data, out string, args ...string) [][]string {
	t.Helper()
	all := append([]string{"--lang", "ja", "export", "--data", data, "--category", "job_seeker", "--purpose", "job_matching", "-o", out}, args...)
	code, stdout, errs := hogoRun(t, "", all...)
	if code != 0 {
		t.Fatalf("export %v: exit %d\n%s%s", args, code, stdout, errs)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("export did not name its file: %q", stdout)
	}
	if fi, err := os.Stat(out); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("exported file mode %v, want 0600: it holds personal data", fi.Mode().Perm())
	}
	return vcReadBack(t, out, slices.Contains(args, "shift_jis"))
}

// vcReadBack reads an exported file: a workbook (by its content), else
// CSV, UTF-8 with a BOM or Shift_JIS (without one).
func vcReadBack(t *testing.T, path string, sjis bool) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if strings.HasSuffix(path, ".xlsx") {
		t.Fatalf("%s is not a workbook", path)
	}
	if sjis {
		if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
			t.Fatal("Shift_JIS export starts with a UTF-8 BOM")
		}
		if utf8.Valid(b) {
			t.Fatal("Shift_JIS export is valid UTF-8: it was not encoded")
		}
		if b, err = japanese.ShiftJIS.NewDecoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	} else {
		var ok bool
		if b, ok = bytes.CutPrefix(b, []byte("\xef\xbb\xbf")); !ok {
			t.Fatal("UTF-8 export has no BOM (Excel would misread it)")
		}
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("CSV export does not end its lines in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// vcCheckExport checks an export for job matching by a manager: the header
// (IDs, then the items' Japanese names in ledger order) and that every
// seeker is there once, with the values the vault stored.
func vcCheckExport(t *testing.T, rows [][]string, seekers []vcSeeker) {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("export is empty")
	}
	header := rows[0]
	want := append([]string{"principal_id", "record_id"}, vcHeader...)
	if len(header) < len(want) || !slices.Equal(header[:len(want)], want) {
		t.Fatalf("export header %q, want it to start with %q", header, want)
	}
	// Items job matching may not use (emergency contacts) are left out.
	if slices.Contains(header, "緊急連絡先") {
		t.Errorf("export header %q holds an item job matching may not read", header)
	}
	if len(rows)-1 != len(seekers) {
		t.Fatalf("export has %d rows, want %d", len(rows)-1, len(seekers))
	}
	byEmail := map[string][]string{}
	ids := map[string]bool{}
	for _, r := range rows[1:] {
		if len(r) < len(want) {
			t.Fatalf("short export row (%d cells)", len(r))
		}
		if !vault.ValidID(r[0]) || !vault.ValidID(r[1]) || ids[r[0]] {
			t.Errorf("export row has IDs %q %q (invalid or repeated)", r[0], r[1])
		}
		ids[r[0]] = true
		byEmail[r[4]] = r
	}
	for i, s := range seekers {
		r, ok := byEmail[s.want["email"]]
		if !ok {
			t.Errorf("seeker %d (%s) is not in the export", i, s.want["email"])
			continue
		}
		for j, item := range vcItems {
			if got := r[2+j]; got != s.want[item] {
				t.Errorf("seeker %d, %s: exported %q, want %q", i, item, got, s.want[item])
			}
		}
	}
}

var vcImportedRE = regexp.MustCompile(`imported (\d+) principals into category job_seeker`)

// vcImported returns the count "hogo import" reported.
func vcImported(t *testing.T, stdout string) int {
	t.Helper()
	m := vcImportedRE.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("import did not report its count: %q", stdout)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// The same 50 seekers from every kind of file people bring: UTF-8 CSV with
// and without a BOM, Shift_JIS CSV as Excel on Japanese Windows saves it,
// and an Excel workbook; then files whose headers need --map.
func TestImportFormats(t *testing.T) {
	vcEnglish(t)
	const n = 50
	seekers := vcSeekers(n)
	rows := vcRows(seekers)
	plain := vcCSV(t, vcHeader, rows)
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatalf("the test data does not encode as Shift_JIS: %v", err)
	}
	if !bytes.Contains(sjis, []byte{0x87, 0x40}) || !bytes.Contains(sjis, []byte{0x87, 0x8a}) || !bytes.Contains(sjis, []byte{0xee, 0xe0}) {
		t.Fatal("the Shift_JIS file lacks the CP932 characters ①, ㈱ and 髙")
	}

	// A custom header for the e-mail column, mapped with --map, and an
	// extra column of remarks that is not imported (=-).
	mapHeader := slices.Clone(vcHeader)
	mapHeader[2] = "連絡用メール"
	mapHeader = append(mapHeader, "備考")
	var mapRows [][]string
	for i, r := range rows {
		mapRows = append(mapRows, append(slices.Clone(r), fmt.Sprintf("社内メモ%03d：面談済み", i)))
	}
	mapCSV := vcCSV(t, mapHeader, mapRows)

	cases := []struct {
		name      string
		file      func(dir string) string
		args      []string
		checked   string // what "checked FILE (…)" says of the format
		noRemarks bool
	}{
		{"utf-8", func(dir string) string { return vcWrite(t, filepath.Join(dir, "seekers.csv"), plain) }, nil, "(csv, utf-8)", false},
		{"utf-8 BOM", func(dir string) string {
			return vcWrite(t, filepath.Join(dir, "seekers-bom.csv"), append([]byte("\xef\xbb\xbf"), plain...))
		}, nil, "(csv, utf-8)", false},
		{"shift_jis", func(dir string) string { return vcWrite(t, filepath.Join(dir, "seekers-sjis.csv"), sjis) }, nil, "(csv, shift_jis)", false},
		{"shift_jis named", func(dir string) string { return vcWrite(t, filepath.Join(dir, "seekers-sjis.csv"), sjis) },
			[]string{"--encoding", "cp932"}, "(csv, shift_jis)", false},
		{"xlsx", func(dir string) string { return vcXLSX(t, filepath.Join(dir, "seekers.xlsx"), vcHeader, rows) }, nil, "(xlsx", false},
		{"map", func(dir string) string { return vcWrite(t, filepath.Join(dir, "seekers-map.csv"), mapCSV) },
			[]string{"--map", "連絡用メール=email,備考=-"}, "(csv, utf-8)", true},
		{"map file", func(dir string) string { return vcXLSX(t, filepath.Join(dir, "seekers-map.xlsx"), mapHeader, mapRows) },
			[]string{"--map", "@" + vcWrite(t, filepath.Join(t.TempDir(), "map.txt"), []byte("連絡用メール = email\r\n備考=-\r\n"))}, "(xlsx", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := vcDemoData(t)
			file := c.file(t.TempDir())
			code, stdout, errs := vcImport(t, data, append(c.args, file)...)
			if code != 0 {
				t.Fatalf("import: exit %d\n%s%s", code, stdout, errs)
			}
			if want := fmt.Sprintf("%d rows to import, 0 bad rows", n); !strings.Contains(stdout, want) || !strings.Contains(stdout, c.checked) {
				t.Errorf("import's check line: %q, want %q and %q", stdout, c.checked, want)
			}
			if got := vcImported(t, stdout); got != n {
				t.Errorf("import reported %d principals, want %d", got, n)
			}
			if got := vcCount(t, data); got != n {
				t.Fatalf("the store holds %d principals, want %d", got, n)
			}
			// One principal.create per row, all of one import, and the
			// import's summary.
			created := vcAudited(t, data, "principal.create")
			imports := map[string]bool{}
			for _, e := range created {
				imports[e.Detail["import"]] = true
				if e.Category != "job_seeker" || e.Purpose != "job_matching" || e.Detail["source"] != "web_form" {
					t.Errorf("principal.create entry %+v", e)
				}
			}
			if len(created) != n || len(imports) != 1 {
				t.Errorf("%d principal.create entries from %d imports, want %d from 1", len(created), len(imports), n)
			}
			if done := vcAudited(t, data, "import.done"); len(done) != 1 || done[0].Detail["principals"] != strconv.Itoa(n) {
				t.Errorf("import.done entries: %+v", done)
			}

			out := filepath.Join(t.TempDir(), "export.csv")
			exported := vcExport(t, data, out)
			vcCheckExport(t, exported, seekers)
			if c.noRemarks {
				b, _ := os.ReadFile(out)
				if bytes.Contains(b, []byte("社内メモ")) {
					t.Error("the skipped remarks column was imported")
				}
			}
		})
	}

	// Without --map the custom headers are refused, each named with the way
	// to fix it, and nothing is imported.
	t.Run("unmapped", func(t *testing.T) {
		data := vcDemoData(t)
		file := vcWrite(t, filepath.Join(t.TempDir(), "seekers-map.csv"), mapCSV)
		code, stdout, errs := vcImport(t, data, file)
		if code != 1 {
			t.Fatalf("import of unmapped headers: exit %d\n%s%s", code, stdout, errs)
		}
		for _, want := range []string{`"連絡用メール"`, `"備考"`, "--map '備考=-'", "email"} {
			if !strings.Contains(errs, want) {
				t.Errorf("unmapped headers: stderr lacks %q:\n%s", want, errs)
			}
		}
		if got := vcCount(t, data); got != 0 {
			t.Errorf("refused import stored %d principals", got)
		}
	})
}

// vcBadFile writes 10 seekers as CSV where the seeker on line 5 has an
// e-mail address without @ and the one on line 8 no kana, and returns the
// file, the seekers as the file holds them, and the bad rows' cells.
func vcBadFile(t *testing.T, dir string) (file string, seekers []vcSeeker, bad [][]string) {
	t.Helper()
	seekers = vcSeekers(10)
	rows := vcRows(seekers)
	rows[3][2] = "kanda.midori.hinode-test.example.jp" // line 5: no @
	rows[6][1] = ""                                    // line 8: required kana missing
	file = vcWrite(t, filepath.Join(dir, "bad-seekers.csv"), vcCSV(t, vcHeader, rows))
	return file, seekers, [][]string{rows[3], rows[6]}
}

// An import is all or nothing: bad rows are reported by file, line, column
// and item, without their values, and nothing is stored; --dry-run stores
// nothing; --skip-invalid stores the good rows and writes the bad ones to a
// rejects file.
func TestImportAllOrNothing(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	dir := t.TempDir()
	file, seekers, bad := vcBadFile(t, dir)

	noValues := func(t *testing.T, what, text string) {
		t.Helper()
		for _, r := range bad {
			for _, cell := range r {
				if cell != "" && strings.Contains(text, cell) {
					t.Errorf("%s shows a value of a bad row (%q):\n%s", what, cell, text)
				}
			}
		}
	}
	problemRE := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(file) + `:(\d+) column (\d+) "([^"]*)" \((\w+)\): (.+)$`)
	checkProblems := func(t *testing.T, errs string) {
		t.Helper()
		got := map[string]string{}
		for _, m := range problemRE.FindAllStringSubmatch(errs, -1) {
			got[m[1]] = m[2] + " " + m[3] + " " + m[4]
		}
		want := map[string]string{"5": "3 メールアドレス email", "8": "2 氏名（フリガナ） name_kana"}
		if len(got) != 2 || got["5"] != want["5"] || got["8"] != want["8"] {
			t.Errorf("problems %v, want FILE:LINE column/header/item %v; stderr:\n%s", got, want, errs)
		}
	}

	code, stdout, errs := vcImport(t, data, file)
	if code != 1 {
		t.Fatalf("import with bad rows: exit %d, want 1\n%s%s", code, stdout, errs)
	}
	checkProblems(t, errs)
	if !strings.Contains(errs, "2 rows are bad, so nothing was imported") || !strings.Contains(stdout, "8 rows to import, 2 bad rows") {
		t.Errorf("import with bad rows:\nstdout %q\nstderr %q", stdout, errs)
	}
	noValues(t, "stdout", stdout)
	noValues(t, "stderr", errs)
	if n := vcCount(t, data); n != 0 {
		t.Fatalf("an import refused for bad rows stored %d principals", n)
	}
	if es := vcAudited(t, data, "principal.create"); len(es) != 0 {
		t.Fatalf("an import refused for bad rows audited %d principal.create entries", len(es))
	}

	// The same in Japanese.
	code, stdout, errs = vcImport(t, data, "--lang", "ja", file)
	if code != 1 || !strings.Contains(errs, file+":5 列3「メールアドレス」(email): ") || !strings.Contains(errs, file+":8 列2「氏名（フリガナ）」(name_kana): ") ||
		!strings.Contains(errs, "何も登録していません") {
		t.Errorf("Japanese problems: exit %d\n%s", code, errs)
	}
	noValues(t, "Japanese stdout", stdout)
	noValues(t, "Japanese stderr", errs)

	// --dry-run: a bad file fails, a good one passes; neither stores.
	code, stdout, errs = vcImport(t, data, "--dry-run", file)
	if code != 1 || !strings.Contains(errs, "nothing imported: --dry-run") {
		t.Errorf("dry run of bad rows: exit %d\n%s%s", code, stdout, errs)
	}
	checkProblems(t, errs)
	good := vcWrite(t, filepath.Join(dir, "good.csv"), vcCSV(t, vcHeader, vcRows(seekers)))
	code, stdout, errs = vcImport(t, data, "--dry-run", good)
	if code != 0 || !strings.Contains(stdout, "10 rows to import, 0 bad rows") || strings.Contains(stdout, "imported") {
		t.Errorf("dry run of a good file: exit %d\n%s%s", code, stdout, errs)
	}
	if n := vcCount(t, data); n != 0 {
		t.Fatalf("dry runs stored %d principals", n)
	}
	if es := vcAudited(t, data, "principal.create"); len(es) != 0 {
		t.Fatalf("dry runs audited %d principal.create entries", len(es))
	}

	// --skip-invalid: the 8 good rows go in, the 2 bad ones to the rejects
	// file beside the input.
	code, stdout, errs = vcImport(t, data, "--skip-invalid", file)
	if code != 0 {
		t.Fatalf("--skip-invalid: exit %d\n%s%s", code, stdout, errs)
	}
	rejects := file + ".rejects.csv"
	if got := vcImported(t, stdout); got != 8 || !strings.Contains(stdout, "wrote 2 bad rows to "+rejects) {
		t.Errorf("--skip-invalid output: %q", stdout)
	}
	noValues(t, "--skip-invalid stdout", stdout)
	noValues(t, "--skip-invalid stderr", errs)
	if n := vcCount(t, data); n != 8 {
		t.Fatalf("--skip-invalid stored %d principals, want 8", n)
	}
	if es := vcAudited(t, data, "principal.create"); len(es) != 8 {
		t.Errorf("--skip-invalid audited %d principal.create entries, want 8", len(es))
	}
	fi, err := os.Stat(rejects)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("rejects file mode %v, want 0600: it holds personal data", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(rejects)
	body, ok := bytes.CutPrefix(b, []byte("\xef\xbb\xbf"))
	if !ok || !utf8.Valid(body) {
		t.Fatal("rejects file is not UTF-8 with a BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{"行/line", "理由/reason"}, vcHeader...); len(recs) != 3 || !slices.Equal(recs[0], want) {
		t.Fatalf("rejects file: %q, want the header %q and 2 rows", recs, want)
	}
	for i, want := range []struct{ line, item string }{{"5", "(email)"}, {"8", "(name_kana)"}} {
		r := recs[1+i]
		if r[0] != want.line || !strings.Contains(r[1], want.item) || !slices.Equal(r[2:], bad[i]) {
			t.Errorf("rejects row %d: %q, want line %s, a reason naming %s and the cells as read", i+1, r, want.line, want.item)
		}
	}
	// The exported good rows are the 8 seekers without the bad two.
	good8 := slices.Concat(seekers[:3], seekers[4:6], seekers[7:])
	vcCheckExport(t, vcExport(t, data, filepath.Join(t.TempDir(), "after-skip.csv")), good8)

	// A rejects file is never overwritten: the second run stops before it
	// imports anything.
	code, _, errs = vcImport(t, data, "--skip-invalid", file)
	if code == 0 || !strings.Contains(errs, "--rejects") {
		t.Errorf("--skip-invalid over an existing rejects file: exit %d %q", code, errs)
	}
	if after, _ := os.ReadFile(rejects); !bytes.Equal(after, b) {
		t.Error("the rejects file was overwritten")
	}
	if n := vcCount(t, data); n != 8 {
		t.Errorf("a refused --skip-invalid run changed the store to %d principals", n)
	}
}

// Invocations the command refuses before it reads a row.
func TestImportBadInvocations(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	dir := t.TempDir()
	seekers := vcSeekers(3)
	file := vcWrite(t, filepath.Join(dir, "seekers.csv"), vcCSV(t, vcHeader, vcRows(seekers)))
	custom := slices.Clone(vcHeader)
	custom[3] = "連絡先"
	customFile := vcWrite(t, filepath.Join(dir, "custom.csv"), vcCSV(t, custom, vcRows(seekers)))

	run := func(args ...string) (int, string, string) {
		return hogoRun(t, "", append([]string{"import", "--data", data}, args...)...)
	}
	cases := []struct {
		name string
		args []string
		code int      // 0: any non-zero code
		want []string // in stderr
	}{
		{"unknown category", []string{"--category", "no_such_category", "--source", "web_form", "--purpose", "job_matching", file}, 0,
			[]string{"no_such_category"}},
		{"source of another category", []string{"--category", "job_seeker", "--source", "business_card", "--purpose", "job_matching", file}, 1,
			[]string{`"business_card"`, `"job_seeker"`, "web_form"}},
		{"unknown source", []string{"--category", "job_seeker", "--source", "fax", "--purpose", "job_matching", file}, 1,
			[]string{`"fax"`}},
		{"purpose of another category", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "sales", file}, 1,
			[]string{`purpose "sales" is not declared for category "job_seeker"`}},
		{"unknown purpose", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "fortune_telling", file}, 1,
			[]string{`"fortune_telling"`}},
		{"no category", []string{"--source", "web_form", "--purpose", "job_matching", file}, 2, []string{"--category", "Usage"}},
		{"no source", []string{"--category", "job_seeker", "--purpose", "job_matching", file}, 2, []string{"--source"}},
		{"no purpose", []string{"--category", "job_seeker", "--source", "web_form", file}, 2, []string{"--purpose"}},
		{"no file", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching"}, 2, []string{"Usage"}},
		{"two files", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching", file, customFile}, 2, []string{"Usage"}},
		{"missing file", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching", filepath.Join(dir, "none.csv")}, 1,
			[]string{"none.csv"}},
		{"map to an unknown item", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching",
			"--map", "連絡先=telephone_number", customFile}, 1, []string{"telephone_number", "job_seeker", "phone"}},
		{"map of an absent header", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching",
			"--map", "携帯番号=phone", file}, 1, []string{"携帯番号"}},
		{"malformed map", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching",
			"--map", "連絡先", customFile}, 2, []string{"HEADER=ITEM_ID"}},
		{"missing map file", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching",
			"--map", "@" + filepath.Join(dir, "none.map"), customFile}, 1, []string{"none.map"}},
		{"unknown encoding", []string{"--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching",
			"--encoding", "euc-jp", file}, 1, []string{"euc-jp"}},
	}
	for _, c := range cases {
		code, stdout, errs := run(c.args...)
		if code == 0 || (c.code != 0 && code != c.code) {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.code, stdout, errs)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, w, errs)
			}
		}
		for _, s := range seekers {
			if strings.Contains(stdout+errs, s.cells[2]) {
				t.Errorf("%s: the output shows a value of the file", c.name)
			}
		}
	}
	if n := vcCount(t, data); n != 0 {
		t.Errorf("refused imports stored %d principals", n)
	}
	if es := vcAudited(t, data, "principal.create"); len(es) != 0 {
		t.Errorf("refused imports audited %d principal.create entries", len(es))
	}
	// The use beyond the declared purposes was refused and audited as such.
	denied := vcAudited(t, data, "principal.import")
	if len(denied) == 0 || denied[0].Outcome != hogo.OutcomeDenied || denied[0].Purpose != "sales" {
		t.Errorf("the refused import for an undeclared purpose was not audited as denied: %+v", denied)
	}
	// The same file with the header mapped goes in.
	if code, stdout, errs := run("--category", "job_seeker", "--source", "web_form", "--purpose", "job_matching", "--map", "連絡先=phone", customFile); code != 0 || vcImported(t, stdout) != 3 {
		t.Fatalf("mapped import: exit %d\n%s%s", code, stdout, errs)
	}
}

// Export to UTF-8 CSV, Shift_JIS CSV and xlsx, read back; refused uses
// create no file; an existing file is never overwritten.
func TestExportFormats(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	dir := t.TempDir()
	seekers := vcSeekers(20)
	file := vcWrite(t, filepath.Join(dir, "seekers.csv"), vcCSV(t, vcHeader, vcRows(seekers)))
	if code, stdout, errs := vcImport(t, data, file); code != 0 || vcImported(t, stdout) != 20 {
		t.Fatalf("import: %d\n%s%s", code, stdout, errs)
	}

	vcCheckExport(t, vcExport(t, data, filepath.Join(dir, "out-utf8.csv")), seekers)
	vcCheckExport(t, vcExport(t, data, filepath.Join(dir, "out-sjis.csv"), "--encoding", "shift_jis"), seekers)
	vcCheckExport(t, vcExport(t, data, filepath.Join(dir, "out.xlsx")), seekers)
	// --format xlsx with another extension still writes a workbook.
	vcCheckExport(t, vcExport(t, data, filepath.Join(dir, "out-xlsx.dat"), "--format", "xlsx"), seekers)
	// Every exported principal is audited, per export.
	if es := vcAudited(t, data, "principal.export"); len(es) != 4*20 {
		t.Errorf("%d principal.export entries after 4 exports of 20, want 80", len(es))
	}

	// The desk reads only the items its rule names.
	rows := vcExport(t, data, filepath.Join(dir, "desk.csv"), "--role", "desk")
	if want := []string{"principal_id", "record_id", "氏名", "氏名（フリガナ）", "メールアドレス", "電話番号", "郵便番号", "住所"}; !slices.Equal(rows[0], want) {
		t.Errorf("desk export header %q, want %q", rows[0], want)
	}
	if len(rows) != 21 {
		t.Errorf("desk export has %d rows, want 21", len(rows))
	}

	// English headers under --lang en.
	en := filepath.Join(dir, "en.csv")
	if code, _, errs := hogoRun(t, "", "--lang", "en", "export", "--data", data, "--category", "job_seeker", "--purpose", "job_matching", "-o", en); code != 0 {
		t.Fatal(errs)
	}
	if rows := vcReadBack(t, en, false); !slices.Equal(rows[0][:4], []string{"principal_id", "record_id", "Name", "Name (kana)"}) {
		t.Errorf("English export header %q", rows[0])
	}

	before := len(vcAudited(t, data, "principal.export"))
	refused := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"undeclared purpose", []string{"--purpose", "sales"}, 1, `"sales"`},
		{"role without a rule", []string{"--purpose", "job_matching", "--role", "auditor"}, 1, "auditor"},
		{"role that does not exist", []string{"--purpose", "job_matching", "--role", "root"}, 2, `"root"`},
		{"unknown category", []string{"--purpose", "job_matching", "--category", "no_such_category"}, 1, "no_such_category"},
		{"unknown encoding", []string{"--purpose", "job_matching", "--encoding", "euc-jp"}, 1, "euc-jp"},
		{"unknown format", []string{"--purpose", "job_matching", "--format", "pdf"}, 1, "pdf"},
	}
	// A purpose that needs consent exports only the principals who gave
	// it: here nobody.
	consented := filepath.Join(dir, "marketing.csv")
	if code, stdout, errs := hogoRun(t, "", "export", "--data", data, "--category", "job_seeker", "-o", consented, "--purpose", "marketing"); code != 0 ||
		!strings.Contains(stdout+errs, "0 records") {
		t.Errorf("export for a purpose needing consent: exit %d\n%s%s", code, stdout, errs)
	}
	for i, c := range refused {
		out := filepath.Join(dir, fmt.Sprintf("refused-%d.csv", i))
		args := append([]string{"export", "--data", data, "--category", "job_seeker", "-o", out}, c.args...)
		code, stdout, errs := hogoRun(t, "", args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr lacks %q:\n%s%s", c.name, code, c.code, c.want, stdout, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: the refused export created %s", c.name, out)
		}
	}
	if after := len(vcAudited(t, data, "principal.export")); after <= before {
		t.Error("refused exports were not audited")
	} else {
		for _, e := range vcAudited(t, data, "principal.export")[:after-before] {
			if e.Outcome != hogo.OutcomeDenied || e.Principal != "" {
				t.Errorf("refusal audited as %+v", e)
			}
		}
	}
	if code, _, errs := hogoRun(t, "", "export", "--data", data, "--category", "job_seeker", "--purpose", "job_matching"); code != 2 || !strings.Contains(errs, "-o") {
		t.Errorf("export without -o: exit %d %q", code, errs)
	}

	// An existing file, CSV or xlsx, is never overwritten, and nobody is
	// recorded as exported to it.
	before = len(vcAudited(t, data, "principal.export"))
	for _, name := range []string{"keep.csv", "keep.xlsx"} {
		out := vcWrite(t, filepath.Join(dir, name), []byte("既存のファイル\n"))
		code, _, errs := hogoRun(t, "", "export", "--data", data, "--category", "job_seeker", "--purpose", "job_matching", "-o", out)
		if code == 0 {
			t.Errorf("export over %s succeeded", name)
		}
		if b, _ := os.ReadFile(out); string(b) != "既存のファイル\n" {
			t.Errorf("export overwrote %s (%q)", name, errs)
		}
	}
	if after := len(vcAudited(t, data, "principal.export")); after != before {
		t.Errorf("exports refused for an existing file audited %d entries", after-before)
	}
}

// vcStatusRE is what "hogo keys status" says.
var vcStatusRE = regexp.MustCompile(`primary key id (\d+), (\d+) old key-encryption keys; of (\d+) principals, (\d+) data keys are wrapped by an old key`)

// vcKeyStatus is "hogo keys status": the primary KEK's ID, the number of
// old KEKs, of principals, and of data keys on an old KEK.
type vcKeyStatus struct {
	primary                    uint32
	oldKEKs, principals, onOld int
}

func vcKeysStatus(t *testing.T, data string) vcKeyStatus {
	t.Helper()
	code, stdout, errs := hogoRun(t, "", "keys", "status", "--data", data)
	m := vcStatusRE.FindStringSubmatch(stdout)
	if code != 0 || m == nil {
		t.Fatalf("keys status: exit %d\n%s%s", code, stdout, errs)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[1+i])
	}
	return vcKeyStatus{uint32(n[0]), n[1], n[2], n[3]}
}

var (
	vcRotatedRE   = regexp.MustCompile(`added a new key-encryption key \(id (\d+)\) to (\S+) as primary`)
	vcRewrappedRE = regexp.MustCompile(`re-wrapped (\d+) data keys`)
)

// vcRotate runs "hogo keys rotate" and returns the new primary KEK's ID and
// the number of data keys it re-wrapped.
func vcRotate(t *testing.T, data string) (uint32, int) {
	t.Helper()
	code, stdout, errs := hogoRun(t, "", "keys", "rotate", "--data", data)
	m, r := vcRotatedRE.FindStringSubmatch(stdout), vcRewrappedRE.FindStringSubmatch(stdout)
	if code != 0 || m == nil || r == nil {
		t.Fatalf("keys rotate: exit %d\n%s%s", code, stdout, errs)
	}
	if m[2] != filepath.Join(data, "vault-keys.json") {
		t.Errorf("keys rotate names the key file %q", m[2])
	}
	id, _ := strconv.ParseUint(m[1], 10, 32)
	n, _ := strconv.Atoi(r[1])
	return uint32(id), n
}

// vcKeyFile reads the data directory's key file.
func vcKeyFile(t *testing.T, data string) (*vault.Keys, []byte) {
	t.Helper()
	path := filepath.Join(data, "vault-keys.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k, err := vault.ParseKeys(b)
	if err != nil {
		t.Fatal(err)
	}
	return k, b
}

// vcOnKEK checks that every principal's data key is wrapped by kek.
func vcOnKEK(t *testing.T, data string, kek uint32, principals int) {
	t.Helper()
	wrapped := vcWrappedKEKs(t, data)
	if len(wrapped) != principals {
		t.Errorf("%d principals have a data key, want %d", len(wrapped), principals)
	}
	for id, k := range wrapped {
		if k != kek {
			t.Errorf("principal %s: data key wrapped by KEK %d, want %d", id, k, kek)
		}
	}
}

func TestKeysInit(t *testing.T) {
	vcEnglish(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "vault-keys.json")
	code, stdout, errs := hogoRun(t, "", "keys", "init", "-o", file)
	if code != 0 || !strings.Contains(stdout, file) || !strings.Contains(stdout, "back it up") {
		t.Fatalf("keys init: exit %d\n%s%s", code, stdout, errs)
	}
	if fi, err := os.Stat(file); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	first, _ := os.ReadFile(file)
	k, err := vault.ParseKeys(first)
	if err != nil {
		t.Fatal(err)
	}
	if ids := k.KEKIDs(); len(ids) != 1 || !strings.Contains(stdout, fmt.Sprint(ids[0])) {
		t.Errorf("new key file has KEKs %v; stdout %q", ids, stdout)
	}
	// Never overwritten, in either language.
	for _, lang := range []string{"en", "ja"} {
		code, stdout, errs = hogoRun(t, "", "--lang", lang, "keys", "init", "-o", file)
		if code != 1 || !strings.Contains(errs, "already exists") || stdout != "" {
			t.Errorf("second keys init (%s): exit %d\n%s%s", lang, code, stdout, errs)
		}
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(again, first) {
		t.Fatal("keys init replaced an existing key file")
	}
	if code, _, _ := hogoRun(t, "", "keys", "init"); code != 2 {
		t.Errorf("keys init without -o: exit %d, want 2", code)
	}
	// Another key file than the one a store's data is sealed with is refused.
	data := vcDemoData(t)
	for _, cmd := range [][]string{{"keys", "status"}, {"keys", "rotate"}, {"export", "--category", "job_seeker", "--purpose", "job_matching", "-o", filepath.Join(dir, "x.csv")}} {
		code, _, errs := hogoRun(t, "", append(cmd, "--data", data, "--keys", file)...)
		if code != 1 || !strings.Contains(errs, "not the one this database") {
			t.Errorf("%v with a foreign key file: exit %d %q", cmd, code, errs)
		}
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(again, first) {
		t.Fatal("a refused keys rotate changed the foreign key file")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("an export with a foreign key file created its file")
	}
}

// Rotation, re-wrapping and retirement of the key-encryption key on a store
// with principals; the data stays readable throughout.
func TestKeysRotateRetire(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	dir := t.TempDir()
	seekers := vcSeekers(12)
	file := vcWrite(t, filepath.Join(dir, "seekers.csv"), vcCSV(t, vcHeader, vcRows(seekers)))
	if code, stdout, errs := vcImport(t, data, file); code != 0 || vcImported(t, stdout) != 12 {
		t.Fatalf("import: %d\n%s%s", code, stdout, errs)
	}
	exported := 0
	checkReadable := func(what string) {
		t.Helper()
		exported++
		rows := vcExport(t, data, filepath.Join(dir, fmt.Sprintf("export-%d.csv", exported)))
		if t.Failed() {
			return
		}
		vcCheckExport(t, rows, seekers)
		if t.Failed() {
			t.Fatalf("after %s the export is not intact", what)
		}
	}

	st := vcKeysStatus(t, data)
	if st.oldKEKs != 0 || st.principals != 12 || st.onOld != 0 {
		t.Fatalf("status before rotation: %+v", st)
	}
	first := st.primary
	vcOnKEK(t, data, first, 12)

	second, n := vcRotate(t, data)
	if second == first || n != 12 {
		t.Fatalf("rotate: new KEK %d (old %d), re-wrapped %d, want 12", second, first, n)
	}
	k, _ := vcKeyFile(t, data)
	if ids := k.KEKIDs(); !slices.Equal(ids, []uint32{second, first}) {
		t.Errorf("key file KEKs after rotate %v, want [%d %d]", ids, second, first)
	}
	vcOnKEK(t, data, second, 12)
	if st := vcKeysStatus(t, data); st != (vcKeyStatus{second, 1, 12, 0}) {
		t.Errorf("status after rotate: %+v", st)
	}
	checkReadable("rotate")

	code, stdout, errs := hogoRun(t, "", "keys", "retire", "--data", data)
	if code != 0 || !strings.Contains(stdout, "retired 1 old key-encryption keys") {
		t.Fatalf("retire: exit %d\n%s%s", code, stdout, errs)
	}
	k, _ = vcKeyFile(t, data)
	if ids := k.KEKIDs(); !slices.Equal(ids, []uint32{second}) {
		t.Errorf("key file KEKs after retire %v, want [%d]", ids, second)
	}
	if st := vcKeysStatus(t, data); st != (vcKeyStatus{second, 0, 12, 0}) {
		t.Errorf("status after retire: %+v", st)
	}
	checkReadable("retire")

	// A key file rotated without the re-wrap (as when a rotation stopped
	// half-way): status counts the data keys on the old KEK, and retire
	// refuses to delete it, leaving the key file as it was.
	k.Rotate()
	third := k.KEKID()
	if err := k.WriteFile(filepath.Join(data, "vault-keys.json")); err != nil {
		t.Fatal(err)
	}
	_, before := vcKeyFile(t, data)
	if st := vcKeysStatus(t, data); st != (vcKeyStatus{third, 1, 12, 12}) {
		t.Errorf("status with data keys on an old KEK: %+v", st)
	}
	code, stdout, errs = hogoRun(t, "", "keys", "retire", "--data", data)
	if code != 1 || !strings.Contains(errs, "12 data keys are still wrapped by an old key-encryption key") || strings.Contains(stdout, "retired") {
		t.Errorf("retire with data keys on an old KEK: exit %d\n%s%s", code, stdout, errs)
	}
	if _, after := vcKeyFile(t, data); !bytes.Equal(after, before) {
		t.Fatal("a refused retire changed the key file")
	}
	checkReadable("a refused retire")

	// Rotating again re-wraps every key, from whichever old KEK.
	fourth, n := vcRotate(t, data)
	if n != 12 || fourth == third {
		t.Errorf("second rotate: KEK %d, re-wrapped %d, want 12", fourth, n)
	}
	vcOnKEK(t, data, fourth, 12)
	if st := vcKeysStatus(t, data); st != (vcKeyStatus{fourth, 2, 12, 0}) {
		t.Errorf("status after the second rotate: %+v", st)
	}
	code, stdout, errs = hogoRun(t, "", "keys", "retire", "--data", data)
	if code != 0 || !strings.Contains(stdout, "retired 2 old key-encryption keys") {
		t.Fatalf("second retire: exit %d\n%s%s", code, stdout, errs)
	}
	checkReadable("the second retire")

	// Every step is in the audit log, and the chain verifies.
	if es := vcAudited(t, data, "keys.rotate"); len(es) != 2 || es[0].Detail["kek"] != fmt.Sprint(fourth) {
		t.Errorf("keys.rotate entries: %+v", es)
	}
	if es := vcAudited(t, data, "keys.retire"); len(es) != 2 {
		t.Errorf("keys.retire entries: %d, want 2", len(es))
	}
	if es := vcAudited(t, data, "keys.rewrap"); len(es) != 2 {
		t.Errorf("keys.rewrap entries: %d, want 2", len(es))
	}
	if code, stdout, errs := hogoRun(t, "", "audit", "verify", "--data", data); code != 0 {
		t.Errorf("audit verify after the key changes: %s%s", stdout, errs)
	}
}

// "hogo keys rotate" while a server runs on the same data directory: the
// server adopts the new key file, wraps new data keys with the new KEK and
// reads the re-wrapped ones; "keys retire" afterwards loses nothing.
func TestKeysRotateWhileServing(t *testing.T) {
	vcEnglish(t)
	saved := KeyFileCheck
	KeyFileCheck = 10 * time.Millisecond
	t.Cleanup(func() { KeyFileCheck = saved })

	data := t.TempDir()
	m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour}}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ctx := context.Background()
	keys := m.Server.Vault.Keys()
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	use := vault.Use{Purpose: "job_matching"}
	create := func(i int) string {
		t.Helper()
		id, _, err := m.Server.Vault.Create(ctx, mgr, vault.NewRecord{Category: "job_seeker", Use: use, Source: "interview",
			Items: map[string]string{"name": fmt.Sprintf("北村 葵%d", i), "name_kana": "キタムラ　アオイ",
				"email": fmt.Sprintf("aoi%d@kitamura-test.example.jp", i), "phone": fmt.Sprintf("080-5555-%04d", i)}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// readsAll checks that the server opens every principal's data.
	readsAll := func(what string, ids map[string]string) {
		t.Helper()
		for id, email := range ids {
			v, err := m.Server.Vault.Get(ctx, mgr, id, use)
			if err != nil || len(v.Records) == 0 || v.Records[0].Items["email"] != email {
				t.Fatalf("%s: the server cannot read principal %s: %v", what, id, err)
			}
		}
	}
	// adopted waits for the server to hold the key file's KEKs.
	adopted := func(want []uint32) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !slices.Equal(keys.KEKIDs(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("the server holds KEKs %v, not the key file's %v", keys.KEKIDs(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	seekers := vcSeekers(10)
	file := vcWrite(t, filepath.Join(t.TempDir(), "seekers.csv"), vcCSV(t, vcHeader, vcRows(seekers)))
	if code, stdout, errs := vcImport(t, data, file); code != 0 || vcImported(t, stdout) != 10 {
		t.Fatalf("import while serving: %d\n%s%s", code, stdout, errs)
	}
	ids := map[string]string{}
	ids[create(1)] = "aoi1@kitamura-test.example.jp"
	first := keys.KEKID()
	vcOnKEK(t, data, first, 11)

	second, n := vcRotate(t, data)
	if second == first || n != 11 {
		t.Fatalf("rotate while serving: KEK %d (old %d), re-wrapped %d, want 11", second, first, n)
	}
	adopted([]uint32{second, first})
	// What the server wraps now is on the new KEK; what it reads was
	// re-wrapped by the command.
	ids[create(2)] = "aoi2@kitamura-test.example.jp"
	vcOnKEK(t, data, second, 12)
	if st := vcKeysStatus(t, data); st != (vcKeyStatus{second, 1, 12, 0}) {
		t.Errorf("status after rotating while serving: %+v", st)
	}
	// The data key cache is keyed by the wrapped key, so the re-wrapped
	// keys are unwrapped again, with the adopted KEK.
	readsAll("after rotate", ids)

	// Retired while serving: the server drops the old KEK too and still
	// reads everyone.
	if code, stdout, errs := hogoRun(t, "", "keys", "retire", "--data", data); code != 0 || !strings.Contains(stdout, "retired 1") {
		t.Fatalf("retire while serving: %d\n%s%s", code, stdout, errs)
	}
	adopted([]uint32{second})
	readsAll("after retire", ids)
	ids[create(3)] = "aoi3@kitamura-test.example.jp"
	vcOnKEK(t, data, second, 13)
	found, err := m.Server.Vault.Find(ctx, mgr, vault.LookupEmail, seekers[4].want["email"], use)
	if err != nil || len(found) != 1 || found[0].Records[0].Items["address"] != seekers[4].want["address"] {
		t.Fatalf("the server cannot find an imported seeker after the key changes: %v %+v", err, found)
	}
	// The command line reads everyone too: the imported seekers with their
	// values, and the three made by the server.
	rows := vcExport(t, data, filepath.Join(t.TempDir(), "served.csv"))
	if len(rows) != 14 {
		t.Fatalf("export after the key changes has %d rows, want 14", len(rows))
	}
	imported := rows[:1]
	for _, r := range rows[1:] {
		if strings.HasSuffix(r[4], "@hinode-test.example.jp") {
			imported = append(imported, r)
		}
	}
	vcCheckExport(t, imported, seekers)
}

// The usage of the import, export and key commands is Japanese under
// --lang ja, and English under --lang en.
func TestImportExportKeysHelpJapanese(t *testing.T) {
	japanese := regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)
	for _, c := range []struct{ cmd, ja, en string }{
		{"import", "一括登録", "Imports principals"},
		{"export", "書き出します", "Writes the records"},
		{"keys init", "マスター鍵", "master keys"},
		{"keys status", "古い鍵で包まれた", "still wrapped"},
		{"keys rotate", "包み直します", "re-wraps every data key"},
		{"keys retire", "削除します", "Deletes the key-encryption keys"},
	} {
		for _, help := range []string{"--help", "-h"} {
			args := append(strings.Fields(c.cmd), help)
			code, stdout, errs := hogoRun(t, "", append([]string{"--lang", "ja"}, args...)...)
			if code != 0 || !strings.Contains(errs, "使い方: hogo "+c.cmd) || !strings.Contains(errs, c.ja) {
				t.Errorf("--lang ja %s %s: exit %d, not the Japanese usage:\n%s%s", c.cmd, help, code, stdout, errs)
			}
			// The store flags' descriptions are Japanese too.
			if c.cmd != "keys init" && !strings.Contains(errs, "データディレクトリ") {
				t.Errorf("--lang ja %s %s: --data is not described in Japanese:\n%s", c.cmd, help, errs)
			}
			code, _, errs = hogoRun(t, "", append([]string{"--lang", "en"}, args...)...)
			if code != 0 || !strings.Contains(errs, "Usage: hogo "+c.cmd) || !strings.Contains(errs, c.en) {
				t.Errorf("--lang en %s %s: exit %d, not the English usage:\n%s", c.cmd, help, code, errs)
			}
			if first, _, _ := strings.Cut(errs, "\n"); japanese.MatchString(first) {
				t.Errorf("--lang en %s: the usage line is Japanese: %q", c.cmd, first)
			}
		}
	}
}

// stdoutHook is a stdout that calls hook, once, when a line containing
// marker is written.
type stdoutHook struct {
	bytes.Buffer
	marker string
	hook   func()
}

func (w *stdoutHook) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if w.hook != nil && strings.Contains(string(p), w.marker) {
		w.hook()
		w.hook = nil
	}
	return n, err
}

// A file that changes between the check and the import (a sync client
// rewriting it, say) must fail the import cleanly, leaving nothing.
func TestImportFileChangedBetweenPasses(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	seekers := vcSeekers(5)
	rows := vcRows(seekers)
	file := vcWrite(t, filepath.Join(t.TempDir(), "seekers.csv"), vcCSV(t, vcHeader, rows))
	rows[2][2] = "kanda.midori.hinode-test.example.jp"
	changed := vcCSV(t, vcHeader, rows)
	// The check's summary is printed after the first pass has closed the
	// file and before the second opens it.
	out := &stdoutHook{marker: "rows to import", hook: func() { vcWrite(t, file, changed) }}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"import", "--data", data, "--category", "job_seeker", "--source", "web_form",
		"--purpose", "job_matching", file}, &stdio{in: strings.NewReader(""), out: out, err: &errb})
	if code == 0 {
		t.Errorf("an import of a file changed mid-way succeeded:\n%s%s", out.String(), errb.String())
	}
	if n := vcCount(t, data); n != 0 {
		t.Errorf("an import of a file changed mid-way left %d principals", n)
	}
}

// "keys retire" soon after "keys rotate", before a running server has
// re-read the key file: a principal the server creates meanwhile must not
// end up wrapped by the retired key-encryption key.
func TestKeysRetireBeforeServerReload(t *testing.T) {
	vcEnglish(t)
	saved := KeyFileCheck
	KeyFileCheck = time.Hour // the server re-reads the key file only when told below
	savedWait := RotateAdoptWait
	RotateAdoptWait = 200 * time.Millisecond // rotate does not wait for it long
	t.Cleanup(func() { KeyFileCheck, RotateAdoptWait = saved, savedWait })
	data := t.TempDir()
	m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour}}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	use := vault.Use{Purpose: "job_matching"}
	// A principal wrapped under the key in use before the rotation.
	if _, _, err := m.Server.Vault.Create(context.Background(), mgr, vault.NewRecord{Category: "job_seeker", Use: use, Source: "interview",
		Items: map[string]string{"name": "北村 葵", "name_kana": "キタムラ　アオイ", "email": "aoi@kitamura-test.example.jp", "phone": "080-5555-0001"}}); err != nil {
		t.Fatal(err)
	}
	// The server has not taken the new key file: rotate adds the key but
	// re-wraps nothing, and says so.
	code, stdout, errs := hogoRun(t, "", "keys", "rotate", "--data", data)
	if code == 0 || !strings.Contains(errs, "rewrap-only") || !strings.Contains(stdout, "re-wrapping") && vcRewrappedRE.MatchString(stdout) {
		t.Fatalf("rotate with a lagging server: exit %d\n%s%s", code, stdout, errs)
	}
	if st := vcKeysStatus(t, data); st.onOld != 1 {
		t.Fatalf("after a refused re-wrap, %d data keys on the old key, want 1", st.onOld)
	}
	// Nor may the old key be retired while the server still wraps with it.
	code, stdout, errs = hogoRun(t, "", "keys", "retire", "--data", data)
	if code == 0 || !strings.Contains(errs, "server") {
		t.Fatalf("retire with a lagging server: exit %d\n%s%s", code, stdout, errs)
	}
	// Once the server has taken the key file, the re-wrap goes ahead and
	// the old key can go.
	m.reloadKeys()
	if err := m.reportKEK(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, stdout, errs := hogoRun(t, "", "keys", "rotate", "--rewrap-only", "--data", data); code != 0 || !strings.Contains(stdout, "re-wrapped 1 ") {
		t.Fatalf("rotate --rewrap-only: exit %d\n%s%s", code, stdout, errs)
	}
	if code, stdout, errs := hogoRun(t, "", "keys", "retire", "--data", data); code != 0 {
		t.Fatalf("retire after the server took the key file: exit %d\n%s%s", code, stdout, errs)
	}
	if st := vcKeysStatus(t, data); st.onOld != 0 && st.oldKEKs == 0 {
		t.Errorf("%d data keys are wrapped by a key-encryption key the key file no longer holds", st.onOld)
	}
	out := filepath.Join(t.TempDir(), "after.csv")
	if code, _, errs := hogoRun(t, "", "export", "--data", data, "--category", "job_seeker", "--purpose", "job_matching", "-o", out); code != 0 {
		t.Errorf("export after the retirement: %s", errs)
	}
}

// TestRetentionCommands: a record whose application closed long ago is
// due; the preview counts it, the sweep erases it and prints the disposal
// record, and the next preview finds nothing.
func TestRetentionCommands(t *testing.T) {
	vcEnglish(t)
	data := vcDemoData(t)
	ss := vcSeekers(2)
	csvPath := vcWrite(t, filepath.Join(t.TempDir(), "s.csv"), vcCSV(t, vcHeader, vcRows(ss)))
	if code, out, errs := vcImport(t, data, csvPath); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	db := vcStore(t, data)
	var principal, record string
	db.ScanRecords(context.Background(), "job_seeker", hogo.RecordKey{}, 1, func(r *hogo.Record, _ *hogo.Principal) error {
		principal, record = r.PrincipalID, r.ID
		return nil
	})
	db.Close()
	if code, _, errs := hogoRun(t, "", "retention", "event", "--data", data, "--principal", principal, "--record", record,
		"--event", "application_closed", "--on", "2020-01-10"); code != 0 {
		t.Fatalf("event: %d %s", code, errs)
	}
	preview := func() (due, waiting int) {
		code, out, errs := hogoRun(t, "", "retention", "preview", "--data", data, "--json")
		if code != 0 {
			t.Fatalf("preview: %d %s", code, errs)
		}
		var pv struct {
			Due        int `json:"due"`
			Categories []struct {
				Category string `json:"category"`
				Waiting  int    `json:"waiting_for_event"`
			} `json:"categories"`
		}
		if err := json.Unmarshal([]byte(out), &pv); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, c := range pv.Categories {
			if c.Category == "job_seeker" {
				waiting = c.Waiting
			}
		}
		return pv.Due, waiting
	}
	if due, waiting := preview(); due != 1 || waiting != 1 {
		t.Fatalf("preview: %d due, %d waiting", due, waiting)
	}
	if code, _, errs := hogoRun(t, "", "retention", "run", "--data", data); code == 0 || !strings.Contains(errs, "approved") {
		t.Errorf("run without approval: %d %s", code, errs)
	}
	code, out, errs := hogoRun(t, "", "retention", "run", "--data", data, "--approved-by", "代表取締役 日野 出")
	if code != 0 || !strings.Contains(out, "job_seeker\t1") || !strings.Contains(out, "erased 1 records") {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	if due, _ := preview(); due != 0 {
		t.Errorf("after the sweep: %d due", due)
	}
	if n := vcCount(t, data); n != 1 {
		t.Errorf("%d principals left, want 1", n)
	}
}
