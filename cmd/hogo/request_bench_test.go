package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/vault"
)

// The rights-request figures run over the vault benchmarks' data set
// (HOGO_BENCH_PRINCIPALS principals, default 1,000,000): the answer to a
// request, from the decisions taken to the mail handed to a real SMTP
// server on loopback.

// readyRequest records a request for principal and takes it to the point
// of answering: verified, paid, matched, every type granted.
func readyRequest(b *testing.B, rs *requests.Service, desk hogo.Actor, principal string, types []string) string {
	ctx := context.Background()
	rc, err := rs.Receive(ctx, desk, requests.Intake{Types: types, Channel: "post", ResponseMethod: "email",
		Requester: requests.Requester{Kind: "principal", Name: "山田 太郎", Email: "taro@example.jp"}})
	if err != nil {
		b.Fatal(err)
	}
	if err := rs.RecordCheck(ctx, desk, rc.ID, requests.Check{Method: requests.CheckDocument, Documents: []string{"driver_licence"}, Passed: true}); err != nil {
		b.Fatal(err)
	}
	d, err := rs.Get(ctx, desk, rc.ID)
	if err != nil {
		b.Fatal(err)
	}
	if d.FeeDue > 0 {
		if err := rs.RecordPayment(ctx, desk, rc.ID, requests.Payment{Method: "bank_transfer", Amount: d.FeeDue}); err != nil {
			b.Fatal(err)
		}
	}
	if err := rs.Match(ctx, desk, rc.ID, principal); err != nil {
		b.Fatal(err)
	}
	for _, t := range types {
		if err := rs.Decide(ctx, desk, rc.ID, requests.DecisionInput{Type: t, Outcome: requests.Granted}); err != nil {
			b.Fatal(err)
		}
	}
	return rc.ID
}

func deskOf(b *testing.B, m *Main) hogo.Actor {
	u, err := m.db.FindUserByName(context.Background(), "desk")
	if err != nil {
		b.Fatal(err)
	}
	return hogo.Actor{UserID: u.ID, Name: u.Name, Role: hogo.RoleDesk}
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
	rs := s.m.Server.Requests
	rs.Mailer = &mail.Sender{Addr: relay.Addr(), TLS: "none"}
	desk := deskOf(b, s.m)
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	ctx := context.Background()
	pid := s.ids[len(s.ids)/2]
	p, err := s.m.db.GetPrincipal(ctx, pid)
	if err != nil {
		b.Fatal(err)
	}
	const records = 10_000
	// Add records from several goroutines, so that the audit log groups
	// their commits.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	missing := records - len(p.Records)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < missing; i += 8 {
				_, err := s.m.Server.Vault.AddRecord(ctx, mgr, pid, vault.NewRecord{Use: vault.Use{Purpose: "job_matching"}, Category: "job_seeker",
					Source: "paper_form", Items: map[string]string{"name": "山田 太郎", "name_kana": "ヤマダ タロウ",
						"email": fmt.Sprintf("taro%d.%d@example.jp", g, i), "phone": "090-1234-5678", "qualifications": "普通自動車第一種運転免許"}})
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	if p, err = s.m.db.GetPrincipal(ctx, pid); err != nil {
		b.Fatal(err)
	}
	held := len(p.Records)

	var took, base []time.Duration
	var archive int64
	b.ResetTimer()
	for i := 0; i < max(b.N, 3); i++ {
		b.StopTimer()
		id := readyRequest(b, rs, desk, pid, []string{"disclose"})
		b.StartTimer()
		t0 := time.Now()
		if err := rs.Respond(ctx, desk, id); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		b.StopTimer()
		d, err := rs.Get(ctx, desk, id)
		if err != nil || d.Status != hogo.RequestAnswered {
			b.Fatalf("not answered: %v", err)
		}
		for _, f := range d.Files {
			if f.Kind == hogo.FileAnswerArchive {
				archive = f.Size
			}
		}
		t0 = time.Now()
		if _, err := s.m.db.GetPrincipal(ctx, pid); err != nil {
			b.Fatal(err)
		}
		base = append(base, time.Since(t0))
		b.StartTimer()
	}
	b.StopTimer()
	if _, err := relay.Wait(ctx, len(took)); err != nil {
		b.Fatal(err)
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms/answer")
	b.ReportMetric(float64(base[len(base)/2].Microseconds())/1000, "baseline-ms")
	b.ReportMetric(float64(held), "records")
	b.ReportMetric(float64(archive)/1e6, "archive-MB")
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
	desk := deskOf(b, s.m)
	ctx := context.Background()
	var took, base []time.Duration
	n := max(b.N, 20)
	b.ResetTimer()
	for i := 0; i < n; i++ {
		pid := s.ids[(i*7919)%len(s.ids)]
		b.StopTimer()
		id := readyRequest(b, rs, desk, pid, []string{"notify_purpose"})
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
