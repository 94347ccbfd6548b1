package web

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/retention"
)

// 保存期間と消去 in the console (APPI Art. 22): the preview by category
// for a chosen day, the legal holds with their reasons, the standing
// approval of daily sweeps, a sweep run now, and the disposal records
// (廃棄記録). The manager acts; the auditor reads.

func (s *Server) retentionConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/retention", s.console(s.retentionPage, "retention.title", retentionReader))
	mux.HandleFunc("POST /console/retention/{action}", s.console(s.retentionAction, "retention.title", retentionRunner))
}

// retentionWhen writes a moment as the console does: 和暦 in Japanese.
func retentionWhen(t time.Time, lang string) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(hogo.Tokyo)
	if lang == "en" {
		return t.Format("2006-01-02 15:04")
	}
	return calendar.FormatJapanese(calendar.DateOf(t)) + " " + t.Format("15:04")
}

// retentionDay writes a day (YYYY-MM-DD) as the console does.
func retentionDay(s, lang string) string {
	d, err := calendar.ParseDate(s)
	if err != nil || lang == "en" {
		return s
	}
	return calendar.FormatJapanese(d)
}

type retentionCategoryRow struct {
	retention.CategoryPreview
	Label, RuleText, EarliestText string
}

type retentionHoldRow struct {
	holdJSON
	TargetText, TargetLink, PlacedText, LiftedText string
}

type retentionSweepRow struct {
	sweepJSON
	CreatedText, FinishedText string
}

type retentionCount struct {
	Category, Label string
	N               int
}

type retentionDisposalRow struct {
	disposalJSON
	AtText string
	Lines  []retentionCount
}

func (s *Server) retentionPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := http.StatusOK
	if st, ok := p.Data.(int); ok {
		status = st
	}
	data := map[string]any{"CanRun": retentionRunner(c.Actor.Role), "Kinds": []string{hogo.HoldPrincipal, hogo.HoldCategory, hogo.HoldIncident}}
	// A form refused is shown again as it was filled in (in the page
	// only: never in a URL or a log).
	form := map[string]string{}
	if r.Method == http.MethodPost {
		form["action"] = r.PathValue("action")
		for _, k := range []string{"kind", "target", "reason", "approved_by"} {
			form[k] = r.PostFormValue(k)
		}
	}
	data["Form"], data["Schedule"] = form, scheduleJSON{}
	p.Data = data
	fail := func(err error) {
		if p.Error == "" {
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
		}
		if status < 400 {
			status = httpStatus(hogo.ErrorCode(err))
		}
	}
	if err := s.retentionReady(); err != nil {
		fail(err)
		s.render(w, r, status, "retention", p)
		return
	}
	ctx, a, lang := r.Context(), c.Actor, p.Lang
	today := s.retentionToday()
	data["Today"] = today.String()
	q := r.URL.Query()
	horizon, err := s.parseHorizon(q.Get("horizon"))
	if err != nil {
		fail(err)
		horizon = today
	}
	data["Horizon"], data["HorizonText"] = horizon.String(), retentionDay(horizon.String(), lang)
	data["IsToday"] = horizon == today
	l := s.Ledger()
	label := func(id string) string {
		if id == hogo.RegisterProvisions || id == hogo.RegisterReceipts || id == retention.RegisterAudit {
			// The registers' words (dynamic keys: i18n_keys_test.go lists them).
			key := "retention.register." + id
			return T(lang, key)
		}
		if l != nil {
			if cat := l.Ledger.Category(id); cat != nil {
				return cat.Name.In(lang)
			}
			// An item with its own retention: category.item.
			if c, it, ok := strings.Cut(id, "."); ok {
				if item := l.Ledger.Item(c, it); item != nil {
					if cat := l.Ledger.Category(c); cat != nil {
						return cat.Name.In(lang) + "：" + item.Name.In(lang)
					}
				}
			}
		}
		return id
	}
	if l != nil {
		type option struct{ ID, Label string }
		var cats []option
		for _, cat := range l.Ledger.Categories {
			cats = append(cats, option{cat.ID, cat.Name.In(lang)})
		}
		data["Categories"] = cats
	}

	if pv, err := s.Retention.Preview(ctx, a, horizon); err != nil {
		fail(err)
	} else {
		rows := make([]retentionCategoryRow, 0, len(pv.Categories))
		for _, cp := range pv.Categories {
			row := retentionCategoryRow{CategoryPreview: cp, Label: label(cp.Category), RuleText: cp.Rule, EarliestText: "—"}
			if l != nil {
				if cat := l.Ledger.Category(cp.Category); cat != nil {
					row.RuleText = retentionText(l.Ledger, cat, lang)
				}
			}
			if cp.Earliest != "" {
				row.EarliestText = retentionDay(cp.Earliest, lang)
			}
			rows = append(rows, row)
		}
		// The registers' own records (則21, 則25) go with the sweep too.
		regs := make([]retentionCategoryRow, 0, len(pv.Registers))
		for _, cp := range pv.Registers {
			row := retentionCategoryRow{CategoryPreview: cp, Label: label(cp.Category), RuleText: cp.Rule, EarliestText: "—"}
			if key := "retention.register_rule." + cp.Category; messages[key][1] != "" {
				row.RuleText = T(lang, key)
			}
			if cp.Earliest != "" {
				row.EarliestText = retentionDay(cp.Earliest, lang)
			}
			regs = append(regs, row)
		}
		// Items with a retention of their own (individual numbers) go from
		// records that stay.
		items := make([]retentionCategoryRow, 0, len(pv.Items))
		for _, cp := range pv.Items {
			row := retentionCategoryRow{CategoryPreview: cp, Label: label(cp.Category), RuleText: cp.Rule, EarliestText: "—"}
			if c, it, ok := strings.Cut(cp.Category, "."); ok && l != nil {
				if item := l.Ledger.Item(c, it); item != nil && item.Retention != nil {
					rule := *l.Ledger.Category(c)
					rule.Retention = item.Retention
					row.RuleText = retentionText(l.Ledger, &rule, lang)
				}
			}
			if cp.Earliest != "" {
				row.EarliestText = retentionDay(cp.Earliest, lang)
			}
			items = append(items, row)
		}
		data["Items"] = items
		data["Preview"], data["Rows"], data["Registers"] = pv, rows, regs
	}

	all := q.Get("all") == "1"
	data["AllHolds"] = all
	if hs, err := s.retentionHolds(ctx, a, all); err != nil {
		fail(err)
	} else {
		rows := make([]retentionHoldRow, 0, len(hs))
		for _, h := range hs {
			row := retentionHoldRow{holdJSON: h, TargetText: h.Target, PlacedText: retentionWhen(h.PlacedAt, lang)}
			switch h.Kind {
			case hogo.HoldCategory:
				row.TargetText = label(h.Target) + "（" + h.Target + "）"
			case hogo.HoldPrincipal:
				row.TargetLink = "/console/principals/" + h.Target
			case hogo.HoldIncident:
				row.TargetLink = "/console/incidents/" + h.Target
			}
			if h.LiftedAt != nil {
				row.LiftedText = retentionWhen(*h.LiftedAt, lang)
			}
			rows = append(rows, row)
		}
		data["Holds"] = rows
	}

	if sc, err := s.retentionSchedule(ctx); err != nil {
		fail(err)
	} else {
		data["Schedule"] = sc
		if sc.At != nil {
			data["ScheduleSince"] = retentionWhen(*sc.At, lang)
		}
	}

	if js, err := s.Retention.Sweeps(ctx, a, 20); err != nil {
		fail(err)
	} else {
		rows := make([]retentionSweepRow, 0, len(js))
		for _, j := range js {
			v := sweepView(j)
			row := retentionSweepRow{sweepJSON: v, CreatedText: retentionWhen(v.CreatedAt, lang), FinishedText: "—"}
			if v.FinishedAt != nil {
				row.FinishedText = retentionWhen(*v.FinishedAt, lang)
			}
			rows = append(rows, row)
		}
		data["Sweeps"] = rows
	}

	if ds, err := s.Retention.Disposals(ctx, a, 50); err != nil {
		fail(err)
	} else {
		rows := make([]retentionDisposalRow, 0, len(ds))
		for _, d := range ds {
			v := disposalView(d)
			row := retentionDisposalRow{disposalJSON: v, AtText: retentionWhen(v.At, lang)}
			for id, n := range v.Counts {
				row.Lines = append(row.Lines, retentionCount{id, label(id), n})
			}
			sort.Slice(row.Lines, func(i, j int) bool { return row.Lines[i].Category < row.Lines[j].Category })
			rows = append(rows, row)
		}
		data["Disposals"] = rows
	}

	// Only known message keys: the page never echoes a query string.
	if key := "retention.done." + q.Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(lang, key)
		}
	}
	s.render(w, r, status, "retention", p)
}

