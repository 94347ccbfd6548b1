// Package web serves hogo over HTTP: the JSON API under /api/v1 (bearer
// tokens), the staff console under /console/ (sessions) and the public portal
// at /. The API and the console are two handlers over the same services; only
// this package maps domain error codes to HTTP statuses.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/processor"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/staff"
	"hogo.example.jp/hogo/vault"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed openapi.json
var openAPI []byte

// LedgerState is the active ledger with its source.
type LedgerState struct {
	Ledger *ledger.Ledger
	YAML   []byte
	Digest string
}

// Server is the HTTP side of hogo.
type Server struct {
	Store hogo.Store
	Staff *staff.Service
	Audit *audit.Log
	// Vault holds the personal data; nil when no master keys are given.
	Vault *vault.Service
	// Requests receives and keeps rights requests.
	Requests *requests.Service
	// Provisions provides personal data to third parties and records it.
	Provisions *provision.Service
	// Incidents is the register of leaks and other incidents.
	Incidents *breach.Service
	Logger    *slog.Logger
	Now       func() time.Time
	// SecureCookies marks cookies Secure; on by default behind TLS.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed (docs/DEPLOY.md); from anyone else it is ignored.
	TrustedProxies []netip.Prefix
	// Processors keeps the processor register (APPI Art. 25).
	Processors *processor.Service
	// Receipts records personal data received (APPI Art. 30).
	Receipts *receipt.Service
	// Datasets creates anonymised information and publishes its item
	// categories (APPI Art. 43).
	Datasets *datasets.Service
	// Complaints is the complaint desk (APPI Art. 40).
	Complaints *complaint.Service
	// Retention erases data whose retention ended (APPI Art. 22) and
	// keeps holds and disposal records; its sweeps run as Jobs.
	Retention *retention.Service
	// Jobs runs background work on this node.
	Jobs *jobs.Worker

	// noticeNums caches which notice version each ledger digest showed.
	noticeNums sync.Map
	ledger     atomic.Pointer[LedgerState]
	tmpl       map[string]*template.Template
	metrics    *metrics
	limiter    *limiter
	// portalLimiter bounds requests and look-ups from one address on the
	// public portal: it is open to anyone, and receipt numbers must not be
	// guessed.
	portalLimiter *limiter
	ready         atomic.Bool
	pending       pendingImports
}

// NewServer returns a server over the given services.
func NewServer(store hogo.Store, st *staff.Service, log *audit.Log, logger *slog.Logger) *Server {
	s := &Server{Store: store, Staff: st, Audit: log, Logger: logger, Now: time.Now,
		metrics: newMetrics(), limiter: newLimiter(10, time.Minute), portalLimiter: newLimiter(10, time.Hour)}
	s.tmpl = parseTemplates()
	s.metrics.extra = func(mw *metricWriter) {
		entries, batches := log.Stats()
		mw.header("hogo_audit_entries_total", "counter", "Audit entries written by this process.")
		mw.value("hogo_audit_entries_total", "", float64(entries))
		mw.header("hogo_audit_batches_total", "counter", "Audit transactions (group commits) by this process.")
		mw.value("hogo_audit_batches_total", "", float64(batches))
	}
	return s
}

// SetLedger makes l the active ledger.
func (s *Server) SetLedger(st *LedgerState) { s.ledger.Store(st) }

// Ledger returns the active ledger, or nil.
func (s *Server) Ledger() *LedgerState { return s.ledger.Load() }

// SetReady marks the server ready for /healthz.
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

type route struct {
	method, pattern string
	handler         http.HandlerFunc
}

