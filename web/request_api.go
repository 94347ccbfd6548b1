package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/requests"
)

func (s *Server) requestsReady() error {
	if s.Requests == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "請求の受付が構成されていません。", "rights requests are not configured")
	}
	return nil
}

func intakeRole(r hogo.Role) bool { return slices.Contains(requests.IntakeRoles, r) }
func queueRole(r hogo.Role) bool  { return slices.Contains(requests.QueueRoles, r) }

func (s *Server) apiCreateRequest(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	var in requests.Intake
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	rc, err := s.Requests.Receive(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/requests/"+rc.ID)
	writeJSON(w, http.StatusCreated, rc)
	return nil
}

func (s *Server) apiRequests(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	switch status {
	case "", hogo.RequestReceived, hogo.RequestIncomplete:
	default:
		return hogo.NewError(hogo.EINVALID, "status", "status は received か incomplete です。", "status is received or incomplete")
	}
	q, err := s.Requests.Queue(r.Context(), c.Actor, status)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": q})
	return nil
}

func (s *Server) apiGetRequest(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	d, err := s.Requests.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
