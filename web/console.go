package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/staff"
)

const sessionCookie = "hogo_session"

func parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"tokyo": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(hogo.Tokyo).Format("2006-01-02 15:04:05")
		},
		"join": strings.Join,
		"ids":  ledger.IDs,
		"in":   func(t ledger.Text, lang string) string { return t.In(lang) },
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	pages, _ := fs.Glob(templateFS, "templates/*.html")
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, p))
	}
	return out
}

// page is what every template gets.
type page struct {
	Lang     string
	Title    string
	User     *hogo.User
	CSRF     string
	Path     string
	Flash    string
	Error    string
	Org      string
	Data     any
	Portal   bool
	LangLink string
}

// T translates a message key for the page's language.
func (p *page) T(key string) string { return T(p.Lang, key) }

// RoleName is a role in words.
func (p *page) RoleName(r hogo.Role) string { return T(p.Lang, "role."+string(r)) }

// Can reports whether the signed-in user has one of the roles.
func (p *page) Can(roles ...string) bool {
	if p.User == nil {
		return false
	}
	for _, r := range roles {
		if string(p.User.Role) == r {
			return true
		}
	}
	return false
}

func (s *Server) newPage(r *http.Request, title string) *page {
	lang := requestLang(r)
	other := "en"
	if lang == "en" {
		other = "ja"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	p := &page{Lang: lang, Title: T(lang, title), Path: r.URL.Path, LangLink: r.URL.Path + "?" + q.Encode()}
	if st := s.Ledger(); st != nil {
		p.Org = st.Ledger.Organization.Name.In(lang)
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.tmpl[name]
	if !ok {
		http.Error(w, "unknown page", http.StatusInternalServerError)
		return
	}
	// A ?lang= choice is remembered.
	if l := r.URL.Query().Get("lang"); l == "ja" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Logger.Error("template failed", "page", name, "err", errorKind(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) secure(r *http.Request) bool { return s.SecureCookies || r.TLS != nil }

// consoleHandler is a console page with its signed-in user.
type consoleHandler func(w http.ResponseWriter, r *http.Request, c *who, p *page)

// console requires a session (else redirects to sign-in), a form token on
// POST, and one of the allowed roles.
func (s *Server) console(h consoleHandler, title string, allowed permission) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cookie, _ := r.Cookie(sessionCookie)
		secret := ""
		if cookie != nil {
			secret = cookie.Value
		}
		u, sess, err := s.Staff.Session(r.Context(), secret)
		if err != nil {
			if hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
				s.Logger.Error("session lookup failed", "err", errorKind(err))
			}
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			return
		}
		p := s.newPage(r, title)
		p.User, p.CSRF = u, sess.CSRF
		c := &who{User: u, Actor: hogo.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Remote: remoteIP(r)}}
		if r.Method == http.MethodPost {
			// Bounded, and parsed in memory: an uploaded file may hold
			// personal data, and must never be spooled to a temporary
			// file in the clear.
			r.Body = http.MaxBytesReader(w, r.Body, MaxImportUpload+1<<20)
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				if err := r.ParseMultipartForm(MaxImportUpload + 1<<20); err != nil {
					p.Title, p.Error = T(p.Lang, "error.title"), T(p.Lang, "import.toolarge")
					s.render(w, r, http.StatusRequestEntityTooLarge, "error", p)
					return
				}
			}
		}
		if r.Method == http.MethodPost && !staff.CheckCSRF(sess, r.PostFormValue("csrf")) {
			p.Title, p.Error = T(p.Lang, "error.title"), T(p.Lang, "error.csrf")
			s.render(w, r, http.StatusForbidden, "error", p)
			return
		}
		if !allowed(u.Role) {
			s.deny(r.Context(), c, r.Pattern)
			p.Title, p.Error = T(p.Lang, "error.title"), T(p.Lang, "error.forbidden")
			s.render(w, r, http.StatusForbidden, "error", p)
			return
		}
		h(w, r, c, p)
	}
}

