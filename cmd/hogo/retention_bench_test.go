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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/sqlite"
)

// The retention figure: a sweep over HOGO_BENCH_RECORDS records (default
// 10,000,000) while the vault keeps serving reads.
//
// The data set: the demo organisation with 2,000 job seekers imported
// through "hogo import" (the principals read during the figure), and then,
// written straight into the store for speed, N/5 further job seekers with
// five records each, whose wrapped keys and sealed records are copies of a
// real one's, so rows have their real sizes. One principal in twenty
// closed their application on 2026-03-01 (six months' retention: due);
// one in twenty on 2026-10-01 (not yet due); the rest have open
// applications (waiting for the event). So 10M records hold 500,000 due
// records of 100,000 principals, each erased whole (crypto-shredding,
// an audit entry each) in one sweep.
//
// The reads: GET /api/v1/principals/{id}?purpose=job_matching of the
// imported principals by 4 clients pacing themselves at 5 ms between
// requests, measured idle for 10 s and then for as long as the sweep runs.

func benchRecords() int {
	if n, err := strconv.Atoi(os.Getenv("HOGO_BENCH_RECORDS")); err == nil && n >= 5 {
		return n
	}
	return 10_000_000
}

// synthesise writes n/5 principals with five job_seeker records each.
func synthesise(b *testing.B, data string, n int) (due int) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, data)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var key, sealed, lookups []byte
	var purposes, notice string
	if err := db.Read.QueryRowContext(ctx, `SELECT p.wrapped_key, r.sealed, r.lookups, r.purposes, r.notice_version FROM principals p JOIN records r ON r.principal_id = p.id LIMIT 1`).
		Scan(&key, &sealed, &lookups, &purposes, &notice); err != nil {
		b.Fatal(err)
	}
	principals := n / 5
	acquired := time.Date(2024, 4, 1, 9, 0, 0, 0, hogo.Tokyo).UnixNano()
	const chunk = 50_000
	for start := 0; start < principals; start += chunk {
		end := min(start+chunk, principals)
		tx, err := db.Write.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		// IDs in the vault's alphabet, 26 characters, after the real ones.
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $2)
			INSERT INTO principals (id, wrapped_key, created_at, updated_at) SELECT printf('zz%024d', i), $3, $4, $4 FROM s`,
			start, end, key, acquired); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $2),
			k(j) AS (VALUES (1), (2), (3), (4), (5))
			INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, created_at, updated_at, events)
			SELECT printf('zz%024d', i), printf('r%025d', j), 'job_seeker', 'web_form', $3 + j * 86400000000000, $4, $5, $6, x'', $3, $3,
				CASE i % 20 WHEN 0 THEN 'application_closed=2026-03-01' WHEN 1 THEN 'application_closed=2026-10-01' ELSE '' END
			FROM s, k ORDER BY 1, 2`, start, end, acquired, purposes, notice, sealed); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	_ = lookups
	if _, err := db.Write.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return (principals + 19) / 20 * 5
}

var (
	retOnce sync.Once
	retDir  string
	retDue  int
	retErr  error
	retMake time.Duration
)

func retentionSeed(b *testing.B) string {
	retOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hogo-bench-retention-")
		if err != nil {
			retErr = err
			return
		}
		retDir = dir
		data := filepath.Join(dir, "data")
		m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour}}
		if retErr = m.Run(context.Background()); retErr != nil {
			return
		}
		m.Close()
		csv := filepath.Join(dir, "seekers.csv")
		if retErr = writeSJIS(csv, 2000); retErr != nil {
			return
		}
		var out, errb strings.Builder
		if code := run(context.Background(), []string{"import", "--data", data, "--category", "job_seeker", "--source", "paper_form", "--purpose", "job_matching", csv},
			&stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != 0 {
			retErr = fmt.Errorf("import: %s %s", out.String(), errb.String())
			return
		}
		start := time.Now()
		retDue = synthesise(b, data, benchRecords())
		retMake = time.Since(start)
	})
	if retErr != nil {
		b.Fatal(retErr)
	}
	return retDir
}

