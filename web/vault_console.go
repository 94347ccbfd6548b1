package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

func (s *Server) vaultConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/principals", s.console(s.principalsPage, "vault.title", anyRole))
	mux.HandleFunc("POST /console/principals/search", s.console(s.principalsSearch, "vault.title", anyRole))
	mux.HandleFunc("GET /console/principals/new", s.console(s.principalNewPage, "vault.new", anyRole))
	mux.HandleFunc("POST /console/principals/new", s.console(s.principalCreate, "vault.new", anyRole))
	mux.HandleFunc("GET /console/principals/{id}", s.console(s.principalPage, "vault.principal", anyRole))
	mux.HandleFunc("POST /console/principals/{id}/read", s.console(s.principalRead, "vault.principal", anyRole))
	mux.HandleFunc("POST /console/principals/{id}/erase", s.console(s.principalErase, "vault.principal", anyRole))
	mux.HandleFunc("POST /console/principals/{id}/records/{rid}/events", s.console(s.principalEvent, "vault.principal", eventRecorder))
	mux.HandleFunc("POST /console/principals/export", s.console(s.consoleExport, "vault.title", anyRole))
	mux.HandleFunc("GET /console/reviews", s.console(s.reviewsPage, "reviews.title", reviewers))
	mux.HandleFunc("POST /console/reviews/{id}", s.console(s.reviewDecide, "reviews.title", managerOnly))
	mux.HandleFunc("GET /console/import", s.console(s.importPage, "import.title", anyRole))
	mux.HandleFunc("POST /console/import/preview", s.console(s.importPreview, "import.title", anyRole))
	mux.HandleFunc("POST /console/import/run", s.console(s.importRun, "import.title", anyRole))
}

// purposeOption is a purpose for a select box.
type purposeOption struct {
	ID, Name string
}

func (s *Server) purposeOptions(lang string) []purposeOption {
	st := s.Ledger()
	if st == nil {
		return nil
	}
	out := make([]purposeOption, len(st.Ledger.Purposes))
	for i, p := range st.Ledger.Purposes {
		out[i] = purposeOption{p.ID, p.Name.In(lang)}
	}
	return out
}

func (s *Server) exceptionOptions(lang string) []purposeOption {
	st := s.Ledger()
	if st == nil {
		return nil
	}
	var out []purposeOption
	for _, e := range st.Ledger.Provision.OutOfPurposeExceptions {
		out = append(out, purposeOption{e, T(lang, "exception."+e)})
	}
	return out
}

// recordView is a record prepared for the console: items in ledger order
// with their names.
type recordView struct {
	*vault.RecordView
	CategoryName string
	SourceName   string
	Items        []itemValue
	Purposes     []string
	Usable       []string
	// Notice is the number of the privacy notice version in force when
	// the record was acquired (0 when unknown).
	Notice int64
}

// noticeOf returns the notice version a ledger digest showed; the mapping
// never changes once made, so found ones are kept.
func (s *Server) noticeOf(ctx context.Context, digest string) int64 {
	if digest == "" {
		return 0
	}
	if n, ok := s.noticeNums.Load(digest); ok {
		return n.(int64)
	}
	v, err := s.Store.NoticeVersionOfLedger(ctx, digest)
	if err != nil {
		return 0
	}
	s.noticeNums.Store(digest, v.Version)
	return v.Version
}

type itemValue struct {
	ID, Name, Value string
	Sensitive       bool
}