func (s *Server) consoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/login", s.loginPage)
	mux.HandleFunc("POST /console/login", s.loginSubmit)
	mux.HandleFunc("POST /console/logout", s.console(s.logout, "nav.logout", anyRole))
	mux.HandleFunc("GET /console/{$}", s.console(s.home, "home.title", anyRole))
	mux.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /console/ledger", s.console(s.ledgerPage, "ledger.title", anyRole))
	mux.HandleFunc("GET /console/ledger/export", s.console(func(w http.ResponseWriter, r *http.Request, c *who, p *page) {
		if err := s.exportLedger(w, r, c.Actor); err != nil {
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		}
	}, "ledger.title", anyRole))
	mux.HandleFunc("GET /console/users", s.console(s.usersPage, "users.title", oversight))
	mux.HandleFunc("POST /console/users", s.console(s.usersCreate, "users.title", adminOnly))
	mux.HandleFunc("POST /console/users/{id}/disable", s.console(s.usersDisable(true), "users.title", adminOnly))
	mux.HandleFunc("POST /console/users/{id}/enable", s.console(s.usersDisable(false), "users.title", adminOnly))
	mux.HandleFunc("POST /console/users/{id}/tokens", s.console(s.usersToken, "users.title", adminOnly))
	mux.HandleFunc("POST /console/users/{id}/role", s.console(s.usersRole, "users.title", adminOnly))
	mux.HandleFunc("POST /console/users/{id}/password", s.console(s.usersPassword, "users.title", adminOnly))
	mux.HandleFunc("POST /console/tokens/{id}/revoke", s.console(s.tokensRevoke, "users.title", adminOnly))
	mux.HandleFunc("GET /console/audit", s.console(s.auditPage, "audit.title", oversight))
	mux.HandleFunc("POST /console/audit/verify", s.console(s.auditVerify, "audit.title", oversight))
	s.vaultConsoleRoutes(mux)
	s.requestConsoleRoutes(mux)
	s.consentConsoleRoutes(mux)
	s.provisionConsoleRoutes(mux)
	s.incidentConsoleRoutes(mux)
	s.complaintConsoleRoutes(mux)
}

