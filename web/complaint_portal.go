package web

import (
	"net/http"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
)

// The portal's complaint form (苦情・相談, APPI Art. 40): anyone may send a
// complaint or a question about how their personal information is
// handled, with or without their name, and is given a receipt number and
// a secret (shown once), and a receipt mail when they leave an address.
// The status page shows where a complaint stands, and the answer, to
// whoever gives its receipt number and secret.

func (s *Server) complaintPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /complaints/new", s.portalComplaintForm)
	mux.HandleFunc("POST /complaints/new", s.portalComplaintSubmit)
	mux.HandleFunc("GET /complaints/status", s.portalComplaintStatusForm)
	mux.HandleFunc("POST /complaints/status", s.portalComplaintStatusSubmit)
}

// complaintMissPause is how long a failed look-up waits before it is
// answered, whatever failed, so that an unknown receipt number and a
// wrong secret take as long.
const complaintMissPause = 200 * time.Millisecond

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
	// The page shows the secret: never cached.
	data["Receipt"] = v
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "portal_complaint", p)
}

func (s *Server) portalComplaintStatusForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.complaint.status.title")
	p.Data = map[string]any{}
	s.render(w, r, http.StatusOK, "complaint_status", p)
}

// portalComplaintStatusSubmit shows a complaint's status to whoever gives
// its receipt number and secret. Both come in the body, never the URL;
// neither is shown again.
func (s *Server) portalComplaintStatusSubmit(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.complaint.status.title")
	p.Data = map[string]any{}
	w.Header().Set("Cache-Control", "no-store")
	if !s.portalGate(w, r, p, "complaint_status", s.complaintsReady(), "portal.badform") {
		return
	}
	st, err := s.Complaints.Lookup(r.Context(), remoteIP(r), r.PostFormValue("receipt_number"), r.PostFormValue("secret"))
	if err != nil {
		// One answer for a wrong number and a wrong secret, after the
		// same pause.
		time.Sleep(complaintMissPause)
		if hogo.ErrorCode(err) == hogo.EINTERNAL {
			s.Logger.Error("complaint look-up failed", "err", errorKind(err))
		}
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "complaint_status", p)
		return
	}
	p.Data = map[string]any{"Status": st}
	s.render(w, r, http.StatusOK, "complaint_status", p)
}