func (s *Server) principalView(ctx context.Context, v *vault.View, lang string) []recordView {
	st := s.Ledger()
	out := make([]recordView, 0, len(v.Records))
	for _, r := range v.Records {
		rv := recordView{RecordView: r, CategoryName: r.Category, SourceName: r.Source, Notice: s.noticeOf(ctx, r.NoticeVersion)}
		if st != nil {
			l := st.Ledger
			if c := l.Category(r.Category); c != nil {
				rv.CategoryName = c.Name.In(lang)
				for _, it := range c.Items {
					if val, ok := r.Items[it.ID]; ok {
						rv.Items = append(rv.Items, itemValue{it.ID, it.Name.In(lang), val, it.Sensitive})
					}
				}
			}
			if src := l.Source(r.Source); src != nil {
				rv.SourceName = src.Name.In(lang)
			}
			rv.Purposes = purposeNames(l, r.Purposes, lang)
			rv.Usable = purposeNames(l, r.Usable, lang)
		}
		out = append(out, rv)
	}
	return out
}

func purposeNames(l *ledger.Ledger, ids []string, lang string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if p := l.Purpose(id); p != nil {
			out[i] = p.Name.In(lang)
		}
	}
	return out
}

func (s *Server) principalsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if key := r.URL.Query().Get("flash"); strings.HasPrefix(key, "vault.") {
		p.Flash = T(p.Lang, key)
	}
	if p.Data == nil {
		p.Data = map[string]any{}
	}
	data := p.Data.(map[string]any)
	data["Purposes"] = s.purposeOptions(p.Lang)
	data["Kinds"] = vault.LookupKinds
	data["Categories"] = s.newForm(p.Lang, "", nil).Categories
	s.render(w, r, http.StatusOK, "principals", p)
}

func (s *Server) principalsSearch(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.principalsPage(w, r, c, p)
		return
	}
	by, value, purpose := r.PostFormValue("by"), r.PostFormValue("value"), r.PostFormValue("purpose")
	u := vault.Use{Purpose: purpose}
	var found []*vault.View
	var err error
	if by == vault.LookupBirthName {
		found, err = s.Vault.FindBirthName(r.Context(), c.Actor, r.PostFormValue("birth_date"), value, u)
	} else {
		found, err = s.Vault.Find(r.Context(), c.Actor, by, value, u)
	}
	data := map[string]any{"By": by, "Purpose": purpose, "Searched": true}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	} else {
		type hit struct {
			ID      string
			Records []recordView
		}
		hits := make([]hit, len(found))
		for i, v := range found {
			hits[i] = hit{v.ID, s.principalView(r.Context(), v, p.Lang)}
		}
		data["Hits"] = hits
	}
	p.Data = data
	status := http.StatusOK
	if err != nil {
		status = httpStatus(hogo.ErrorCode(err))
	}
	s.principalsPage(&statusOverride{w, status}, r, c, p)
}

func (s *Server) principalPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	s.showPrincipal(w, r, c, p, vault.Use{Purpose: r.URL.Query().Get("purpose")})
}

func (s *Server) principalRead(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	s.showPrincipal(w, r, c, p, vault.Use{Purpose: r.PostFormValue("purpose"), Exception: r.PostFormValue("exception"),
		Justification: r.PostFormValue("justification")})
}

func (s *Server) showPrincipal(w http.ResponseWriter, r *http.Request, c *who, p *page, u vault.Use) {
	id := r.PathValue("id")
	data := map[string]any{"ID": id, "Purpose": u.Purpose, "Purposes": s.purposeOptions(p.Lang),
		"Exceptions": s.exceptionOptions(p.Lang), "CanErase": canErase(c.User.Role)}
	p.Data = data
	status := http.StatusOK
	if err := s.vaultReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if u.Purpose != "" || u.Exception != "" {
		v, err := s.Vault.Get(r.Context(), c.Actor, id, u)
		if err != nil {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		} else {
			data["View"] = v
			data["Records"] = s.principalView(r.Context(), v, p.Lang)
			s.addRecordEvents(r.Context(), c, p, data, v)
		}
	}
	if key := r.URL.Query().Get("flash"); strings.HasPrefix(key, "vault.") {
		p.Flash = T(p.Lang, key)
	}
	s.render(w, r, status, "principal", p)
}

func canErase(r hogo.Role) bool {
	for _, e := range vault.EraseRoles {
		if e == r {
			return true
		}
	}
	return false
}

