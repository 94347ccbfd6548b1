package web

import (
	"net/http"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
)

// The portal's complaint form (苦情・相談, APPI Art. 40): anyone may send a
// complaint or a question about how their personal information is
// handled, with or without their name, and is given a receipt number.

func (s *Server) complaintPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /complaints/new", s.portalComplaintForm)
	mux.HandleFunc("POST /complaints/new", s.portalComplaintSubmit)
}

func (s *Server) portalComplaintData(p *page) map[string]any {
	data := map[string]any{"Categories": complaint.Categories}
	if st := s.Ledger(); st != nil {
		data["Desk"], data["Hours"] = st.Ledger.ComplaintDesk, deskHours(st.Ledger.ComplaintDesk, p.Lang)
	}
	return data
}

func (s *Server) portalComplaintForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.complaint.title")
	p.Data = s.portalComplaintData(p)
	s.render(w, r, http.StatusOK, "portal_complaint", p)
}

func (s *Server) portalComplaintSubmit(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.complaint.title")
	data := s.portalComplaintData(p)
	p.Data = data
	fail := func(status int, msg string) {
		p.Error = msg
		s.render(w, r, status, "portal_complaint", p)
	}
	if !s.portalGate(w, r, p, "portal_complaint", s.complaintsReady(), "portal.complaint.toolarge") {
		return
	}
	f := r.PostFormValue
	in := complaint.Intake{Category: f("category"), Anonymous: f("anonymous") != "", Statement: f("statement"),
		Complainant: complaint.Complainant{Name: f("name"), Email: f("email"), Phone: f("phone"), Address: f("address")}}
	v, err := s.Complaints.ReceiveFromPortal(r.Context(), remoteIP(r), in)
	if err != nil {
		// What was written is shown again, so that nothing is lost; the
		// page is not cached.
		data["Form"] = in
		w.Header().Set("Cache-Control", "no-store")
		fail(httpStatus(hogo.ErrorCode(err)), hogo.ErrorMessageIn(err, p.Lang))
		return
	}
	data["Receipt"] = v
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "portal_complaint", p)
}