// retentionAction places or lifts a hold, sets or withdraws the standing
// approval, or asks for a sweep now; then shows the page again.
func (s *Server) retentionAction(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	action := r.PathValue("action")
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	err := s.retentionReady()
	if err == nil {
		ctx, a := r.Context(), c.Actor
		switch action {
		case "hold":
			_, err = s.Retention.Hold(ctx, a, f("kind"), f("target"), f("reason"))
		case "lift":
			err = s.Retention.Lift(ctx, a, f("id"))
		case "schedule":
			// Withdrawing has a button of its own: an empty name here is
			// a mistake, not a withdrawal.
			if f("approved_by") == "" {
				err = hogo.NewError(hogo.EINVALID, "approved_by", "定期消去を承認した者（approved_by）を記入してください。",
					"record who approved the scheduled sweeps (approved_by)")
			} else {
				err = s.Retention.SetSchedule(ctx, a, f("approved_by"))
			}
		case "unschedule":
			err = s.Retention.SetSchedule(ctx, a, "")
		case "sweep":
			_, err = s.Retention.RequestSweep(ctx, a, f("approved_by"))
		default:
			p.Error = T(p.Lang, "error.notfound")
			s.render(w, r, http.StatusNotFound, "error", p)
			return
		}
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		p.Data = httpStatus(hogo.ErrorCode(err))
		s.retentionPage(w, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/retention?done="+action, http.StatusSeeOther)
}

// retentionMonth is the dashboard's figure: what is due for erasure by the
// end of this month (what a sweep on its last day would find, overdue
// included), as the last forecast job computed it (the records are not
// scanned on every view); Pending while the first is computed; nil when
// the actor may not see it or it fails.
func (s *Server) retentionMonth(ctx context.Context, a hogo.Actor) map[string]any {
	if s.Retention == nil || !retentionReader(a.Role) {
		return nil
	}
	today := s.retentionToday()
	end := calendar.NewDate(today.Year, today.Month+1, 1).AddDays(-1)
	f, err := s.Retention.Forecast(ctx, a)
	if err != nil {
		return nil
	}
	if f == nil {
		return map[string]any{"Horizon": end.String(), "Month": today.String()[:7], "Pending": true}
	}
	return map[string]any{"Horizon": f.Horizon, "Month": today.String()[:7], "Due": f.Due, "Held": f.Held, "At": f.At.In(hogo.Tokyo).Format("01/02 15:04")}
}
