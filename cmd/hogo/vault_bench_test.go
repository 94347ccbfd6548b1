package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
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

// seed makes the shared data set: the demo's first start, then the import.
func seed(b *testing.B) string {
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hogo-bench-vault-")
		if err != nil {
			seedErr = err
			return
		}
		seedDir = dir
		seedRows = benchPrincipals()
		seedTime, seedErr = makeOrg(context.Background(), Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}, dir, 0, seedRows)
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedDir
}

// BenchmarkVaultImportSJIS reports the import that made the data set:
// N rows × 8 items of Shift_JIS CSV, checked, encrypted (a data key per
// principal), indexed and audited, through "hogo import"; and its
// baseline, measured once in the same run on the same store (rawImport,
// as "hogo bench import"): the same CSV read and its rows INSERTed in
// plain JSON, as many a transaction, and deleted after.
func BenchmarkVaultImportSJIS(b *testing.B) {
	dir := seed(b)
	rawOnce.Do(func() {
		rawTime, rawErr = rawImport(context.Background(), Config{Data: filepath.Join(dir, "data")}, dir, 0, seedRows)
	})
	if rawErr != nil {
		b.Fatal(rawErr)
	}
	b.ReportMetric(seedTime.Seconds(), "s/import")
	b.ReportMetric(float64(seedRows)/seedTime.Seconds(), "rows/s")
	b.ReportMetric(rawTime.Seconds(), "baseline-s")
	b.ReportMetric(float64(seedRows)/rawTime.Seconds(), "baseline-rows/s")
	b.ReportMetric(rawTime.Seconds()/seedTime.Seconds(), "ratio")
	b.ReportMetric(float64(seedRows), "rows")
}

var (
	rawOnce sync.Once
	rawTime time.Duration
	rawErr  error
)

func serveSeed(b *testing.B, dbURL string) *served {
	dir := seed(b)
	return serveConfig(b, Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour})
}

func serveConfig(b *testing.B, cfg Config) *served {
	s, err := serveBench(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.m.Close() })
	return s
}

// load runs runLoad for a benchmark.
func load(b *testing.B, clients int, d time.Duration, req func(rnd *rand.Rand) *http.Request) (rps float64, p50, p99 time.Duration) {
	r, err := runLoad(context.Background(), clients, d, req)
	if err != nil {
		b.Fatal(err)
	}
	return r.RPS, r.P50, r.P99
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
	return defaultBenchClients
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
	e0, b0 := s.m.log.Stats()
	api, base, err := benchReadLoads(context.Background(), s, benchLoad{clients: benchClients(), d: benchDuration()})
	if err != nil {
		b.Fatal(err)
	}
	// The baseline (a bare handler reading the same row) appends nothing.
	e1, b1 := s.m.log.Stats()
	if b1 > b0 {
		b.ReportMetric(float64(e1-e0)/float64(b1-b0), "audit-entries/commit")
	}
	b.ReportMetric(api.RPS, "req/s")
	b.ReportMetric(float64(api.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(api.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(base.RPS, "baseline-req/s")
	b.ReportMetric(float64(base.P50.Microseconds())/1000, "baseline-p50-ms")
	b.ReportMetric(float64(base.P99.Microseconds())/1000, "baseline-p99-ms")
	b.ReportMetric(api.RPS/base.RPS, "ratio")
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
		// The benchmarks of the process share the schema; it is not dropped.
		if pgCfg, _, pgErr = pgBenchConfig(context.Background(), base, dir); pgErr != nil {
			return
		}
		pgTime, pgErr = makeOrg(context.Background(), pgCfg, dir, 0, pgRows)
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
// 10,000, against the baseline in the same run (benchErase, as "hogo bench
// erase"): DELETEing 100,000 other principals' record and principal rows,
// 10,000 a transaction.
func BenchmarkVaultErase100k(b *testing.B) {
	s := serveSeed(b, "")
	const n = 100_000
	ids, err := principalIDs(context.Background(), s.m, 2*n)
	if err != nil {
		b.Fatal(err)
	}
	if len(ids) < 2*n {
		b.Skipf("the data set has only %d principals (%d needed)", len(ids), 2*n)
	}
	b.ResetTimer()
	api, base, err := benchErase(context.Background(), s, ids, benchEraseBatch)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(api.Seconds(), "s/100k")
	b.ReportMetric(base.Seconds(), "baseline-s/100k")
	b.ReportMetric(base.Seconds()/api.Seconds(), "ratio")
}
