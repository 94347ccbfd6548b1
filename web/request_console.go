package web

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/requests"
)

func (s *Server) requestConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/requests", s.console(s.requestsPage, "requests.title", queueRole))
	mux.HandleFunc("POST /console/requests", s.console(s.requestsCreate, "requests.title", intakeRole))
	mux.HandleFunc("GET /console/requests/{id}", s.console(s.requestPage, "requests.one", queueRole))
	mux.HandleFunc("POST /console/requests/{id}/{action}", s.console(s.requestAction, "requests.one", handleRole))
	mux.HandleFunc("GET /console/requests/{id}/files/{fid}", s.console(s.requestFile, "requests.one", handleRole))
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	data["Types"], data["Channels"], data["Agents"] = ledger.RequestTypes, ledger.Channels, ledger.AgentKinds
	data["Views"], data["View"] = requests.Views, r.URL.Query().Get("view")
	status := http.StatusOK
	if err := s.requestsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if q, err := s.Requests.Queue(r.Context(), c.Actor, r.URL.Query().Get("view")); err != nil {
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

// requestView is the request page: the request and the choices its
// forms offer, from the ledger.
type requestView struct {
	*requests.Detail
	CanHandle                      bool
	IDDocuments, AgentEvidence     []string
	CheckMethods, WaitReasons      []string
	PaymentMethods, Outcomes       []string
	Grounds                        []groundView
	Purposes                       []purposeChoice
	Undecided                      []string
	Decided                        []decidedView
	FeeLeft                        int
	Today                          string
	ResponseMethods                []string
	HasEmail, Answered, Electronic bool
	// BlockingText is Blocking in words.
	BlockingText []string
}

type groundView struct{ Key, Text string }
type purposeChoice struct{ ID, Name string }
type decidedView struct {
	Type string
	*requests.Decision
	GroundTexts []string
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	status := http.StatusOK
	if err := s.requestsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if d, err := s.Requests.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	} else {
		p.Data = s.requestView(d, c, p.Lang)
	}
	// Only known message keys: the page never echoes a query string.
	if key := "requests.done." + r.URL.Query().Get("done"); p.Error == "" {
		if _, ok := messages[key]; ok {
			p.Flash = T(p.Lang, key)
		}
	}
	s.render(w, r, status, "request", p)
}

func (s *Server) requestView(d *requests.Detail, c *who, lang string) *requestView {
	v := &requestView{Detail: d, CanHandle: handleRole(c.Actor.Role), AgentEvidence: requests.AgentEvidenceKinds, CheckMethods: requests.CheckMethods,
		WaitReasons: requests.WaitReasons, Outcomes: requests.Outcomes, FeeLeft: max(d.FeeDue-d.FeePaid, 0),
		Today: calendar.DateOf(s.Now()).String(), HasEmail: d.Requester.Email != "", Answered: d.Case.Answer != nil,
		Electronic: d.Case.Answer != nil && d.Case.Answer.Method == requests.DeliverElectronic}
	for _, g := range requests.Art33Grounds {
		v.Grounds = append(v.Grounds, groundView{g.Key, g.Ja})
	}
	if st := s.Ledger(); st != nil {
		l := st.Ledger
		v.IDDocuments = append(append([]string{}, l.Requests.IDDocuments.Photo...), l.Requests.IDDocuments.NonPhoto...)
		if len(v.IDDocuments) == 0 {
			v.IDDocuments = ledger.IDDocumentKinds
		}
		v.PaymentMethods = l.Requests.FeePayment
		if len(v.PaymentMethods) == 0 {
			v.PaymentMethods = ledger.FeePaymentMethods
		}
		for i, g := range l.Requests.RefusalGrounds {
			v.Grounds = append(v.Grounds, groundView{"ledger:" + strconv.Itoa(i+1), g.Ja})
		}
		for _, pu := range l.Purposes {
			v.Purposes = append(v.Purposes, purposeChoice{pu.ID, pu.Name.Ja})
		}
		v.ResponseMethods = l.Requests.ResponseMethods
		for _, t := range d.Types {
			if x := d.Case.Decisions[t]; x != nil {
				dv := decidedView{Type: t, Decision: x}
				for _, g := range x.Grounds {
					txt, _ := requests.GroundText(l, g)
					dv.GroundTexts = append(dv.GroundTexts, txt)
				}
				v.Decided = append(v.Decided, dv)
			} else {
				v.Undecided = append(v.Undecided, t)
			}
		}
	}
	for _, b := range d.Blocking {
		// Keys by kind; TestMessageKeysExist walks each list.
		typeKey, blockKey := "requests.type.", "requests.block."
		if t, ok := strings.CutPrefix(b, "undecided:"); ok {
			v.BlockingText = append(v.BlockingText, T(lang, "requests.block.undecided")+": "+T(lang, typeKey+t))
		} else {
			v.BlockingText = append(v.BlockingText, T(lang, blockKey+b))
		}
	}
	if c.Actor.Role == hogo.RoleManager {
		v.PaymentMethods = append(slices.Clone(v.PaymentMethods), requests.PaymentWaived)
	}
	return v
}

