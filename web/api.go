package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/staff"
)

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}

type userJSON struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	DisplayName string     `json:"display_name,omitempty"`
	Role        hogo.Role  `json:"role"`
	Disabled    bool       `json:"disabled"`
	Locked      bool       `json:"locked"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
}

func (s *Server) userJSON(u *hogo.User) userJSON {
	j := userJSON{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, Disabled: u.Disabled,
		Locked: u.Locked(s.Now()), CreatedAt: u.CreatedAt.In(hogo.Tokyo)}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt.In(hogo.Tokyo)
		j.LastLoginAt = &t
	}
	return j
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, c *who) error {
	writeJSON(w, http.StatusOK, s.userJSON(c.User))
	return nil
}

// decodeBody reads a JSON body strictly: unknown fields and trailing data
// are errors that say where.
func decodeBody(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return hogo.Errorf(hogo.EINVALID, "the request body could not be read")
	}
	if len(body) > 1<<20 {
		return hogo.Errorf(hogo.EINVALID, "the request body is larger than 1 MiB")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		where := describeJSONError(body, err)
		e := hogo.NewError(hogo.EINVALID, jsonErrorField(err), "リクエストの本文がこのエンドポイントの JSON として正しくありません: %s。/api/v1/openapi.json を参照してください。",
			"the request body is not valid JSON for this endpoint: %s", where)
		return e
	}
	if dec.More() {
		return hogo.NewError(hogo.EINVALID, "", "JSON オブジェクトの後に余分なデータがあります。オブジェクトを一つだけ送ってください。",
			"the request body has data after the JSON object; send one object")
	}
	return nil
}

// jsonErrorField names the field a JSON decoding error is about, if any.
func jsonErrorField(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return te.Field
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return strings.Trim(f, `"`)
	}
	return ""
}

