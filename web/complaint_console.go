package web

import (
	"net/http"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
)

// The complaint desk in the console (APPI Art. 40): the queue by target
// day with the month's figures and the desk's intake form; one page per
// complaint with its case file and the forms of each step.

func (s *Server) complaintConsoleRoutes(mux *http.ServeMux) {
	either := func(r hogo.Role) bool { return complaintIntake(r) || complaintReader(r) }
	mux.HandleFunc("GET /console/complaints", s.console(s.complaintsPage, "complaints.title", either))
	mux.HandleFunc("POST /console/complaints", s.console(s.complaintReceive, "complaints.title", complaintIntake))
	mux.HandleFunc("GET /console/complaints/{id}", s.console(s.complaintPage, "complaints.one", complaintReader))
	mux.HandleFunc("POST /console/complaints/{id}", s.console(s.complaintStep, "complaints.one", complaintHandler))
}

// complaintIntakeForm reads the desk's intake form.
func complaintIntakeForm(r *http.Request) complaint.Intake {
	f := r.PostFormValue
	return complaint.Intake{Channel: f("channel"), Category: f("category"), Anonymous: f("anonymous") != "",
		Complainant: complaint.Complainant{Name: f("name"), Email: f("email"), Phone: f("phone"), Address: f("address")},
		Statement:   f("statement"), ReceivedAt: f("received_at"), ReplyByEmail: f("reply_by_email") != ""}
}

func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	var channels []string
	for _, ch := range complaint.Channels {
		if ch != "portal" {
			channels = append(channels, ch)
		}
	}
	data["Channels"], data["Categories"], data["AllChannels"] = channels, complaint.Categories, complaint.Channels
	data["Views"], data["View"] = complaint.Views, r.URL.Query().Get("view")
	data["CanRecord"], data["CanRead"] = complaintIntake(c.Actor.Role), complaintReader(c.Actor.Role)
	status := http.StatusOK
	if st, ok := data["Status"].(int); ok {
		status = st
	}
	ready := s.complaintsReady()
	if ready != nil {
		p.Error, status = hogo.ErrorMessageIn(ready, p.Lang), http.StatusInternalServerError
	} else {
		data["MailOff"] = s.Complaints.Mailer == nil
	}
	if ready == nil && complaintReader(c.Actor.Role) {
		if q, err := s.Complaints.Queue(r.Context(), c.Actor, r.URL.Query().Get("view")); err != nil {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		} else {
			data["Queue"] = q
		}
		if st, err := s.Complaints.Stats(r.Context(), c.Actor, r.URL.Query().Get("month")); err != nil {
			if p.Error == "" {
				p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
			}
		} else {
			data["Stats"] = st
		}
	}
	p.Data = data
	s.render(w, r, status, "complaints", p)
}

func (s *Server) complaintReceive(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.complaintsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		p.Data = map[string]any{"Status": http.StatusInternalServerError}
		s.complaintsPage(w, r, c, p)
		return
	}
	v, err := s.Complaints.Receive(r.Context(), c.Actor, complaintIntakeForm(r))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		p.Data = map[string]any{"Status": httpStatus(hogo.ErrorCode(err))}
		s.complaintsPage(w, r, c, p)
		return
	}
	// Whoever recorded it sees the receipt number, the secret (this once)
	// and the targets to tell the complainant, and whether the receipt
	// mail went; staff who took a call see no queue.
	p.Flash = T(p.Lang, "complaints.recorded")
	p.Data = map[string]any{"Receipt": v}
	w.Header().Set("Cache-Control", "no-store")
	s.complaintsPage(w, r, c, p)
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data := map[string]any{"CanHandle": complaintHandler(c.Actor.Role)}
	p.Data = data
	status := http.StatusOK
	if err := s.complaintsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if v, err := s.Complaints.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		data["Complaint"] = v
		if v.File != nil {
			// Line by line: what people write keeps its breaks.
			type note struct {
				complaint.Note
				Lines []string
			}
			var notes []note
			for _, n := range v.File.Notes {
				notes = append(notes, note{n, complaintLines(n.Text)})
			}
			data["Statement"], data["Notes"] = complaintLines(v.File.Statement), notes
		}
	}
	if key := "complaints.done." + r.URL.Query().Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(p.Lang, key)
		}
	}
	s.render(w, r, status, "complaint", p)
}

func (s *Server) complaintStep(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	f := r.PostFormValue
	version, _ := strconv.ParseInt(strings.TrimSpace(f("version")), 10, 64)
	in := complaint.StepInput{Step: f("step"), Note: f("note"), Request: f("request"), Incident: f("incident"), Version: version}
	err := s.complaintsReady()
	if err == nil {
		_, err = s.Complaints.Step(r.Context(), c.Actor, id, in)
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.complaintPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/complaints/"+id+"?done="+in.Step, http.StatusSeeOther)
}

// complaintLines splits a text written in a form into its lines.
func complaintLines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
