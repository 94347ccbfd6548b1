package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo/anonymize"
	"hogo.example.jp/hogo/sqlite"
)

const adultData = "../../../shared/data/adult"

// classesOf groups a written table by the given columns and returns the
// size of each class.
func classesOf(t *testing.T, path string, cols []string) (map[string]int, *anonymize.Table) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := anonymize.ReadTable(f, path)
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range tab.Header {
		idx[h] = i
	}
	out := map[string]int{}
	for _, r := range tab.Rows {
		var key []string
		for _, c := range cols {
			key = append(key, r[idx[c]])
		}
		out[strings.Join(key, "\x00")]++
	}
	return out, tab
}

// TestAnonymizeCommand runs hogo anonymize on the Adult subset: the
// report's JSON fields, the output keeping the header and the delimiter,
// every class of at least k rows, and the Japanese report.
func TestAnonymizeCommand(t *testing.T) {
	in := filepath.Join(adultData, "adult_subset.csv")
	if _, err := os.Stat(in); err != nil {
		t.Skipf("the Adult data set is not here: %v", err)
	}
	out := filepath.Join(t.TempDir(), "anon.csv")
	qi := "sex,age,race,marital-status,education,native-country,workclass,occupation"
	code, stdout, stderr := hogoRun(t, "", "anonymize", "--input", in, "--qi", qi, "--sensitive", "salary-class", "--k", "5", "--l", "2",
		"--suppress", "2", "--hierarchies", adultData, "-o", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	for _, k := range []string{"k", "suppressed", "search_ms", "generalization", "risk_before", "risk_after", "utility"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("the report has no %s: %s", k, stdout)
		}
	}
	if rep["k"].(float64) != 5 {
		t.Errorf("k = %v", rep["k"])
	}
	gen := rep["generalization"].(map[string]any)
	if len(gen) != 8 {
		t.Errorf("generalization: %v", gen)
	}
	classes, tab := classesOf(t, out, strings.Split(qi, ","))
	if tab.Comma != ';' || strings.Join(tab.Header, ";") != "sex;age;race;marital-status;education;native-country;workclass;occupation;salary-class" {
		t.Errorf("header %v, delimiter %q: the input's should be kept", tab.Header, tab.Comma)
	}
	supp := int(rep["suppressed"].(float64))
	if rows := int(rep["rows"].(float64)); len(tab.Rows) != rows-supp || supp > rows*2/100 {
		t.Errorf("%d rows written of %d with %d suppressed", len(tab.Rows), rows, supp)
	}
	for key, n := range classes {
		if n < 5 {
			t.Errorf("a class of %d rows (%q)", n, key)
		}
	}
	if after := rep["risk_after"].(map[string]any); after["highest"].(float64) > 0.2 {
		t.Errorf("risk after: %v", after)
	}

	// The report in Japanese.
	code, stdout, stderr = hogoRun(t, "", "--lang", "ja", "anonymize", "--input", in, "--qi", qi, "--k", "3", "--hierarchies", adultData, "-o", out)
	if code != 0 || !strings.Contains(stdout, "選んだ一般化") || !strings.Contains(stdout, "処理後のリスク") || !strings.Contains(stdout, "行を書きました") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestAnonymizeBadInput: each mistake is reported before any work, and
// no output is written.
func TestAnonymizeBadInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("年齢,性別,職種\n34,女,事務\n35,男,営業\n51,女,事務\n"), 0o600)
	hdir := filepath.Join(dir, "h")
	os.Mkdir(hdir, 0o700)
	os.WriteFile(filepath.Join(hdir, "性別.csv"), []byte("女;*\n男;*\n"), 0o600)
	out := filepath.Join(dir, "out.csv")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no k", []string{"--input", in, "--qi", "性別", "--hierarchies", hdir, "-o", out}, "--k"},
		{"k too large", []string{"--input", in, "--qi", "性別", "--k", "9", "--hierarchies", hdir, "-o", out}, "larger than the table"},
		{"missing column", []string{"--input", in, "--qi", "住所", "--k", "2", "--hierarchies", hdir, "-o", out}, "住所"},
		{"no hierarchy", []string{"--input", in, "--qi", "年齢", "--k", "2", "--hierarchies", hdir, "-o", out}, "no hierarchy"},
		{"value missing from a hierarchy", []string{"--input", in, "--qi", "性別", "--k", "2", "--hierarchies", hdir, "-o", out, "--generate", "職種=date"}, "職種"},
		{"bad generate", []string{"--input", in, "--qi", "年齢", "--k", "2", "--generate", "年齢", "-o", out}, "COLUMN=TYPE"},
		{"suppress out of range", []string{"--input", in, "--qi", "性別", "--k", "2", "--suppress", "120", "--hierarchies", hdir, "-o", out}, "0 to 100"},
		{"no output", []string{"--input", in, "--qi", "性別", "--k", "2", "--hierarchies", hdir}, "-o"},
		{"both inputs", []string{"--input", in, "--category", "job_seeker", "--purpose", "statistics", "--qi", "性別", "--k", "2", "-o", out}, "either"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := hogoRun(t, "", append([]string{"--lang", "en", "anonymize"}, c.args...)...)
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q: want an error naming %q", code, stderr, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("an output was written")
			}
		})
	}
	// A value no hierarchy holds: the row and column, never the value.
	os.WriteFile(filepath.Join(hdir, "職種.csv"), []byte("事務;*\n"), 0o600)
	code, _, stderr := hogoRun(t, "", "--lang", "en", "anonymize", "--input", in, "--qi", "職種", "--k", "1", "--hierarchies", hdir, "-o", out)
	if code == 0 || !strings.Contains(stderr, "row 3") || !strings.Contains(stderr, "職種") || strings.Contains(stderr, "営業") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestAnonymizeFromVault reads job seekers from the vault for the
