package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/vault"
)

// The vault benchmarks share one data set, made once per process: a SQLite
// store with HOGO_BENCH_PRINCIPALS principals (default 1,000,000) imported
// from a Shift_JIS CSV through "hogo import". They are whole-system
// figures; scripts/bench-vault.sh runs them.

func benchPrincipals() int {
	if n, err := strconv.Atoi(os.Getenv("HOGO_BENCH_PRINCIPALS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
	seedTime time.Duration
	seedRows int
)

// writeSJIS writes n rows × 8 items of job_seeker data as Shift_JIS CSV.
func writeSJIS(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(japanese.ShiftJIS.NewEncoder().Writer(f), 1<<20)
	fmt.Fprint(w, "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日,郵便番号,住所,保有資格\r\n")
	family := []string{"山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"}
	kana := []string{"ヤマダ", "サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ナカムラ"}
	given := []string{"太郎", "花子", "一郎", "美咲", "健太", "陽菜"}
	gkana := []string{"タロウ", "ハナコ", "イチロウ", "ミサキ", "ケンタ", "ヒナ"}
	for i := 0; i < n; i++ {
		f, g := i%len(family), (i/len(family))%len(given)
		fmt.Fprintf(w, "%s %s,%s %s,user%d@example.jp,090-%04d-%04d,19%02d-%02d-%02d,100-%04d,東京都千代田区千代田%d-%d,普通自動車第一種運転免許\r\n",
			family[f], given[g], kana[f], gkana[g], i, (i/10000)%10000, i%10000, 60+i%40, 1+i%12, 1+i%28, i%10000, 1+i%9, 1+i%20)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// seed makes the shared data set: the demo's first start, then the import.
func seed(b *testing.B) string {
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hogo-bench-vault-")
		if err != nil {
			seedErr = err
			return
		}
		seedDir = dir
		m := &Main{Config: Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour}}
		if seedErr = m.Run(context.Background()); seedErr != nil {
			return
		}
		m.Close()
		csv := filepath.Join(dir, "seekers.csv")
		seedRows = benchPrincipals()
		if seedErr = writeSJIS(csv, seedRows); seedErr != nil {
			return
		}
		var out, errb bytes.Buffer
		start := time.Now()
		code := run(context.Background(), []string{"import", "--data", filepath.Join(dir, "data"), "--category", "job_seeker",
			"--source", "paper_form", "--purpose", "job_matching", csv}, &stdio{in: strings.NewReader(""), out: &out, err: &errb})
		seedTime = time.Since(start)
		if code != 0 {
			seedErr = fmt.Errorf("import: %s %s", out.String(), errb.String())
		}
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedDir
}

// BenchmarkVaultImportSJIS reports the import that made the data set:
// N rows × 8 items of Shift_JIS CSV, checked, encrypted (a data key per
// principal), indexed and audited, through "hogo import".
func BenchmarkVaultImportSJIS(b *testing.B) {
	seed(b)
	b.ReportMetric(seedTime.Seconds(), "s/import")
	b.ReportMetric(float64(seedRows)/seedTime.Seconds(), "rows/s")
	b.ReportMetric(float64(seedRows), "rows")
}

// served is a server over the data set with a manager's token and some
// principal IDs and e-mails.
type served struct {
	m     *Main
	token string
	ids   []string
}

func serveSeed(b *testing.B, dbURL string) *served {
	dir := seed(b)
	return serveConfig(b, Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour})
}

func serveConfig(b *testing.B, cfg Config) *served {
	m := &Main{Config: cfg}
	if err := m.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	secret, _, err := m.Server.Staff.CreateToken(context.Background(), hogo.SystemActor, "manager", "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	s := &served{m: m, token: secret}
	after := ""
	for len(s.ids) < 100000 {
		keys, err := m.db.PrincipalKeys(context.Background(), after, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(keys) == 0 {
			break
		}
		for _, k := range keys {
			s.ids = append(s.ids, k.ID)
		}
		after = keys[len(keys)-1].ID
	}
	return s
}

// load runs clients goroutines for d against url(i), returning requests/s
// and latency percentiles.
func load(b *testing.B, clients int, d time.Duration, req func(rnd *rand.Rand) *http.Request) (rps float64, p50, p99 time.Duration) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true,
		DialContext: (&net.Dialer{KeepAlive: time.Minute}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var n atomic.Int64
	lat := make([][]time.Duration, clients)
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	var failed atomic.Value
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c), 7))
			for time.Now().Before(stop) {
				r := req(rnd)
				t0 := time.Now()
				resp, err := client.Do(r)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Store(fmt.Sprintf("status %d", resp.StatusCode))
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
				n.Add(1)
			}
		}(c)
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatalf("load: %v", f)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		b.Fatal("no requests completed")
	}
	return float64(n.Load()) / d.Seconds(), all[len(all)/2], all[len(all)*99/100]
}

func benchDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("HOGO_BENCH_DURATION")); err == nil {
		return d
	}
	return 10 * time.Second
}

func benchClients() int {
	if n, err := strconv.Atoi(os.Getenv("HOGO_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 32
}

// BenchmarkVaultReadHTTP measures the purpose-checked, decrypted, audited
// read of one principal over HTTP (GET /api/v1/principals/{id}?purpose=…)
// with a manager's token, against the same read with no check, no
// decryption and no audit (the sealed record straight from the database,
// on a bare handler over the same store), in the same run.
func BenchmarkVaultReadHTTP(b *testing.B) {
	benchRead(b, serveSeed(b, ""), seedRows)
}

func benchRead(b *testing.B, s *served, principals int) {
	d, clients := benchDuration(), benchClients()

	e0, b0 := s.m.log.Stats()
	rps, p50, p99 := load(b, clients, d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("GET", s.m.URL+"/api/v1/principals/"+s.ids[rnd.IntN(len(s.ids))]+"?purpose=job_matching", nil)
		r.Header.Set("Authorization", "Bearer "+s.token)
		return r
	})

	e1, b1 := s.m.log.Stats()
	if b1 > b0 {
		b.ReportMetric(float64(e1-e0)/float64(b1-b0), "audit-entries/commit")
	}
	// The baseline: a bare handler reading the same row.
	db := s.m.db
	mux := http.NewServeMux()
	mux.HandleFunc("GET /raw/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id, cat string
		var sealed []byte
		err := db.Read.QueryRowContext(r.Context(), `SELECT id, category, sealed FROM records WHERE principal_id = $1`, r.PathValue("id")).Scan(&id, &cat, &sealed)
		if err != nil {
			http.Error(w, "not found", 404)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": r.PathValue("id"), "records": []any{map[string]any{"id": id, "category": cat, "sealed": sealed}}})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	brps, bp50, bp99 := load(b, clients, d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("GET", base+"/raw/"+s.ids[rnd.IntN(len(s.ids))], nil)
		return r
	})
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(brps, "baseline-req/s")
	b.ReportMetric(float64(bp50.Microseconds())/1000, "baseline-p50-ms")
	b.ReportMetric(float64(bp99.Microseconds())/1000, "baseline-p99-ms")
	b.ReportMetric(rps/brps, "ratio")
	b.ReportMetric(float64(principals), "principals")
}

var (
	pgOnce sync.Once
	pgCfg  Config
	pgErr  error
	pgTime time.Duration
	pgRows int
)

// BenchmarkVaultReadHTTPPostgres is BenchmarkVaultReadHTTP on PostgreSQL
// (HOGO_BENCH_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test; a
// schema of its own), with HOGO_BENCH_PG_PRINCIPALS principals (default
// 200,000) imported first through "hogo import --db"; it also reports that
// import.
func BenchmarkVaultReadHTTPPostgres(b *testing.B) {
	base := os.Getenv("HOGO_BENCH_POSTGRES")
	if base == "" {
		b.Skip("HOGO_BENCH_POSTGRES is not set")
	}
	pgOnce.Do(func() {
		pgRows = 200_000
		if n, err := strconv.Atoi(os.Getenv("HOGO_BENCH_PG_PRINCIPALS")); err == nil && n > 0 {
			pgRows = n
		}
		dir, err := os.MkdirTemp("", "hogo-bench-pg-")
		if err != nil {
			pgErr = err
			return
		}
		url, _, err := postgres.CreateSchema(context.Background(), base, fmt.Sprintf("hogo_bench_%d", time.Now().UnixNano()))
		if err != nil {
			pgErr = err
			return
		}
		pgCfg = Config{DB: url, AuditKey: filepath.Join(dir, "audit.key"), Keys: filepath.Join(dir, "vault-keys.json"),
			Addr: "127.0.0.1:0", Demo: true, Migrate: true, CheckpointEvery: time.Hour}
		quiet := &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
		run(context.Background(), []string{"audit", "keygen", "-o", pgCfg.AuditKey}, quiet)
		run(context.Background(), []string{"keys", "init", "-o", pgCfg.Keys}, quiet)
		m := &Main{Config: pgCfg}
		if pgErr = m.Run(context.Background()); pgErr != nil {
			return
		}
		m.Close()
		csv := filepath.Join(dir, "seekers.csv")
		if pgErr = writeSJIS(csv, pgRows); pgErr != nil {
			return
		}
		var out, errb bytes.Buffer
		start := time.Now()
		code := run(context.Background(), []string{"import", "--db", url, "--audit-key", pgCfg.AuditKey, "--keys", pgCfg.Keys,
			"--category", "job_seeker", "--source", "paper_form", "--purpose", "job_matching", csv}, &stdio{in: strings.NewReader(""), out: &out, err: &errb})
		pgTime = time.Since(start)
		if code != 0 {
			pgErr = fmt.Errorf("import: %s %s", out.String(), errb.String())
		}
		pgCfg.Demo, pgCfg.Migrate = false, false
	})
	if pgErr != nil {
		b.Fatal(pgErr)
	}
	b.ReportMetric(pgTime.Seconds(), "s/import")
	b.ReportMetric(float64(pgRows)/pgTime.Seconds(), "import-rows/s")
	benchRead(b, serveConfig(b, pgCfg), pgRows)
}

// BenchmarkVaultLookup measures finding a principal by e-mail among the
// data set through the blind index, in the vault (decision, read, audit
// included), one lookup at a time.
func BenchmarkVaultLookup(b *testing.B) {
	s := serveSeed(b, "")
	v := s.m.Server.Vault
	a := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	rnd := rand.New(rand.NewPCG(1, 2))
	// At least 2,000 lookups, whatever b.N, for the percentiles.
	n := max(b.N, 2000)
	lat := make([]time.Duration, 0, n)
	b.ResetTimer()
	for i := 0; i < n; i++ {
		k := rnd.IntN(seedRows)
		t0 := time.Now()
		got, err := v.Find(context.Background(), a, vault.LookupEmail, fmt.Sprintf("USER%d@example.jp", k), vault.Use{Purpose: "job_matching"})
		lat = append(lat, time.Since(t0))
		if err != nil || len(got) != 1 {
			b.Fatalf("lookup %d: %d found, %v", k, len(got), err)
		}
	}
	b.StopTimer()
	// The baseline: the same lookups in the store alone (blind index,
	// index probe, the sealed row), with no decision, decryption or audit.
	base := make([]time.Duration, 0, n)
	keys := v.Keys()
	for i := 0; i < n; i++ {
		k := rnd.IntN(seedRows)
		t0 := time.Now()
		ids, err := s.m.db.FindPrincipals(context.Background(), keys.BlindIndex("email", fmt.Sprintf("USER%d@example.jp", k)), vault.MaxMatches)
		if err == nil && len(ids) == 1 {
			_, err = s.m.db.GetPrincipal(context.Background(), ids[0])
		}
		base = append(base, time.Since(t0))
		if err != nil || len(ids) != 1 {
			b.Fatalf("baseline lookup %d: %v %v", k, ids, err)
		}
	}
	for _, l := range [][]time.Duration{lat, base} {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(base[len(base)/2].Microseconds())/1000, "baseline-p50-ms")
	b.ReportMetric(float64(seedRows), "principals")
}

// BenchmarkVaultErase100k measures erasing 100,000 principals (keys,
// records, lookups, tombstones and one audit entry each), in calls of
// 10,000.
func BenchmarkVaultErase100k(b *testing.B) {
	s := serveSeed(b, "")
	const n = 100_000
	if len(s.ids) < n {
		b.Skipf("the data set has only %d principals", len(s.ids))
	}
	v := s.m.Server.Vault
	a := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	ids := s.ids[len(s.ids)-n:]
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < n; i += 10000 {
		if err := v.Erase(context.Background(), a, ids[i:i+10000], "benchmark"); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(el.Seconds(), "s/100k")
	// The erased are gone for good.
	if _, err := s.m.db.GetPrincipal(context.Background(), ids[0]); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		b.Fatalf("erased principal still readable: %v", err)
	}
}
