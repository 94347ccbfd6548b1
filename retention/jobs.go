package retention

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/jobs"
)

// Job kinds: a sweep (one at a time across all nodes), and the daily
// schedule that starts one when the protection manager has approved
// sweeps standing.
const (
	KindSweep = "retention.sweep"
	KindDaily = "retention.daily"
)

// SweepAttempts bounds the claims of one sweep: a sweep whose node dies is
// resumed by another node this many times in all.
const SweepAttempts = 5

// SweepArgs are a sweep job's arguments: who asked for it, and who
// approved the disposal.
type SweepArgs struct {
	Actor      string `json:"actor"`
	ApprovedBy string `json:"approved_by"`
	Scheduled  bool   `json:"scheduled,omitempty"`
}

// Schedule is the standing approval of daily sweeps (setting
// retention.schedule): who approved, who recorded it and when.
type Schedule struct {
	ApprovedBy string    `json:"approved_by"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

const scheduleSetting = "retention.schedule"

// Register makes w run retention's jobs: sweeps, and the daily schedule
// (at 02:00 on every node's clock, inserted once).
func (s *Service) Register(w *jobs.Worker) {
	s.jobs = w
	w.HandleSingleton(KindSweep, SweepAttempts, func(ctx context.Context, j *hogo.Job) (string, error) {
		var args SweepArgs
		if err := json.Unmarshal(j.Args, &args); err != nil {
			return "", err
		}
		a := hogo.Actor{Name: args.Actor, Role: hogo.RoleManager, Remote: "job"}
		d, err := s.Run(ctx, a, args.ApprovedBy)
		if err != nil {
			return "", err
		}
		return d.ID, nil
	})
	w.Handle(KindDaily, 3, func(ctx context.Context, j *hogo.Job) (string, error) {
		if _, err := w.Enqueue(ctx, KindForecast, nil, time.Time{}); err != nil {
			return "", err
		}
		sc, err := s.Schedule(ctx)
		if err != nil || sc == nil {
			return "no standing approval", err
		}
		sj, err := w.Enqueue(ctx, KindSweep, SweepArgs{Actor: "system (schedule)", ApprovedBy: sc.ApprovedBy, Scheduled: true}, time.Time{})
		if err != nil {
			return "", err
		}
		return sj.ID, nil
	})
	w.HandleSingleton(KindForecast, 3, func(ctx context.Context, j *hogo.Job) (string, error) {
		f, err := s.computeForecast(ctx)
		if err != nil {
			return "", err
		}
		return strconv.Itoa(f.Due) + " due by " + f.Horizon, nil
	})
	w.Every(KindDaily, 24*time.Hour, nil)
}

// RequestSweep asks for a sweep now; it runs as a job on whichever node
// claims it first. When a sweep is already waiting or running, that one
// is returned: two sweeps never run at once.
func (s *Service) RequestSweep(ctx context.Context, a hogo.Actor, approvedBy string) (*hogo.Job, error) {
	if !slices.Contains(RunRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "消去の実行は個人情報保護管理者が行います。", "sweeps are run by the protection manager")
	}
	if approvedBy == "" {
		return nil, hogo.NewError(hogo.EINVALID, "approved_by", "消去を承認した者（approved_by）を記録してください。", "record who approved the disposal (approved_by)")
	}
	if s.jobs == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "バックグラウンド処理が動いていません。", "background jobs are not running")
	}
	j, err := s.jobs.Enqueue(ctx, KindSweep, SweepArgs{Actor: a.Name, ApprovedBy: approvedBy}, time.Time{})
	if err != nil {
		return nil, err
	}
	e := a.Entry("retention.sweep_requested")
	e.Target = j.ID
	e.Detail = map[string]string{"approved_by": approvedBy}
	return j, s.audit.Append(ctx, e)
}

// Sweeps returns the latest sweep jobs, newest first.
func (s *Service) Sweeps(ctx context.Context, a hogo.Actor, limit int) ([]*hogo.Job, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	return s.store.ListJobs(ctx, KindSweep, limit)
}

// Schedule returns the standing approval of daily sweeps, nil when there
// is none.
func (s *Service) Schedule(ctx context.Context) (*Schedule, error) {
	v, err := s.store.GetSetting(ctx, scheduleSetting)
	var he *hogo.Error
	if errors.As(err, &he) && he.Code == hogo.ENOTFOUND || err == nil && v == "" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var sc Schedule
	if err := json.Unmarshal([]byte(v), &sc); err != nil {
		return nil, err
	}
	return &sc, nil
}

// SetSchedule records (approvedBy set) or withdraws (empty) the standing
// approval of daily sweeps.
func (s *Service) SetSchedule(ctx context.Context, a hogo.Actor, approvedBy string) error {
	if !slices.Contains(RunRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "定期消去の承認は個人情報保護管理者が行います。", "scheduled sweeps are approved by the protection manager")
	}
	v := ""
	if approvedBy != "" {
		b, _ := json.Marshal(Schedule{ApprovedBy: approvedBy, By: a.Name, At: s.Now()})
		v = string(b)
	}
	e := a.Entry("retention.schedule")
	e.Detail = map[string]string{"approved_by": approvedBy, "standing": strconv.FormatBool(v != "")}
	if err := s.store.PutSetting(ctx, scheduleSetting, v); err != nil {
		return err
	}
	return s.audit.Append(ctx, e)
}

// Holds returns the legal holds, standing ones unless all; reasons stay
// sealed (OpenReason opens one).
func (s *Service) Holds(ctx context.Context, a hogo.Actor, all bool) ([]*hogo.Hold, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	return s.store.ListHolds(ctx, all)
}

// OpenReason opens a hold's sealed reason for the manager or the auditor.
func (s *Service) OpenReason(ctx context.Context, a hogo.Actor, h *hogo.Hold) (string, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return "", hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	return s.vault.OpenNote(ctx, h.Reason, "hold reason\x00"+h.ID)
}

// Disposals returns the disposal records (廃棄記録), newest first.
func (s *Service) Disposals(ctx context.Context, a hogo.Actor, limit int) ([]*hogo.Disposal, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	return s.store.ListDisposals(ctx, limit)
}

// KindForecast computes the month's forecast in the background.
const KindForecast = "retention.forecast"

// Forecast is what a sweep on the last day of a month would find, computed
// by a job (daily, and when asked for and stale) and kept in the setting
// retention.forecast, so that the dashboard shows it without scanning the
// records on every view.
type Forecast struct {
	Horizon string    `json:"horizon"`
	Due     int       `json:"due"`
	Held    int       `json:"held"`
	At      time.Time `json:"at"`
}

const forecastSetting = "retention.forecast"

// monthEnd is the last day of the month of today.
func monthEnd(today calendar.Date) calendar.Date {
	y, m := today.Year, today.Month+1
	if m > 12 {
		y, m = y+1, 1
	}
	return calendar.NewDate(y, m, 1).AddDays(-1)
}

// computeForecast previews a sweep on the last day of this month and keeps
// the counts.
func (s *Service) computeForecast(ctx context.Context) (*Forecast, error) {
	end := monthEnd(calendar.DateOf(s.Now()))
	pv, err := s.Preview(ctx, hogo.Actor{Name: "system (forecast)", Role: hogo.RoleManager, Remote: "job"}, end)
	if err != nil {
		return nil, err
	}
	f := &Forecast{Horizon: end.String(), Due: pv.Due, Held: pv.Held, At: s.Now()}
	b, _ := json.Marshal(f)
	return f, s.store.PutSetting(ctx, forecastSetting, string(b))
}

// Forecast returns the kept forecast of this month (nil while none is
// computed) for the manager and the auditor; a stale one (another month,
// or older than a day) is returned while a fresh one is computed.
func (s *Service) Forecast(ctx context.Context, a hogo.Actor) (*Forecast, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	var f *Forecast
	if v, err := s.store.GetSetting(ctx, forecastSetting); err == nil && v != "" {
		f = &Forecast{}
		if json.Unmarshal([]byte(v), f) != nil {
			f = nil
		}
	}
	end := monthEnd(calendar.DateOf(s.Now())).String()
	if (f == nil || f.Horizon != end || s.Now().Sub(f.At) > 24*time.Hour) && s.jobs != nil {
		if _, err := s.jobs.Enqueue(ctx, KindForecast, nil, time.Time{}); err != nil {
			return f, err
		}
	}
	if f != nil && f.Horizon != end {
		return nil, nil
	}
	return f, nil
}