func safeNext(next string) string {
	// Only local console paths: no open redirect.
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/console/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "login.title")
	p.Data = map[string]string{"Next": safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, "login", p)
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "login.title")
	next := safeNext(r.PostFormValue("next"))
	p.Data = map[string]string{"Next": next}
	ip := remoteIP(r)
	if !s.limiter.Allow(ip, s.Now()) {
		p.Error = p.T("login.ratelimited")
		w.Header().Set("Retry-After", "60")
		s.render(w, r, http.StatusTooManyRequests, "login", p)
		return
	}
	_, secret, _, err := s.Staff.Login(r.Context(), r.PostFormValue("name"), r.PostFormValue("password"), ip)
	if err != nil {
		switch hogo.ErrorCode(err) {
		case hogo.EUNAUTHORIZED:
			p.Error = p.T("login.failed")
		case hogo.ELOCKED:
			p.Error = p.T("login.locked")
		default:
			s.Logger.Error("login failed", "err", errorKind(err))
			p.Error = "internal error"
		}
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "login", p)
		return
	}
	// The session the browser held before signing in, if any, ends here:
	// a session ID planted by someone else (fixation) or left from an
	// earlier sign-in is not accepted after this one.
	if old, _ := r.Cookie(sessionCookie); old != nil && old.Value != "" {
		if ou, sess, err := s.Staff.Session(r.Context(), old.Value); err == nil {
			s.Staff.Logout(r.Context(), hogo.Actor{UserID: ou.ID, Name: ou.Name, Role: ou.Role, Remote: ip}, sess)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	cookie, _ := r.Cookie(sessionCookie)
	if cookie != nil {
		if _, sess, err := s.Staff.Session(r.Context(), cookie.Value); err == nil {
			s.Staff.Logout(r.Context(), c.Actor, sess)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	n, _ := s.Store.CountAudit(r.Context())
	data := map[string]any{"AuditCount": n}
	if st := s.Ledger(); st != nil {
		data["Ledger"] = st.Ledger
	}
	// The dashboard reads the registers, which need a ledger.
	if (c.Actor.Role == hogo.RoleManager || c.Actor.Role == hogo.RoleAuditor) && s.Ledger() != nil {
		data["Dashboard"] = s.dashboard(r.Context(), c.Actor)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "home", p)
}

// ledgerCategory is a category prepared for the viewer.
type ledgerCategory struct {
	*ledger.Category
	Sources, Purposes, Processors, Recipients []string
	Retention                                 string
	Access                                    []string
	Disclosable                               bool
}

func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	st := s.Ledger()
	if st == nil {
		p.Error = p.T("portal.noledger")
		s.render(w, r, http.StatusOK, "error", p)
		return
	}
	l, lang := st.Ledger, p.Lang
	var cats []ledgerCategory
	for _, cat := range l.Categories {
		lc := ledgerCategory{Category: cat, Retention: retentionText(l, cat, lang), Disclosable: cat.Disclosable != nil && *cat.Disclosable}
		for _, ref := range cat.Sources {
			if src := l.Source(ref.ID); src != nil {
				lc.Sources = append(lc.Sources, src.Name.In(lang))
			}
		}
		for _, ref := range cat.Purposes {
			if pp := l.Purpose(ref.ID); pp != nil {
				d := pp.Description.In(lang)
				if pp.ConsentRequired {
					d += "（" + p.T("ledger.consent") + "）"
				}
				lc.Purposes = append(lc.Purposes, d)
			}
		}
		for _, ref := range cat.Processors {
			if pr := l.Processor(ref.ID); pr != nil {
				lc.Processors = append(lc.Processors, pr.Name.In(lang))
			}
		}
		for _, ref := range cat.Recipients {
			if rc := l.Recipient(ref.ID); rc != nil {
				lc.Recipients = append(lc.Recipients, rc.Name.In(lang))
			}
		}
		for _, a := range cat.Access {
			var names []string
			for _, ref := range a.Purposes {
				if pp := l.Purpose(ref.ID); pp != nil && !pp.Name.Empty() {
					names = append(names, pp.Name.In(lang))
				} else {
					names = append(names, ref.ID)
				}
			}
			sep := "、"
			if lang == "en" {
				sep = ", "
			}
			lc.Access = append(lc.Access, p.RoleName(hogo.Role(a.Role))+": "+strings.Join(names, sep))
		}
		cats = append(cats, lc)
	}
	p.Data = map[string]any{"Ledger": l, "Categories": cats, "Digest": st.Digest}
	s.render(w, r, http.StatusOK, "ledger", p)
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	users, err := s.Store.ListUsers(r.Context())
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	}
	data := map[string]any{"Users": users, "Roles": hogo.Roles, "Now": s.Now()}
	if c.User.Role == hogo.RoleAdmin {
		toks, err := s.Store.ListTokens(r.Context(), 0)
		if err != nil {
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
		}
		names := map[int64]string{}
		for _, u := range users {
			names[u.ID] = u.Name
		}
		data["Tokens"], data["TokenUsers"] = toks, names
	}
	p.Data = data
	if p.Flash == "" {
		// Only known message keys: the page never echoes a query string.
		if key := r.URL.Query().Get("flash"); strings.HasPrefix(key, "users.") {
			if _, ok := messages[key]; ok {
				p.Flash = p.T(key)
			}
		}
	}
	s.render(w, r, http.StatusOK, "users", p)
}

func (s *Server) usersCreate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	u, generated, err := s.Staff.AddUser(r.Context(), c.Actor, r.PostFormValue("name"), r.PostFormValue("display_name"),
		hogo.Role(r.PostFormValue("role")), r.PostFormValue("password"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		w2 := &statusOverride{ResponseWriter: w, status: httpStatus(hogo.ErrorCode(err))}
		s.usersPage(w2, r, c, p)
		return
	}
	p.Flash = p.T("users.created")
	if generated != "" {
		p.Flash = fmt.Sprintf("%s %s: %s", p.Flash, u.Name, generated)
	} else {
		p.Flash = fmt.Sprintf("%s (%s)", p.T("users.created"), u.Name)
	}
	s.usersPage(w, r, c, p)
}

// statusOverride makes a page render with an error status.
type statusOverride struct {
	http.ResponseWriter
	status int
}

func (w *statusOverride) WriteHeader(int) { w.ResponseWriter.WriteHeader(w.status) }

func (s *Server) usersDisable(disabled bool) consoleHandler {
	return func(w http.ResponseWriter, r *http.Request, c *who, p *page) {
		id, err := parseID(r.PathValue("id"))
		if err == nil {
			err = s.Staff.SetDisabled(r.Context(), c.Actor, id, disabled)
		}
		if err != nil {
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			s.usersPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
			return
		}
		http.Redirect(w, r, "/console/users", http.StatusSeeOther)
	}
}

func (s *Server) usersToken(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, err := parseID(r.PathValue("id"))
	var secret string
	if err == nil {
		var u *hogo.User
		if u, err = s.Store.FindUserByID(r.Context(), id); err == nil {
			secret, _, err = s.Staff.CreateToken(r.Context(), c.Actor, u.Name, r.PostFormValue("name"), 0)
		}
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.usersPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	p.Flash = p.T("users.tokencreated") + " " + secret
	s.usersPage(w, r, c, p)
}

func (s *Server) usersRole(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.Staff.SetRole(r.Context(), c.Actor, id, hogo.Role(r.PostFormValue("role")))
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.usersPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/users?flash=users.roleset", http.StatusSeeOther)
}

func (s *Server) usersPassword(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, err := parseID(r.PathValue("id"))
	pw := staff.GeneratePassword()
	var u *hogo.User
	if err == nil {
		if u, err = s.Store.FindUserByID(r.Context(), id); err == nil {
			err = s.Staff.SetPassword(r.Context(), c.Actor, id, pw)
		}
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.usersPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	p.Flash = fmt.Sprintf("%s %s: %s", p.T("users.pwreset"), u.Name, pw)
	s.usersPage(w, r, c, p)
}

func (s *Server) tokensRevoke(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.Staff.RevokeToken(r.Context(), c.Actor, id)
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.usersPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	http.Redirect(w, r, "/console/users?flash=users.revoked#tokens", http.StatusSeeOther)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f, err := auditFilter(r)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	entries, err := s.listAudit(r.Context(), c.Actor, f)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	}
	data := map[string]any{"Entries": entries, "Filter": f}
	if n := len(entries); n > 0 && entries[n-1].Seq > 1 && n == f.Limit {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(entries[n-1].Seq, 10))
		q.Del("lang")
		data["Older"] = "/console/audit?" + q.Encode()
	}
	if v, ok := p.Data.(verifyJSON); ok {
		data["Verify"] = v
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "audit", p)
}

func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	v, err := s.verifyAudit(r.Context(), c.Actor)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	} else {
		p.Data = v
	}
	s.auditPage(w, r, c, p)
}