// requestAction runs one step of a request's handling from the console,
// then shows the request again.
func (s *Server) requestAction(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.requestsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	ctx, id, f := r.Context(), r.PathValue("id"), r.PostFormValue
	rs := s.Requests
	var err error
	action := r.PathValue("action")
	switch action {
	case "complete":
		err = rs.Complete(ctx, c.Actor, id, requests.Requester{Email: f("email"), Phone: f("phone"), Postal: f("postal_code"),
			Address: f("address"), AgentKind: f("agent_kind"), PrincipalName: f("principal_name")}, f("response_method"))
	case "check":
		docs := r.PostForm["documents"]
		if f("method") == requests.CheckAgent {
			docs = r.PostForm["evidence"]
		}
		err = rs.RecordCheck(ctx, c.Actor, id, requests.Check{Method: f("method"), Documents: docs, Passed: f("passed") != "", Note: f("note")})
	case "code":
		err = rs.SendCode(ctx, c.Actor, id)
	case "file":
		var data []byte
		if data, err = formFile(r, "file"); err == nil {
			_, err = rs.AddFile(ctx, c.Actor, id, f("kind"), data)
		}
	case "payment":
		amount, _ := strconv.Atoi(strings.ReplaceAll(f("amount"), ",", ""))
		err = rs.RecordPayment(ctx, c.Actor, id, requests.Payment{Method: f("method"), Amount: amount, ReceivedOn: f("received_on"), Note: f("note")})
	case "wait":
		err = rs.Wait(ctx, c.Actor, id, f("reason"), f("note"))
	case "resume":
		err = rs.Resume(ctx, c.Actor, id)
	case "match":
		err = rs.Match(ctx, c.Actor, id, strings.TrimSpace(f("principal")))
	case "decide":
		in := requests.DecisionInput{Type: f("type"), Outcome: f("outcome"), Grounds: r.PostForm["grounds"], Reason: f("reason"),
			Purposes: r.PostForm["purposes"], Record: strings.TrimSpace(f("record"))}
		if in.Items, err = parseItemLines(f("items")); err == nil {
			err = rs.Decide(ctx, c.Actor, id, in)
		}
	case "answer":
		err = rs.Respond(ctx, c.Actor, id)
	case "deliver":
		err = rs.Deliver(ctx, c.Actor, id)
	case "withdraw":
		err = rs.Withdraw(ctx, c.Actor, id, f("note"))
	default:
		p.Error = T(p.Lang, "error.notfound")
		s.render(w, r, http.StatusNotFound, "error", p)
		return
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		status := httpStatus(hogo.ErrorCode(err))
		if d, gerr := rs.Get(ctx, c.Actor, id); gerr == nil {
			p.Data = s.requestView(d, c, p.Lang)
			s.render(w, r, status, "request", p)
			return
		}
		s.render(w, r, status, "error", p)
		return
	}
	http.Redirect(w, r, "/console/requests/"+id+"?done="+action, http.StatusSeeOther)
}

// parseItemLines reads "item_id=value" lines (a correction).
func parseItemLines(text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, hogo.NewError(hogo.EINVALID, "items", "訂正内容の%d行目は「項目ID=訂正後の値」の形で書いてください。",
				"line %d of the correction: write item_id=new value", i+1)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// formFile reads an uploaded file from a parsed multipart form.
func formFile(r *http.Request, name string) ([]byte, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[name]) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "file", "ファイルを選んでください。", "choose a file")
	}
	fh := r.MultipartForm.File[name][0]
	if fh.Size > requests.MaxFileSize {
		return nil, hogo.NewError(hogo.EINVALID, "file", "ファイルが大きすぎます（1ファイル%dMBまで）。", "the file is too large (at most %d MB)", requests.MaxFileSize>>20)
	}
	fr, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer fr.Close()
	return io.ReadAll(io.LimitReader(fr, requests.MaxFileSize+1))
}

func (s *Server) requestFile(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if err := s.requestsReady(); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "error", p)
		return
	}
	f, data, err := s.Requests.OpenFile(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("fid"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	serveFile(w, f.ContentType, fileName(f), data)
}
