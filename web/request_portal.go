package web

import (
	"errors"
	"io"
	"mime/multipart"
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
	mux.HandleFunc("POST /requests/status/{action}", s.portalStatusAction)
	mux.HandleFunc("GET /requests/answer/{token}", s.portalAnswerPage)
	mux.HandleFunc("POST /requests/answer/{token}", s.portalAnswerDownload)
}

// MaxPortalFiles is how many documents one portal submission may carry.
const MaxPortalFiles = 3

// portalBody bounds a portal form and parses it in memory: uploaded
// identity documents must never be spooled to a temporary file in the
// clear.
func portalBody(w http.ResponseWriter, r *http.Request) error {
	limit := int64(64 << 10)
	multi := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if multi {
		limit += MaxPortalFiles * (requests.MaxFileSize + 4<<10)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if multi {
		return r.ParseMultipartForm(limit + 1<<20)
	}
	return r.ParseForm()
}

// portalGate is what every form posted to the portal goes through: the
// rate limit per address, the service being configured (ready), and a
// bounded body parsed in memory. On refusal it renders tmpl with the
// reason (tooLarge names the message for an oversized body) and returns
// false.
func (s *Server) portalGate(w http.ResponseWriter, r *http.Request, p *page, tmpl string, ready error, tooLarge string) bool {
	if !s.portalLimiter.Allow(remoteIP(r), s.Now()) {
		p.Error = T(p.Lang, "portal.limited")
		// The window is an hour; the limit lifts at most that long after.
		w.Header().Set("Retry-After", "3600")
		s.render(w, r, http.StatusTooManyRequests, tmpl, p)
		return false
	}
	if ready != nil {
		p.Error = hogo.ErrorMessageIn(ready, p.Lang)
		s.render(w, r, http.StatusInternalServerError, tmpl, p)
		return false
	}
	if err := portalBody(w, r); err != nil {
		// Too large, or a body that is not a form at all (bad
		// percent-encoding, a broken multipart): each is said as it is.
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
			p.Error = T(p.Lang, tooLarge)
			s.render(w, r, http.StatusRequestEntityTooLarge, tmpl, p)
			return false
		}
		p.Error = T(p.Lang, "portal.bad_form")
		s.render(w, r, http.StatusBadRequest, tmpl, p)
		return false
	}
	return true
}

// portalFiles returns the documents of a portal form, by kind.
func portalFiles(r *http.Request) (map[string][][]byte, error) {
	out := map[string][][]byte{}
	if r.MultipartForm == nil {
		return out, nil
	}
	n := 0
	for _, kind := range []string{hogo.FileIDCopy, hogo.FileAgentEvidence} {
		for _, fh := range r.MultipartForm.File[kind] {
			if fh.Size == 0 {
				continue
			}
			n++
			if n > MaxPortalFiles {
				return nil, hogo.NewError(hogo.EINVALID, "file", "一度に送れる書類は%d点までです。", "at most %d documents at a time", MaxPortalFiles)
			}
			f, err := fh.Open()
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(io.LimitReader(f, requests.MaxFileSize+1))
			f.Close()
			if err != nil {
				return nil, err
			}
			if _, err := requests.SniffFile(data); err != nil {
				return nil, err
			}
			out[kind] = append(out[kind], data)
		}
	}
	return out, nil
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
	if !s.portalGate(w, r, p, "portal_request", s.requestsReady(), "portal.toolarge") {
		return
	}
	files, err := portalFiles(r)
	if err != nil {
		fail(httpStatus(hogo.ErrorCode(err)), hogo.ErrorMessageIn(err, p.Lang))
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
	// The request is kept first: a document that fails to be kept does
	// not lose the request, and the requester is told to send it again.
	for kind, list := range files {
		for _, d := range list {
			if err := s.Requests.AddIntakeFile(r.Context(), remoteIP(r), rc.ID, kind, d); err != nil {
				data["FileError"] = hogo.ErrorMessageIn(err, p.Lang)
			}
		}
	}
	data["Receipt"] = rc
	w.Header().Set("Cache-Control", "no-store")
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
	if !s.portalGate(w, r, p, "portal_status", s.requestsReady(), "portal.badform") {
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
	s.renderStatus(w, r, p, st, r.PostFormValue("receipt_number"), r.PostFormValue("secret"))
}

// renderStatus shows a request's status; the forms on it carry the
// receipt number and secret the requester gave, so that each step proves
// the request again.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, p *page, st *requests.Status, receipt, secret string) {
	p.Data = map[string]any{"Status": st, "Receipt": strings.TrimSpace(receipt), "Secret": strings.TrimSpace(secret)}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "portal_status", p)
}

// portalStatusAction is a step the requester takes on the status page:
// enter the e-mailed code, send documents, download the answer.
func (s *Server) portalStatusAction(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.status.title")
	p.Data = map[string]any{}
	if !s.portalGate(w, r, p, "portal_status", s.requestsReady(), "portal.toolarge") {
		return
	}
	ctx, remote := r.Context(), remoteIP(r)
	receipt, secret := r.PostFormValue("receipt_number"), r.PostFormValue("secret")
	var err error
	switch r.PathValue("action") {
	case "code":
		if err = s.Requests.ConfirmCode(ctx, remote, receipt, secret, r.PostFormValue("code")); err == nil {
			p.Flash = T(p.Lang, "portal.code.ok")
		}
	case "files":
		var files map[string][][]byte
		if files, err = portalFiles(r); err == nil {
			n := 0
			for kind, list := range files {
				for _, d := range list {
					if err = s.Requests.AddFileFromPortal(ctx, remote, receipt, secret, kind, d); err != nil {
						break
					}
					n++
				}
			}
			if err == nil && n == 0 {
				err = hogo.NewError(hogo.EINVALID, "file", "ファイルを選んでください。", "choose a file")
			}
			if err == nil {
				p.Flash = T(p.Lang, "portal.files.ok")
			}
		}
	case "download":
		var d *requests.Download
		if d, err = s.Requests.PortalDownload(ctx, remote, receipt, secret, r.PostFormValue("kind")); err == nil {
			serveFile(w, d.ContentType, d.Name, d.Data)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if hogo.ErrorCode(err) == hogo.ENOTFOUND && errors.Is(err, requests.ErrNoSuchRequest) {
		time.Sleep(200 * time.Millisecond)
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusNotFound, "portal_status", p)
		return
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
	}
	st, lerr := s.Requests.Lookup(ctx, remote, receipt, secret)
	if lerr != nil {
		p.Error = hogo.ErrorMessageIn(lerr, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(lerr)), "portal_status", p)
		return
	}
	s.renderStatus(w, r, p, st, receipt, secret)
}

// portalAnswerPage is where a one-time link from a mail leads: it shows a
// button, and only pressing it uses the link up (mail scanners that open
// links do not).
func (s *Server) portalAnswerPage(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.answer.title")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if err := s.requestsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "portal_answer", p)
		return
	}
	receipt, archive, err := s.Requests.LinkInfo(r.Context(), r.PathValue("token"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "portal_answer", p)
		return
	}
	p.Data = map[string]any{"Receipt": receipt, "Archive": archive, "Token": r.PathValue("token")}
	s.render(w, r, http.StatusOK, "portal_answer", p)
}

func (s *Server) portalAnswerDownload(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.answer.title")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !s.portalGate(w, r, p, "portal_answer", s.requestsReady(), "portal.badform") {
		return
	}
	d, err := s.Requests.UseLink(r.Context(), remoteIP(r), r.PathValue("token"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "portal_answer", p)
		return
	}
	serveFile(w, d.ContentType, d.Name, d.Data)
}