// describeJSONError says what and where (line:column), without echoing
// values, which may be personal data.
func describeJSONError(body []byte, err error) string {
	var off int64 = -1
	msg := "malformed JSON"
	switch e := err.(type) {
	case *json.SyntaxError:
		off, msg = e.Offset, "syntax error"
	case *json.UnmarshalTypeError:
		off = e.Offset
		msg = fmt.Sprintf("field %q must be %s", e.Field, e.Type.String())
	default:
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			msg = "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "; see /api/v1/openapi.json"
		} else if err == io.EOF {
			msg = "the body is empty; send a JSON object"
		}
	}
	if off >= 0 {
		// The decoder's offset counts the offending byte itself, so the
		// bytes before it are body[:off-1]. Columns count characters, not
		// bytes, as an editor does in Japanese text.
		line, col := 1, 1
		for _, b := range string(body[:max(0, min(int(off)-1, len(body)))]) {
			if b == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("%s at line %d, column %d", msg, line, col)
	}
	return msg
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, c *who) error {
	users, err := s.Store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = s.userJSON(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, c *who) error {
	var in struct {
		Name        string    `json:"name"`
		DisplayName string    `json:"display_name"`
		Role        hogo.Role `json:"role"`
		Password    string    `json:"password"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	u, generated, err := s.Staff.AddUser(r.Context(), c.Actor, in.Name, in.DisplayName, in.Role, in.Password)
	if err != nil {
		return err
	}
	out := map[string]any{"user": s.userJSON(u)}
	if generated != "" {
		out["password"] = generated
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request, c *who) error {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var in struct {
		Role     *hogo.Role `json:"role"`
		Disabled *bool      `json:"disabled"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Role == nil && in.Disabled == nil {
		return hogo.Errorf(hogo.EINVALID, "send \"role\" and/or \"disabled\" to change")
	}
	// Refuse what cannot be done before changing anything, so that a
	// request is applied whole or not at all.
	if in.Role != nil && !in.Role.Valid() {
		return hogo.NewError(hogo.EINVALID, "role", "役割「%s」はありません。admin、manager、desk、staff、auditor のいずれかを指定してください", "role %q is not known; use one of admin, manager, desk, staff, auditor", *in.Role)
	}
	if in.Disabled != nil && *in.Disabled && id == c.Actor.UserID {
		return hogo.NewError(hogo.EINVALID, "disabled", "自分のアカウントは無効にできません。別の管理者に依頼してください", "you cannot disable your own account; ask another administrator")
	}
	if in.Role != nil {
		if err := s.Staff.SetRole(r.Context(), c.Actor, id, *in.Role); err != nil {
			return err
		}
	}
	if in.Disabled != nil {
		if err := s.Staff.SetDisabled(r.Context(), c.Actor, id, *in.Disabled); err != nil {
			return err
		}
	}
	u, err := s.Store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": s.userJSON(u)})
	return nil
}

func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request, c *who) error {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	pw, generated := in.Password, ""
	if pw == "" {
		pw = staff.GeneratePassword()
		generated = pw
	}
	if err := s.Staff.SetPassword(r.Context(), c.Actor, id, pw); err != nil {
		return err
	}
	out := map[string]any{"ok": true}
	if generated != "" {
		out["password"] = generated
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type tokenJSON struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	Revoked    bool       `json:"revoked"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(hogo.Tokyo)
	return &t
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, c *who) error {
	var userID int64
	if v := r.URL.Query().Get("user"); v != "" {
		id, err := parseID(v)
		if err != nil {
			return err
		}
		userID = id
	}
	toks, err := s.Store.ListTokens(r.Context(), userID)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(toks))
	for i, t := range toks {
		out[i] = tokenJSON{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt.In(hogo.Tokyo),
			ExpiresAt: optTime(t.ExpiresAt), LastUsedAt: optTime(t.LastUsedAt), Revoked: t.Revoked}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, c *who) error {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Staff.RevokeToken(r.Context(), c.Actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, c *who) error {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
		Days int    `json:"expires_in_days"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	u, err := s.Store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	secret, t, err := s.Staff.CreateToken(r.Context(), c.Actor, u.Name, in.Name, time.Duration(in.Days)*24*time.Hour)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": t.ID, "name": t.Name, "token": secret})
	return nil
}

// ledgerView is the ledger as the API returns it.
type ledgerView struct {
	Organization  map[string]string `json:"organization"`
	Revision      string            `json:"revision"`
	EffectiveDate string            `json:"effective_date"`
	Digest        string            `json:"digest"`
	Categories    []categoryView    `json:"categories"`
	Purposes      []purposeView     `json:"purposes"`
}

type categoryView struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Disclosable bool       `json:"disclosable"`
	Items       []itemView `json:"items"`
	Sources     []string   `json:"sources"`
	Purposes    []string   `json:"purposes"`
	Retention   string     `json:"retention"`
	Access      []string   `json:"access"`
	Processors  []string   `json:"processors"`
	Recipients  []string   `json:"recipients"`
}

type itemView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Identifier bool   `json:"identifier,omitempty"`
	Sensitive  bool   `json:"sensitive,omitempty"`
	MyNumber   bool   `json:"mynumber,omitempty"`
}

type purposeView struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Description     string `json:"description"`
	ConsentRequired bool   `json:"consent_required"`
	MyNumber        string `json:"mynumber,omitempty"`
}

func retentionText(l *ledger.Ledger, c *ledger.Category, lang string) string {
	if c.Retention == nil {
		return ""
	}
	ev := l.EventName(c.Retention.After.ID, lang)
	if lang == "en" {
		return fmt.Sprintf("%s after %s", c.Retention.Period.Describe("en"), ev)
	}
	return fmt.Sprintf("%sから%s", ev, c.Retention.Period.Describe("ja"))
}

func accessText(a *ledger.Access) string {
	s := a.Role + ": " + strings.Join(ledger.IDs(a.Purposes), ", ")
	if len(a.Items) > 0 {
		s += " (" + strings.Join(ledger.IDs(a.Items), ", ") + ")"
	}
	return s
}