// apiRoutes is the JSON API; openapi.json must list exactly these.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", s.apiOpenAPI},
		{"GET", "/api/v1/me", s.api(s.apiMe, anyRole)},
		{"GET", "/api/v1/ledger", s.api(s.apiLedger, anyRole)},
		{"GET", "/api/v1/ledger/export", s.api(s.apiLedgerExport, anyRole)},
		{"GET", "/api/v1/users", s.api(s.apiUsers, oversight)},
		{"POST", "/api/v1/users", s.api(s.apiCreateUser, adminOnly)},
		{"PATCH", "/api/v1/users/{id}", s.api(s.apiUpdateUser, adminOnly)},
		{"POST", "/api/v1/users/{id}/password", s.api(s.apiResetPassword, adminOnly)},
		{"POST", "/api/v1/users/{id}/tokens", s.api(s.apiCreateToken, adminOnly)},
		{"GET", "/api/v1/tokens", s.api(s.apiTokens, adminOnly)},
		{"DELETE", "/api/v1/tokens/{id}", s.api(s.apiRevokeToken, adminOnly)},
		{"GET", "/api/v1/audit", s.api(s.apiAudit, oversight)},
		{"POST", "/api/v1/audit/verify", s.api(s.apiAuditVerify, oversight)},
		{"GET", "/api/v1/audit/checkpoints", s.api(s.apiCheckpoints, oversight)},
		{"POST", "/api/v1/principals", s.api(s.apiCreatePrincipal, anyRole)},
		{"GET", "/api/v1/principals", s.api(s.apiFindPrincipals, anyRole)},
		{"POST", "/api/v1/principals/search", s.api(s.apiSearchPrincipals, anyRole)},
		{"GET", "/api/v1/principals/{id}", s.api(s.apiGetPrincipal, anyRole)},
		{"DELETE", "/api/v1/principals/{id}", s.api(s.apiErasePrincipal, anyRole)},
		{"POST", "/api/v1/principals/{id}/records", s.api(s.apiAddRecord, anyRole)},
		{"PATCH", "/api/v1/principals/{id}/records/{rid}", s.api(s.apiUpdateRecord, anyRole)},
		{"POST", "/api/v1/principals/{id}/records/{rid}/events", s.api(s.apiRecordEvent, eventRecorder)},
		{"GET", "/api/v1/principals/export", s.api(s.apiExportPrincipals, anyRole)},
		{"GET", "/api/v1/exceptions", s.api(s.apiExceptions, reviewers)},
		{"POST", "/api/v1/requests", s.api(s.apiCreateRequest, intakeRole)},
		{"GET", "/api/v1/requests", s.api(s.apiRequests, queueRole)},
		{"GET", "/api/v1/requests/{id}", s.api(s.apiGetRequest, queueRole)},
		{"POST", "/api/v1/exceptions/{id}/review", s.api(s.apiReviewException, managerOnly)},
		{"GET", "/api/v1/principals/{id}/consents", s.api(s.apiConsents, consentReader)},
		{"POST", "/api/v1/principals/{id}/consents", s.api(s.apiGiveConsent, consentRole)},
		{"DELETE", "/api/v1/principals/{id}/consents/{cid}", s.api(s.apiWithdrawConsent, consentRole)},
		{"GET", "/api/v1/principals/{id}/consents/{cid}/receipt", s.api(s.apiConsentReceipt, consentReader)},
		{"GET", "/api/v1/consents/reconsent", s.api(s.apiReconsent, reviewers)},
		{"POST", "/api/v1/provisions", s.api(s.apiProvide, provideRole)},
		{"GET", "/api/v1/provisions", s.api(s.apiProvisions, provisionReader)},
		{"GET", "/api/v1/provisions/{id}/export", s.api(s.apiProvisionExport, provideRole)},
		{"GET", "/api/v1/processors", s.api(s.apiProcessors, processorReader)},
		{"GET", "/api/v1/processors/{id}", s.api(s.apiProcessor, processorReader)},
		{"POST", "/api/v1/processors/{id}/reviews", s.api(s.apiProcessorReview, processorRecorder)},
		{"POST", "/api/v1/processors/{id}/contract", s.api(s.apiProcessorContract, processorRecorder)},
		{"POST", "/api/v1/processors/{id}/subentrustments", s.api(s.apiProcessorSubEntrustment, processorRecorder)},
		{"POST", "/api/v1/receipts", s.api(s.apiCreateReceipt, receiptRecorder)},
		{"GET", "/api/v1/receipts", s.api(s.apiReceipts, receiptReader)},
		{"GET", "/api/v1/datasets", s.api(s.apiDatasets, datasetReader)},
		{"POST", "/api/v1/datasets", s.api(s.apiCreateDataset, datasetCreator)},
		{"GET", "/api/v1/datasets/{id}", s.api(s.apiDataset, datasetReader)},
		{"GET", "/api/v1/datasets/{id}/data", s.api(s.apiDatasetData, datasetCreator)},
		{"GET", "/api/v1/datasets/{id}/method", s.api(s.apiDatasetMethod, datasetCreator)},
		{"POST", "/api/v1/datasets/pseudonymized", s.api(s.apiCreatePseudonymized, datasetCreator)},
		{"POST", "/api/v1/datasets/{id}/purpose", s.api(s.apiDatasetPurpose, datasetCreator)},
		{"POST", "/api/v1/datasets/{id}/provisions", s.api(s.apiDatasetProvide, datasetCreator)},
		{"GET", "/api/v1/datasets/{id}/provisions", s.api(s.apiDatasetProvisions, datasetReader)},
		{"GET", "/api/v1/datasets/{id}/provisions/{pid}/letter", s.api(s.apiDatasetLetter, datasetCreator)},
		{"POST", "/api/v1/statistics", s.api(s.apiStatistics, datasetCreator)},
		{"GET", "/api/v1/retention/preview", s.api(s.apiRetentionPreview, retentionReader)},
		{"GET", "/api/v1/retention/holds", s.api(s.apiRetentionHolds, retentionReader)},
		{"POST", "/api/v1/retention/holds", s.api(s.apiRetentionHold, retentionRunner)},
		{"POST", "/api/v1/retention/holds/{id}/lift", s.api(s.apiRetentionLift, retentionRunner)},
		{"GET", "/api/v1/retention/disposals", s.api(s.apiRetentionDisposals, retentionReader)},
		{"GET", "/api/v1/retention/sweeps", s.api(s.apiRetentionSweeps, retentionReader)},
		{"POST", "/api/v1/retention/sweeps", s.api(s.apiRetentionSweep, retentionRunner)},
		{"GET", "/api/v1/retention/schedule", s.api(s.apiRetentionSchedule, retentionReader)},
		{"PUT", "/api/v1/retention/schedule", s.api(s.apiRetentionSetSchedule, retentionRunner)},
		{"POST", "/api/v1/incidents", s.api(s.apiRecordIncident, anyRole)},
		{"GET", "/api/v1/incidents", s.api(s.apiIncidents, incidentReader)},
		{"GET", "/api/v1/incidents/{id}", s.api(s.apiIncident, incidentReader)},
		{"PUT", "/api/v1/incidents/{id}", s.api(s.apiUpdateIncident, incidentManager)},
		{"POST", "/api/v1/incidents/{id}/sent", s.api(s.apiIncidentSent, incidentManager)},
		{"GET", "/api/v1/incidents/{id}/report", s.api(s.apiIncidentReport, incidentReader)},
		{"POST", "/api/v1/incidents/{id}/notices", s.api(s.apiIncidentNotice, incidentManager)},
		{"GET", "/api/v1/incidents/{id}/notice", s.api(s.apiIncidentNoticeLetter, incidentReader)},
		{"POST", "/api/v1/incidents/{id}/tasks", s.api(s.apiIncidentAddTask, incidentManager)},
		{"POST", "/api/v1/incidents/{id}/tasks/{task}", s.api(s.apiIncidentTask, incidentManager)},
		{"GET", "/api/v1/incidents/{id}/timeline", s.api(s.apiIncidentTimeline, incidentReader)},
		{"POST", "/api/v1/complaints", s.api(s.apiCreateComplaint, complaintIntake)},
		{"GET", "/api/v1/complaints", s.api(s.apiComplaints, complaintReader)},
		{"GET", "/api/v1/complaints/stats", s.api(s.apiComplaintStats, complaintReader)},
		{"GET", "/api/v1/complaints/{id}", s.api(s.apiComplaint, complaintReader)},
		{"POST", "/api/v1/complaints/{id}/steps", s.api(s.apiComplaintStep, complaintHandler)},
		// The steps of handling a request (request_api.go).
		{"POST", "/api/v1/requests/{id}/complete", s.api(requestStep(s, func(r *http.Request, c *who, id string, in completeBody) error {
			return s.Requests.Complete(r.Context(), c.Actor, id, in.Requester, in.ResponseMethod)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/checks", s.api(requestStep(s, func(r *http.Request, c *who, id string, in requests.Check) error {
			return s.Requests.RecordCheck(r.Context(), c.Actor, id, in)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/code", s.api(requestStep(s, func(r *http.Request, c *who, id string, in none) error {
			return s.Requests.SendCode(r.Context(), c.Actor, id)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/payments", s.api(requestStep(s, func(r *http.Request, c *who, id string, in requests.Payment) error {
			return s.Requests.RecordPayment(r.Context(), c.Actor, id, in)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/wait", s.api(requestStep(s, func(r *http.Request, c *who, id string, in waitBody) error {
			return s.Requests.Wait(r.Context(), c.Actor, id, in.Reason, in.Note)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/resume", s.api(requestStep(s, func(r *http.Request, c *who, id string, in none) error {
			return s.Requests.Resume(r.Context(), c.Actor, id)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/match", s.api(requestStep(s, func(r *http.Request, c *who, id string, in matchBody) error {
			return s.Requests.Match(r.Context(), c.Actor, id, in.Principal)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/decisions", s.api(requestStep(s, func(r *http.Request, c *who, id string, in requests.DecisionInput) error {
			return s.Requests.Decide(r.Context(), c.Actor, id, in)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/answer", s.api(requestStep(s, func(r *http.Request, c *who, id string, in none) error {
			return s.Requests.Respond(r.Context(), c.Actor, id)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/deliver", s.api(requestStep(s, func(r *http.Request, c *who, id string, in none) error {
			return s.Requests.Deliver(r.Context(), c.Actor, id)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/withdraw", s.api(requestStep(s, func(r *http.Request, c *who, id string, in noteBody) error {
			return s.Requests.Withdraw(r.Context(), c.Actor, id, in.Note)
		}), handleRole)},
		{"POST", "/api/v1/requests/{id}/files", s.api(s.apiAddRequestFile, handleRole)},
		{"GET", "/api/v1/requests/{id}/files/{fid}", s.api(s.apiRequestFile, handleRole)},
	}
}

