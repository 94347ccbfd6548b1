package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/vault"
)

// The consent and provision figures run over the vault benchmarks' data
// set (HOGO_BENCH_PRINCIPALS principals, default 1,000,000).

// consentAll records, from several goroutines so that the audit log
// groups their commits, a consent of each principal to purposes and
// recipients.
func consentAll(b *testing.B, v *vault.Service, ids []string, in vault.ConsentInput) {
	a := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(ids); i += 16 {
				if _, err := v.GiveConsent(context.Background(), a, ids[i], in); err != nil {
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
}

// BenchmarkConsentReadHTTP measures what consent checks cost the vault's
// reads: the HTTP read (GET /api/v1/principals/{id}?purpose=…, a manager's
// token, decision, decryption, audit) of 20,000 principals who each have a
// consent on record, for the purpose that needs it (marketing), against
// the same read of 20,000 others who have none, for a purpose that needs
// none (job_matching: the baseline). Both sets are warmed first, and the
// two loads alternate three times, so that drift (caches, the write-ahead
// log) falls on both alike.
func BenchmarkConsentReadHTTP(b *testing.B) {
	s := serveSeed(b, "")
	const n = 20_000
	if len(s.ids) < 3*n {
		b.Skipf("the data set has only %d principals", len(s.ids))
	}
	with, without := s.ids[n:2*n], s.ids[2*n:3*n]
	d, clients := benchDuration(), benchClients()
	read := func(ids []string, purpose string, d time.Duration) float64 {
		rps, _, _ := load(b, clients, d, func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest("GET", s.m.URL+"/api/v1/principals/"+ids[rnd.IntN(len(ids))]+"?purpose="+purpose, nil)
			r.Header.Set("Authorization", "Bearer "+s.token)
			return r
		})
		return rps
	}
	read(with, "job_matching", d/2)
	read(without, "job_matching", d/2)
	consentAll(b, s.m.Server.Vault, with, vault.ConsentInput{Purposes: []string{"marketing"}, Method: hogo.ConsentWebForm})
	if _, err := s.m.db.Write.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	var base, rps float64
	b.ResetTimer()
	for round := 0; round < 3; round++ {
		base += read(without, "job_matching", d/2) / 3
		rps += read(with, "marketing", d/2) / 3
	}
	b.StopTimer()
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(base, "baseline-req/s")
	b.ReportMetric(100*(1-rps/base), "cost-%")
	b.ReportMetric(float64(seedRows), "principals")
}

// BenchmarkProvision10k measures one provision of 10,000 principals, each
// with a consent to the recipient: the rules, every principal read with
// its consents and stops and decrypted, the decision, the export (CSV),
// the sealed record and the audit entries (one per principal), committed.
// The baseline is reading the same principals from the store alone.
func BenchmarkProvision10k(b *testing.B) {
	s := serveSeed(b, "")
	const n = 10_000
	if len(s.ids) < 3*n {
		b.Skipf("the data set has only %d principals", len(s.ids))
	}
	ids := s.ids[len(s.ids)-3*n : len(s.ids)-2*n]
	consentAll(b, s.m.Server.Vault, ids, vault.ConsentInput{Recipients: []string{"client_company"}, Method: hogo.ConsentWebForm})
	staff := hogo.Actor{UserID: 4, Name: "recruiter", Role: hogo.RoleStaff}
	ctx := context.Background()
	var took, base []time.Duration
	b.ResetTimer()
	for i := 0; i < max(b.N, 3); i++ {
		t0 := time.Now()
		rec, err := s.m.Server.Provisions.Provide(ctx, staff, provision.Input{Recipient: "client_company", Principals: ids,
			Items: []string{"name", "email", "qualifications"}, Basis: hogo.ProvisionConsent})
		took = append(took, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if rec.Count != n {
			b.Fatalf("provided %d", rec.Count)
		}
		b.StopTimer()
		t0 = time.Now()
		for _, id := range ids {
			if _, err := s.m.db.GetPrincipal(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
		base = append(base, time.Since(t0))
		b.StartTimer()
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	b.ReportMetric(took[len(took)/2].Seconds(), "s/10k")
	b.ReportMetric(base[len(base)/2].Seconds(), "baseline-s")
	b.ReportMetric(float64(seedRows), "principals")
}

// BenchmarkIncidentCount measures counting the principals an incident
// concerns among the data set: by category, and by category and an
// acquisition date range, straight from the records (no decryption).
func BenchmarkIncidentCount(b *testing.B) {
	s := serveSeed(b, "")
	ctx := context.Background()
	var whole, ranged []time.Duration
	b.ResetTimer()
	for i := 0; i < max(b.N, 5); i++ {
		t0 := time.Now()
		n, err := s.m.db.CountAffected(ctx, []string{"job_seeker"}, time.Time{}, time.Time{}, nil)
		whole = append(whole, time.Since(t0))
		if err != nil || n < seedRows {
			b.Fatalf("counted %d: %v", n, err)
		}
		now := time.Now()
		t0 = time.Now()
		if _, err := s.m.db.CountAffected(ctx, []string{"job_seeker"}, now.Add(-24*time.Hour), now, nil); err != nil {
			b.Fatal(err)
		}
		ranged = append(ranged, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(whole, func(i, j int) bool { return whole[i] < whole[j] })
	sort.Slice(ranged, func(i, j int) bool { return ranged[i] < ranged[j] })
	b.ReportMetric(float64(whole[len(whole)/2].Microseconds())/1000, "ms/category")
	b.ReportMetric(float64(ranged[len(ranged)/2].Microseconds())/1000, "ms/category+range")
	b.ReportMetric(float64(seedRows), "principals")
}