func viewLedger(st *LedgerState, lang string) ledgerView {
	l := st.Ledger
	v := ledgerView{
		Organization: map[string]string{
			"name": l.Organization.Name.In(lang), "address": l.Organization.Address.In(lang),
			"representative": l.Organization.Representative.In(lang),
		},
		Revision: l.Revision, EffectiveDate: l.EffectiveDate.String(), Digest: st.Digest,
	}
	for _, c := range l.Categories {
		cv := categoryView{ID: c.ID, Name: c.Name.In(lang), Disclosable: c.Disclosable != nil && *c.Disclosable,
			Sources: ledger.IDs(c.Sources), Purposes: ledger.IDs(c.Purposes), Retention: retentionText(l, c, lang),
			Processors: ledger.IDs(c.Processors), Recipients: ledger.IDs(c.Recipients)}
		for _, it := range c.Items {
			cv.Items = append(cv.Items, itemView{ID: it.ID, Name: it.Name.In(lang), Type: string(it.Type),
				Identifier: it.Identifier, Sensitive: it.Sensitive, MyNumber: it.MyNumber()})
		}
		for _, a := range c.Access {
			cv.Access = append(cv.Access, accessText(a))
		}
		v.Categories = append(v.Categories, cv)
	}
	for _, p := range l.Purposes {
		v.Purposes = append(v.Purposes, purposeView{ID: p.ID, Name: p.Name.In(lang), Description: p.Description.In(lang),
			ConsentRequired: p.ConsentRequired, MyNumber: p.MyNumber})
	}
	return v
}

func (s *Server) needLedger() (*LedgerState, error) {
	st := s.Ledger()
	if st == nil {
		return nil, hogo.Errorf(hogo.ENOTFOUND, "no ledger is loaded; start hogo with --ledger FILE")
	}
	return st, nil
}

func (s *Server) apiLedger(w http.ResponseWriter, r *http.Request, c *who) error {
	st, err := s.needLedger()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewLedger(st, requestLang(r)))
	return nil
}

func (s *Server) apiLedgerExport(w http.ResponseWriter, r *http.Request, c *who) error {
	return s.exportLedger(w, r, c.Actor)
}