func (s *Server) principalErase(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	id := r.PathValue("id")
	if err := s.Vault.Erase(r.Context(), c.Actor, []string{id}, r.PostFormValue("reason")); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.showPrincipal(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p, vault.Use{})
		return
	}
	http.Redirect(w, r, "/console/principals?flash=vault.erased", http.StatusSeeOther)
}

// newForm is the data of the new-principal form.
type newForm struct {
	Categories []purposeOption
	Category   *ledger.Category
	Sources    []purposeOption
	Purposes   []purposeOption
	Items      []itemField
	Purpose    string
	Source     string
}

type itemField struct {
	ID, Name, Type, Value string
	Required, Sensitive   bool
}

func (s *Server) newForm(lang, cat string, values map[string]string) *newForm {
	f := &newForm{}
	st := s.Ledger()
	if st == nil {
		return f
	}
	l := st.Ledger
	for _, c := range l.Categories {
		f.Categories = append(f.Categories, purposeOption{c.ID, c.Name.In(lang)})
	}
	if cat == "" && len(l.Categories) > 0 {
		cat = l.Categories[0].ID
	}
	c := l.Category(cat)
	if c == nil {
		return f
	}
	f.Category = c
	for _, ref := range c.Sources {
		if src := l.Source(ref.ID); src != nil {
			f.Sources = append(f.Sources, purposeOption{src.ID, src.Name.In(lang)})
		}
	}
	for _, ref := range c.Purposes {
		if pp := l.Purpose(ref.ID); pp != nil {
			f.Purposes = append(f.Purposes, purposeOption{pp.ID, pp.Name.In(lang)})
		}
	}
	for _, it := range c.Items {
		f.Items = append(f.Items, itemField{it.ID, it.Name.In(lang), string(it.Type), values[it.ID], it.Required, it.Sensitive})
	}
	return f
}

func (s *Server) principalNewPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if p.Data == nil {
		p.Data = s.newForm(p.Lang, r.URL.Query().Get("category"), nil)
	}
	s.render(w, r, http.StatusOK, "principal_new", p)
}

func (s *Server) principalCreate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	cat := r.PostFormValue("category")
	in := vault.NewRecord{Category: cat, Use: vault.Use{Purpose: r.PostFormValue("purpose")}, Source: r.PostFormValue("source"),
		Items: map[string]string{}}
	f := s.newForm(p.Lang, cat, nil)
	for _, it := range f.Items {
		if v := strings.TrimSpace(r.PostFormValue("item." + it.ID)); v != "" {
			in.Items[it.ID] = v
		}
	}
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	id, _, err := s.Vault.Create(r.Context(), c.Actor, in)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		f = s.newForm(p.Lang, cat, in.Items)
		f.Purpose, f.Source = in.Purpose, in.Source
		p.Data = f
		s.principalNewPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/principals/"+id+"?purpose="+url.QueryEscape(in.Purpose)+"&flash=vault.created", http.StatusSeeOther)
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = hogo.ReviewPending
	}
	if status == "all" {
		status = ""
	}
	if key := r.URL.Query().Get("flash"); strings.HasPrefix(key, "reviews.") {
		p.Flash = T(p.Lang, key)
	}
	data := map[string]any{"Status": r.URL.Query().Get("status")}
	if err := s.vaultReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	} else if rs, err := s.Vault.Reviews(r.Context(), status, 200); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	} else {
		data["Reviews"] = rs
		e := c.Actor.Entry("exception.list")
		e.Detail = map[string]string{"count": strconv.Itoa(len(rs))}
		if err := s.Audit.Append(r.Context(), e); err != nil {
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			delete(data, "Reviews")
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "reviews", p)
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.vaultReady()
	}
	if err == nil {
		err = s.Vault.DecideReview(r.Context(), c.Actor, id, r.PostFormValue("decision") == "approve", r.PostFormValue("note"))
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.reviewsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/reviews?flash=reviews.done", http.StatusSeeOther)
}