// pacedReads reads principals from clients goroutines, each waiting pace
// between requests, until stop is closed; it returns the latencies.
func pacedReads(b *testing.B, s *served, clients int, pace time.Duration, stop <-chan struct{}) []time.Duration {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	lat := make([][]time.Duration, clients)
	var failed atomic.Value
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c), 11))
			for {
				select {
				case <-stop:
					return
				case <-time.After(pace):
				}
				r, _ := http.NewRequest("GET", s.m.URL+"/api/v1/principals/"+s.ids[rnd.IntN(len(s.ids))]+"?purpose=job_matching", nil)
				r.Header.Set("Authorization", "Bearer "+s.token)
				t0 := time.Now()
				resp, err := client.Do(r)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Store(fmt.Sprintf("status %d", resp.StatusCode))
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatalf("reads: %v", f)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all
}

func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(float64(len(l))*p))]
}

// BenchmarkRetentionSweep10M: one sweep, run as a job by the server, over
// the data set; reads measured idle, then while it runs.
func BenchmarkRetentionSweep10M(b *testing.B) {
	dir := retentionSeed(b)
	s := serveConfig(b, Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour})
	var real []string
	for _, id := range s.ids {
		if !strings.HasPrefix(id, "zz") {
			real = append(real, id)
		}
	}
	s.ids = real
	const clients, pace = 4, 5 * time.Millisecond
	// HOGO_BENCH_YIELD and HOGO_BENCH_BATCH_MS set the sweep's pacing
	// (retention.Yield, retention.BatchTarget) for this run.
	if y, err := strconv.ParseFloat(os.Getenv("HOGO_BENCH_YIELD"), 64); err == nil {
		saved := retention.Yield
		retention.Yield = y
		defer func() { retention.Yield = saved }()
	}
	if ms, err := strconv.Atoi(os.Getenv("HOGO_BENCH_BATCH_MS")); err == nil && ms > 0 {
		saved := retention.BatchTarget
		retention.BatchTarget = time.Duration(ms) * time.Millisecond
		defer func() { retention.BatchTarget = saved }()
	}
	// Idle.
	stop := make(chan struct{})
	time.AfterFunc(10*time.Second, func() { close(stop) })
	idle := pacedReads(b, s, clients, pace, stop)
	// The sweep, with the same reads.
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	ctx := context.Background()
	stop = make(chan struct{})
	var during []time.Duration
	done := make(chan struct{})
	go func() { during = pacedReads(b, s, clients, pace, stop); close(done) }()
	b.ResetTimer()
	start := time.Now()
	j, err := s.m.Server.Retention.RequestSweep(ctx, mgr, "代表取締役 日野 出")
	if err != nil {
		b.Fatal(err)
	}
	j, err = jobs.Wait(ctx, s.m.db, j.ID, 20*time.Millisecond)
	took := time.Since(start)
	b.StopTimer()
	close(stop)
	<-done
	if err != nil || j.State != hogo.JobDone {
		b.Fatalf("sweep job: %+v %v", j, err)
	}
	ds, err := s.m.db.ListDisposals(ctx, 1)
	if err != nil || len(ds) != 1 || ds[0].Records != retDue {
		b.Fatalf("disposal: %+v (want %d records) %v", ds, retDue, err)
	}
	b.ReportMetric(took.Seconds(), "sweep-s")
	b.ReportMetric(float64(benchRecords()), "records")
	b.ReportMetric(float64(ds[0].Records), "erased-records")
	b.ReportMetric(float64(ds[0].Principals), "erased-principals")
	b.ReportMetric(float64(pct(idle, 0.99).Microseconds())/1000, "idle-p99-ms")
	b.ReportMetric(float64(pct(during, 0.99).Microseconds())/1000, "sweep-p99-ms")
	b.ReportMetric(float64(pct(idle, 0.5).Microseconds())/1000, "idle-p50-ms")
	b.ReportMetric(float64(pct(during, 0.5).Microseconds())/1000, "sweep-p50-ms")
	b.ReportMetric(float64(pct(during, 0.99))/float64(pct(idle, 0.99)), "p99-ratio")
	b.ReportMetric(float64(len(during))/took.Seconds(), "reads/s")
	b.ReportMetric(retMake.Seconds(), "setup-s")
	b.ReportMetric(retention.Yield, "yield")
	b.ReportMetric(float64(retention.BatchTarget.Milliseconds()), "batch-target-ms")
}
