package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
)

// Who may do what with complaints (APPI Art. 40): record one (staff too,
// for a phone call), handle them (the desk and the protection manager),
// read them (and the auditor).
func complaintIntake(r hogo.Role) bool  { return slices.Contains(complaint.IntakeRoles, r) }
func complaintHandler(r hogo.Role) bool { return slices.Contains(complaint.HandleRoles, r) }
func complaintReader(r hogo.Role) bool  { return slices.Contains(complaint.ReadRoles, r) }

func (s *Server) complaintsReady() error {
	if s.Complaints == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "苦情・相談の受付が構成されていません。", "the complaint desk is not configured")
	}
	return nil
}

func (s *Server) apiCreateComplaint(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.complaintsReady(); err != nil {
		return err
	}
	var in complaint.Intake
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Complaints.Receive(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/complaints/"+v.ID)
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) apiComplaints(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.complaintsReady(); err != nil {
		return err
	}
	q, err := s.Complaints.Queue(r.Context(), c.Actor, r.URL.Query().Get("view"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": q})
	return nil
}

func (s *Server) apiComplaint(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.complaintsReady(); err != nil {
		return err
	}
	v, err := s.Complaints.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiComplaintStep(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.complaintsReady(); err != nil {
		return err
	}
	var in complaint.StepInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.Complaints.Step(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiComplaintStats(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.complaintsReady(); err != nil {
		return err
	}
	st, err := s.Complaints.Stats(r.Context(), c.Actor, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
