package web

import (
	"fmt"
	"net/http"
	"strings"

	"hogo.example.jp/hogo/ledger"
)

func (s *Server) portalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.portalHome)
	s.requestPortalRoutes(mux)
	s.consentPortalRoutes(mux)
	s.complaintPortalRoutes(mux)
	s.datasetPortalRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r, "error.title")
		p.Portal = true
		p.Error = p.T("error.notfound")
		s.render(w, r, http.StatusNotFound, "error", p)
	})
}

// deskHours describes the desk's hours in words, e.g. 月〜金 9:00〜17:00.
func deskHours(d ledger.Desk, lang string) string {
	var days []string
	for _, day := range d.Hours.Days {
		if n, ok := weekdayNames[day]; ok {
			if lang == "en" {
				days = append(days, n[1])
			} else {
				days = append(days, n[0])
			}
		}
	}
	sep, dash := "・", "〜"
	if lang == "en" {
		sep, dash = ", ", "–"
	}
	dayText := strings.Join(days, sep)
	if compact := compactDays(d.Hours.Days); compact != "" {
		dayText = compact
		if lang == "en" {
			dayText = map[string]string{"月〜金": "Mon–Fri", "月〜土": "Mon–Sat", "毎日": "Every day"}[compact]
		}
	}
	return strings.TrimSpace(dayText + " " + d.Hours.Open.String() + dash + d.Hours.Close.String())
}

func compactDays(days []string) string {
	j := strings.Join(days, ",")
	switch j {
	case "mon,tue,wed,thu,fri":
		return "月〜金"
	case "mon,tue,wed,thu,fri,sat":
		return "月〜土"
	case "sun,mon,tue,wed,thu,fri,sat", "mon,tue,wed,thu,fri,sat,sun":
		return "毎日"
	}
	return ""
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "portal.title")
	p.Portal = true
	// Not nil: the template reads .Data.Ledger, which a nil Data cannot
	// answer, and says "no ledger yet" when it is missing.
	p.Data = map[string]any{}
	if st := s.Ledger(); st != nil {
		l := st.Ledger
		var purposes []string
		for _, pp := range l.Purposes {
			purposes = append(purposes, pp.Description.In(p.Lang))
		}
		p.Data = map[string]any{"Ledger": l, "Hours": deskHours(l.ComplaintDesk, p.Lang), "Purposes": purposes,
			"YearEnd": yearEnd(l.Calendar.YearEnd, p.Lang)}
	}
	s.render(w, r, http.StatusOK, "portal", p)
}

// yearEnd writes a year-end closure "12-29..01-03" as 12月29日〜1月3日
// (Dec 29 – Jan 3).
func yearEnd(span, lang string) string {
	var m1, d1, m2, d2 int
	if _, err := fmt.Sscanf(span, "%d-%d..%d-%d", &m1, &d1, &m2, &d2); err != nil {
		return span
	}
	if lang == "en" {
		months := []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
		if m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12 {
			return span
		}
		return fmt.Sprintf("%s %d – %s %d", months[m1], d1, months[m2], d2)
	}
	return fmt.Sprintf("%d月%d日〜%d月%d日", m1, d1, m2, d2)
}
