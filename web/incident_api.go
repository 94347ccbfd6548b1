package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
)

func incidentReader(r hogo.Role) bool  { return slices.Contains(breach.ReadRoles, r) }
func incidentManager(r hogo.Role) bool { return slices.Contains(breach.ManageRoles, r) }

func (s *Server) incidentsReady() error {
	if s.Incidents == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "事案の管理が構成されていません。", "incidents are not configured")
	}
	return nil
}

func (s *Server) apiRecordIncident(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var in breach.Input
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Incidents.Record(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+v.ID)
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	list, err := s.Incidents.List(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*breach.View{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list})
	return nil
}

func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	v, err := s.Incidents.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiUpdateIncident(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var in breach.Input
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Incidents.Update(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiIncidentSent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var in struct{ Which, On string }
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Incidents.MarkSent(r.Context(), c.Actor, r.PathValue("id"), in.Which, in.On)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiIncidentReport(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	pdf, err := s.Incidents.ReportPDF(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	serveFile(w, "application/pdf", "incident-"+r.PathValue("id")+".pdf", pdf)
	return nil
}

func (s *Server) apiIncidentNotice(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var n breach.Notice
	if err := decodeBody(r, &n); err != nil {
		return err
	}
	v, err := s.Incidents.RecordNotice(r.Context(), c.Actor, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiIncidentNoticeLetter(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	pdf, err := s.Incidents.NoticePDF(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	serveFile(w, "application/pdf", "notice-"+r.PathValue("id")+".pdf", pdf)
	return nil
}

func (s *Server) apiIncidentAddTask(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var in breach.TaskInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Incidents.AddTask(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) apiIncidentTask(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	var in struct {
		Done *bool  `json:"done"`
		Note string `json:"note"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Done == nil {
		return hogo.NewError(hogo.EINVALID, "done", "done に true（完了）か false（未完了に戻す）を指定してください。", "give done: true (done) or false (reopen)")
	}
	v, err := s.Incidents.SetTask(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("task"), *in.Done, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiIncidentTimeline(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.incidentsReady(); err != nil {
		return err
	}
	evs, err := s.Incidents.Timeline(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
	return nil
}
