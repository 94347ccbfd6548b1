package web

import (
	"net/http"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/requests"
)

func (s *Server) requestPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /requests/new", s.portalRequestForm)
	mux.HandleFunc("POST /requests/new", s.portalRequestSubmit)
	mux.HandleFunc("GET /requests/status", s.portalStatusForm)
	mux.HandleFunc("POST /requests/status", s.portalStatusSubmit)
}

func (s *Server) portalPage(r *http.Request, title string) *page {
	p := s.newPage(r, title)
	p.Portal = true
	return p
}

// portalForm is what the request form shows: the request types the ledger
// accepts.
func (s *Server) portalForm(p *page) map[string]any {
	data := map[string]any{"Agents": ledger.AgentKinds}
	if st := s.Ledger(); st != nil {
		types := st.Ledger.Requests.Types
		if len(types) == 0 {
			types = ledger.RequestTypes
		}
		data["Types"] = types
		data["Methods"] = st.Ledger.Requests.ResponseMethods
	}
	return data
}

func (s *Server) portalRequestForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.request.title")
	p.Data = s.portalForm(p)
	s.render(w, r, http.StatusOK, "portal_request", p)
}

func (s *Server) portalRequestSubmit(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.request.title")
	data := s.portalForm(p)
	p.Data = data
	fail := func(status int, msg string) {
		p.Error = msg
		s.render(w, r, status, "portal_request", p)
	}
	if !s.portalLimiter.Allow(remoteIP(r), s.Now()) {
		fail(http.StatusTooManyRequests, T(p.Lang, "portal.limited"))
		return
	}
	if err := s.requestsReady(); err != nil {
		fail(http.StatusInternalServerError, hogo.ErrorMessageIn(err, p.Lang))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, T(p.Lang, "portal.badform"))
		return
	}
	in := requests.Intake{Types: r.PostForm["types"], ResponseMethod: r.PostFormValue("response_method"),
		Requester: requests.Requester{Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name")),
			NameKana: r.PostFormValue("name_kana"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
			Postal: r.PostFormValue("postal_code"), Address: r.PostFormValue("address"), AgentKind: r.PostFormValue("agent_kind"),
			PrincipalName: r.PostFormValue("principal_name")}}
	rc, err := s.Requests.ReceiveFromPortal(r.Context(), remoteIP(r), in)
	if err != nil {
		fail(httpStatus(hogo.ErrorCode(err)), hogo.ErrorMessageIn(err, p.Lang))
		return
	}
	data["Receipt"] = rc
	s.render(w, r, http.StatusOK, "portal_request", p)
}

func (s *Server) portalStatusForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.status.title")
	p.Data = map[string]any{}
	s.render(w, r, http.StatusOK, "portal_status", p)
}

func (s *Server) portalStatusSubmit(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.status.title")
	p.Data = map[string]any{}
	if !s.portalLimiter.Allow(remoteIP(r), s.Now()) {
		p.Error = T(p.Lang, "portal.limited")
		s.render(w, r, http.StatusTooManyRequests, "portal_status", p)
		return
	}
	if err := s.requestsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "portal_status", p)
		return
	}
	st, err := s.Requests.Lookup(r.Context(), remoteIP(r), r.PostFormValue("receipt_number"), r.PostFormValue("secret"))
	if err != nil {
		// One answer for a wrong number and a wrong secret, after the
		// same pause, so that neither can be told apart.
		time.Sleep(200 * time.Millisecond)
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "portal_status", p)
		return
	}
	p.Data = map[string]any{"Status": st}
	s.render(w, r, http.StatusOK, "portal_status", p)
}
