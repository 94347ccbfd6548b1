package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
)

func (s *Server) incidentConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/incidents", s.console(s.incidentsPage, "incidents.title", anyRole))
	mux.HandleFunc("POST /console/incidents", s.console(s.incidentRecord, "incidents.title", anyRole))
	mux.HandleFunc("GET /console/incidents/{id}", s.console(s.incidentPage, "incidents.one", incidentReader))
	mux.HandleFunc("POST /console/incidents/{id}", s.console(s.incidentUpdate, "incidents.one", incidentManager))
	mux.HandleFunc("POST /console/incidents/{id}/sent", s.console(s.incidentSent, "incidents.one", incidentManager))
	mux.HandleFunc("GET /console/incidents/{id}/report", s.console(s.incidentReport, "incidents.one", incidentReader))
	mux.HandleFunc("POST /console/incidents/{id}/notices", s.console(s.incidentNotice, "incidents.one", incidentManager))
	mux.HandleFunc("GET /console/incidents/{id}/notice", s.console(s.incidentNoticeLetter, "incidents.one", incidentReader))
	mux.HandleFunc("POST /console/incidents/{id}/tasks", s.console(s.incidentTaskAdd, "incidents.one", incidentManager))
	mux.HandleFunc("POST /console/incidents/{id}/tasks/{task}", s.console(s.incidentTaskSet, "incidents.one", incidentManager))
}

// incidentTaskAdd adds a task from the page's form; what it says travels
// in the body, never in the URL.
func (s *Server) incidentTaskAdd(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	f := r.PostFormValue
	if _, err := s.Incidents.AddTask(r.Context(), c.Actor, id, breach.TaskInput{Title: f("title"), Assignee: f("assignee"), Due: f("due"),
		Note: f("note")}); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.incidentPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/incidents/"+id+"?done=task_added", http.StatusSeeOther)
}

// incidentTaskSet marks a task done (done=true) or reopens it.
func (s *Server) incidentTaskSet(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	done, err := strconv.ParseBool(r.PostFormValue("done"))
	if err != nil {
		err = hogo.NewError(hogo.EINVALID, "done", "完了（true）か未完了に戻す（false）かを指定してください。", "give done: true or false")
	} else {
		_, err = s.Incidents.SetTask(r.Context(), c.Actor, id, r.PathValue("task"), done, r.PostFormValue("note"))
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.incidentPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	flash := "task_reopened"
	if done {
		flash = "task_done"
	}
	http.Redirect(w, r, "/console/incidents/"+id+"?done="+flash, http.StatusSeeOther)
}

func (s *Server) incidentNotice(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("count")))
	if _, err := s.Incidents.RecordNotice(r.Context(), c.Actor, id, breach.Notice{Method: r.PostFormValue("method"), Count: n,
		On: r.PostFormValue("on"), Note: r.PostFormValue("note")}); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.incidentPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/incidents/"+id+"?done=notice", http.StatusSeeOther)
}

