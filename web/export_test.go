package web

import "time"

// SetPortalLimit replaces the portal's per-address limit (10 an hour), so
// that a fuzzer from one address reaches the forms' checks rather than the
// limit; the limit itself is tested through HTTP in security_more_test.go.
func SetPortalLimit(s *Server, n int) { s.portalLimiter = newLimiter(n, time.Hour) }
