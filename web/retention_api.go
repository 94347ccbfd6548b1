package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/retention"
)

// Retention and disposal (APPI Art. 22) over the API: the preview by
// category, legal holds, sweeps run as background jobs with their disposal
// records (廃棄記録), and the standing approval of daily sweeps. The
// manager acts; the auditor reads.

// retentionReader may read the preview, holds, sweeps and disposal records.
func retentionReader(r hogo.Role) bool { return slices.Contains(retention.ReadRoles, r) }

// retentionRunner may place and lift holds, run sweeps and approve them.
func retentionRunner(r hogo.Role) bool { return slices.Contains(retention.RunRoles, r) }

func (s *Server) retentionReady() error {
	if s.Retention == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "保存期間の管理が構成されていません。", "retention is not configured")
	}
	return nil
}

// retentionToday is the day a sweep run now would count from.
func (s *Server) retentionToday() calendar.Date { return calendar.DateOf(s.Retention.Now()) }

// parseHorizon reads ?horizon=YYYY-MM-DD; today when absent. The error
// names the field, never the value.
func (s *Server) parseHorizon(v string) (calendar.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return s.retentionToday(), nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return calendar.Date{}, hogo.NewError(hogo.EINVALID, "horizon", "基準日（horizon）は 2026-11-30 の形で指定してください。",
			"horizon is a date written as 2026-11-30")
	}
	return d, nil
}

// retentionLimit reads ?limit= (1–1000), def when absent.
func retentionLimit(v string, def int) (int, error) {
	if v = strings.TrimSpace(v); v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, hogo.NewError(hogo.EINVALID, "limit", "件数（limit）は 1 から 1000 までの数字で指定してください。", "limit is a number from 1 to 1000")
	}
	return n, nil
}

// holdJSON is a hold with its reason opened.
type holdJSON struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	Target   string     `json:"target"`
	Reason   string     `json:"reason"`
	PlacedBy string     `json:"placed_by"`
	PlacedAt time.Time  `json:"placed_at"`
	LiftedBy string     `json:"lifted_by,omitempty"`
	LiftedAt *time.Time `json:"lifted_at,omitempty"`
}

func (s *Server) holdJSON(ctx context.Context, a hogo.Actor, h *hogo.Hold) (holdJSON, error) {
	j := holdJSON{ID: h.ID, Kind: h.Kind, Target: h.Target, PlacedBy: h.PlacedBy, PlacedAt: h.PlacedAt.In(hogo.Tokyo), LiftedBy: h.LiftedBy}
	if !h.LiftedAt.IsZero() {
		t := h.LiftedAt.In(hogo.Tokyo)
		j.LiftedAt = &t
	}
	var err error
	j.Reason, err = s.Retention.OpenReason(ctx, a, h)
	return j, err
}

// retentionHolds returns the holds (standing ones unless all) with their
// reasons opened.
func (s *Server) retentionHolds(ctx context.Context, a hogo.Actor, all bool) ([]holdJSON, error) {
	hs, err := s.Retention.Holds(ctx, a, all)
	if err != nil {
		return nil, err
	}
	out := make([]holdJSON, 0, len(hs))
	for _, h := range hs {
		j, err := s.holdJSON(ctx, a, h)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// disposalJSON is a disposal record (廃棄記録).
type disposalJSON struct {
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	Actor      string         `json:"actor"`
	ApprovedBy string         `json:"approved_by"`
	Counts     map[string]int `json:"counts"`
	Principals int            `json:"principals"`
	Records    int            `json:"records"`
	Done       bool           `json:"done"`
}

func disposalView(d *hogo.Disposal) disposalJSON {
	counts := d.Counts
	if counts == nil {
		counts = map[string]int{}
	}
	return disposalJSON{ID: d.ID, At: d.At.In(hogo.Tokyo), Actor: d.Actor, ApprovedBy: d.ApprovedBy, Counts: counts,
		Principals: d.Principals, Records: d.Records, Done: d.Done}
}

// sweepJSON is a sweep job: its state, and once done the disposal record
// it wrote (result).
type sweepJSON struct {
	ID          string     `json:"id"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	MaxAttempts int        `json:"max_attempts"`
	RequestedBy string     `json:"requested_by"`
	ApprovedBy  string     `json:"approved_by"`
	Scheduled   bool       `json:"scheduled"`
	CreatedAt   time.Time  `json:"created_at"`
	Result      string     `json:"result,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

func sweepView(j *hogo.Job) sweepJSON {
	var args retention.SweepArgs
	json.Unmarshal(j.Args, &args) // staff names only; a job without them shows none
	v := sweepJSON{ID: j.ID, State: j.State, Attempts: j.Attempts, MaxAttempts: j.MaxAttempts, RequestedBy: args.Actor,
		ApprovedBy: args.ApprovedBy, Scheduled: args.Scheduled, CreatedAt: j.CreatedAt.In(hogo.Tokyo), Result: j.Result, LastError: j.LastError}
	if !j.FinishedAt.IsZero() {
		t := j.FinishedAt.In(hogo.Tokyo)
		v.FinishedAt = &t
	}
	return v
}

// scheduleJSON is the standing approval of daily sweeps.
type scheduleJSON struct {
	Standing   bool       `json:"standing"`
	ApprovedBy string     `json:"approved_by,omitempty"`
	By         string     `json:"by,omitempty"`
	At         *time.Time `json:"at,omitempty"`
}

func (s *Server) retentionSchedule(ctx context.Context) (scheduleJSON, error) {
	sc, err := s.Retention.Schedule(ctx)
	if err != nil || sc == nil {
		return scheduleJSON{}, err
	}
	at := sc.At.In(hogo.Tokyo)
	return scheduleJSON{Standing: true, ApprovedBy: sc.ApprovedBy, By: sc.By, At: &at}, nil
}

func (s *Server) apiRetentionPreview(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	horizon, err := s.parseHorizon(r.URL.Query().Get("horizon"))
	if err != nil {
		return err
	}
	pv, err := s.Retention.Preview(r.Context(), c.Actor, horizon)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pv)
	return nil
}

func (s *Server) apiRetentionHolds(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	all := false
	switch v := r.URL.Query().Get("all"); v {
	case "", "0", "false":
	case "1", "true":
		all = true
	default:
		return hogo.NewError(hogo.EINVALID, "all", "all は 1 または 0 で指定してください。", "all is 1 or 0")
	}
	hs, err := s.retentionHolds(r.Context(), c.Actor, all)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"holds": hs})
	return nil
}

