package main

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// startServing runs Main until /healthz answers 200 and returns how long
// that took.
func startServing(b *testing.B, cfg Config) (*Main, time.Duration) {
	start := time.Now()
	m := &Main{Config: cfg}
	if err := m.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	resp, err := http.Get(m.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	return m, time.Since(start)
}

// BenchmarkServeStartFirst measures a first start: create the SQLite store,
// migrate, load the demo ledger, create the demo administrator, listen and
// answer /healthz.
func BenchmarkServeStartFirst(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		m, d := startServing(b, Config{Data: b.TempDir(), Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour})
		total += d
		b.StopTimer()
		m.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
}

// BenchmarkServeStart measures a restart on an existing store: open,
// verify the schema, load the stored ledger, listen and answer /healthz.
func BenchmarkServeStart(b *testing.B) {
	data := b.TempDir()
	m, _ := startServing(b, Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour})
	m.Close()
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		m, d := startServing(b, Config{Data: data, Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour})
		total += d
		b.StopTimer()
		m.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/start")
}
