package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo/retention"
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
		if _, retErr = makeOrg(context.Background(), Config{Data: data, Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}, dir, 0, 2000); retErr != nil {
			return
		}
		start := time.Now()
		retDue, retErr = synthesise(context.Background(), data, benchRecords())
		retMake = time.Since(start)
	})
	if retErr != nil {
		b.Fatal(retErr)
	}
	return retDir
}

// BenchmarkRetentionSweep10M: one sweep, run as a job by the server, over
// the data set; reads measured idle, then while it runs.
func BenchmarkRetentionSweep10M(b *testing.B) {
	dir := retentionSeed(b)
	s := serveConfig(b, Config{Data: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour})
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
	// Idle for 10 s, then during the sweep (benchSweep, as "hogo bench sweep").
	b.ResetTimer()
	res, err := benchSweep(context.Background(), s, 10*time.Second, clients, pace)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	d, took, idle, during := res.Disposal, res.Took, res.Idle, res.During
	if d.Records != retDue {
		b.Fatalf("disposal: %+v (want %d records)", d, retDue)
	}
	b.ReportMetric(took.Seconds(), "sweep-s")
	b.ReportMetric(float64(benchRecords()), "records")
	b.ReportMetric(float64(d.Records), "erased-records")
	b.ReportMetric(float64(d.Principals), "erased-principals")
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
