package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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

// remoteIP is the client address. X-Forwarded-For is not trusted here: a
// deployment behind a proxy sets the proxy to overwrite RemoteAddr
// (docs/DEPLOY.md).
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
