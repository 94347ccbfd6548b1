package web

import (
	"context"
	"strconv"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/requests"
)

// The protection manager's dashboard (on the console's home page for the
// manager and the auditor): requests due, incidents with their clocks,
// processors due for review, this month's complaint figures, uses under
// exceptions to review, principals to ask again, and the requests received
// per month as a chart drawn on the server (SVG; no script, no CDN).

// bar is one bar of a chart, in SVG user units.
type bar struct {
	X, Y, W, H   int
	Label, Value string
	LabelX       int
}

// chart is a bar chart of values by label.
type chart struct {
	Width, Height int
	Bars          []bar
	Max           int
}

// barChart lays out values as bars in a 600×200 box, with room for the
// labels below.
func barChart(labels []string, values []int) chart {
	c := chart{Width: 600, Height: 200}
	for _, v := range values {
		c.Max = max(c.Max, v)
	}
	if len(values) == 0 {
		return c
	}
	slot := c.Width / len(values)
	top, base := 20, c.Height-30
	for i, v := range values {
		h := 0
		if c.Max > 0 {
			h = v * (base - top) / c.Max
		}
		x := i*slot + slot/5
		c.Bars = append(c.Bars, bar{X: x, Y: base - h, W: slot * 3 / 5, H: h, Label: labels[i], Value: strconv.Itoa(v), LabelX: x + slot*3/10})
	}
	return c
}

// dashboard gathers what the protection manager watches. A part the
// actor may not see, or that fails, is left out rather than failing the
// page.
func (s *Server) dashboard(ctx context.Context, a hogo.Actor) map[string]any {
	d := map[string]any{"ChartLabelY": 190}
	today := calendar.DateOf(s.Now())
	if s.Requests != nil {
		if q, err := s.Requests.Queue(ctx, a, ""); err == nil {
			var due []requests.Entry
			counts := map[string]int{}
			months := make([]string, 12)
			perMonth := make([]int, 12)
			first := today.Time(hogo.Tokyo).AddDate(0, -11, 0)
			for i := range months {
				months[i] = first.AddDate(0, i, 0).Format("2006-01")
			}
			for _, e := range q {
				if e.ClosedOn == "" {
					counts["open"]++
					if e.Paused {
						counts["waiting"]++
					}
				}
				if e.Flag != "" {
					counts[e.Flag]++
					if len(due) < 10 {
						due = append(due, e)
					}
				}
				if len(e.ReceivedOn) >= 7 {
					for i, m := range months {
						if e.ReceivedOn[:7] == m {
							perMonth[i]++
						}
					}
				}
			}
			labels := make([]string, 12)
			for i, m := range months {
				labels[i] = m[5:] + "月"
			}
			d["Requests"] = map[string]any{"Counts": counts, "Due": due, "Chart": barChart(labels, perMonth)}
		}
	}
	if s.Incidents != nil {
		if list, err := s.Incidents.List(ctx, a); err == nil {
			var open []*breach.View
			for _, v := range list {
				if v.Status == hogo.IncidentDraft || v.Status == hogo.IncidentOpen {
					open = append(open, v)
				}
			}
			d["Incidents"] = open
		}
	}
	if s.Processors != nil {
		if list, err := s.Processors.List(ctx, a, ""); err == nil {
			due := list[:0:0]
			for _, v := range list {
				if v.Status != "ok" {
					due = append(due, v)
				}
			}
			d["Processors"] = due
		}
	}
	if s.Complaints != nil {
		if st, err := s.Complaints.Stats(ctx, a, ""); err == nil {
			d["Complaints"] = st
		}
	}
	if v := s.retentionMonth(ctx, a); v != nil {
		d["Retention"] = v
	}
	if s.Vault != nil && (a.Role == hogo.RoleManager || a.Role == hogo.RoleAuditor) {
		if rs, err := s.Vault.Reviews(ctx, "pending", 1000); err == nil {
			d["Reviews"] = len(rs)
		}
		if rc, err := s.Vault.ReconsentList(ctx, a, 1000); err == nil {
			d["Reconsent"] = len(rc)
		}
	}
	return d
}
