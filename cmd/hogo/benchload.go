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
// token and the IDs of up to 100,000 of its principals.
type served struct {
	m     *Main
	token string
	ids   []string
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
	after := ""
	for len(s.ids) < 100000 {
		keys, err := m.db.PrincipalKeys(ctx, after, 5000)
		if err != nil {
			return s, err
		}
		if len(keys) == 0 {
			break
		}
		for _, k := range keys {
			s.ids = append(s.ids, k.ID)
		}
		after = keys[len(keys)-1].ID
	}
	return s, nil
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
