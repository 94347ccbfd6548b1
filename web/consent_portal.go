package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/vault"
)

// The principal's consent page on the portal: the principal gives their
// e-mail address, proves it with a code sent to it (the address must be
// one the company holds), then sees their consents and withdraws any of
// them. Nothing is kept between the steps but a sealed token carried by
// the forms: the principals found, the code's hash and an expiry.

func (s *Server) consentPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /consents", s.portalConsentsForm)
	mux.HandleFunc("POST /consents/code", s.portalConsentsCode)
	mux.HandleFunc("POST /consents/verify", s.portalConsentsVerify)
	mux.HandleFunc("POST /consents/withdraw", s.portalConsentsWithdraw)
	mux.HandleFunc("POST /consents/receipt", s.portalConsentReceipt)
}

// Limits of the portal's consent page.
const (
	portalCodeTTL     = 15 * time.Minute
	portalVerifiedTTL = 30 * time.Minute
)

// portalToken is what the consent page's forms carry, sealed.
type portalToken struct {
	Principals []string  `json:"p"`
	CodeHash   []byte    `json:"c,omitempty"`
	Verified   bool      `json:"v"`
	Expires    time.Time `json:"e"`
}

const portalTokenAD = "portal consent token"

func (s *Server) sealToken(r *http.Request, t portalToken) (string, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	sealed, err := s.Vault.SealNote(r.Context(), string(b), portalTokenAD)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

func (s *Server) openToken(r *http.Request, text string) (*portalToken, bool) {
	sealed, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(text) == 0 {
		return nil, false
	}
	plain, err := s.Vault.OpenNote(r.Context(), sealed, portalTokenAD)
	if err != nil {
		return nil, false
	}
	var t portalToken
	if json.Unmarshal([]byte(plain), &t) != nil || s.Now().After(t.Expires) {
		return nil, false
	}
	return &t, true
}

func portalCodeHash(code string, principals []string) []byte {
	h := sha256.Sum256([]byte("portal consent code\x00" + code + "\x00" + strings.Join(principals, ",")))
	return h[:]
}

func (s *Server) portalConsentsForm(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.consents.title")
	p.Data = map[string]any{}
	s.render(w, r, http.StatusOK, "portal_consents", p)
}

// consentsReady says whether the consent page can work: it needs the
// vault and a mail relay for the codes.
func (s *Server) consentsReady() error {
	if s.Vault == nil || s.Requests == nil || s.Requests.Mailer == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "現在この機能はご利用いただけません。窓口にお問い合わせください。",
			"this page is not available now; please contact our desk")
	}
	return nil
}

// portalGuard is the portal's gate for the consent page's forms.
func (s *Server) portalGuard(w http.ResponseWriter, r *http.Request, p *page) bool {
	return s.portalGate(w, r, p, "portal_consents", s.consentsReady(), "portal.badform")
}

// portalConsentsCode sends a code to the address when the company holds
// it; the page says the same whether it does or not.
func (s *Server) portalConsentsCode(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.consents.title")
	p.Data = map[string]any{}
	if !s.portalGuard(w, r, p) {
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	ids, err := s.Vault.PrincipalsByEmail(r.Context(), remoteIP(r), email)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "portal_consents", p)
		return
	}
	var b [4]byte
	rand.Read(b[:])
	code := fmt.Sprintf("%06d", (uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]))%1000000)
	tok := portalToken{Principals: ids, CodeHash: portalCodeHash(code, ids), Expires: s.Now().Add(portalCodeTTL)}
	token, err := s.sealToken(r, tok)
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "portal_consents", p)
		return
	}
	if len(ids) > 0 {
		st := s.Ledger()
		org, desk, from := "", "", ""
		if st != nil {
			org, desk, from = st.Ledger.Organization.Name.Ja, st.Ledger.ComplaintDesk.Name.Ja, st.Ledger.ComplaintDesk.Email
		}
		if s.Requests.MailFrom != "" {
			from = s.Requests.MailFrom
		}
		m := &mail.Message{From: from, FromName: org + " " + desk, To: email, Subject: "【" + org + "】同意の確認・撤回のための確認コード",
			Text: "同意の確認・撤回のページで、次の確認コードを" + strconv.Itoa(int(portalCodeTTL.Minutes())) + "分以内に入力してください。\n\n    確認コード: " + code +
				"\n\nこのメールにお心当たりのない場合は、破棄してください。\n\n" + org + "\n" + desk + "\n"}
		// Sent in the background, so that the answer takes as long
		// whether the address is held or not. The goroutine ends with the
		// send, which the mailer bounds (30 s by default).
		mailer, logger := s.Requests.Mailer, s.Logger
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, err := mailer.Send(ctx, m); err != nil {
				logger.Error("portal consent code not sent", "err", errorKind(err))
			}
		}()
	}
	// One answer whether the address is held or not.
	p.Data = map[string]any{"Token": token, "Sent": true}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "portal_consents", p)
}