// Handler returns the whole site.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.apiRoutes() {
		mux.HandleFunc(r.method+" "+r.pattern, r.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, hogo.Errorf(hogo.ENOTFOUND, "there is no API endpoint %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
	})
	s.consoleRoutes(mux)
	s.portalRoutes(mux)
	s.noticePortalRoutes(mux)
	s.registersConsoleRoutes(mux)
	s.retentionConsoleRoutes(mux)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics)
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, hogo.Errorf(hogo.EFORBIDDEN, "cross-origin request refused: state-changing requests must come from this site"))
	}))
	var h http.Handler = mux
	h = cop.Handler(h)
	// Recovery sits inside instrumentation, so that a panic is counted and
	// logged as the 500 it becomes.
	h = s.recoverer(h)
	h = s.instrument(h)
	h = securityHeaders(h)
	return s.behindProxies(h)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.Store.AuditHead(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The panic value is not logged: it might hold request data.
				s.Logger.Error("handler panic", "route", r.Pattern, "method", r.Method)
				writeError(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument logs and counts requests by route pattern. It never logs the
// URL's query or body: they may carry personal data.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.observe(pattern, sw.status, d)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.Logger.Log(r.Context(), level, "request", "route", pattern, "status", sw.status, "ms", float64(d.Microseconds())/1000)
	})
}

