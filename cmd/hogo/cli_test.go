package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/vault"

	_ "modernc.org/sqlite"
)

// hogoRun runs the command line as the binary would, with stdin.
func hogoRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// exampleFiles writes the embedded example ledgers to a directory.
func exampleFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	fs.WalkDir(examples.Ledgers, "ledgers", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		data, _ := examples.Ledgers.ReadFile(p)
		f := filepath.Join(dir, filepath.Base(p))
		os.WriteFile(f, data, 0o644)
		out[filepath.Base(p)] = f
		return nil
	})
	if len(out) != 5 {
		t.Fatalf("expected the five example ledgers, found %d", len(out))
	}
	return out
}

func TestHelpEverywhere(t *testing.T) {
	for _, c := range commands() {
		args := append(strings.Fields(c.name), "--help")
		code, _, stderr := hogoRun(t, "", args...)
		if code != 0 || !strings.Contains(stderr, "hogo "+strings.Fields(c.name)[0]) {
			t.Errorf("%s --help: exit %d, output %q", c.name, code, stderr)
		}
		code, _, stderr = hogoRun(t, "", append([]string{"--lang", "ja"}, args...)...)
		if code != 0 || !strings.Contains(stderr, "使い方") {
			t.Errorf("--lang ja %s --help: exit %d, not Japanese: %q", c.name, code, stderr)
		}
	}
	if code, out, _ := hogoRun(t, "", "--help"); code != 0 || !strings.Contains(out, "ledger check") {
		t.Fatalf("hogo --help: %d %q", code, out)
	}
	if code, _, errs := hogoRun(t, "", "frobnicate"); code != 2 || !strings.Contains(errs, "frobnicate") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
}

func TestLedgerCheck(t *testing.T) {
	files := exampleFiles(t)
	var all []string
	for _, f := range files {
		all = append(all, f)
	}
	code, out, errs := hogoRun(t, "", append([]string{"ledger", "check"}, all...)...)
	if code != 0 {
		t.Fatalf("examples: exit %d\n%s", code, errs)
	}
	if strings.Count(out, "valid") != 5 {
		t.Fatalf("expected five valid lines: %q", out)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	data, _ := os.ReadFile(files["staffing.yaml"])
	// An undeclared purpose and a typo'd key, each at a known line.
	text := strings.Replace(string(data), "\n    purposes: [job_matching,", "\n    purposes: [job_matchng,", 1)
	text = strings.Replace(text, "retention:", "retension:", 1)
	if text == string(data) || !strings.Contains(text, "job_matchng") || !strings.Contains(text, "retension") {
		t.Fatal("the demo ledger no longer has the lines this test breaks")
	}
	seen := map[string]bool{}
	os.WriteFile(bad, []byte(text), 0o644)
	code, _, errs = hogoRun(t, "", "ledger", "check", bad)
	if code != 1 {
		t.Fatalf("bad ledger: exit %d, want 1", code)
	}
	lineRE := regexp.MustCompile(`^` + regexp.QuoteMeta(bad) + `:(\d+):(\d+): (.+)$`)
	problems := 0
	for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
		m := lineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		problems++
		n := 0
		fmt.Sscan(m[1], &n)
		src := strings.Split(text, "\n")[n-1]
		switch {
		case strings.Contains(m[3], "job_matchng"):
			seen["purpose"] = true
			if !strings.Contains(src, "job_matchng") || !strings.Contains(m[3], "job_matching") {
				t.Errorf("undeclared purpose reported at %q: %s", src, m[3])
			}
		case strings.Contains(m[3], "retension"):
			seen["key"] = true
			if !strings.Contains(src, "retension") || !strings.Contains(m[3], `did you mean "retention"`) {
				t.Errorf("unknown key reported at %q: %s", src, m[3])
			}
		}
	}
	if problems < 2 || !seen["purpose"] || !seen["key"] {
		t.Fatalf("want FILE:LINE:COL problems for the undeclared purpose and the unknown key, got:\n%s", errs)
	}
	if code, _, errs := hogoRun(t, "", "ledger", "check", filepath.Join(t.TempDir(), "missing.yaml")); code != 1 || !strings.Contains(errs, "missing.yaml:1:1:") {
		t.Fatalf("missing file: %d %q", code, errs)
	}
}

