package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/access"
	"hogo.example.jp/hogo/ledger"
)

// Consents (同意): recorded with what the principal was shown, obeyed by
// every purpose check of the vault at once, withdrawn at any time (APPI
// Art. 18(1), 27(1), 28(1); JIS Q 15001 A.3.4.2.5). A consent covers a
// purpose or a recipient only while the ledger words it as it did when the
// consent was given: a changed purpose needs the principal asked again.

// ConsentRoles record consents: the staff who collect them, the desk, the
// protection manager.
var ConsentRoles = []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager}

// termsCache holds the fingerprints of the ledger in force.
type termsCache struct {
	mu    sync.Mutex
	l     *ledger.Ledger
	terms map[string]string
}

var terms termsCache

// Terms returns the fingerprint of the wording of every purpose
// ("purpose:ID") and recipient ("recipient:ID") of l.
func Terms(l *ledger.Ledger) map[string]string {
	terms.mu.Lock()
	defer terms.mu.Unlock()
	if terms.l == l {
		return terms.terms
	}
	m := map[string]string{}
	fp := func(parts ...string) string {
		h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
		return hex.EncodeToString(h[:8])
	}
	for _, p := range l.Purposes {
		m["purpose:"+p.ID] = fp(p.Name.Ja, p.Name.En, p.Description.Ja, p.Description.En)
	}
	for _, r := range l.Recipients {
		parts := []string{r.Name.Ja, r.Name.En, r.Description.Ja, r.Items.Ja, r.Purpose.Ja, r.Address.Ja}
		if r.Foreign != nil {
			// Consent to provision abroad is informed by the country, its
			// regime and the recipient's measures (則17(2)).
			parts = append(parts, r.Foreign.Country.Ja, r.Foreign.Regime.Ja, r.Foreign.Measures.Ja)
		}
		m["recipient:"+r.ID] = fp(parts...)
	}
	terms.l, terms.terms = l, m
	return m
}

// subjectOf is what the access decision knows of p at t: suspensions and
// the purposes a standing consent covers in their current wording.
func subjectOf(l *ledger.Ledger, p *hogo.Principal, t time.Time) access.Subject {
	sub := subject(p.Suspended)
	if len(p.Consents) == 0 {
		return sub
	}
	tm := Terms(l)
	for _, c := range p.Consents {
		for _, pu := range c.Purposes {
			if k := "purpose:" + pu; c.Covers(k, tm[k], t) {
				if sub.Consented == nil {
					sub.Consented = map[string]bool{}
				}
				sub.Consented[pu] = true
			}
		}
	}
	return sub
}

// ConsentedTo reports whether p's consents, at t, cover provision to the
// recipient (and, when purposes are given, each of those purposes).
func ConsentedTo(l *ledger.Ledger, consents []*hogo.Consent, recipient string, t time.Time) bool {
	tm := Terms(l)
	k := "recipient:" + recipient
	for _, c := range consents {
		if c.Covers(k, tm[k], t) {
			return true
		}
	}
	return false
}

