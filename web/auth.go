package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"hogo.example.jp/hogo"
)

// who is the authenticated caller of a request.
type who struct {
	User  *hogo.User
	Actor hogo.Actor
}

// permission says which roles may call a handler.
type permission func(hogo.Role) bool

func anyRole(hogo.Role) bool     { return true }
func adminOnly(r hogo.Role) bool { return r == hogo.RoleAdmin }

func managerOnly(r hogo.Role) bool { return r == hogo.RoleManager }

// oversight is the roles that see who works with the data and what they
// did: the users and the audit log.
func oversight(r hogo.Role) bool {
	return r == hogo.RoleAdmin || r == hogo.RoleManager || r == hogo.RoleAuditor
}

// behindProxies gives requests that come through a trusted reverse proxy
// the client's address as RemoteAddr, from X-Forwarded-For read from the
// right: the first address that is not a trusted proxy is the client
// (entries to its left were written by the client and prove nothing).
// Audit entries, sessions and rate limits then see the person, not the
// proxy. Requests from anyone else keep their own address, whatever
// header they send.
func (s *Server) behindProxies(h http.Handler) http.Handler {
	if len(s.TrustedProxies) == 0 {
		return h
	}
	trusted := func(a netip.Addr) bool {
		for _, p := range s.TrustedProxies {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err == nil && trusted(peer.Addr()) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break // a malformed hop: keep what is known
				}
				if !trusted(a) {
					r2 := *r
					r2.RemoteAddr = netip.AddrPortFrom(a.Unmap(), 0).String()
					r = &r2
					break
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// remoteIP is the client address: the connection's peer, or, through a
// trusted reverse proxy, the client it names (behindProxies).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type apiHandler func(w http.ResponseWriter, r *http.Request, c *who) error

// api authenticates a bearer token, checks the role and maps errors.
func (s *Server) api(h apiHandler, allowed permission) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		secret, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hogo"`)
			writeError(w, r, hogo.Errorf(hogo.EUNAUTHORIZED, "this API needs an Authorization: Bearer header with a token from hogo token create NAME"))
			return
		}
		u, _, err := s.Staff.Token(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			if hogo.ErrorCode(err) == hogo.EINTERNAL {
				s.Logger.Error("token lookup failed", "route", r.Pattern, "err", errorKind(err))
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="hogo", error="invalid_token"`)
			writeError(w, r, err)
			return
		}
		c := &who{User: u, Actor: hogo.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Remote: remoteIP(r)}}
		if !allowed(u.Role) {
			s.deny(r.Context(), c, r.Pattern)
			writeError(w, r, hogo.Errorf(hogo.EFORBIDDEN, "role %q may not call %s %s", u.Role, r.Method, r.Pattern))
			return
		}
		if err := h(w, r, c); err != nil {
			if hogo.ErrorCode(err) == hogo.EINTERNAL {
				s.Logger.Error("api error", "route", r.Pattern, "err", errorKind(err))
			}
			writeError(w, r, err)
		}
	}
}

// deny audits a refused request: refusals are what an auditor looks for.
func (s *Server) deny(ctx context.Context, c *who, what string) {
	e := c.Actor.Entry("access.denied")
	e.Outcome = hogo.OutcomeDenied
	e.Target = what
	if err := s.Audit.Append(ctx, e); err != nil {
		s.Logger.Error("audit append failed", "action", "access.denied")
	}
}

// errorKind describes an internal error for the log by the types in its
// chain, not its text, which could echo data from the database (a
// PostgreSQL constraint error quotes the offending value).
func errorKind(err error) string {
	var kinds []string
	for e := err; e != nil && len(kinds) < 6; e = errors.Unwrap(e) {
		kinds = append(kinds, fmt.Sprintf("%T", e))
	}
	return strings.Join(kinds, " > ")
}