func TestLedgerExport(t *testing.T) {
	files := exampleFiles(t)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "ledger.xlsx")
	if code, _, errs := hogoRun(t, "", "ledger", "export", "--ledger", files["staffing.yaml"], "--format", "xlsx", "-o", xlsx); code != 0 {
		t.Fatalf("xlsx: %s", errs)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 10 {
		t.Fatalf("xlsx rows: %d %v", len(rows), err)
	}
	if !strings.Contains(strings.Join(rows[0], ","), "利用目的") {
		t.Fatalf("xlsx header: %v", rows[0])
	}
	found := false
	for _, r := range rows {
		if strings.Contains(strings.Join(r, ","), "job_seeker") && strings.Contains(strings.Join(r, ","), "email") {
			found = true
		}
	}
	if !found {
		t.Fatal("xlsx has no row for job_seeker × email")
	}

	csvFile := filepath.Join(dir, "ledger.csv")
	if code, _, errs := hogoRun(t, "", "ledger", "export", "--ledger", files["staffing.yaml"], "--format", "csv", "-o", csvFile); code != 0 {
		t.Fatalf("csv: %s", errs)
	}
	b, _ := os.ReadFile(csvFile)
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV has no UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(recs) != len(rows) {
		t.Fatalf("csv rows %d vs xlsx rows %d (%v)", len(recs), len(rows), err)
	}
	sjis := filepath.Join(dir, "ledger-sjis.csv")
	if code, _, errs := hogoRun(t, "", "ledger", "export", "--ledger", files["staffing.yaml"], "--format", "csv", "--encoding", "sjis", "-o", sjis); code != 0 {
		t.Fatalf("sjis: %s", errs)
	}
	jsonFile := filepath.Join(dir, "ledger.json")
	if code, _, errs := hogoRun(t, "", "ledger", "export", "--ledger", files["staffing.yaml"], "--format", "json", "-o", jsonFile); code != 0 {
		t.Fatalf("json: %s", errs)
	}
	var doc map[string]any
	jb, _ := os.ReadFile(jsonFile)
	if err := json.Unmarshal(jb, &doc); err != nil || doc["rows"] == nil {
		t.Fatalf("json export: %v", err)
	}
	if code, _, _ := hogoRun(t, "", "ledger", "export", "--ledger", files["staffing.yaml"], "--format", "pdf", "-o", filepath.Join(dir, "x")); code != 2 {
		t.Fatalf("unknown format: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Fatal("a failed export left a file")
	}
}

func TestUsersTokensAudit(t *testing.T) {
	data := t.TempDir()
	code, out, errs := hogoRun(t, "", "user", "add", "sato", "--role", "manager", "--data", data)
	if code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if pw := lines[len(lines)-1]; len(pw) != 20 {
		t.Fatalf("generated password line %q", pw)
	}
	if code, _, errs := hogoRun(t, "long-enough-password\n", "user", "add", "abe", "--role", "staff", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("password-stdin: %s", errs)
	}
	if code, _, errs := hogoRun(t, "short\n", "user", "add", "ito", "--role", "staff", "--password-stdin", "--data", data); code != 1 || !strings.Contains(errs, "12") {
		t.Fatalf("short password: %d %q", code, errs)
	}
	if code, _, errs := hogoRun(t, "", "user", "add", "kato", "--role", "root", "--data", data); code != 1 || !strings.Contains(errs, "role") {
		t.Fatalf("bad role: %d %q", code, errs)
	}
	code, out, _ = hogoRun(t, "", "user", "list", "--data", data)
	if code != 0 || !strings.Contains(out, "sato") || !strings.Contains(out, "abe") || strings.Contains(out, "ito") {
		t.Fatalf("user list: %q", out)
	}
	code, out, errs = hogoRun(t, "", "token", "create", "sato", "--data", data)
	if code != 0 {
		t.Fatalf("token create: %s", errs)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if tok := lines[len(lines)-1]; !strings.HasPrefix(tok, "hogo_") {
		t.Fatalf("token line %q", tok)
	}
	// Role changes, disabling, password resets and token revocation.
	if code, _, errs := hogoRun(t, "", "user", "set", "abe", "--role", "desk", "--data", data); code != 0 {
		t.Fatalf("user set --role: %s", errs)
	}
	if code, _, errs := hogoRun(t, "", "user", "set", "abe", "--disable", "--data", data); code != 0 {
		t.Fatalf("user set --disable: %s", errs)
	}
	code, out, _ = hogoRun(t, "", "user", "list", "--json", "--data", data)
	var listed []struct {
		Name     string `json:"name"`
		Role     string `json:"role"`
		Disabled bool   `json:"disabled"`
	}
	json.Unmarshal([]byte(out), &listed)
	if code != 0 || len(listed) != 2 || listed[0].Name != "abe" || listed[0].Role != "desk" || !listed[0].Disabled {
		t.Fatalf("after user set: %q", out)
	}
	if code, _, errs := hogoRun(t, "", "user", "set", "nobody", "--enable", "--data", data); code != 1 || !strings.Contains(errs, "nobody") {
		t.Fatalf("user set unknown: %d %q", code, errs)
	}
	code, out, errs = hogoRun(t, "", "user", "password", "sato", "--data", data)
	if pw := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]); code != 0 || len(pw) != 20 {
		t.Fatalf("user password: %d %q %q", code, out, errs)
	}
	code, out, _ = hogoRun(t, "", "token", "list", "sato", "--data", data)
	if code != 0 || !strings.Contains(out, "active") || !strings.Contains(out, "hogo_") {
		t.Fatalf("token list: %q", out)
	}
	if code, _, errs := hogoRun(t, "", "token", "revoke", "1", "--data", data); code != 0 {
		t.Fatalf("token revoke: %s", errs)
	}
	if code, out, _ := hogoRun(t, "", "token", "list", "--data", data); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("token list after revoke: %q", out)
	}
	if code, _, _ := hogoRun(t, "", "token", "revoke", "99", "--data", data); code != 1 {
		t.Fatal("revoking an unknown token succeeded")
	}

	code, out, errs = hogoRun(t, "", "audit", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("audit verify: %d %q %q", code, out, errs)
	}
	cp := filepath.Join(t.TempDir(), "cp.json")
	if code, _, errs := hogoRun(t, "", "audit", "checkpoints", "-o", cp, "--data", data); code != 0 {
		t.Fatalf("checkpoints: %s", errs)
	}
	if code, _, errs := hogoRun(t, "", "audit", "verify", "--checkpoints", cp, "--data", data); code != 0 {
		t.Fatalf("verify with checkpoints: %s", errs)
	}

	// Tamper with entry 2 as someone with the database file would.
	db, err := sql.Open("sqlite", filepath.Join(data, "hogo.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET bodies = CAST(replace(CAST(bodies AS TEXT), 'sato', 'SATO') AS BLOB) WHERE seq = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, _, errs = hogoRun(t, "", "audit", "verify", "--data", data)
	if code != 1 || !strings.Contains(errs, "entry 1") {
		t.Fatalf("tampered chain: exit %d %q", code, errs)
	}
}

func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	var out bytes.Buffer
	m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true}, Out: &out}
	start := time.Now()
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	resp, err := http.Get(m.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	t.Logf("start to serving: %v", time.Since(start))
	if m.DemoPassword == "" || !strings.Contains(out.String(), m.DemoPassword) || !strings.Contains(out.String(), m.URL) {
		t.Fatalf("demo start did not print the URL and password: %q", out.String())
	}

	// A token made by the CLI on the running server's store works at once.
	code, cliOut, errs := hogoRun(t, "", "token", "create", "admin", "--data", data)
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(cliOut), "\n")
	req, _ := http.NewRequest("GET", m.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+lines[len(lines)-1])
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api/v1/me: %v %v", resp, err)
	}
	resp.Body.Close()

	// A consistent backup while serving.
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errs := hogoRun(t, "", "backup", "-o", backup, "--data", data); code != 0 {
		t.Fatal(errs)
	}
	restored := t.TempDir()
	b, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(restored, "hogo.db"), b, 0o600)
	key, _ := os.ReadFile(filepath.Join(data, "audit-signing.key"))
	os.WriteFile(filepath.Join(restored, "audit-signing.key"), key, 0o600)
	if code, out, errs := hogoRun(t, "", "audit", "verify", "--data", restored); code != 0 {
		t.Fatalf("backup does not verify: %s %s", out, errs)
	}
	if code, _, _ := hogoRun(t, "", "backup", "-o", backup, "--data", data); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}

	// The second start of the demo keeps the first password secret.
	m.Close()
	var out2 bytes.Buffer
	m2 := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true}, Out: &out2}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if m2.DemoPassword != "" || strings.Contains(out2.String(), m.DemoPassword) {
		t.Fatal("second demo start printed a password")
	}
}