// ConsentInput is a consent as recorded.
type ConsentInput struct {
	Purposes   []string `json:"purposes"`
	Recipients []string `json:"recipients"`
	Method     string   `json:"method"`
	// Witness is who heard a verbal consent; required for verbal.
	Witness string `json:"witness,omitempty"`
	// GivenAt defaults to now; ExpiresAt to never.
	GivenAt   time.Time `json:"given_at,omitzero"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// ForeignInformed says the principal was given, before consenting to
	// a recipient abroad, the country, its regime and the recipient's
	// measures (APPI Art. 28(2), 則17(2)); required for such a recipient.
	ForeignInformed bool `json:"foreign_informed,omitempty"`
}

// GiveConsent records a principal's consent.
func (s *Service) GiveConsent(ctx context.Context, a hogo.Actor, principal string, in ConsentInput) (*hogo.Consent, error) {
	if !slices.Contains(ConsentRoles, a.Role) && !portal(a) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は同意を記録できません。同意の記録は業務担当（staff）、窓口（desk）、個人情報保護管理者（manager）が行います。",
			"role %q may not record consents; consents are recorded by staff, the desk or the protection manager", string(a.Role))
	}
	l, digest, err := s.current()
	if err != nil {
		return nil, err
	}
	if len(in.Purposes) == 0 && len(in.Recipients) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "purposes", "同意の対象（purposes または recipients）を1つ以上指定してください。",
			"name at least one purpose (purposes) or recipient (recipients) consented to")
	}
	tm := Terms(l)
	c := &hogo.Consent{PrincipalID: principal, Terms: map[string]string{}, NoticeVersion: digest, Method: in.Method,
		Witness: strings.TrimSpace(in.Witness), RecordedBy: a.Name}
	for _, p := range in.Purposes {
		if l.Purpose(p) == nil {
			return nil, hogo.NewError(hogo.EINVALID, "purposes", "利用目的「%s」は台帳にありません。", "purpose %q is not in the ledger", p)
		}
		if slices.Contains(c.Purposes, p) {
			continue
		}
		c.Purposes = append(c.Purposes, p)
		c.Terms["purpose:"+p] = tm["purpose:"+p]
	}
	for _, r := range in.Recipients {
		rc := l.Recipient(r)
		if rc == nil {
			return nil, hogo.NewError(hogo.EINVALID, "recipients", "提供先「%s」は台帳にありません。", "recipient %q is not in the ledger", r)
		}
		if rc.Foreign != nil && !in.ForeignInformed {
			return nil, hogo.NewError(hogo.EINVALID, "foreign_informed",
				"提供先「%s」は外国にあります。同意を得る前に、国名・その国の制度・提供先の措置を本人に伝え（個人情報保護法第28条第2項、規則第17条第2項）、foreign_informed を true にしてください。",
				"recipient %q is abroad: before consent the principal must be told the country, its protection regime and the recipient's measures (APPI Art. 28(2), rule 17(2)); then set foreign_informed", r)
		}
		if slices.Contains(c.Recipients, r) {
			continue
		}
		c.Recipients = append(c.Recipients, r)
		c.Terms["recipient:"+r] = tm["recipient:"+r]
	}
	if !slices.Contains(hogo.ConsentMethods, in.Method) {
		return nil, hogo.NewError(hogo.EINVALID, "method", "同意の取得方法（method）は次のいずれかです: %s",
			"method must be one of: %s", strings.Join(hogo.ConsentMethods, ", "))
	}
	if in.Method == hogo.ConsentVerbal && c.Witness == "" {
		return nil, hogo.NewError(hogo.EINVALID, "witness", "口頭の同意には、聞き取った者（witness）を記録してください。",
			"a verbal consent needs the witness who heard it")
	}
	if len([]rune(c.Witness)) > 100 {
		return nil, hogo.NewError(hogo.EINVALID, "witness", "witness は100文字以内にしてください。", "keep witness within 100 characters")
	}
	now := s.Now()
	c.GivenAt = in.GivenAt
	if c.GivenAt.IsZero() {
		c.GivenAt = now
	}
	if c.GivenAt.After(now.Add(time.Minute)) {
		return nil, hogo.NewError(hogo.EINVALID, "given_at", "同意の日時が未来になっています。", "given_at is in the future")
	}
	c.ExpiresAt = in.ExpiresAt
	if !c.ExpiresAt.IsZero() && !c.ExpiresAt.After(c.GivenAt) {
		return nil, hogo.NewError(hogo.EINVALID, "expires_at", "有効期限は同意の日時より後にしてください。", "expires_at must be after given_at")
	}
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	c.ID = NewID(now)
	e := a.Entry("consent.give")
	e.Principal, e.Target = principal, c.ID
	e.Detail = map[string]string{"purposes": strings.Join(c.Purposes, ","), "recipients": strings.Join(c.Recipients, ","), "method": c.Method}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertConsent(ctx, c) }, e); err != nil {
		return nil, err
	}
	return c, nil
}

// Withdrawal channels.
const (
	ViaDesk   = "desk"
	ViaPortal = "portal"
	ViaAPI    = "api"
)

// WithdrawConsent records the withdrawal of a consent (同意の撤回); the
// vault refuses the uses it covered from that moment.
func (s *Service) WithdrawConsent(ctx context.Context, a hogo.Actor, principal, id, via string) error {
	if !slices.Contains(ConsentRoles, a.Role) && !portal(a) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は同意の撤回を記録できません。", "role %q may not record a withdrawal", string(a.Role))
	}
	if !ValidID(principal) {
		return errNoPrincipal()
	}
	if !ValidID(id) {
		return hogo.NewError(hogo.ENOTFOUND, "cid", "同意の記録が見つかりません。", "no such consent")
	}
	e := a.Entry("consent.withdraw")
	e.Principal, e.Target = principal, id
	e.Detail = map[string]string{"via": via}
	now := s.Now()
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.WithdrawConsent(ctx, principal, id, now, a.Name, via)
	}, e)
}

// ConsentView is a consent with its standing now, per term.
type ConsentView struct {
	ID            string    `json:"id"`
	Purposes      []string  `json:"purposes"`
	Recipients    []string  `json:"recipients"`
	NoticeVersion string    `json:"notice_version"`
	Method        string    `json:"method"`
	Witness       string    `json:"witness,omitempty"`
	GivenAt       time.Time `json:"given_at"`
	RecordedBy    string    `json:"recorded_by"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"`
	WithdrawnAt   time.Time `json:"withdrawn_at,omitzero"`
	WithdrawnVia  string    `json:"withdrawn_via,omitempty"`
	// Status is live, withdrawn or expired; Outdated lists the terms whose
	// wording changed since (the principal must be asked again).
	Status   string   `json:"status"`
	Outdated []string `json:"outdated,omitempty"`
}

