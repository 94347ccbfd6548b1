package web

import (
	"net/http"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/requests"
)

func (s *Server) requestConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/requests", s.console(s.requestsPage, "requests.title", queueRole))
	mux.HandleFunc("POST /console/requests", s.console(s.requestsCreate, "requests.title", intakeRole))
	mux.HandleFunc("GET /console/requests/{id}", s.console(s.requestPage, "requests.one", queueRole))
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	data["Types"], data["Channels"], data["Agents"] = ledger.RequestTypes, ledger.Channels, ledger.AgentKinds
	status := http.StatusOK
	if err := s.requestsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if q, err := s.Requests.Queue(r.Context(), c.Actor, ""); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		data["Queue"] = q
	}
	p.Data = data
	s.render(w, r, status, "requests", p)
}

func (s *Server) requestsCreate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	in := requests.Intake{Types: r.PostForm["types"], Channel: r.PostFormValue("channel"), ResponseMethod: r.PostFormValue("response_method"),
		Requester: requests.Requester{Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name")),
			NameKana: r.PostFormValue("name_kana"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
			Postal: r.PostFormValue("postal_code"), Address: r.PostFormValue("address"), AgentKind: r.PostFormValue("agent_kind"),
			PrincipalName: r.PostFormValue("principal_name")}}
	if err := s.requestsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.requestsPage(&statusOverride{w, http.StatusInternalServerError}, r, c, p)
		return
	}
	rc, err := s.Requests.Receive(r.Context(), c.Actor, in)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.requestsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	// The secret is shown once, on this page, for the letter to the
	// requester; it is never stored in the clear.
	p.Data = map[string]any{"Receipt": rc}
	s.requestsPage(w, r, c, p)
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := http.StatusOK
	if err := s.requestsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if d, err := s.Requests.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		p.Data = d
	}
	s.render(w, r, status, "request", p)
}
