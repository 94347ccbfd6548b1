package web

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"
)

// metrics is a small Prometheus text exposition: request counts and
// latency histograms by route pattern (never by URL, which could carry
// personal data), plus audit and runtime figures.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	hist     map[string]*histogram
	// Extra adds lines for other subsystems (the audit log).
	extra func(w *metricWriter)
}

type reqKey struct {
	route string
	code  int
}

var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, hist: map[string]*histogram{}}
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, code}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.hist[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
}

type metricWriter struct{ w http.ResponseWriter }

func (mw *metricWriter) header(name, typ, help string) {
	fmt.Fprintf(mw.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (mw *metricWriter) value(name, labels string, v float64) {
	if labels != "" {
		labels = "{" + labels + "}"
	}
	fmt.Fprintf(mw.w, "%s%s %s\n", name, labels, strconv.FormatFloat(v, 'g', -1, 64))
}

func (m *metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	mw := &metricWriter{w}
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		return keys[i].code < keys[j].code
	})
	mw.header("hogo_http_requests_total", "counter", "HTTP requests by route pattern and status.")
	for _, k := range keys {
		mw.value("hogo_http_requests_total", fmt.Sprintf("route=%q,code=\"%d\"", k.route, k.code), float64(m.requests[k]))
	}
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	mw.header("hogo_http_request_duration_seconds", "histogram", "HTTP request latency by route pattern.")
	for _, r := range routes {
		h := m.hist[r]
		for i, b := range buckets {
			mw.value("hogo_http_request_duration_seconds_bucket", fmt.Sprintf("route=%q,le=%q", r, strconv.FormatFloat(b, 'g', -1, 64)), float64(h.counts[i]))
		}
		mw.value("hogo_http_request_duration_seconds_bucket", fmt.Sprintf("route=%q,le=\"+Inf\"", r), float64(h.n))
		mw.value("hogo_http_request_duration_seconds_sum", fmt.Sprintf("route=%q", r), h.sum)
		mw.value("hogo_http_request_duration_seconds_count", fmt.Sprintf("route=%q", r), float64(h.n))
	}
	extra := m.extra
	m.mu.Unlock()
	if extra != nil {
		extra(mw)
	}
	mw.header("hogo_goroutines", "gauge", "Goroutines running.")
	mw.value("hogo_goroutines", "", float64(runtime.NumGoroutine()))
}