// exportLedger writes the ledger in the format asked for (xlsx, csv, json),
// audited: the ledger names no person, but its export is an act an auditor
// wants to see.
func (s *Server) exportLedger(w http.ResponseWriter, r *http.Request, actor hogo.Actor) error {
	st, err := s.needLedger()
	if err != nil {
		return err
	}
	lang := requestLang(r)
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	var buf bytes.Buffer
	var ctype, ext string
	switch format {
	case "xlsx":
		err = ledger.WriteXLSX(&buf, st.Ledger, lang, s.Now())
		ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
	case "csv":
		enc := ledger.EncodingUTF8
		if r.URL.Query().Get("encoding") == "sjis" {
			enc = ledger.EncodingSJIS
		}
		err = ledger.WriteCSV(&buf, st.Ledger, lang, enc)
		ctype, ext = "text/csv; charset=utf-8", "csv"
		if enc == ledger.EncodingSJIS {
			ctype = "text/csv; charset=Shift_JIS"
		}
	case "json":
		err = ledger.WriteJSON(&buf, st.Ledger, lang)
		ctype, ext = "application/json; charset=utf-8", "json"
	default:
		return hogo.FieldErrorf(hogo.EINVALID, "format", "format %q is not known; use xlsx, csv or json", format)
	}
	if err != nil {
		return hogo.Errorf(hogo.EINVALID, "the ledger cannot be exported: %v", err)
	}
	e := actor.Entry("ledger.export")
	e.Detail = map[string]string{"format": format, "digest": st.Digest}
	if err := s.Audit.Append(r.Context(), e); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ledger-%s.%s"`, s.Now().In(hogo.Tokyo).Format("20060102"), ext))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

type auditEntryJSON struct {
	Seq       int64             `json:"seq"`
	Time      time.Time         `json:"time"`
	Actor     string            `json:"actor"`
	Role      hogo.Role         `json:"role,omitempty"`
	Action    string            `json:"action"`
	Outcome   string            `json:"outcome,omitempty"`
	Principal string            `json:"principal,omitempty"`
	Category  string            `json:"category,omitempty"`
	Purpose   string            `json:"purpose,omitempty"`
	Target    string            `json:"target,omitempty"`
	Remote    string            `json:"remote,omitempty"`
	Detail    map[string]string `json:"detail,omitempty"`
	Hash      string            `json:"hash"`
}

func auditFilter(r *http.Request) (hogo.AuditFilter, error) {
	q := r.URL.Query()
	f := hogo.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Principal: q.Get("principal")}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return f, hogo.FieldErrorf(hogo.EINVALID, "before", "before must be an entry number (a positive whole number)")
		}
		f.BeforeSeq = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, hogo.FieldErrorf(hogo.EINVALID, "limit", "limit must be a whole number from 1 to 1000")
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) listAudit(ctx context.Context, actor hogo.Actor, f hogo.AuditFilter) ([]*hogo.AuditEntry, error) {
	entries, err := s.Store.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	// Reading the audit log is itself audited.
	e := actor.Entry("audit.read")
	e.Detail = map[string]string{"returned": strconv.Itoa(len(entries))}
	if f.Principal != "" {
		e.Principal = f.Principal
	}
	return entries, s.Audit.Append(ctx, e)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, c *who) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := s.listAudit(r.Context(), c.Actor, f)
	if err != nil {
		return err
	}
	out := make([]auditEntryJSON, len(entries))
	for i, e := range entries {
		out[i] = auditEntryJSON{Seq: e.Seq, Time: e.Time.In(hogo.Tokyo), Actor: e.Actor, Role: e.Role, Action: e.Action,
			Outcome: e.Outcome, Principal: e.Principal, Category: e.Category, Purpose: e.Purpose, Target: e.Target,
			Remote: e.Remote, Detail: e.Detail, Hash: fmt.Sprintf("%x", e.Hash)}
	}
	resp := map[string]any{"entries": out}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	if n := len(entries); n == limit && entries[n-1].Seq > 1 {
		resp["next_before"] = entries[n-1].Seq
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

type verifyJSON struct {
	OK          bool   `json:"ok"`
	Count       int64  `json:"count"`
	HeadSeq     int64  `json:"head_seq"`
	Checkpoints int    `json:"checkpoints"`
	Pruned      int64  `json:"pruned"`
	ProblemSeq  int64  `json:"problem_seq,omitempty"`
	ProblemKind string `json:"problem_kind,omitempty"`
	Problem     string `json:"problem,omitempty"`
}

func (s *Server) verifyAudit(ctx context.Context, actor hogo.Actor) (verifyJSON, error) {
	res, err := audit.VerifyStore(ctx, s.Store, s.Audit.Key().Public(), nil)
	if err != nil {
		return verifyJSON{}, err
	}
	v := verifyJSON{OK: res.OK(), Count: res.Count, HeadSeq: res.Head.Seq, Checkpoints: res.Checkpoints, Pruned: res.Pruned}
	e := actor.Entry("audit.verify")
	e.Detail = map[string]string{"count": strconv.FormatInt(res.Count, 10), "ok": strconv.FormatBool(res.OK())}
	if p := res.Problem; p != nil {
		v.ProblemSeq, v.ProblemKind, v.Problem = p.Seq, p.Kind, p.Message
		e.Outcome = hogo.OutcomeError
		e.Detail["problem_seq"] = strconv.FormatInt(p.Seq, 10)
		s.Logger.Error("audit chain verification failed", "seq", p.Seq, "kind", p.Kind)
	}
	return v, s.Audit.Append(ctx, e)
}

func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request, c *who) error {
	v, err := s.verifyAudit(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiCheckpoints(w http.ResponseWriter, r *http.Request, c *who) error {
	cps, err := s.Store.ListCheckpoints(r.Context())
	if err != nil {
		return err
	}
	k := s.Audit.Key()
	writeJSON(w, http.StatusOK, audit.CheckpointFile{PublicKey: string(k.PublicPEM()), KeyID: k.ID(), Checkpoints: cps})
	return nil
}
