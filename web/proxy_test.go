package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestBehindProxies: through a trusted proxy the client is the rightmost
// address of X-Forwarded-For that is not a proxy; a client's own
// X-Forwarded-For entries, an untrusted peer's header, and a malformed hop
// change nothing.
func TestBehindProxies(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("::1/128")}}
	var seen string
	h := s.behindProxies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = remoteIP(r) }))
	for _, c := range []struct {
		peer, xff, want string
	}{
		{"10.0.0.5:4431", "203.0.113.7", "203.0.113.7"},
		{"10.0.0.5:4431", "198.51.100.1, 203.0.113.7", "203.0.113.7"}, // the client's own entry is not believed
		{"10.0.0.5:4431", "203.0.113.7, 10.0.0.9", "203.0.113.7"},     // two proxies
		{"[::1]:4431", "2001:db8::5", "2001:db8::5"},                  // IPv6
		{"192.0.2.44:5555", "203.0.113.7", "192.0.2.44"},              // not a trusted peer
		{"10.0.0.5:4431", "", "10.0.0.5"},                             // no header
		{"10.0.0.5:4431", "203.0.113.7, not-an-address", "10.0.0.5"},  // malformed hop
		{"10.0.0.5:4431", "10.0.0.7", "10.0.0.5"},                     // only proxies
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if seen != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %s, want %s", c.peer, c.xff, seen, c.want)
		}
	}
	// Without trusted proxies the header is never read.
	plain := (&Server{}).behindProxies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = remoteIP(r) }))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.5:4431"
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	plain.ServeHTTP(httptest.NewRecorder(), r)
	if seen != "10.0.0.5" {
		t.Errorf("without trusted proxies: %s", seen)
	}
}
