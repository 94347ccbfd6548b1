package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo"
)

// defaultBenchClients is the number of closed-loop HTTP clients of "hogo
// bench" and of the whole-system benchmarks.
const defaultBenchClients = 32

// loadResult is what a load measured.
type loadResult struct {
	Requests int64
	Elapsed  time.Duration
	RPS      float64
	P50, P99 time.Duration
}

// runLoad runs clients goroutines for d (or until ctx ends), each sending
// the requests req makes one after another over keep-alive connections,
// and returns the completed requests per second and the latency
// percentiles. A response that is not 2xx, or a failed request, fails the
// load.
func runLoad(ctx context.Context, clients int, d time.Duration, req func(rnd *rand.Rand) *http.Request) (loadResult, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true,
		DialContext: (&net.Dialer{KeepAlive: time.Minute}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var n atomic.Int64
	lat := make([][]time.Duration, clients)
	start := time.Now()
	stop := start.Add(d)
	var wg sync.WaitGroup
	var failed atomic.Value
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c), 7))
			for time.Now().Before(stop) && ctx.Err() == nil && failed.Load() == nil {
				r := req(rnd).WithContext(ctx)
				t0 := time.Now()
				resp, err := client.Do(r)
				if err != nil {
					if ctx.Err() == nil {
						failed.Store(err.Error())
					}
					return
				}
				if resp.StatusCode/100 != 2 {
					// Error bodies are composed by hogo and name no one.
					body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
					resp.Body.Close()
					failed.Store(fmt.Sprintf("%s %s: status %d: %s", r.Method, r.URL.Path, resp.StatusCode, body))
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[c] = append(lat[c], time.Since(t0))
				n.Add(1)
			}
		}(c)
	}
	wg.Wait()
	el := time.Since(start)
	if f := failed.Load(); f != nil {
		return loadResult{}, fmt.Errorf("load: %v", f)
	}
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return loadResult{}, errors.New("load: no request completed")
	}
	slices.Sort(all)
	return loadResult{Requests: n.Load(), Elapsed: el, RPS: float64(n.Load()) / el.Seconds(),
		P50: all[len(all)/2], P99: all[len(all)*99/100]}, nil
}

// served is a server over a synthetic organisation, with a manager's API
// token and the IDs of up to 100,000 of its principals. With more nodes
// (serveNodes), the loads spread their requests over them round-robin.
type served struct {
	m     *Main
	token string
	ids   []string
	// urls are the nodes' base URLs, m's first; nil means m's alone.
	urls []string
	rr   atomic.Uint64
	// more are the nodes beside m (serveNodes).
	more []*Main
}

// auditStats sums the audit log's entries and commits over the nodes.
func (s *served) auditStats() (entries, commits int64) {
	for _, m := range append([]*Main{s.m}, s.more...) {
		e, c := m.log.Stats()
		entries, commits = entries+e, commits+c
	}
	return entries, commits
}

// url is the base URL of the node the next request goes to.
func (s *served) url() string {
	if len(s.urls) < 2 {
		return s.m.URL
	}
	return s.urls[(s.rr.Add(1)-1)%uint64(len(s.urls))]
}

// serveNodes starts n-1 further server nodes on cfg's PostgreSQL schema,
// each a Main on a port of its own, beside s.m; the loads then spread
// their requests over the n nodes. The function returned stops the
// further nodes; on an error what started is stopped.
func serveNodes(ctx context.Context, s *served, cfg Config, n int) (func(), error) {
	s.urls = []string{s.m.URL}
	stop := func() {
		for _, m := range s.more {
			m.Close()
		}
	}
	for range n - 1 {
		c := cfg
		c.Demo, c.Migrate, c.Addr = false, false, "127.0.0.1:0"
		m := &Main{Config: c}
		if err := m.Run(ctx); err != nil {
			m.Close()
			stop()
			return nil, err
		}
		s.more = append(s.more, m)
		s.urls = append(s.urls, m.URL)
	}
	return stop, nil
}

// serveBench starts a server on cfg, makes a manager's token and gathers
// principal IDs; the caller closes s.m. On an error what started is
// stopped and s is nil.
func serveBench(ctx context.Context, cfg Config) (s *served, err error) {
	m := &Main{Config: cfg}
	defer func() {
		if err != nil {
			m.Close() // what started is stopped; the caller gets nothing to close
			s = nil
		}
	}()
	s = &served{m: m}
	if err := m.Run(ctx); err != nil {
		return s, err
	}
	secret, _, err := m.Server.Staff.CreateToken(ctx, hogo.SystemActor, "manager", "bench", 0)
	if err != nil {
		return s, err
	}
	s.token = secret
	s.ids, err = principalIDs(ctx, m, 100000)
	return s, err
}

// principalIDs are the IDs of up to limit of m's principals, in order.
func principalIDs(ctx context.Context, m *Main, limit int) ([]string, error) {
	var ids []string
	after := ""
	for len(ids) < limit {
		keys, err := m.db.PrincipalKeys(ctx, after, min(5000, limit-len(ids)))
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			break
		}
		for _, k := range keys {
			ids = append(ids, k.ID)
		}
		after = keys[len(keys)-1].ID
	}
	return ids, nil
}

// pacedReads reads s's principals (ids) from clients goroutines, each
// waiting pace between requests, until stop is closed, and returns the
// latencies, sorted.
func pacedReads(ctx context.Context, s *served, ids []string, clients int, pace time.Duration, stop <-chan struct{}) ([]time.Duration, error) {
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
				case <-ctx.Done():
					return
				case <-time.After(pace):
				}
				r, _ := http.NewRequestWithContext(ctx, "GET", s.url()+"/api/v1/principals/"+ids[rnd.IntN(len(ids))]+"?purpose=job_matching", nil)
				r.Header.Set("Authorization", "Bearer "+s.token)
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
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		return nil, fmt.Errorf("reads: %v", f)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	return all, nil
}

// pct is the p-th quantile (0 to 1) of the sorted latencies l.
func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(float64(len(l))*p))]
}

// serveRaw serves h on a loopback port of its own, for the baselines: a
// bare handler with no token, check, encryption or audit. It returns the
// base URL and the function that stops it.
func serveRaw(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