func TestServeRejectsBadLedger(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\norganization: {}\n"), 0o644)
	m := &Main{Config: Config{Data: t.TempDir(), Addr: "127.0.0.1:0", LedgerFile: bad}}
	err := m.Run(context.Background())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:") {
		t.Fatalf("bad ledger accepted or not located: %v", err)
	}
}

func TestPostgresServe(t *testing.T) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	url, drop, err := postgres.CreateSchema(context.Background(), base, fmt.Sprintf("hogo_cli_%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	key := filepath.Join(t.TempDir(), "audit.key")
	if code, _, errs := hogoRun(t, "", "audit", "keygen", "-o", key); code != 0 {
		t.Fatal(errs)
	}
	// Without a migration the server refuses the empty schema.
	m := &Main{Config: Config{DB: url, AuditKey: key, Addr: "127.0.0.1:0", Demo: true}}
	err = m.Run(context.Background())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "hogo migrate") {
		t.Fatalf("unmigrated schema: %v", err)
	}
	if code, out, errs := hogoRun(t, "", "migrate", "--db", url); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate: %s %s", out, errs)
	}
	// Without the shared key a PostgreSQL node does not start.
	if code, _, errs := hogoRun(t, "", "user", "add", "x", "--role", "staff", "--db", url); code != 1 || !strings.Contains(errs, "audit keygen") {
		t.Fatalf("missing key: %d %q", code, errs)
	}
	// Nor without the shared vault keys.
	m = &Main{Config: Config{DB: url, AuditKey: key, Addr: "127.0.0.1:0", Demo: true}}
	err = m.Run(context.Background())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "keys init") {
		t.Fatalf("missing vault keys: %v", err)
	}
	keys := filepath.Join(t.TempDir(), "vault-keys.json")
	if code, _, errs := hogoRun(t, "", "keys", "init", "-o", keys); code != 0 {
		t.Fatal(errs)
	}
	m = &Main{Config: Config{DB: url, AuditKey: key, Keys: keys, Addr: "127.0.0.1:0", Demo: true}}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// Personal data on PostgreSQL, through the vault.
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	id, _, err := m.Server.Vault.Create(context.Background(), mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
		Source: "web_form", Items: map[string]string{"name": "北村 葵", "name_kana": "キタムラ アオイ", "email": "aoi@example.jp", "phone": "090-8888-7777"}})
	if err != nil {
		t.Fatal(err)
	}
	found, err := m.Server.Vault.Find(context.Background(), mgr, vault.LookupEmail, "AOI@example.jp", vault.Use{Purpose: "job_matching"})
	if err != nil || len(found) != 1 || found[0].ID != id || found[0].Records[0].Items["phone"] != "09088887777" {
		t.Fatalf("find on PostgreSQL: %v %+v", err, found)
	}
	// A rights request on PostgreSQL.
	desk := hogo.Actor{UserID: 3, Name: "desk", Role: hogo.RoleDesk}
	rc, err := m.Server.Requests.Receive(context.Background(), desk, requests.Intake{Types: []string{"disclose"}, Channel: "post",
		Requester: requests.Requester{Kind: "principal", Name: "北村 葵", Email: "aoi@example.jp"}})
	if err != nil || rc.DueOn == "" {
		t.Fatalf("request on PostgreSQL: %v %+v", err, rc)
	}
	if q, err := m.Server.Requests.Queue(context.Background(), desk, ""); err != nil || len(q) != 1 || q[0].ReceiptNumber != rc.ReceiptNumber {
		t.Fatalf("queue on PostgreSQL: %v %+v", err, q)
	}
	if code, _, errs := hogoRun(t, "", "user", "add", "desk1", "--role", "desk", "--db", url, "--audit-key", key); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := hogoRun(t, "", "audit", "verify", "--db", url, "--audit-key", key)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify on PostgreSQL: %s %s", out, errs)
	}
	// Another key is refused: it would make the chain look forged.
	other := filepath.Join(t.TempDir(), "other.key")
	hogoRun(t, "", "audit", "keygen", "-o", other)
	if code, _, errs := hogoRun(t, "", "audit", "verify", "--db", url, "--audit-key", other); code != 1 || !strings.Contains(errs, "original key") {
		t.Fatalf("other key: %d %q", code, errs)
	}
}