// httpStatus maps a domain error code to an HTTP status.
func httpStatus(code string) int {
	switch code {
	case hogo.EINVALID:
		return http.StatusBadRequest
	case hogo.ENOTFOUND:
		return http.StatusNotFound
	case hogo.ECONFLICT:
		return http.StatusConflict
	case hogo.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case hogo.EFORBIDDEN, hogo.EPURPOSENOTPERMITTED:
		return http.StatusForbidden
	case hogo.ENOLAWFULBASIS:
		return http.StatusUnprocessableEntity
	case hogo.ELOCKED:
		return http.StatusLocked
	case hogo.ERATELIMITED:
		return http.StatusTooManyRequests
	case hogo.ESCHEMA:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageJa string `json:"message_ja,omitempty"`
		Field     string `json:"field,omitempty"`
		Reason    string `json:"reason,omitempty"`
	} `json:"error"`
}

// writeError writes {"error":{"code","message"}}; internal errors say only
// "internal error" and are logged by code, never by content.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var b errorBody
	b.Error.Code = hogo.ErrorCode(err)
	b.Error.Message = hogo.ErrorMessage(err)
	var de *hogo.Error
	if errors.As(err, &de) {
		b.Error.Field = de.Field
		b.Error.MessageJa = de.Ja
		b.Error.Reason = de.Reason
		if de.Code == hogo.EINTERNAL {
			b.Error.Message, b.Error.MessageJa = "internal error", ""
		}
	}
	if b.Error.Code == hogo.ERATELIMITED {
		w.Header().Set("Retry-After", "60")
	}
	var re *provision.RefusedError
	if errors.As(err, &re) {
		// The principals refused and why (opaque IDs and reason codes).
		writeJSON(w, httpStatus(b.Error.Code), struct {
			errorBody
			Refusals []provision.Refusal `json:"refusals"`
		}{b, re.Refusals})
		return
	}
	writeJSON(w, httpStatus(b.Error.Code), b)
}

// writeCompactJSON writes v without indentation, for the hot reads.
func writeCompactJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, nil, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// limiter is a fixed-window counter per key (the client address), used on
// sign-in.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(max int, every time.Duration) *limiter {
	return &limiter{max: max, window: every, seen: map[string]*window{}}
}

// Allow counts one attempt for key and reports whether it is within the limit.
func (l *limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 { // forget old windows
		for k, w := range l.seen {
			if now.Sub(w.start) > l.window {
				delete(l.seen, k)
			}
		}
	}
	w := l.seen[key]
	if w == nil || now.Sub(w.start) > l.window {
		w = &window{start: now}
		l.seen[key] = w
	}
	w.n++
	return w.n <= l.max
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, hogo.Errorf(hogo.EINVALID, "%q is not an ID: IDs are positive whole numbers", s)
	}
	return id, nil
}
