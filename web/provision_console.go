package web

import (
	"net/http"
	"slices"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/provision"
)

func (s *Server) provisionConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/provisions", s.console(s.provisionsPage, "provisions.title", anyProvisionRole))
	mux.HandleFunc("POST /console/provisions/preview", s.console(s.provisionPreview, "provisions.title", provideRole))
	mux.HandleFunc("POST /console/provisions", s.console(s.provisionCreate, "provisions.title", provideRole))
	mux.HandleFunc("GET /console/provisions/{id}/export", s.console(s.provisionExport, "provisions.title", provideRole))
}

func anyProvisionRole(r hogo.Role) bool { return provideRole(r) || provisionReader(r) }

// provisionForm is the wizard: the ledger's recipients and processors,
// the bases, the items of each category.
func (s *Server) provisionForm(p *page, data map[string]any) {
	st := s.Ledger()
	if st == nil {
		return
	}
	l := st.Ledger
	// What was chosen stays chosen when the page comes back (after a
	// preview or a refusal).
	in, _ := data["Input"].(provision.Input)
	type opt struct {
		ID, Name, Note string
		On             bool
	}
	var rs, items, bases, excs, formats []opt
	for _, r := range l.Recipients {
		note := map[string]string{ledger.BasisConsent: T(p.Lang, "provisions.basis.consent"), ledger.BasisOptOut: T(p.Lang, "provisions.basis.opt_out")}[r.Basis]
		if r.Foreign != nil {
			note += " / " + r.Foreign.Country.In(p.Lang)
		}
		rs = append(rs, opt{r.ID, r.Name.In(p.Lang), note, r.ID == in.Recipient})
	}
	for _, r := range l.Processors {
		rs = append(rs, opt{r.ID, r.Name.In(p.Lang), T(p.Lang, "provisions.processor"), r.ID == in.Recipient})
	}
	seen := map[string]bool{}
	for _, c := range l.Categories {
		for _, it := range c.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				items = append(items, opt{it.ID, it.Name.In(p.Lang), "", slices.Contains(in.Items, it.ID)})
			}
		}
	}
	basisKey := "provisions.basis." // every basis has words: TestMessageKeysExist
	for _, b := range hogo.ProvisionBases {
		bases = append(bases, opt{b, T(p.Lang, basisKey+b), "", b == in.Basis})
	}
	for _, x := range l.Provision.Exceptions {
		excs = append(excs, opt{x, x, "", x == in.Exception})
	}
	for _, f := range []string{"csv", "xlsx", "json"} {
		formats = append(formats, opt{f, map[string]string{"csv": "CSV", "xlsx": "Excel", "json": "JSON"}[f], "", f == in.Format})
	}
	data["Recipients"], data["Items"], data["Bases"], data["Exceptions"], data["Formats"] = rs, items, bases, excs, formats
}

func (s *Server) provisionsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	data["CanProvide"] = provideRole(c.Actor.Role)
	s.provisionForm(p, data)
	p.Data = data
	status := http.StatusOK
	if err := s.provisionsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if provisionReader(c.Actor.Role) {
		principal := r.URL.Query().Get("principal")
		if list, err := s.Provisions.List(r.Context(), c.Actor, principal); err != nil {
			if p.Error == "" {
				p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
			}
		} else {
			data["Records"] = list
		}
	}
	if p.Error != "" && status == http.StatusOK {
		if st, ok := data["Status"].(int); ok {
			status = st
		}
	}
	s.render(w, r, status, "provisions", p)
}

func provisionInput(r *http.Request) provision.Input {
	ids := strings.Fields(strings.NewReplacer(",", " ", "、", " ").Replace(r.PostFormValue("principals")))
	return provision.Input{Recipient: r.PostFormValue("recipient"), Principals: ids, Items: r.PostForm["items"], Basis: r.PostFormValue("basis"),
		Category: r.PostFormValue("category"), Exception: r.PostFormValue("exception"), Justification: r.PostFormValue("justification"),
		Format: r.PostFormValue("format")}
}

// provisionPreview shows the legal-basis decision before anything goes
// out; the form carries the input on to the confirmation.
func (s *Server) provisionPreview(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	in := provisionInput(r)
	data := map[string]any{"Input": in, "PrincipalsText": strings.Join(in.Principals, "\n")}
	p.Data = data
	if err := s.provisionsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		data["Status"] = http.StatusInternalServerError
	} else if pv, err := s.Provisions.Preview(r.Context(), c.Actor, in); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		data["Status"] = httpStatus(hogo.ErrorCode(err))
	} else {
		data["Preview"] = pv
		if pv.Err != nil {
			data["Refused"] = pv.Err.In(p.Lang)
		}
	}
	s.provisionsPage(w, r, c, p)
}

func (s *Server) provisionCreate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	in := provisionInput(r)
	data := map[string]any{"Input": in, "PrincipalsText": strings.Join(in.Principals, "\n")}
	p.Data = data
	if err := s.provisionsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		data["Status"] = http.StatusInternalServerError
	} else if rec, err := s.Provisions.Provide(r.Context(), c.Actor, in); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		data["Status"] = httpStatus(hogo.ErrorCode(err))
		var re *provision.RefusedError
		if asRefused(err, &re) {
			data["Preview"] = &provision.Preview{Refusals: re.Refusals, Count: len(in.Principals)}
		}
	} else {
		data["Done"] = rec
		p.Flash = T(p.Lang, "provisions.done")
	}
	s.provisionsPage(w, r, c, p)
}

func (s *Server) provisionExport(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.provisionsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	name, ct, data, err := s.Provisions.Export(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	serveFile(w, ct, name, data)
}