// retentionHoldBody places a hold.
type retentionHoldBody struct {
	Kind   string `json:"kind"`
	Target string `json:"target"`
	Reason string `json:"reason"`
}

func (s *Server) apiRetentionHold(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	var in retentionHoldBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	h, err := s.Retention.Hold(r.Context(), c.Actor, strings.TrimSpace(in.Kind), strings.TrimSpace(in.Target), strings.TrimSpace(in.Reason))
	if err != nil {
		return err
	}
	j, err := s.holdJSON(r.Context(), c.Actor, h)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, j)
	return nil
}

func (s *Server) apiRetentionLift(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.Retention.Lift(r.Context(), c.Actor, id); err != nil {
		return err
	}
	hs, err := s.Retention.Holds(r.Context(), c.Actor, true)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.ID == id {
			j, err := s.holdJSON(r.Context(), c.Actor, h)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, j)
			return nil
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
	return nil
}

func (s *Server) apiRetentionDisposals(w http.ResponseWriter, r *http.Request, c *who) error {
	return retentionList(s, w, r, c, 100, "disposals", s.retentionDisposals, disposalView)
}

// retentionDisposals and retentionSweeps fetch for retentionList.
func (s *Server) retentionDisposals(ctx context.Context, a hogo.Actor, limit int) ([]*hogo.Disposal, error) {
	return s.Retention.Disposals(ctx, a, limit)
}

func (s *Server) retentionSweeps(ctx context.Context, a hogo.Actor, limit int) ([]*hogo.Job, error) {
	return s.Retention.Sweeps(ctx, a, limit)
}

// retentionList answers a listing of retention's: the ?limit (def when
// absent), the items fetched and each shown by view, under key.
func retentionList[T, V any](s *Server, w http.ResponseWriter, r *http.Request, c *who, def int, key string,
	fetch func(context.Context, hogo.Actor, int) ([]T, error), view func(T) V) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	limit, err := retentionLimit(r.URL.Query().Get("limit"), def)
	if err != nil {
		return err
	}
	xs, err := fetch(r.Context(), c.Actor, limit)
	if err != nil {
		return err
	}
	out := make([]V, 0, len(xs))
	for _, x := range xs {
		out = append(out, view(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{key: out})
	return nil
}

// retentionApproval names who approved a disposal or the standing schedule.
type retentionApproval struct {
	ApprovedBy string `json:"approved_by"`
}

func (s *Server) apiRetentionSweep(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	var in retentionApproval
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	j, err := s.Retention.RequestSweep(r.Context(), c.Actor, strings.TrimSpace(in.ApprovedBy))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, sweepView(j))
	return nil
}

func (s *Server) apiRetentionSweeps(w http.ResponseWriter, r *http.Request, c *who) error {
	return retentionList(s, w, r, c, 50, "sweeps", s.retentionSweeps, sweepView)
}

func (s *Server) apiRetentionSchedule(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	sc, err := s.retentionSchedule(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}

func (s *Server) apiRetentionSetSchedule(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.retentionReady(); err != nil {
		return err
	}
	var in retentionApproval
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if err := s.Retention.SetSchedule(r.Context(), c.Actor, strings.TrimSpace(in.ApprovedBy)); err != nil {
		return err
	}
	sc, err := s.retentionSchedule(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}
