package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// JustificationHeader carries the written justification of a read under a
// legal exception: a justification may describe the person, so it never
// travels in the URL. Its value is percent-encoded UTF-8.
const JustificationHeader = "Hogo-Justification"

// useFromQuery reads the purpose (or exception) of a read from the query
// and the justification from its header.
func useFromQuery(r *http.Request) (vault.Use, error) {
	q := r.URL.Query()
	u := vault.Use{Purpose: q.Get("purpose"), Exception: q.Get("exception")}
	if j := r.Header.Get(JustificationHeader); j != "" {
		t, err := url.PathUnescape(j)
		if err != nil {
			return u, hogo.NewError(hogo.EINVALID, JustificationHeader, "%s ヘッダーはパーセントエンコードした UTF-8 で送ってください。",
				"send the %s header as percent-encoded UTF-8", JustificationHeader)
		}
		u.Justification = t
	}
	if q.Has("justification") {
		return u, hogo.NewError(hogo.EINVALID, "justification",
			"理由（justification）は個人情報を含みうるため URL に入れられません。%s ヘッダーで送ってください。",
			"a justification may describe the person, so it may not travel in the URL; send it in the %s header", JustificationHeader)
	}
	return u, nil
}

func (s *Server) vaultReady() error {
	if s.Vault == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "個人情報の保管庫が構成されていません。", "the vault is not configured")
	}
	return nil
}

func (s *Server) apiCreatePrincipal(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var in vault.NewRecord
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	id, rid, err := s.Vault.Create(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/principals/"+id)
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "record_id": rid})
	return nil
}

func (s *Server) apiGetPrincipal(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	u, err := useFromQuery(r)
	if err != nil {
		return err
	}
	v, err := s.Vault.Get(r.Context(), c.Actor, r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeCompactJSON(w, http.StatusOK, v)
	return nil
}

// apiFindPrincipals finds principals by one identifier: email, phone,
// name_kana, or birth_date with name.
func (s *Server) apiFindPrincipals(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	u, err := useFromQuery(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var found []*vault.View
	var kinds []string
	for _, k := range []string{vault.LookupEmail, vault.LookupPhone, vault.LookupNameKana, "birth_date"} {
		if q.Has(k) {
			kinds = append(kinds, k)
		}
	}
	switch {
	case len(kinds) != 1:
		return hogo.NewError(hogo.EINVALID, "query",
			"検索する識別子を一つ指定してください: email、phone、name_kana、または birth_date と name。",
			"give exactly one identifier to search by: email, phone, name_kana, or birth_date with name")
	case kinds[0] == "birth_date":
		if !q.Has("name") {
			return hogo.NewError(hogo.EINVALID, "name", "birth_date で検索するときは name（氏名）も指定してください。",
				"searching by birth_date needs name as well")
		}
		found, err = s.Vault.FindBirthName(r.Context(), c.Actor, q.Get("birth_date"), q.Get("name"), u)
	default:
		found, err = s.Vault.Find(r.Context(), c.Actor, kinds[0], q.Get(kinds[0]), u)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"principals": found})
	return nil
}

// searchBody is the body of POST /api/v1/principals/search, which keeps the
// identifier out of the URL.
type searchBody struct {
	vault.Use
	By        string `json:"by"`
	Value     string `json:"value"`
	BirthDate string `json:"birth_date"`
	Name      string `json:"name"`
}

func (s *Server) apiSearchPrincipals(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var b searchBody
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	var found []*vault.View
	var err error
	if b.By == vault.LookupBirthName {
		found, err = s.Vault.FindBirthName(r.Context(), c.Actor, b.BirthDate, b.Name, b.Use)
	} else {
		found, err = s.Vault.Find(r.Context(), c.Actor, b.By, b.Value, b.Use)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"principals": found})
	return nil
}

func (s *Server) apiAddRecord(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var in vault.NewRecord
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	rid, err := s.Vault.AddRecord(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": rid})
	return nil
}

func (s *Server) apiUpdateRecord(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var ch vault.RecordChange
	if err := decodeBody(r, &ch); err != nil {
		return err
	}
	v, err := s.Vault.UpdateRecord(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("rid"), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("rid"), "version": v})
	return nil
}

func (s *Server) apiErasePrincipal(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.Vault.Erase(r.Context(), c.Actor, []string{id}, b.Reason); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "erased": true})
	return nil
}

type reviewJSON struct {
	ID            int64     `json:"id"`
	At            string    `json:"at"`
	Actor         string    `json:"actor"`
	Role          hogo.Role `json:"role"`
	Principal     string    `json:"principal"`
	Category      string    `json:"category"`
	Purpose       string    `json:"purpose,omitempty"`
	Op            string    `json:"op"`
	Exception     string    `json:"exception"`
	Justification string    `json:"justification"`
	Status        string    `json:"status"`
	Reviewer      string    `json:"reviewer,omitempty"`
	ReviewedAt    string    `json:"reviewed_at,omitempty"`
	Note          string    `json:"note,omitempty"`
}

func toReviewJSON(v *vault.Review) reviewJSON {
	j := reviewJSON{ID: v.ID, At: v.At.In(hogo.Tokyo).Format("2006-01-02T15:04:05-07:00"), Actor: v.Actor, Role: v.Role,
		Principal: v.PrincipalID, Category: v.Category, Purpose: v.Purpose, Op: v.Op, Exception: v.Exception,
		Justification: v.JustificationText, Status: v.Status, Reviewer: v.Reviewer, Note: v.NoteText}
	if !v.ReviewedAt.IsZero() {
		j.ReviewedAt = v.ReviewedAt.In(hogo.Tokyo).Format("2006-01-02T15:04:05-07:00")
	}
	return j
}

// reviewers are the roles that see the out-of-purpose review queue.
func reviewers(r hogo.Role) bool { return r == hogo.RoleManager || r == hogo.RoleAuditor }

func (s *Server) apiExceptions(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	switch status {
	case "", hogo.ReviewPending, hogo.ReviewApproved, hogo.ReviewRejected:
	default:
		return hogo.NewError(hogo.EINVALID, "status", "status は pending、approved、rejected のいずれかです。",
			"status is one of pending, approved, rejected")
	}
	rs, err := s.Vault.Reviews(r.Context(), status, 500)
	if err != nil {
		return err
	}
	out := make([]reviewJSON, len(rs))
	for i, v := range rs {
		out[i] = toReviewJSON(v)
	}
	e := c.Actor.Entry("exception.list")
	e.Detail = map[string]string{"count": strconv.Itoa(len(out))}
	if err := s.Audit.Append(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"exceptions": out})
	return nil
}

func (s *Server) apiReviewException(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var b struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	b.Decision = strings.TrimSpace(b.Decision)
	if b.Decision != "approve" && b.Decision != "reject" {
		return hogo.NewError(hogo.EINVALID, "decision", "decision は approve（承認）か reject（否認）です。", "decision is approve or reject")
	}
	if err := s.Vault.DecideReview(r.Context(), c.Actor, id, b.Decision == "approve", b.Note); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "status": map[bool]string{true: hogo.ReviewApproved, false: hogo.ReviewRejected}[b.Decision == "approve"]})
	return nil
}