func TestLedgerCheckJapanese(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\norganisation: {}\n"), 0o644)
	code, _, errs := hogoRun(t, "", "--lang", "ja", "ledger", "check", bad)
	if code != 1 || !strings.Contains(errs, bad+":2:1: ") || !strings.Contains(errs, "「organization」ではありませんか") {
		t.Fatalf("Japanese problems: %d\n%s", code, errs)
	}
	t.Setenv("LANG", "ja_JP.UTF-8")
	if _, _, errs := hogoRun(t, "", "ledger", "check", bad); !strings.Contains(errs, "ではありませんか") {
		t.Fatalf("a Japanese locale does not give Japanese messages:\n%s", errs)
	}
	if _, _, errs := hogoRun(t, "", "--lang", "en", "ledger", "check", bad); !strings.Contains(errs, `did you mean "organization"`) {
		t.Fatalf("English problems:\n%s", errs)
	}
}

func TestAuditVerifyWithPublicKeyOnly(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := hogoRun(t, "", "user", "add", "sato", "--role", "manager", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	cp := filepath.Join(t.TempDir(), "cp.json")
	if code, _, errs := hogoRun(t, "", "audit", "checkpoints", "-o", cp, "--data", data); code != 0 {
		t.Fatal(errs)
	}
	var f struct {
		PublicKey string `json:"public_key"`
	}
	b, _ := os.ReadFile(cp)
	json.Unmarshal(b, &f)
	pub := filepath.Join(t.TempDir(), "audit.pub")
	os.WriteFile(pub, []byte(f.PublicKey), 0o644)
	// Move the signing key away: verification needs only the public key,
	// and creates no key.
	keyFile := filepath.Join(data, "audit-signing.key")
	os.Rename(keyFile, keyFile+".away")
	if code, out, errs := hogoRun(t, "", "audit", "verify", "--public-key", pub, "--checkpoints", cp, "--data", data); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify with public key: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("audit verify created a signing key")
	}
	if code, _, errs := hogoRun(t, "", "audit", "verify", "--data", data); code != 0 || !strings.Contains(errs, "warning") {
		t.Fatalf("verify with the recorded key: %d %s", code, errs)
	}
}

