package main

import (
	"context"
	"sort"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/requests"
)

// The rights-request figures run over the vault benchmarks' data set
// (HOGO_BENCH_PRINCIPALS principals, default 1,000,000): the answer to a
// request, from the decisions taken to the mail handed to a real SMTP
// server on loopback.

// readyRequestB is readyRequest for a benchmark.
func readyRequestB(b *testing.B, rs *requests.Service, desk hogo.Actor, principal string, types []string) string {
	id, err := readyRequest(context.Background(), rs, desk, principal, types)
	if err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkRequestDisclosure measures answering a disclosure request of a
// principal holding 10,000 records among the data set: every record read
// and decrypted, the use log gathered, the letter (PDF) rendered, the
// archive (JSON, CSV, PDF, signed manifest) built, sealed and stored, and
// the download link mailed. The baseline, measured in the same run, is
// reading the same principal's sealed rows from the store alone.
func BenchmarkRequestDisclosure(b *testing.B) {
	s := serveSeed(b, "")
	relay := smtptest.Start(b)
	ctx := context.Background()
	b.ResetTimer()
	res, err := benchDisclosure(ctx, s, &mail.Sender{Addr: relay.Addr(), TLS: "none"}, 10_000, max(b.N, 3))
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := relay.Wait(ctx, len(res.Took)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(res.Took[len(res.Took)/2].Microseconds())/1000, "ms/answer")
	b.ReportMetric(float64(res.Base[len(res.Base)/2].Microseconds())/1000, "baseline-ms")
	b.ReportMetric(float64(res.Records), "records")
	b.ReportMetric(float64(res.Archive)/1e6, "archive-MB")
	b.ReportMetric(float64(seedRows), "principals")
}

// BenchmarkRequestPurposeNotification measures answering a purpose
// notification for a principal of the data set: the principal read, the
// purposes gathered, the letter rendered, stored and mailed. The baseline
// is the principal's read from the store alone.
func BenchmarkRequestPurposeNotification(b *testing.B) {
	s := serveSeed(b, "")
	relay := smtptest.Start(b)
	rs := s.m.Server.Requests
	rs.Mailer = &mail.Sender{Addr: relay.Addr(), TLS: "none"}
	ctx := context.Background()
	desk, err := deskOf(ctx, s.m)
	if err != nil {
		b.Fatal(err)
	}
	var took, base []time.Duration
	n := max(b.N, 20)
	b.ResetTimer()
	for i := 0; i < n; i++ {
		pid := s.ids[(i*7919)%len(s.ids)]
		b.StopTimer()
		id := readyRequestB(b, rs, desk, pid, []string{"notify_purpose"})
		b.StartTimer()
		t0 := time.Now()
		if err := rs.Respond(ctx, desk, id); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		b.StopTimer()
		t0 = time.Now()
		if _, err := s.m.db.GetPrincipal(ctx, pid); err != nil {
			b.Fatal(err)
		}
		base = append(base, time.Since(t0))
		b.StartTimer()
	}
	b.StopTimer()
	if _, err := relay.Wait(ctx, n); err != nil {
		b.Fatal(err)
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "p90-ms")
	b.ReportMetric(float64(base[len(base)/2].Microseconds())/1000, "baseline-ms")
	b.ReportMetric(float64(seedRows), "principals")
}
