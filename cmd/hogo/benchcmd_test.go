package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlite"
)

// benchJSON runs "hogo bench …" and checks its JSON: every figure present
// and positive, p99 not below p50.
func benchJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := hogoRun(t, "", append([]string{"bench"}, args...)...)
	if code != 0 {
		t.Fatalf("hogo bench %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("hogo bench %s: not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, k := range []string{"throughput", "baseline_throughput", "p50_ms", "p99_ms", "baseline_p50_ms", "baseline_p99_ms",
		"ratio", "principals", "clients", "duration_s", "setup_s"} {
		if v, ok := rep[k].(float64); !ok || v <= 0 {
			t.Errorf("hogo bench %s: %s is %v", args[0], k, rep[k])
		}
	}
	if rep["p99_ms"].(float64) < rep["p50_ms"].(float64) || rep["baseline_p99_ms"].(float64) < rep["baseline_p50_ms"].(float64) {
		t.Errorf("hogo bench %s: p99 below p50: %s", args[0], out)
	}
	if rep["workload"] != args[0] {
		t.Errorf("workload %v, want %s", rep["workload"], args[0])
	}
	return rep
}

// TestBenchCommand runs the three workloads on small organisations: in a
// temporary directory (removed after), then in a kept --data directory
// that later runs reuse.
func TestBenchCommand(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	rep := benchJSON(t, "read", "--principals", "2000", "--duration", "1s", "--json")
	if rep["store"] != "sqlite" || rep["principals"].(float64) < 2000 || rep["clients"].(float64) != defaultBenchClients {
		t.Errorf("read: %v", rep)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the temporary data set was left behind: %v", left)
	}

	dir := filepath.Join(t.TempDir(), "kept")
	rep = benchJSON(t, "write", "--principals", "2000", "--duration", "1s", "--json", "--data", dir)
	written := rep["requests"].(float64)
	rep = benchJSON(t, "lookup", "--principals", "2000", "--duration", "1s", "--json", "--data", dir)
	// Reused: the job seekers written by the API are there, the
	// baseline's raw rows are not.
	if got := rep["principals"].(float64); got < 2000+written {
		t.Errorf("lookup on the kept data set: %v principals, want ≥ %v", got, 2000+written)
	}
	var raw int
	db, err := sqlite.Open(context.Background(), dir)
	if err == nil {
		err = db.Read.QueryRow(`SELECT COUNT(*) FROM principals WHERE id >= $1`, rawPrefix).Scan(&raw)
		db.Close()
	}
	if err != nil || raw != 0 {
		t.Errorf("the write baseline's rows were kept: %d (%v)", raw, err)
	}

	// The human form, in Japanese.
	// With a CPU profile of hogo's load.
	prof := filepath.Join(t.TempDir(), "read.prof")
	code, out, errs := hogoRun(t, "", "--lang", "ja", "bench", "read", "--principals", "2000", "--duration", "300ms", "--data", dir, "--cpuprofile", prof)
	if code != 0 || !strings.Contains(out, "監査付き読み取り: ") || !strings.Contains(out, "件/秒") || !strings.Contains(out, "基準") {
		t.Errorf("hogo bench read in Japanese: exit %d\n%s\n%s", code, out, errs)
	}
	checkProfile(t, prof)
	// A directory that is not a data set of hogo bench is refused.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o600)
	if code, _, errs := hogoRun(t, "", "bench", "read", "--principals", "10", "--duration", "100ms", "--data", other); code == 0 || !strings.Contains(errs, "hogo-bench.json") {
		t.Errorf("a foreign --data directory: exit %d %q", code, errs)
	}
	if code, _, _ := hogoRun(t, "", "bench", "read", "--principals", "0"); code != 2 {
		t.Errorf("--principals 0: exit %d", code)
	}
}

// benchJobJSON runs "hogo bench import|erase|disclosure|sweep … --json"
// and checks that every key in want is present and positive.
func benchJobJSON(t *testing.T, want []string, args ...string) map[string]any {
	t.Helper()
	code, out, errs := hogoRun(t, "", append(append([]string{"bench"}, args...), "--json")...)
	if code != 0 {
		t.Fatalf("hogo bench %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("hogo bench %s: not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, k := range append([]string{"principals", "setup_s", "gomaxprocs", "seconds"}, want...) {
		if v, ok := rep[k].(float64); !ok || v <= 0 {
			t.Errorf("hogo bench %s: %s is %v\n%s", args[0], k, rep[k], out)
		}
	}
	if rep["workload"] != args[0] {
		t.Errorf("workload %v, want %s", rep["workload"], args[0])
	}
	return rep
}

// TestBenchJobs runs import, erase, disclosure, sweep and anonymize on small
// organisations, and checks their figures and baselines.
func TestBenchJobs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	rate := []string{"throughput", "baseline_seconds", "baseline_throughput", "ratio"}
	rep := benchJobJSON(t, append(rate, "rows"), "import", "--principals", "500")
	if rep["rows"].(float64) != 500 || rep["store"] != "sqlite" {
		t.Errorf("import: %v", rep)
	}
	rep = benchJobJSON(t, append(rate, "erased"), "erase", "--principals", "500")
	if rep["erased"].(float64) < 250 {
		t.Errorf("erase: %v", rep)
	}
	rep = benchJobJSON(t, []string{"baseline_seconds", "ratio", "records", "answers", "archive_bytes"}, "disclosure", "--principals", "200", "--records", "40")
	if rep["records"].(float64) < 40 || rep["answers"].(float64) != benchAnswers {
		t.Errorf("disclosure: %v", rep)
	}
	rep = benchJobJSON(t, []string{"throughput", "p50_ms", "p99_ms", "baseline_p50_ms", "baseline_p99_ms", "p99_ratio", "records", "erased_records", "erased_principals", "reads"},
		"sweep", "--principals", "200", "--records", "2000", "--duration", "300ms")
	// 400 synthetic principals of five records, one in twenty due.
	if rep["erased_records"].(float64) != 100 || rep["erased_principals"].(float64) != 20 {
		t.Errorf("sweep: %v", rep)
	}
	rep = benchJobJSON(t, append(rate, "rows", "search_ms"), "anonymize", "--principals", "1000")
	if rep["rows"].(float64) != 1000 || rep["suppressed"] == nil || rep["generalization"].(map[string]any)["birth_date"] == nil {
		t.Errorf("anonymize: %v", rep)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the temporary data sets were left behind: %v", left)
	}
	// The human form, in Japanese, and a CPU profile of the creation.
	prof := filepath.Join(t.TempDir(), "anonymize.prof")
	code, out, errs := hogoRun(t, "", "--lang", "ja", "bench", "anonymize", "--principals", "300", "--cpuprofile", prof)
	if code != 0 || !strings.Contains(out, "匿名加工情報の作成: 300 行") || !strings.Contains(out, "基準") {
		t.Errorf("hogo bench anonymize in Japanese: exit %d\n%s\n%s", code, out, errs)
	}
	checkCPUProfile(t, prof, false)
	code, out, errs = hogoRun(t, "", "--lang", "ja", "bench", "import", "--principals", "50")
	if code != 0 || !strings.Contains(out, "行/秒") || !strings.Contains(out, "基準") {
		t.Errorf("hogo bench import in Japanese: exit %d\n%s\n%s", code, out, errs)
	}
	for _, args := range [][]string{{"erase", "--principals", "1"}, {"sweep", "--records", "0"}, {"sweep", "--db", "postgres://x"}, {"read", "--nodes", "2"}} {
		if code, _, _ := hogoRun(t, "", append([]string{"bench"}, args...)...); code != 2 {
			t.Errorf("hogo bench %v: exit %d, want 2", args, code)
		}
	}
}

// TestBenchPostgres runs "hogo bench read --db" on a schema of its own,
// and checks that the schema is gone after.
func TestBenchPostgres(t *testing.T) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	t.Setenv("TMPDIR", t.TempDir())
	db, err := postgres.Open(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schemas := func() []string {
		rows, err := db.Read.Query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'hogo_bench_%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	before := schemas()
	rep := benchJSON(t, "read", "--principals", "300", "--duration", "500ms", "--json", "--db", base)
	if rep["store"] != "postgres" || rep["nodes"] != 1.0 {
		t.Errorf("store %v, nodes %v", rep["store"], rep["nodes"])
	}
	// Three nodes on the same schema, the load spread over them.
	rep = benchJSON(t, "read", "--principals", "300", "--duration", "500ms", "--json", "--db", base, "--nodes", "3")
	if rep["nodes"] != 3.0 || rep["audit_entries_per_commit"].(float64) <= 0 {
		t.Errorf("--nodes 3: %v", rep)
	}
	benchJSON(t, "lookup", "--principals", "300", "--duration", "300ms", "--json", "--db", base, "--nodes", "3")
	rate := []string{"throughput", "baseline_seconds", "baseline_throughput", "ratio"}
	if rep := benchJobJSON(t, rate, "import", "--principals", "300", "--db", base); rep["store"] != "postgres" {
		t.Errorf("import on PostgreSQL: %v", rep)
	}
	benchJobJSON(t, rate, "erase", "--principals", "300", "--db", base)
	for _, s := range schemas() {
		if !slices.Contains(before, s) {
			t.Errorf("schema %s was left behind", s)
		}
	}
}

// checkProfile reads back a CPU profile: gzip-compressed protobuf whose
// string table names functions of hogo's server.
func checkProfile(t *testing.T, path string) { checkCPUProfile(t, path, true) }

// checkCPUProfile checks that path holds a CPU profile (its sample types
// named), and with named that it names a function of hogo: a profile of a
// few milliseconds may hold no sample.
func checkCPUProfile(t *testing.T, path string, named bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no CPU profile: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the CPU profile is not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading the CPU profile: %v", err)
	}
	if !bytes.Contains(b, []byte("nanoseconds")) || !bytes.Contains(b, []byte("cpu")) {
		t.Errorf("the file (%d bytes) is not a CPU profile", len(b))
	}
	if named && !bytes.Contains(b, []byte("hogo.example.jp/hogo/")) {
		t.Errorf("the CPU profile (%d bytes) names no function of hogo", len(b))
	}
}
