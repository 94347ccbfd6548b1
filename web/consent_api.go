package web

import (
	"net/http"
	"slices"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/vault"
)

func consentRole(r hogo.Role) bool { return slices.Contains(vault.ConsentRoles, r) }
func consentReader(r hogo.Role) bool {
	return slices.Contains(vault.ConsentRoles, r) || r == hogo.RoleAuditor
}

func (s *Server) apiGiveConsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var in vault.ConsentInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	cs, err := s.Vault.GiveConsent(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/principals/"+cs.PrincipalID+"/consents/"+cs.ID)
	writeJSON(w, http.StatusCreated, map[string]any{"id": cs.ID, "principal": cs.PrincipalID, "purposes": cs.Purposes,
		"recipients": cs.Recipients, "given_at": cs.GivenAt.In(hogo.Tokyo), "notice_version": cs.NoticeVersion})
	return nil
}

func (s *Server) apiWithdrawConsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	if err := s.Vault.WithdrawConsent(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("cid"), vault.ViaAPI); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiConsents(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	cs, err := s.Vault.Consents(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"consents": cs})
	return nil
}

func (s *Server) apiReconsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	list, err := s.Vault.ReconsentList(r.Context(), c.Actor, 1000)
	if err != nil {
		return err
	}
	if list == nil {
		list = []vault.Reconsent{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"principals": list})
	return nil
}

// apiConsentReceipt returns a consent receipt: JSON (?format=json, the
// default) or a PDF for the principal (?format=pdf).
func (s *Server) apiConsentReceipt(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "pdf" {
		return hogo.NewError(hogo.EINVALID, "format", "format は json か pdf です。", "format is json or pdf")
	}
	rc, err := s.Vault.ConsentReceipt(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("cid"))
	if err != nil {
		return err
	}
	if format != "pdf" {
		writeJSON(w, http.StatusOK, rc)
		return nil
	}
	pdf, err := consentReceiptPDF(rc, s.Ledger())
	if err != nil {
		return err
	}
	serveFile(w, "application/pdf", "consent-"+rc.ConsentReceiptID+".pdf", pdf)
	return nil
}

var methodNames = map[string]string{hogo.ConsentWebForm: "ウェブフォーム", hogo.ConsentPaper: "書面", hogo.ConsentVerbal: "口頭",
	hogo.ConsentEmail: "電子メール", hogo.ConsentPortal: "本人用ページ"}

// consentReceiptPDF renders a receipt as a letter (同意書控え).
func consentReceiptPDF(rc *vault.Receipt, st *LedgerState) ([]byte, error) {
	lt := &letter.Letter{
		Title:     "同意の記録（控え）",
		Date:      calendar.FormatJapanese(calendar.DateOf(time.Now())),
		Reference: []string{"同意番号 " + rc.ConsentReceiptID},
		Sender:    []string{rc.Controllers[0].Name, rc.Controllers[0].Address, rc.Controllers[0].Contact, rc.Controllers[0].Email},
		Opening:   []string{"あなたから次のとおり同意をいただいたことを記録しています。同意はいつでも撤回できます。撤回は下記の窓口、または本人用ページからお申し出ください。"},
		Footer:    rc.Controllers[0].Name + "　同意番号 " + rc.ConsentReceiptID,
	}
	facts := &letter.Table{Header: []string{"項目", "内容"}, Widths: []float64{1, 3}}
	facts.Rows = append(facts.Rows,
		[]string{"同意の日時", rc.ConsentTimestamp.In(hogo.Tokyo).Format("2006-01-02 15:04") + "（" + calendar.FormatJapanese(calendar.DateOf(rc.ConsentTimestamp)) + "）"},
		[]string{"取得方法", methodNames[rc.CollectionMethod]},
		[]string{"提示した通知の版", rc.NoticeVersion},
		[]string{"記録者", rc.RecordedBy})
	if rc.Witness != "" {
		facts.Rows = append(facts.Rows, []string{"立会者", rc.Witness})
	}
	if rc.Expiry != nil {
		facts.Rows = append(facts.Rows, []string{"有効期限", calendar.FormatJapanese(calendar.DateOf(*rc.Expiry))})
	}
	status := map[string]string{vault.ConsentLive: "有効", vault.ConsentWithdrawn: "撤回済み", vault.ConsentExpired: "期限切れ"}[rc.Status]
	if rc.Withdrawal != nil {
		status += "（" + calendar.FormatJapanese(calendar.DateOf(rc.Withdrawal.At)) + "に撤回）"
	}
	facts.Rows = append(facts.Rows, []string{"状態", status})
	lt.Sections = append(lt.Sections, letter.Section{Heading: "同意の内容", Table: facts})
	if len(rc.Services) > 0 {
		tb := &letter.Table{Header: []string{"利用目的", "説明"}, Widths: []float64{1, 2}}
		for _, p := range rc.Services {
			tb.Rows = append(tb.Rows, []string{p.Purpose, p.Description})
		}
		lt.Sections = append(lt.Sections, letter.Section{Heading: "同意いただいた利用目的", Table: tb})
	}
	if len(rc.Recipients) > 0 {
		tb := &letter.Table{Header: []string{"提供先", "提供する項目", "提供先の利用目的"}, Widths: []float64{1, 1, 1}}
		for _, p := range rc.Recipients {
			name := p.Name
			if p.Country != "" {
				name += "（" + p.Country + "）"
			}
			tb.Rows = append(tb.Rows, []string{name, p.Items, p.Purpose})
		}
		lt.Sections = append(lt.Sections, letter.Section{Heading: "同意いただいた第三者提供", Table: tb})
	}
	lt.Closing = []string{"以上"}
	return letter.Render(lt, letter.Options{Substitute: '〓'})
}