// Every flag of every command has its description in Japanese.
func TestFlagHelpJapanese(t *testing.T) {
	for _, c := range commands() {
		code, _, stderr := hogoRun(t, "", append([]string{"--lang", "ja"}, append(strings.Fields(c.name), "--help")...)...)
		if code != 0 {
			t.Fatalf("%s --help: %d", c.name, code)
		}
		for _, line := range strings.Split(stderr, "\n") {
			if !strings.HasPrefix(line, "    \t") {
				continue
			}
			if !regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`).MatchString(line) {
				t.Errorf("%s: flag description not in Japanese: %q", c.name, line)
			}
		}
	}
}

// TestCalendarHolidays: one line per holiday, "YYYY-MM-DD name", with the
// official Japanese names; a year outside 1970–2099 is refused.
func TestCalendarHolidays(t *testing.T) {
	code, out, errs := hogoRun(t, "", "calendar", "holidays", "2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 18 {
		t.Errorf("2026 has %d lines, want 18:\n%s", len(lines), out)
	}
	for _, want := range []string{"2026-01-01 元日", "2026-05-06 振替休日", "2026-09-22 国民の休日", "2026-11-23 勤労感謝の日"} {
		if !slices.Contains(lines, want) {
			t.Errorf("2026 lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := hogoRun(t, "", "calendar", "holidays", "--english", "2019"); code != 0 || !strings.Contains(out, "2019-05-01 Enthronement Day") {
		t.Errorf("--english 2019: %d\n%s", code, out)
	}
	if code, _, errs := hogoRun(t, "", "calendar", "holidays", "1969"); code != 2 || !strings.Contains(errs, "1970") {
		t.Errorf("1969: exit %d %q", code, errs)
	}
}

// TestBreachDeadlines: the command the checks run, with JSON and words,
// and its refusals.
func TestBreachDeadlines(t *testing.T) {
	code, out, errs := hogoRun(t, "", "breach", "deadlines", "--known", "2026-12-01", "--trigger", "over_1000,special_care", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d struct {
		PreliminaryDue string `json:"preliminary_due"`
		FinalDue       string `json:"final_due"`
		FinalDays      int    `json:"final_days"`
		Reportable     bool   `json:"reportable"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Day 30 is 12-30, in the year-end closure: the next working day.
	if d.PreliminaryDue != "2026-12-07" || d.FinalDue != "2027-01-04" || d.FinalDays != 30 || !d.Reportable {
		t.Errorf("deadlines: %+v", d)
	}
	code, out, _ = hogoRun(t, "", "--lang", "ja", "breach", "deadlines", "--known", "2026-11-24", "--trigger", "unjust_purpose")
	if code != 0 || !strings.Contains(out, "確報の期限: 2027-01-22") || !strings.Contains(out, "令和9年1月22日") {
		t.Errorf("words: %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"--known", "2026-11-24", "--trigger", "over_9000"},
		{"--known", "24/11/2026", "--trigger", "over_1000"},
		{"--trigger", "over_1000"},
		{"--known", "2026-11-24"},
	} {
		if code, _, errs := hogoRun(t, "", append([]string{"breach", "deadlines"}, args...)...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}