// statistics purpose: hierarchies from the ledger's item types, only the
// quasi-identifiers written, every read audited, and names, contact
// details and identification codes refused as quasi-identifiers.
func TestAnonymizeFromVault(t *testing.T) {
	if testing.Short() {
		t.Skip("imports an organisation")
	}
	dir := t.TempDir()
	cfg := Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	if _, err := makeOrg(context.Background(), cfg, dir, 0, 400); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "anon.csv")
	code, stdout, stderr := hogoRun(t, "", "anonymize", "--data", cfg.Data, "--category", "job_seeker", "--purpose", "statistics",
		"--qi", "birth_date,address", "--k", "5", "--suppress", "5", "-o", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Rows        int               `json:"rows"`
		Hierarchies map[string]string `json:"hierarchies"`
		Dataset     string            `json:"dataset_id"`
	}
	json.Unmarshal([]byte(stdout), &rep)
	// The creation is recorded, with its items published.
	db, err := sqlite.Open(context.Background(), cfg.Data)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.ListDatasets(context.Background())
	db.Close()
	if err != nil || len(ds) != 1 || ds[0].ID != rep.Dataset || len(ds[0].Items) != 2 || len(ds[0].Steps) != 5 {
		t.Errorf("the creation's record: %v %+v (report names %q)", err, ds, rep.Dataset)
	}
	if rep.Rows < 400 || rep.Hierarchies["birth_date"] != "generated:date" || rep.Hierarchies["address"] != "generated:address" {
		t.Errorf("report: %s", stdout)
	}
	classes, tab := classesOf(t, out, []string{"birth_date", "address"})
	if strings.Join(tab.Header, ",") != "birth_date,address" {
		t.Errorf("header %v: only the quasi-identifiers may be written", tab.Header)
	}
	for key, n := range classes {
		if n < 5 {
			t.Errorf("a class of %d rows (%q)", n, key)
		}
	}
	raw, _ := os.ReadFile(out)
	if strings.Contains(string(raw), "@example.jp") {
		t.Error("an e-mail address reached the output")
	}
	// Every principal read was audited with the purpose.
	code, stdout, _ = hogoRun(t, "", "audit", "verify", "--data", cfg.Data)
	if code != 0 {
		t.Errorf("audit verify: exit %d\n%s", code, stdout)
	}
	for _, c := range []struct{ qi, want string }{
		{"name", "identifies the person"},
		{"email", "contact detail"},
		{"no_such_item", "not an item"},
	} {
		code, _, stderr := hogoRun(t, "", "--lang", "en", "anonymize", "--data", cfg.Data, "--category", "job_seeker", "--purpose", "statistics",
			"--qi", c.qi, "--k", "5", "-o", filepath.Join(dir, "x.csv"))
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("--qi %s: exit %d, %q", c.qi, code, stderr)
		}
	}
}

// TestPseudonymizeCommand: from the vault with the recruitment ledger,
// the table written with pseudonyms, names refused.
func TestPseudonymizeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("imports an organisation")
	}
	dir := t.TempDir()
	cfg := Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	if _, err := makeOrg(context.Background(), cfg, dir, 0, 50); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "pseudo.csv")
	args := []string{"--lang", "en", "pseudonymize", "--data", cfg.Data, "--ledger", "../../examples/ledgers/recruitment.yaml",
		"--category", "job_seeker", "--purpose", "statistics", "--items", "birth_date", "-o", out}
	code, stdout, stderr := hogoRun(t, "", args...)
	if code != 0 || !strings.Contains(stdout, "pseudonymised information") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	_, tab := classesOf(t, out, []string{"pseudonym"})
	if strings.Join(tab.Header, ",") != "pseudonym,birth_date" || len(tab.Rows) != 50 {
		t.Errorf("%v, %d rows", tab.Header, len(tab.Rows))
	}
	args[len(args)-3] = "name"
	if code, _, stderr := hogoRun(t, "", args...); code == 0 || !strings.Contains(stderr, "replaced by the pseudonym") {
		t.Errorf("a name kept: exit %d %s", code, stderr)
	}
}

// TestStatsCommand counts job seekers by prefecture, small cells hidden.
func TestStatsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("imports an organisation")
	}
	dir := t.TempDir()
	cfg := Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	if _, err := makeOrg(context.Background(), cfg, dir, 0, 300); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := hogoRun(t, "", "stats", "--data", cfg.Data, "--category", "job_seeker", "--purpose", "statistics", "--by", "address:2", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var st struct {
		Threshold int `json:"threshold"`
		Total     int `json:"total"`
		Cells     []struct {
			Values []string `json:"values"`
			Count  int      `json:"count"`
			Hidden bool     `json:"hidden"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || st.Threshold != 10 || st.Total < 300 || len(st.Cells) == 0 {
		t.Fatalf("%v %s", err, stdout)
	}
	sum := 0
	for _, c := range st.Cells {
		if !c.Hidden && c.Count < st.Threshold || c.Hidden && c.Count != 0 || strings.Contains(c.Values[0], "区") {
			t.Errorf("cell %+v", c)
		}
		sum += c.Count
	}
	if sum > st.Total {
		t.Errorf("cells sum to %d of %d", sum, st.Total)
	}
	code, stdout, _ = hogoRun(t, "", "--lang", "ja", "stats", "--data", cfg.Data, "--category", "job_seeker", "--purpose", "statistics", "--by", "address:2")
	if code != 0 || !strings.Contains(stdout, "人数") || !strings.Contains(stdout, "合計") {
		t.Errorf("exit %d: %s", code, stdout)
	}
}