// Consent statuses.
const (
	ConsentLive      = "live"
	ConsentWithdrawn = "withdrawn"
	ConsentExpired   = "expired"
)

func viewConsent(c *hogo.Consent, tm map[string]string, t time.Time) ConsentView {
	v := ConsentView{ID: c.ID, Purposes: c.Purposes, Recipients: c.Recipients, NoticeVersion: c.NoticeVersion, Method: c.Method,
		Witness: c.Witness, GivenAt: c.GivenAt.In(hogo.Tokyo), RecordedBy: c.RecordedBy, ExpiresAt: c.ExpiresAt, WithdrawnAt: c.WithdrawnAt,
		WithdrawnVia: c.WithdrawnVia, Status: ConsentLive}
	switch {
	case !c.WithdrawnAt.IsZero():
		v.Status = ConsentWithdrawn
	case !c.Live(t):
		v.Status = ConsentExpired
	}
	keys := make([]string, 0, len(c.Terms))
	for k := range c.Terms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if tm[k] != c.Terms[k] {
			v.Outdated = append(v.Outdated, k)
		}
	}
	if v.Purposes == nil {
		v.Purposes = []string{}
	}
	if v.Recipients == nil {
		v.Recipients = []string{}
	}
	return v
}

// Consents returns a principal's consent history, newest first, audited.
func (s *Service) Consents(ctx context.Context, a hogo.Actor, principal string) ([]ConsentView, error) {
	if !slices.Contains(append(slices.Clone(ConsentRoles), hogo.RoleAuditor), a.Role) && !portal(a) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は同意の記録を見られません。", "role %q may not see consents", string(a.Role))
	}
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if !ValidID(principal) {
		return nil, errNoPrincipal()
	}
	if _, err := s.store.GetPrincipal(ctx, principal); err != nil {
		return nil, err
	}
	cs, err := s.store.ListConsents(ctx, principal)
	if err != nil {
		return nil, err
	}
	tm, now := Terms(l), s.Now()
	out := make([]ConsentView, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- {
		out = append(out, viewConsent(cs[i], tm, now))
	}
	e := a.Entry("consent.list")
	e.Principal = principal
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Reconsent is a principal to ask again: standing consents whose purposes
// or recipients the ledger now words differently (Consent is the first
// such consent).
type Reconsent struct {
	Principal string   `json:"principal"`
	Consent   string   `json:"consent"`
	Terms     []string `json:"terms"`
}

// ReconsentList lists the principals to ask again after the ledger
// changed a purpose or recipient they consented to (at most limit).
func (s *Service) ReconsentList(ctx context.Context, a hogo.Actor, limit int) ([]Reconsent, error) {
	if a.Role != hogo.RoleManager && a.Role != hogo.RoleAuditor {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "再同意の一覧は個人情報保護管理者と監査担当が見られます。",
			"the list of principals to ask again is for the protection manager and the auditor")
	}
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	tm, now := Terms(l), s.Now()
	var out []Reconsent
	at := map[string]int{}
	after := ""
	for len(out) < limit {
		n := 0
		err := s.store.ScanLiveConsents(ctx, after, 1000, func(c *hogo.Consent) error {
			n++
			after = c.ID
			if !c.Live(now) {
				return nil
			}
			var changed []string
			for k, d := range c.Terms {
				if tm[k] != d {
					changed = append(changed, k)
				}
			}
			if len(changed) == 0 {
				return nil
			}
			// One line per principal, with every term to ask about.
			if i, ok := at[c.PrincipalID]; ok {
				for _, k := range changed {
					if !slices.Contains(out[i].Terms, k) {
						out[i].Terms = append(out[i].Terms, k)
					}
				}
				slices.Sort(out[i].Terms)
				return nil
			}
			if len(out) < limit {
				slices.Sort(changed)
				at[c.PrincipalID] = len(out)
				out = append(out, Reconsent{Principal: c.PrincipalID, Consent: c.ID, Terms: changed})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if n < 1000 {
			break
		}
	}
	e := a.Entry("consent.reconsent_list")
	e.Detail = map[string]string{"count": strconv.Itoa(len(out))}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Receipt is a consent receipt for the principal, with the fields of the
// Kantara Initiative's consent receipt and ISO/IEC TS 27560.
type Receipt struct {
	Version          string             `json:"version"`
	Jurisdiction     string             `json:"jurisdiction"`
	ConsentTimestamp time.Time          `json:"consentTimestamp"`
	CollectionMethod string             `json:"collectionMethod"`
	ConsentReceiptID string             `json:"consentReceiptID"`
	Language         string             `json:"language"`
	PrincipalID      string             `json:"piiPrincipalId"`
	Controllers      []Controller       `json:"piiControllers"`
	PolicyURL        string             `json:"policyUrl,omitempty"`
	NoticeVersion    string             `json:"noticeVersion"`
	Services         []ReceiptItem      `json:"purposes"`
	Recipients       []ReceiptParty     `json:"thirdParties"`
	Witness          string             `json:"witness,omitempty"`
	RecordedBy       string             `json:"recordedBy"`
	Expiry           *time.Time         `json:"expiry,omitempty"`
	Withdrawal       *ReceiptWithdrawal `json:"withdrawal,omitempty"`
	Status           string             `json:"status"`
}

// Controller is the business responsible (個人情報取扱事業者).
type Controller struct {
	Name    string `json:"piiController"`
	Address string `json:"address"`
	Contact string `json:"contact"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

// ReceiptItem is a purpose consented to.
type ReceiptItem struct {
	ID          string `json:"id"`
	Purpose     string `json:"purpose"`
	Description string `json:"description"`
	ConsentType string `json:"consentType"`
	Current     bool   `json:"wordingCurrent"`
}

// ReceiptParty is a recipient consented to.
type ReceiptParty struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Items   string `json:"items"`
	Purpose string `json:"purpose"`
	Country string `json:"country,omitempty"`
	Current bool   `json:"wordingCurrent"`
}

// ReceiptWithdrawal is when and how a consent was withdrawn.
type ReceiptWithdrawal struct {
	At  time.Time `json:"at"`
	Via string    `json:"via"`
}

// ConsentReceipt returns the receipt of one of a principal's consents,
// audited.
func (s *Service) ConsentReceipt(ctx context.Context, a hogo.Actor, principal, id string) (*Receipt, error) {
	if !slices.Contains(append(slices.Clone(ConsentRoles), hogo.RoleAuditor), a.Role) && !portal(a) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "役割「%s」は同意の記録を見られません。", "role %q may not see consents", string(a.Role))
	}
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if !ValidID(principal) || !ValidID(id) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "cid", "同意の記録が見つかりません。", "no such consent")
	}
	cs, err := s.store.ListConsents(ctx, principal)
	if err != nil {
		return nil, err
	}
	var c *hogo.Consent
	for _, x := range cs {
		if x.ID == id {
			c = x
		}
	}
	if c == nil {
		return nil, hogo.NewError(hogo.ENOTFOUND, "cid", "同意の記録が見つかりません。", "no such consent")
	}
	tm, now := Terms(l), s.Now()
	v := viewConsent(c, tm, now)
	r := &Receipt{Version: "KI-CR-v1.1.0", Jurisdiction: "JP", ConsentTimestamp: c.GivenAt.In(hogo.Tokyo), CollectionMethod: c.Method,
		ConsentReceiptID: c.ID, Language: "ja", PrincipalID: c.PrincipalID, PolicyURL: l.Organization.Website, NoticeVersion: c.NoticeVersion,
		Witness: c.Witness, RecordedBy: c.RecordedBy, Status: v.Status, Services: []ReceiptItem{}, Recipients: []ReceiptParty{}}
	r.Controllers = []Controller{{Name: l.Organization.Name.Ja, Address: l.Organization.Address.Ja, Contact: l.ComplaintDesk.Name.Ja,
		Email: l.ComplaintDesk.Email, Phone: strings.Join(l.ComplaintDesk.Phone, ", ")}}
	if !c.ExpiresAt.IsZero() {
		t := c.ExpiresAt.In(hogo.Tokyo)
		r.Expiry = &t
	}
	if !c.WithdrawnAt.IsZero() {
		r.Withdrawal = &ReceiptWithdrawal{At: c.WithdrawnAt.In(hogo.Tokyo), Via: c.WithdrawnVia}
	}
	for _, p := range c.Purposes {
		it := ReceiptItem{ID: p, Purpose: p, ConsentType: "EXPLICIT", Current: tm["purpose:"+p] == c.Terms["purpose:"+p]}
		if x := l.Purpose(p); x != nil {
			it.Purpose, it.Description = x.Name.Ja, x.Description.Ja
		}
		r.Services = append(r.Services, it)
	}
	for _, id := range c.Recipients {
		rp := ReceiptParty{ID: id, Name: id, Current: tm["recipient:"+id] == c.Terms["recipient:"+id]}
		if x := l.Recipient(id); x != nil {
			rp.Name, rp.Items, rp.Purpose = x.Name.Ja, x.Items.Ja, x.Purpose.Ja
			if x.Foreign != nil {
				rp.Country = x.Foreign.Country.Ja
			}
		}
		r.Recipients = append(r.Recipients, rp)
	}
	e := a.Entry("consent.receipt")
	e.Principal, e.Target = principal, id
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return r, nil
}

// PrincipalsByEmail returns the principals holding a record with this
// e-mail address, for the principal's own page on the portal (which then
// proves the address with a code sent to it). The look-up is audited
// without the address.
func (s *Service) PrincipalsByEmail(ctx context.Context, remote, email string) ([]string, error) {
	if strings.TrimSpace(email) == "" {
		return nil, hogo.NewError(hogo.EINVALID, "email", "メールアドレスを入力してください。", "give an e-mail address")
	}
	ids, err := s.store.FindPrincipals(ctx, s.keys.BlindIndex(ledger.TypeEmail, email), MaxMatches)
	if err != nil {
		return nil, err
	}
	e := hogo.Actor{Name: "portal", Remote: remote}.Entry("portal.consent_lookup")
	e.Detail = map[string]string{"found": strconv.Itoa(len(ids))}
	return ids, s.audit.Append(ctx, e)
}

// portal reports whether a is the principal on the public portal (who
// proved their address there): no member of staff, whatever their name.
func portal(a hogo.Actor) bool { return a.UserID == 0 && a.Role == "" && a.Name == "portal" }
