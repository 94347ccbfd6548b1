package web

import (
	"net/http"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

func (s *Server) consentConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/principals/{id}/consents", s.console(s.consentsPage, "consents.title", consentReader))
	mux.HandleFunc("POST /console/principals/{id}/consents", s.console(s.consentGive, "consents.title", consentRole))
	mux.HandleFunc("POST /console/principals/{id}/consents/{cid}/withdraw", s.console(s.consentWithdraw, "consents.title", consentRole))
	mux.HandleFunc("GET /console/principals/{id}/consents/{cid}/receipt", s.console(s.consentReceiptPDF, "consents.title", consentReader))
	mux.HandleFunc("GET /console/consents/reconsent", s.console(s.reconsentPage, "consents.reconsent", reviewers))
}

// consentChoice is a purpose or recipient offered on the form.
type consentChoice struct {
	ID, Name string
	Consent  bool // the purpose needs consent
	Foreign  string
}

func (s *Server) consentsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	data := map[string]any{"ID": id, "CanRecord": consentRole(c.Actor.Role), "Methods": hogo.ConsentMethods}
	p.Data = data
	if st := s.Ledger(); st != nil {
		var ps, rs []consentChoice
		for _, x := range st.Ledger.Purposes {
			ps = append(ps, consentChoice{ID: x.ID, Name: x.Name.In(p.Lang), Consent: x.ConsentRequired})
		}
		for _, x := range st.Ledger.Recipients {
			ch := consentChoice{ID: x.ID, Name: x.Name.In(p.Lang)}
			if x.Foreign != nil {
				ch.Foreign = x.Foreign.Country.In(p.Lang)
			}
			rs = append(rs, ch)
		}
		data["PurposeChoices"], data["RecipientChoices"] = ps, rs
		names := map[string]string{}
		for _, x := range ps {
			names["purpose:"+x.ID] = x.Name
		}
		for _, x := range rs {
			names["recipient:"+x.ID] = x.Name
		}
		data["Names"] = names
	}
	status := http.StatusOK
	if err := s.vaultReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if cs, err := s.Vault.Consents(r.Context(), c.Actor, id); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		data["Consents"] = cs
		// The notice version each consent was given under.
		notices := map[string]int64{}
		for _, x := range cs {
			notices[x.ID] = s.noticeOf(r.Context(), x.NoticeVersion)
		}
		data["Notices"] = notices
	}
	if key := "consents.done." + r.URL.Query().Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(p.Lang, key)
		}
	}
	s.render(w, r, status, "consents", p)
}

func (s *Server) consentGive(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	in := vault.ConsentInput{Purposes: r.PostForm["purposes"], Recipients: r.PostForm["recipients"], Method: r.PostFormValue("method"),
		Witness: r.PostFormValue("witness"), ForeignInformed: r.PostFormValue("foreign_informed") != ""}
	if d := strings.TrimSpace(r.PostFormValue("expires_on")); d != "" {
		t, err := time.ParseInLocation("2006-01-02", d, hogo.Tokyo)
		if err != nil {
			p.Error = T(p.Lang, "consents.bad_date")
			s.consentsPage(&statusOverride{w, http.StatusBadRequest}, r, c, p)
			return
		}
		in.ExpiresAt = t.AddDate(0, 0, 1) // valid through the day given
	}
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.consentsPage(&statusOverride{w, http.StatusInternalServerError}, r, c, p)
		return
	}
	if _, err := s.Vault.GiveConsent(r.Context(), c.Actor, id, in); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.consentsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/principals/"+id+"/consents?done=give", http.StatusSeeOther)
}

func (s *Server) consentWithdraw(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id := r.PathValue("id")
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.consentsPage(&statusOverride{w, http.StatusInternalServerError}, r, c, p)
		return
	}
	if err := s.Vault.WithdrawConsent(r.Context(), c.Actor, id, r.PathValue("cid"), vault.ViaDesk); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.consentsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/principals/"+id+"/consents?done=withdraw", http.StatusSeeOther)
}

func (s *Server) consentReceiptPDF(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	rc, err := s.Vault.ConsentReceipt(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("cid"))
	if err == nil {
		var pdf []byte
		if pdf, err = consentReceiptPDF(rc, s.Ledger()); err == nil {
			serveFile(w, "application/pdf", "consent-"+rc.ConsentReceiptID+".pdf", pdf)
			return
		}
	}
	p.Error = hogo.ErrorMessageIn(err, p.Lang)
	s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
}

func (s *Server) reconsentPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := http.StatusOK
	if err := s.vaultReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if list, err := s.Vault.ReconsentList(r.Context(), c.Actor, 1000); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		p.Data = map[string]any{"List": list}
	}
	s.render(w, r, status, "reconsent", p)
}