func (s *Server) portalConsentsVerify(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.consents.title")
	p.Data = map[string]any{}
	if !s.portalGuard(w, r, p) {
		return
	}
	tok, ok := s.openToken(r, r.PostFormValue("token"))
	code := strings.TrimSpace(r.PostFormValue("code"))
	if !ok || tok.Verified || len(tok.Principals) == 0 || subtle.ConstantTimeCompare(portalCodeHash(code, tok.Principals), tok.CodeHash) != 1 {
		time.Sleep(200 * time.Millisecond)
		p.Error = T(p.Lang, "portal.consents.badcode")
		s.render(w, r, http.StatusBadRequest, "portal_consents", p)
		return
	}
	s.showPortalConsents(w, r, p, tok.Principals, "")
}

func (s *Server) portalConsentsWithdraw(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.consents.title")
	p.Data = map[string]any{}
	if !s.portalGuard(w, r, p) {
		return
	}
	tok, ok := s.openToken(r, r.PostFormValue("token"))
	principal := r.PostFormValue("principal")
	if !ok || !tok.Verified || !slices.Contains(tok.Principals, principal) {
		p.Error = T(p.Lang, "portal.consents.expired")
		s.render(w, r, http.StatusBadRequest, "portal_consents", p)
		return
	}
	a := hogo.Actor{Name: "portal", Remote: remoteIP(r)}
	flash := "portal.consents.withdrawn"
	if err := s.Vault.WithdrawConsent(r.Context(), a, principal, r.PostFormValue("consent"), vault.ViaPortal); err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		flash = ""
	}
	s.showPortalConsents(w, r, p, tok.Principals, flash)
}

// portalConsentReceipt gives the principal the receipt of one of their
// consents, as a PDF.
func (s *Server) portalConsentReceipt(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "portal.consents.title")
	p.Data = map[string]any{}
	if !s.portalGuard(w, r, p) {
		return
	}
	tok, ok := s.openToken(r, r.PostFormValue("token"))
	principal := r.PostFormValue("principal")
	if !ok || !tok.Verified || !slices.Contains(tok.Principals, principal) {
		p.Error = T(p.Lang, "portal.consents.expired")
		s.render(w, r, http.StatusBadRequest, "portal_consents", p)
		return
	}
	a := hogo.Actor{Name: "portal", Remote: remoteIP(r)}
	rc, err := s.Vault.ConsentReceipt(r.Context(), a, principal, r.PostFormValue("consent"))
	if err == nil {
		var pdf []byte
		if pdf, err = consentReceiptPDF(rc, s.Ledger()); err == nil {
			serveFile(w, "application/pdf", "consent-"+rc.ConsentReceiptID+".pdf", pdf)
			return
		}
	}
	p.Error = hogo.ErrorMessageIn(err, p.Lang)
	s.render(w, r, httpStatus(hogo.ErrorCode(err)), "portal_consents", p)
}

// portalConsent is a consent as the principal sees it.
type portalConsent struct {
	Principal string
	vault.ConsentView
	Names []string
}

func (s *Server) showPortalConsents(w http.ResponseWriter, r *http.Request, p *page, principals []string, flash string) {
	token, err := s.sealToken(r, portalToken{Principals: principals, Verified: true, Expires: s.Now().Add(portalVerifiedTTL)})
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, http.StatusInternalServerError, "portal_consents", p)
		return
	}
	a := hogo.Actor{Name: "portal", Remote: remoteIP(r)}
	var list []portalConsent
	st := s.Ledger()
	for _, id := range principals {
		cs, err := s.Vault.Consents(r.Context(), a, id)
		if err != nil {
			continue
		}
		for _, c := range cs {
			pc := portalConsent{Principal: id, ConsentView: c}
			if st != nil {
				for _, x := range c.Purposes {
					if pu := st.Ledger.Purpose(x); pu != nil {
						pc.Names = append(pc.Names, pu.Name.In(p.Lang))
					}
				}
				for _, x := range c.Recipients {
					if rc := st.Ledger.Recipient(x); rc != nil {
						pc.Names = append(pc.Names, T(p.Lang, "consents.to")+" "+rc.Name.In(p.Lang))
					}
				}
			}
			list = append(list, pc)
		}
	}
	if flash != "" {
		p.Flash = T(p.Lang, flash)
	}
	p.Data = map[string]any{"Token": token, "Verified": true, "Consents": list}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "portal_consents", p)
}
