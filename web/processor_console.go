package web

import (
	"net/http"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/processor"
)

// registersConsoleRoutes registers the console pages of the processor
// register (APPI Art. 25), of receipt records (Art. 30) and of anonymised
// information (Art. 43).
func (s *Server) registersConsoleRoutes(mux *http.ServeMux) {
	s.processorConsoleRoutes(mux)
	s.receiptConsoleRoutes(mux)
	s.datasetConsoleRoutes(mux)
}

func (s *Server) processorConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/processors", s.console(s.processorsPage, "processors.title", processorReader))
	mux.HandleFunc("GET /console/processors/{id}", s.console(s.processorPage, "processors.one", processorReader))
	mux.HandleFunc("POST /console/processors/{id}/{action}", s.console(s.processorAction, "processors.one", processorRecorder))
}

func (s *Server) processorsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := r.URL.Query().Get("status")
	data := map[string]any{"Statuses": processor.Statuses, "Status": ""}
	code := http.StatusOK
	if err := s.processorsReady(); err != nil {
		p.Error, code = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if all, err := s.Processors.List(r.Context(), c.Actor, ""); err != nil {
		p.Error, code = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		data["Reminders"] = processor.Reminders(all)
		list := all
		if status != "" {
			if list, err = s.Processors.List(r.Context(), c.Actor, status); err != nil {
				p.Error, code = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
			}
			data["Status"] = status
		}
		data["Processors"] = list
	}
	p.Data = data
	s.render(w, r, code, "processors", p)
}

func (s *Server) processorData(v *processor.View, c *who) map[string]any {
	return map[string]any{"P": v, "CanRecord": processorRecorder(c.Actor.Role), "Kinds": processor.Kinds, "Grades": processor.Grades,
		"Today": calendar.DateOf(s.Processors.Now()).String()}
}

func (s *Server) processorPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	code := http.StatusOK
	if err := s.processorsReady(); err != nil {
		p.Error, code = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if v, err := s.Processors.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		p.Error, code = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		p.Data = s.processorData(v, c)
		p.Title = v.NameIn(p.Lang)
	}
	// Only known message keys: the page never echoes a query string.
	if key := "processors.done." + r.URL.Query().Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(p.Lang, key)
		}
	}
	s.render(w, r, code, "processor", p)
}

// processorAction records a contract, a review or a sub-entrustment from
// the console, then shows the processor again.
func (s *Server) processorAction(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.processorsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	ctx, id, f := r.Context(), r.PathValue("id"), r.PostFormValue
	ps := s.Processors
	var err error
	action := r.PathValue("action")
	switch action {
	case "contract":
		_, err = ps.RecordContract(ctx, c.Actor, id, processor.ContractInput{SignedOn: f("signed_on"), Reference: f("reference"),
			EndsOn: f("ends_on"), NDA: f("nda") != "", NDAOn: f("nda_on")})
	case "review":
		months := 0
		if m := strings.TrimSpace(f("interval_months")); m != "" {
			if months, err = strconv.Atoi(m); err != nil {
				err = hogo.NewError(hogo.EINVALID, "interval_months", "見直しの間隔（interval_months）は月数を数字で入力してください。",
					"interval_months is a number of months")
			}
		}
		if err == nil {
			_, err = ps.RecordReview(ctx, c.Actor, id, processor.ReviewInput{Kind: f("kind"), ReviewedOn: f("reviewed_on"), Grade: f("grade"),
				Evaluator: f("evaluator"), Note: f("note"), IntervalMonths: months})
		}
	case "subentrustment":
		_, err = ps.ApproveSubEntrustment(ctx, c.Actor, id, processor.SubEntrustmentInput{Name: f("name"), Scope: f("scope"),
			ApprovedOn: f("approved_on"), ApprovedBy: f("approved_by")})
	default:
		p.Error = T(p.Lang, "error.notfound")
		s.render(w, r, http.StatusNotFound, "error", p)
		return
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		status := httpStatus(hogo.ErrorCode(err))
		if v, gerr := ps.Get(ctx, c.Actor, id); gerr == nil {
			p.Data = s.processorData(v, c)
			s.render(w, r, status, "processor", p)
			return
		}
		s.render(w, r, status, "error", p)
		return
	}
	http.Redirect(w, r, "/console/processors/"+id+"?done="+action, http.StatusSeeOther)
}