func (s *Server) incidentNoticeLetter(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	pdf, err := s.Incidents.NoticePDF(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	serveFile(w, "application/pdf", "notice-"+r.PathValue("id")+".pdf", pdf)
}

// incidentInput reads the incident form.
func incidentInput(r *http.Request) breach.Input {
	f := r.PostFormValue
	est, _ := strconv.Atoi(strings.TrimSpace(f("estimate")))
	in := breach.Input{KnownOn: f("known_on")}
	in.Title, in.Summary, in.Items, in.Cause = f("title"), f("summary"), f("items"), f("cause")
	in.SecondaryDamage, in.PrincipalResponse, in.Publication, in.Prevention, in.Other = f("secondary_damage"), f("principal_response"),
		f("publication"), f("prevention"), f("other")
	in.Medium = f("medium")
	in.Scope = breach.Scope{Categories: r.PostForm["categories"], From: f("from"), To: f("to"), Principals: strings.Fields(f("principals")), Estimate: est}
	in.ItemIDs = strings.Fields(strings.ReplaceAll(f("item_ids"), ",", " "))
	in.Encrypted, in.FinancialRisk, in.UnjustPurpose = f("encrypted") != "", f("financial_risk") != "", f("unjust_purpose") != ""
	in.Entrustee, in.Entrustor = f("entrustee") != "", f("entrustor")
	return in
}

func (s *Server) incidentForm(data map[string]any) {
	if st := s.Ledger(); st != nil {
		type opt struct{ ID, Name string }
		var cs []opt
		for _, c := range st.Ledger.Categories {
			cs = append(cs, opt{c.ID, c.Name.Ja})
		}
		data["Categories"] = cs
	}
	data["Media"] = breach.Media
	data["NoticeMethods"] = breach.NoticeMethods
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data := map[string]any{"CanRead": incidentReader(c.Actor.Role)}
	if d, ok := p.Data.(map[string]any); ok {
		for k, v := range d {
			data[k] = v
		}
	}
	s.incidentForm(data)
	p.Data = data
	status := http.StatusOK
	if st, ok := data["Status"].(int); ok {
		status = st
	}
	if err := s.incidentsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if incidentReader(c.Actor.Role) {
		if list, err := s.Incidents.List(r.Context(), c.Actor); err != nil {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		} else {
			data["List"] = list
		}
	}
	s.render(w, r, status, "incidents", p)
}

func (s *Server) incidentRecord(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.incidentsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		p.Data = map[string]any{"Status": http.StatusInternalServerError}
		s.incidentsPage(w, r, c, p)
		return
	}
	v, err := s.Incidents.Record(r.Context(), c.Actor, incidentInput(r))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		p.Data = map[string]any{"Status": httpStatus(hogo.ErrorCode(err))}
		s.incidentsPage(w, r, c, p)
		return
	}
	if incidentReader(c.Actor.Role) {
		http.Redirect(w, r, "/console/incidents/"+v.ID, http.StatusSeeOther)
		return
	}
	p.Flash = T(p.Lang, "incidents.recorded")
	s.incidentsPage(w, r, c, p)
}

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data := map[string]any{"CanManage": incidentManager(c.Actor.Role)}
	s.incidentForm(data)
	p.Data = data
	status := http.StatusOK
	if err := s.incidentsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if v, err := s.Incidents.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		data["Incident"] = v
		type choice struct {
			ID, Name string
			On       bool
		}
		var cs []choice
		if st := s.Ledger(); st != nil {
			for _, c := range st.Ledger.Categories {
				cs = append(cs, choice{c.ID, c.Name.Ja, slices.Contains(v.Facts.Scope.Categories, c.ID)})
			}
		}
		data["CatChoices"] = cs
		if evs, err := s.Incidents.Timeline(r.Context(), c.Actor, v.ID); err != nil {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		} else {
			data["Timeline"] = evs
		}
		if incidentManager(c.Actor.Role) {
			// The staff as suggestions for a task's assignee (free text).
			if users, err := s.Store.ListUsers(r.Context()); err == nil {
				var names []*hogo.User
				for _, u := range users {
					if !u.Disabled {
						names = append(names, u)
					}
				}
				data["Assignees"] = names
			}
		}
	}
	if key := "incidents.done." + r.URL.Query().Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(p.Lang, key)
		}
	}
	if st, ok := data["Status"].(int); ok && p.Error != "" {
		status = st
	}
	s.render(w, r, status, "incident", p)
}

func (s *Server) incidentUpdate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	if _, err := s.Incidents.Update(r.Context(), c.Actor, id, incidentInput(r)); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.incidentPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/incidents/"+id+"?done=update", http.StatusSeeOther)
}

func (s *Server) incidentSent(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	if _, err := s.Incidents.MarkSent(r.Context(), c.Actor, id, r.PostFormValue("which"), r.PostFormValue("on")); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.incidentPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/incidents/"+id+"?done=sent", http.StatusSeeOther)
}

func (s *Server) incidentReport(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	pdf, err := s.Incidents.ReportPDF(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	serveFile(w, "application/pdf", "incident-"+r.PathValue("id")+".pdf", pdf)
}
