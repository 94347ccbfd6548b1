package requests

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/vault"
)

// Answer is how a request was answered: the letter (回答書), the
// electronic disclosure, and how they went to the requester.
type Answer struct {
	Method     string    `json:"method"` // electronic (a link by e-mail) or paper (post)
	LetterID   string    `json:"letter_id"`
	ArchiveID  string    `json:"archive_id,omitempty"`
	ComposedAt time.Time `json:"composed_at"`
	By         string    `json:"by"`
	SentAt     time.Time `json:"sent_at,omitzero"`
	// TokenHash is the hash of the one-time download link's token.
	TokenHash    []byte    `json:"token_hash,omitempty"`
	TokenExpires time.Time `json:"token_expires,omitzero"`
	TokenUsed    time.Time `json:"token_used,omitzero"`
}

// Answer delivery.
const (
	DeliverElectronic = "electronic" // a one-time download link by e-mail; the portal too
	DeliverPaper      = "paper"      // printed and posted (書留 where the ledger says)
)

// LinkTTL is how long a one-time download link stays valid.
const LinkTTL = 14 * 24 * time.Hour

// deliveryOf maps the requester's chosen response method to how the
// answer goes.
func deliveryOf(method string) string {
	switch method {
	case "email", "electronic":
		return DeliverElectronic
	}
	return DeliverPaper
}

// Ready lists what still stops a request from being answered; empty when
// it can be.
func (s *Service) ready(r *hogo.RightsRequest, c *Case, l *ledger.Ledger) []string {
	var why []string
	if len(r.Missing) > 0 {
		why = append(why, "incomplete")
	}
	if !r.Verified {
		undecidedOrHeld := false
		for _, t := range r.Types {
			if d := c.Decisions[t]; d == nil || d.Outcome != NotHeld {
				undecidedOrHeld = true
			}
		}
		if undecidedOrHeld {
			why = append(why, "not_verified")
		}
	}
	for _, t := range r.Types {
		if c.Decisions[t] == nil {
			why = append(why, "undecided:"+t)
		}
	}
	// Telling someone that nothing is held is not held up by the fee.
	if feeHeld(r, l) && !allNotHeld(r, c) {
		why = append(why, "fee_unpaid")
	}
	return why
}

// allNotHeld reports whether every type was answered "not held".
func allNotHeld(r *hogo.RightsRequest, c *Case) bool {
	for _, t := range r.Types {
		if d := c.Decisions[t]; d == nil || d.Outcome != NotHeld {
			return false
		}
	}
	return true
}

// ErrNotReady says what stops an answer.
func errNotReady(why []string) error {
	return hogo.NewError(hogo.ECONFLICT, "status", "まだ回答できません（%s）。本人確認・すべての種類の決定・手数料の受領を済ませてください。",
		"the request cannot be answered yet (%s): verify the requester, decide every type, and receive the fee", strings.Join(why, ", "))
}

// Respond composes the answer (the letter, and for an electronic
// disclosure the signed archive), keeps it sealed with the request and
// delivers it: by e-mail with a one-time download link, or marked for
// post. A request whose mail fails stays open with its answer composed;
// Deliver sends it again.
func (s *Service) Respond(ctx context.Context, a hogo.Actor, id string) error {
	if err := handler(a); err != nil {
		return err
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	ev, err := s.env()
	if err != nil {
		return err
	}
	if !r.Open() {
		return hogo.NewError(hogo.ECONFLICT, "status", "この請求は既に完了しています。", "the request is closed")
	}
	if why := s.ready(r, c, ev.l); len(why) > 0 {
		return errNotReady(why)
	}
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	method := deliveryOf(det.ResponseMethod)
	if det.ResponseMethod == "" && det.Address == "" && det.Email != "" {
		method = DeliverElectronic
	}
	if method == DeliverElectronic && det.Email == "" {
		method = DeliverPaper
	}
	if d := c.Decisions[ledger.ReqDisclose]; d != nil && d.Outcome == Impossible {
		// The method asked for cannot be used: the disclosure is on paper
		// (APPI Art. 33(2)).
		method = DeliverPaper
	}
	if method == DeliverElectronic && s.Mailer == nil {
		return errNoMail()
	}
	pkg, err := s.gather(ctx, a, r, c, ev)
	if err != nil {
		return err
	}
	pdf, err := letter.Render(s.compose(r, c, det, pkg, method, ev), letter.Options{})
	if err != nil {
		return err
	}
	files := []*hogo.RequestFile{}
	add := func(kind, ct string, data []byte) (string, error) {
		f := &hogo.RequestFile{ID: vault.NewID(ev.now), RequestID: r.ID, Kind: kind, ContentType: ct, Size: int64(len(data)), CreatedAt: ev.now}
		var err error
		if f.Data, err = s.vault.SealNote(ctx, string(data), fileAD(f.ID)); err != nil {
			return "", err
		}
		files = append(files, f)
		return f.ID, nil
	}
	ans := &Answer{Method: method, ComposedAt: ev.now, By: a.Name}
	if ans.LetterID, err = add(hogo.FileAnswerLetter, "application/pdf", pdf); err != nil {
		return err
	}
	if method == DeliverElectronic && pkg.Disclosed() {
		zipped, err := s.archive(r, pkg, pdf, ev)
		if err != nil {
			return err
		}
		if ans.ArchiveID, err = add(hogo.FileAnswerArchive, "application/zip", zipped); err != nil {
			return err
		}
	}
	var token string
	if method == DeliverElectronic {
		token = newToken(r.ID)
		ans.TokenHash, ans.TokenExpires = tokenHash(token), ev.now.Add(LinkTTL)
	}
	// Store the answer, its files and the step in one commit first: once
	// composed it is never lost, whatever the mail does.
	storeFiles := func(ctx context.Context, tx hogo.Tx) error {
		for _, f := range files {
			if err := tx.InsertRequestFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	}
	if _, _, err := s.stepOn(ctx, a, r, c, "request.answer_compose", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		c.Answer = ans
		if method == DeliverPaper {
			// The letter is printed and posted by the desk today.
			ans.SentAt = ev.now
			r.Status, r.ClosedOn = hogo.RequestAnswered, ev.today.String()
		}
		return map[string]string{"method": method, "letter_bytes": strconv.Itoa(len(pdf)), "archive": strconv.FormatBool(ans.ArchiveID != "")}, nil
	}, storeFiles); err != nil {
		return err
	}
	if method == DeliverElectronic {
		return s.send(ctx, a, r.ID, det, token)
	}
	return nil
}

// Deliver sends a composed answer's link again (a new one-time link), for
// when the first mail failed or the link expired.
func (s *Service) Deliver(ctx context.Context, a hogo.Actor, id string) error {
	if err := handler(a); err != nil {
		return err
	}
	if s.Mailer == nil {
		return errNoMail()
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	if c.Answer == nil || c.Answer.Method != DeliverElectronic {
		return hogo.NewError(hogo.ECONFLICT, "answer", "メールで送る回答がまだ作成されていません。", "no answer to e-mail has been composed")
	}
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	token := newToken(r.ID)
	if _, _, err := s.stepOnAny(ctx, a, r, c, "request.link_renew", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		c.Answer.TokenHash, c.Answer.TokenExpires, c.Answer.TokenUsed = tokenHash(token), ev.now.Add(LinkTTL), time.Time{}
		return nil, nil
	}); err != nil {
		return err
	}
	return s.send(ctx, a, r.ID, det, token)
}

// send mails the download link and, once the relay took it, closes the
// request as answered.
func (s *Service) send(ctx context.Context, a hogo.Actor, id string, det *sealedRequester, token string) error {
	l, _ := s.ledger()
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return err
	}
	m := s.message(l, det.Email, "【"+l.Organization.Name.Ja+"】開示等の請求に対する回答のお知らせ（受付番号 "+r.ReceiptNumber+"）",
		det.Name+" 様\n\n"+
			"このたびは、個人情報の開示等のご請求（受付番号 "+r.ReceiptNumber+"）をいただき、ありがとうございました。\n"+
			"回答書をご用意しましたので、次のページからお受け取りください（"+strconv.Itoa(int(LinkTTL.Hours()/24))+"日間、1回限り有効です）。\n\n"+
			s.portalURL("/requests/answer/"+token)+"\n\n"+
			"期限を過ぎた場合は、請求状況の確認ページで受付番号と暗証番号を入力してもお受け取りいただけます。\n"+
			s.portalURL("/requests/status")+"\n\n"+s.signature(l))
	if _, err := s.Mailer.Send(ctx, m); err != nil {
		e := a.Entry("request.answer_send")
		e.Target, e.Outcome = r.ReceiptNumber, hogo.OutcomeError
		if aerr := s.audit.Append(ctx, e); aerr != nil {
			return aerr
		}
		me := hogo.NewError(hogo.EINTERNAL, "mail", "回答のメールを送れませんでした。回答は保存されています。送信サーバーを確かめて「再送」してください。",
			"the answer could not be mailed; it is kept: check the mail relay and send it again")
		me.Err = err
		return me
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return err
	}
	_, _, err = s.stepOnAny(ctx, a, r, c, "request.answer_send", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		c.Answer.SentAt = ev.now
		if r.Open() {
			r.Status, r.ClosedOn = hogo.RequestAnswered, ev.today.String()
		}
		return map[string]string{"method": DeliverElectronic}, nil
	})
	return err
}

// newToken returns a one-time link's token: the request's ID (to find
// it) and a random word (to prove it).
func newToken(id string) string {
	word, _ := newSecret()
	return id + "." + word
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte("answer link\x00" + token))
	return h[:]
}

// ErrLink is the one answer to a wrong, used or expired link.
var ErrLink = hogo.NewError(hogo.ENOTFOUND, "link", "このリンクは無効です（使用済みか有効期限切れの可能性があります）。請求状況の確認ページで受付番号と暗証番号を入力してお受け取りください。",
	"this link is not valid (used or expired); use the status page with the receipt number and secret instead")

// Download is a file handed to the requester.
type Download struct {
	Name        string
	ContentType string
	Data        []byte
}

// LinkInfo checks a one-time link without using it (mail scanners open
// links; only the requester's button press uses it up).
func (s *Service) LinkInfo(ctx context.Context, token string) (receipt string, archive bool, err error) {
	r, c, err := s.byToken(ctx, token)
	if err != nil {
		return "", false, err
	}
	return r.ReceiptNumber, c.Answer.ArchiveID != "", nil
}

func (s *Service) byToken(ctx context.Context, token string) (*hogo.RightsRequest, *Case, error) {
	id, _, ok := strings.Cut(token, ".")
	if !ok || !vault.ValidID(id) {
		return nil, nil, ErrLink
	}
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return nil, nil, ErrLink
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	a := c.Answer
	if a == nil || len(a.TokenHash) == 0 || subtle.ConstantTimeCompare(a.TokenHash, tokenHash(token)) != 1 ||
		!a.TokenUsed.IsZero() || s.Now().After(a.TokenExpires) {
		return nil, nil, ErrLink
	}
	return r, c, nil
}

// UseLink hands over the answer behind a one-time link and uses the link
// up: the archive when there is one (it holds the letter), else the letter.
func (s *Service) UseLink(ctx context.Context, remote, token string) (*Download, error) {
	r, c, err := s.byToken(ctx, token)
	if err != nil {
		e := PortalActor(remote).Entry("request.download")
		e.Outcome = hogo.OutcomeDenied
		if aerr := s.audit.Append(ctx, e); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	kind := hogo.FileAnswerLetter
	if c.Answer.ArchiveID != "" {
		kind = hogo.FileAnswerArchive
	}
	d, err := s.answerFile(ctx, r, c, kind)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.stepOnAny(ctx, PortalActor(remote), r, c, "request.download", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		c.Answer.TokenUsed = ev.now
		return map[string]string{"kind": kind, "via": "link"}, nil
	}); err != nil {
		return nil, err
	}
	return d, nil
}

// PortalDownload hands the answer to the requester who proves the request
// with its secret on the portal; kind is the letter or the archive.
func (s *Service) PortalDownload(ctx context.Context, remote, receipt, secret, kind string) (*Download, error) {
	r, err := s.authenticate(ctx, remote, receipt, secret)
	if err != nil {
		return nil, err
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return nil, err
	}
	if c.Answer == nil || c.Answer.SentAt.IsZero() {
		return nil, hogo.NewError(hogo.ENOTFOUND, "answer", "回答はまだありません。", "there is no answer yet")
	}
	d, err := s.answerFile(ctx, r, c, kind)
	if err != nil {
		return nil, err
	}
	e := PortalActor(remote).Entry("request.download")
	e.Target = r.ReceiptNumber
	e.Detail = map[string]string{"kind": kind, "via": "portal"}
	return d, s.audit.Append(ctx, e)
}

func (s *Service) answerFile(ctx context.Context, r *hogo.RightsRequest, c *Case, kind string) (*Download, error) {
	id := c.Answer.LetterID
	name := "kaitousho-" + r.ReceiptNumber + ".pdf"
	if kind == hogo.FileAnswerArchive {
		id, name = c.Answer.ArchiveID, "kaiji-"+r.ReceiptNumber+".zip"
	} else if kind != hogo.FileAnswerLetter {
		return nil, hogo.NewError(hogo.EINVALID, "kind", "受け取れるのは回答書（answer_letter）と開示ファイル（answer_archive）です。",
			"the answer letter (answer_letter) or the disclosure archive (answer_archive)")
	}
	if id == "" {
		return nil, hogo.NewError(hogo.ENOTFOUND, "kind", "この回答には電子ファイルはありません。", "this answer has no such file")
	}
	f, err := s.store.GetRequestFile(ctx, id)
	if err != nil {
		return nil, err
	}
	data, err := s.vault.OpenNote(ctx, f.Data, fileAD(f.ID))
	if err != nil {
		return nil, err
	}
	return &Download{Name: name, ContentType: f.ContentType, Data: []byte(data)}, nil
}

// Package is what hogo holds on the principal, gathered for an answer.
type Package struct {
	View     *vault.View
	Erased   bool
	UseLog   []UseEntry
	Purposes []PurposeLine
	// WithheldCategories are categories the ledger does not disclose.
	WithheldCategories []string
	// Provisions are the provision records that include the principal;
	// Receipts the records of their data received from other businesses.
	Provisions []provision.Record
	Receipts   []receipt.Record
	// Consents are the principal's consents, withdrawn ones included.
	Consents []vault.ConsentView
	types    map[string]bool
}

// Disclosed reports whether the answer discloses data.
func (p *Package) Disclosed() bool { return p.types[ledger.ReqDisclose] && p.View != nil }

// UseEntry is one use of the principal's data from the audit log: when,
// by which role, for what; not who (staff names are not disclosed).
type UseEntry struct {
	At       time.Time `json:"at"`
	Role     string    `json:"role"`
	Action   string    `json:"action"`
	Purpose  string    `json:"purpose,omitempty"`
	Category string    `json:"category,omitempty"`
}

// PurposeLine is a purpose of use of the principal's data (APPI Art. 32(2)).
type PurposeLine struct {
	Category string `json:"category"`
	Purpose  string `json:"purpose"`
}

// gather reads the principal's data for the types granted.
func (s *Service) gather(ctx context.Context, a hogo.Actor, r *hogo.RightsRequest, c *Case, ev *env) (*Package, error) {
	p := &Package{types: map[string]bool{}}
	for t, d := range c.Decisions {
		if d.Outcome == Granted || d.Outcome == Partial || d.Outcome == Impossible {
			p.types[t] = true
		}
	}
	// Provision records: disclosed on their own request (APPI Art. 33(5))
	// and with a disclosure. They outlive an erasure for their retention.
	if r.PrincipalID != "" && s.Provisions != nil && (p.types[ledger.ReqDiscloseRecords] || p.types[ledger.ReqDisclose]) {
		recs, err := s.Provisions.ForPrincipal(ctx, r.PrincipalID)
		if err != nil {
			return nil, err
		}
		p.Provisions = recs
		if s.Receipts != nil {
			if p.Receipts, err = s.Receipts.List(ctx, a, r.PrincipalID); err != nil {
				return nil, err
			}
		}
		e := a.Entry("provision.disclose")
		e.Principal, e.Target = r.PrincipalID, r.ReceiptNumber
		e.Detail = map[string]string{"records": strconv.Itoa(len(recs))}
		if err := s.audit.Append(ctx, e); err != nil {
			return nil, err
		}
	}
	if r.PrincipalID == "" || !(p.types[ledger.ReqDisclose] || p.types[ledger.ReqNotifyPurpose]) {
		return p, nil
	}
	v, err := s.vault.RightsView(ctx, a, r.PrincipalID, r.ReceiptNumber)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		p.Erased = true
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	// Categories the ledger does not disclose (disclosable: false) and
	// items withheld by a partial disclosure stay out of the package.
	var withheld []string
	if d := c.Decisions[ledger.ReqDisclose]; d != nil {
		withheld = d.Withheld
	}
	kept := v.Records[:0]
	for _, rec := range v.Records {
		if cat := ev.l.Category(rec.Category); cat != nil && cat.Disclosable != nil && !*cat.Disclosable {
			if !slices.Contains(p.WithheldCategories, cat.Name.Ja) {
				p.WithheldCategories = append(p.WithheldCategories, cat.Name.Ja)
			}
			continue
		}
		for _, it := range withheld {
			delete(rec.Items, it)
		}
		kept = append(kept, rec)
	}
	v.Records = kept
	p.View = v
	if p.types[ledger.ReqDisclose] {
		if p.Consents, err = s.vault.Consents(ctx, a, r.PrincipalID); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, rec := range v.Records {
		cat := ev.l.Category(rec.Category)
		if cat == nil {
			continue
		}
		for _, pu := range cat.Purposes {
			if k := cat.ID + "\x00" + pu.ID; !seen[k] {
				seen[k] = true
				name := pu.ID
				if x := ev.l.Purpose(pu.ID); x != nil {
					name = x.Name.Ja
				}
				p.Purposes = append(p.Purposes, PurposeLine{Category: cat.Name.Ja, Purpose: name})
			}
		}
	}
	if p.types[ledger.ReqDisclose] && ev.l.Requests.DiscloseUseLog {
		entries, err := s.store.ListAudit(ctx, hogo.AuditFilter{Principal: r.PrincipalID, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if e.Outcome != "" && e.Outcome != hogo.OutcomeOK {
				continue
			}
			p.UseLog = append(p.UseLog, UseEntry{At: e.Time.In(hogo.Tokyo), Role: string(e.Role), Action: e.Action, Purpose: e.Purpose, Category: e.Category})
		}
	}
	return p, nil
}

var typeNames = map[string]string{
	ledger.ReqNotifyPurpose:   "利用目的の通知",
	ledger.ReqDisclose:        "保有個人データの開示",
	ledger.ReqCorrect:         "保有個人データの訂正・追加・削除",
	ledger.ReqSuspend:         "保有個人データの利用停止",
	ledger.ReqErase:           "保有個人データの消去",
	ledger.ReqStopProvision:   "第三者への提供の停止",
	ledger.ReqDiscloseRecords: "第三者提供記録の開示",
}

// TypeName returns a request type's name in Japanese.
func TypeName(t string) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return t
}

var articles = map[string]string{
	ledger.ReqNotifyPurpose: "第32条第2項", ledger.ReqDisclose: "第33条第1項", ledger.ReqCorrect: "第34条第1項",
	ledger.ReqSuspend: "第35条第1項", ledger.ReqErase: "第35条第1項", ledger.ReqStopProvision: "第35条第3項",
	ledger.ReqDiscloseRecords: "第33条第5項",
}

// compose writes the answer letter.
func (s *Service) compose(r *hogo.RightsRequest, c *Case, det *sealedRequester, pkg *Package, method string, ev *env) *letter.Letter {
	l := ev.l
	received, _ := calendar.ParseDate(r.ReceivedOn)
	to := []string{det.Name + " 様"}
	if det.Postal != "" {
		to = append(to, "〒"+strings.TrimPrefix(det.Postal, "〒"))
	}
	if det.Address != "" {
		to = append(to, det.Address)
	}
	sender := []string{l.Organization.Name.Ja}
	if l.ComplaintDesk.Address.Ja != "" {
		sender = append(sender, l.ComplaintDesk.Address.Ja)
	} else if l.Organization.Address.Ja != "" {
		sender = append(sender, l.Organization.Address.Ja)
	}
	sender = append(sender, l.ComplaintDesk.Name.Ja)
	if len(l.ComplaintDesk.Phone) > 0 {
		sender = append(sender, "電話 "+strings.Join(l.ComplaintDesk.Phone, " / "))
	}
	if l.ComplaintDesk.Email != "" {
		sender = append(sender, l.ComplaintDesk.Email)
	}
	names := make([]string, len(r.Types))
	for i, t := range r.Types {
		names[i] = TypeName(t)
	}
	lt := &letter.Letter{
		Title:     "開示等の請求に対する回答書",
		Date:      calendar.FormatJapanese(ev.today),
		Reference: []string{"受付番号 " + r.ReceiptNumber},
		Addressee: to,
		Sender:    sender,
		Opening: []string{
			calendar.FormatJapanese(received) + "にお受けしたご請求（" + strings.Join(names, "、") + "）について、個人情報の保護に関する法律に基づき、下記のとおり回答いたします。",
		},
		Footer: l.Organization.Name.Ja + "　受付番号 " + r.ReceiptNumber,
	}
	if det.Kind == ledger.RequesterAgent && det.PrincipalName != "" {
		lt.Opening = append(lt.Opening, "本回答は、"+det.PrincipalName+" 様の代理人としてのご請求に対するものです。")
	}
	for _, t := range r.Types {
		d := c.Decisions[t]
		sec := letter.Section{Heading: TypeName(t) + "（個人情報保護法" + articles[t] + "）"}
		switch d.Outcome {
		case NotHeld:
			sec.Paragraphs = append(sec.Paragraphs, "当社は、ご請求に係る保有個人データを保有しておりません。")
		case Refused:
			sec.Paragraphs = append(sec.Paragraphs, "次の理由により、ご請求に応じることができません。")
		}
		if d.Outcome == Granted || d.Outcome == Partial || d.Outcome == Impossible {
			sec.Paragraphs, sec.Table = s.fulfilment(t, d, pkg, method, ev)
		}
		if d.Outcome == Partial {
			sec.Paragraphs = append(sec.Paragraphs, "なお、次の理由により、ご請求の一部には応じることができません。")
		}
		if d.Outcome == Refused || d.Outcome == Partial {
			for _, g := range d.Grounds {
				if txt, ok := GroundText(l, g); ok {
					sec.Paragraphs = append(sec.Paragraphs, "・"+txt)
				}
			}
			if d.Reason != "" {
				sec.Paragraphs = append(sec.Paragraphs, "（補足）"+d.Reason)
			}
		} else if d.Reason != "" {
			sec.Paragraphs = append(sec.Paragraphs, d.Reason)
		}
		lt.Sections = append(lt.Sections, sec)
	}
	if r.FeeDue > 0 && (len(c.Payments) > 0 || !allNotHeld(r, c)) {
		fee := letter.Section{Heading: "手数料"}
		line := "手数料 " + yen(r.FeeDue) + " を"
		if len(c.Payments) > 0 {
			last := c.Payments[len(c.Payments)-1]
			if last.Method == PaymentWaived {
				line = "手数料 " + yen(r.FeeDue) + " は免除いたしました。"
			} else {
				on, _ := calendar.ParseDate(last.ReceivedOn)
				line += calendar.FormatJapanese(on) + "に受領いたしました。"
			}
		} else {
			line += "お支払いください。"
		}
		fee.Paragraphs = []string{line}
		lt.Sections = append(lt.Sections, fee)
	}
	lt.Closing = []string{
		"本回答についてご不明な点がございましたら、上記の窓口までお問い合わせください。",
		"なお、当社の個人情報の取扱いに関する苦情は、認定個人情報保護団体にお申し出いただくこともできます。" + accredited(l),
		"以上",
	}
	return lt
}

func accredited(l *ledger.Ledger) string {
	if l.AccreditedOrganization == nil || l.AccreditedOrganization.Name.Ja == "" {
		return ""
	}
	a := l.AccreditedOrganization
	s := "（" + a.Name.Ja
	if a.Desk.Ja != "" {
		s += " " + a.Desk.Ja
	}
	if len(a.Phone) > 0 {
		s += " 電話 " + a.Phone[0]
	}
	return s + "）"
}

func yen(n int) string { return ledger.Yen(n, "ja") }

// fulfilment writes what was done for a granted type.
func (s *Service) fulfilment(t string, d *Decision, pkg *Package, method string, ev *env) ([]string, *letter.Table) {
	l := ev.l
	switch t {
	case ledger.ReqNotifyPurpose:
		if pkg.View == nil {
			return []string{"当社は、ご請求に係る保有個人データを保有しておりません。"}, nil
		}
		tb := &letter.Table{Header: []string{"個人情報の種類", "利用目的"}, Widths: []float64{1, 2}}
		for _, p := range pkg.Purposes {
			tb.Rows = append(tb.Rows, []string{p.Category, p.Purpose})
		}
		return []string{"当社があなたの個人情報を利用する目的は、次のとおりです。"}, tb
	case ledger.ReqDisclose:
		if pkg.Erased {
			return []string{"ご請求に係る保有個人データは、ご請求による消去を行ったため、現在は保有しておりません。"}, nil
		}
		if pkg.View == nil {
			return []string{"当社は、ご請求に係る保有個人データを保有しておりません。"}, nil
		}
		var ps []string
		if d.Outcome == Impossible {
			ps = append(ps, "ご指定の方法による開示は困難であるため、書面により開示いたします（個人情報保護法第33条第2項）。")
		}
		counts := map[string]int{}
		var order []string
		for _, rec := range pkg.View.Records {
			if counts[rec.Category] == 0 {
				order = append(order, rec.Category)
			}
			counts[rec.Category]++
		}
		if len(d.Withheld) > 0 {
			var names []string
			for _, it := range d.Withheld {
				name := it
				for _, c := range l.Categories {
					if x := l.Item(c.ID, it); x != nil {
						name = x.Name.Ja
						break
					}
				}
				names = append(names, name)
			}
			ps = append(ps, "次の項目は開示しておりません: "+strings.Join(names, "、")+"。")
		}
		for _, c := range pkg.WithheldCategories {
			ps = append(ps, "「"+c+"」は当社の定めにより開示の対象としておりません。")
		}
		if method == DeliverElectronic {
			ps = append(ps, "当社が保有するあなたの個人データの概要は次のとおりです。記録の内容は、別添の電子ファイル（JSON・CSV、電子署名付き）に収めています。")
			tb := &letter.Table{Header: []string{"個人情報の種類", "記録の件数"}, Widths: []float64{3, 1}}
			for _, cat := range order {
				name := cat
				if c := l.Category(cat); c != nil {
					name = c.Name.Ja
				}
				tb.Rows = append(tb.Rows, []string{name, strconv.Itoa(counts[cat]) + "件"})
			}
			if len(pkg.UseLog) > 0 {
				ps = append(ps, "あわせて、あなたの個人データの利用記録（"+strconv.Itoa(len(pkg.UseLog))+"件）を電子ファイルに収めています。")
			}
			return ps, tb
		}
		ps = append(ps, "当社が保有するあなたの個人データは、次のとおりです。")
		tb := &letter.Table{Header: []string{"種類", "項目", "内容"}, Widths: []float64{1, 1, 2}}
		for _, rec := range pkg.View.Records {
			cat := l.Category(rec.Category)
			name := rec.Category
			if cat != nil {
				name = cat.Name.Ja
			}
			keys := make([]string, 0, len(rec.Items))
			for k := range rec.Items {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if cat != nil {
				keys = keys[:0]
				for _, it := range cat.Items {
					if _, ok := rec.Items[it.ID]; ok {
						keys = append(keys, it.ID)
					}
				}
			}
			for _, k := range keys {
				iname := k
				if it := l.Item(rec.Category, k); it != nil {
					iname = it.Name.Ja
				}
				tb.Rows = append(tb.Rows, []string{name, iname, rec.Items[k]})
			}
		}
		return ps, tb
	case ledger.ReqCorrect:
		tb := &letter.Table{Header: []string{"項目", "訂正前", "訂正後"}, Widths: []float64{1, 2, 2}}
		for _, x := range d.Corrections {
			name := x.Item
			if it := l.Item(x.Category, x.Item); it != nil {
				name = it.Name.Ja
			}
			after := x.After
			if after == "" {
				after = "（削除）"
			}
			before := x.Before
			if before == "" {
				before = "（なし）"
			}
			tb.Rows = append(tb.Rows, []string{name, before, after})
		}
		return []string{"ご請求のとおり、次のとおり訂正いたしました。"}, tb
	case ledger.ReqSuspend:
		var names []string
		for _, p := range d.Purposes {
			switch {
			case p == "*":
				names = append(names, "すべての利用")
			case l.Purpose(p) != nil:
				names = append(names, l.Purpose(p).Name.Ja)
			default:
				names = append(names, p)
			}
		}
		return []string{"次の利用を停止いたしました: " + strings.Join(names, "、") + "。"}, nil
	case ledger.ReqErase:
		if d.Erased == nil {
			return []string{"ご請求に係る保有個人データを消去いたしました。"}, nil
		}
		ps := []string{"ご請求に係る保有個人データ " + strconv.Itoa(d.Erased.Records) + "件を消去いたしました。"}
		if d.Erased.Whole {
			ps = append(ps, "暗号鍵を破棄したため、バックアップに残る写しも復元できません。")
		}
		for _, k := range d.Erased.Kept {
			name := k.Category
			if c := l.Category(k.Category); c != nil {
				name = c.Name.Ja
			}
			ps = append(ps, "ただし「"+name+"」（"+strconv.Itoa(k.Records)+"件）は、"+k.LegalBasis+"により保存が義務付けられているため、保存期間の満了まで保管し、その後消去いたします。")
		}
		return ps, nil
	case ledger.ReqStopProvision:
		return []string{"あなたの個人データの第三者への提供を停止いたしました。今後、法令に基づく場合を除き、第三者に提供いたしません。"}, nil
	case ledger.ReqDiscloseRecords:
		if len(pkg.Provisions) == 0 && len(pkg.Receipts) == 0 {
			return []string{"当社には、あなたの個人データを第三者に提供した記録、および第三者から受領した記録はありません。"}, nil
		}
		tb := &letter.Table{Header: []string{"日付", "提供先・提供元", "項目", "記録の内容"}, Widths: []float64{1.4, 2, 1.6, 2.6}}
		for _, x := range pkg.Provisions {
			on, _ := calendar.ParseDate(x.ProvidedOn)
			to := "提供先: " + x.RecipientName
			if x.Address != "" {
				to += "（" + x.Address + "）"
			}
			tb.Rows = append(tb.Rows, []string{calendar.FormatJapanese(on), to, strings.Join(x.ItemNames, "、"), x.Statement})
		}
		for _, x := range pkg.Receipts {
			on, _ := calendar.ParseDate(x.ReceivedOn)
			from := "提供元: " + x.ProviderName
			if x.ProviderAddress != "" {
				from += "（" + x.ProviderAddress + "）"
			}
			tb.Rows = append(tb.Rows, []string{calendar.FormatJapanese(on), from, strings.Join(x.ItemNames, "、"), "取得の経緯: " + x.Acquisition + "。" + x.Statement})
		}
		return []string{"あなたの個人データを第三者に提供した記録（個人情報保護法第29条）および第三者から受領した記録（同法第30条）は、次のとおりです。"}, tb
	}
	return nil, nil
}

// Disclosure is the JSON document of an electronic disclosure.
type Disclosure struct {
	Format        string            `json:"format"`
	ReceiptNumber string            `json:"receipt_number"`
	CreatedAt     time.Time         `json:"created_at"`
	Organization  string            `json:"organization"`
	Principal     string            `json:"principal"`
	Records       []DisclosedRecord `json:"records"`
	Suspended     []string          `json:"suspended_purposes"`
	ProvisionStop bool              `json:"provision_stopped"`
	// Consents and ProvisionRecords are listed as kept; empty when none.
	Consents         []vault.ConsentView `json:"consents"`
	ProvisionRecords []provision.Record  `json:"provision_records"`
	ReceiptRecords   []receipt.Record    `json:"receipt_records"`
	Purposes         []PurposeLine       `json:"purposes"`
	UseLog           []UseEntry          `json:"use_log,omitempty"`
}

// DisclosedRecord is one record as disclosed.
type DisclosedRecord struct {
	ID           string            `json:"id"`
	Category     string            `json:"category"`
	CategoryName string            `json:"category_name"`
	Source       string            `json:"source"`
	AcquiredAt   time.Time         `json:"acquired_at"`
	Purposes     []string          `json:"purposes"`
	Items        map[string]string `json:"items"`
}

// DisclosureFormat names the archive's layout.
const DisclosureFormat = "hogo-disclosure/1"

// archive builds the electronic disclosure: disclosure.json, records.csv
// (UTF-8 with BOM, for Excel), the answer letter, and a manifest of their
// SHA-256 digests signed with the company's signing key.
func (s *Service) archive(r *hogo.RightsRequest, pkg *Package, pdf []byte, ev *env) ([]byte, error) {
	l := ev.l
	v := pkg.View
	doc := Disclosure{Format: DisclosureFormat, ReceiptNumber: r.ReceiptNumber, CreatedAt: ev.now.In(hogo.Tokyo),
		Organization: l.Organization.Name.Ja, Principal: v.ID, Records: make([]DisclosedRecord, 0, len(v.Records)),
		Suspended: []string{}, Consents: nonNil(pkg.Consents), ProvisionRecords: nonNil(pkg.Provisions), ReceiptRecords: nonNil(pkg.Receipts), Purposes: pkg.Purposes, UseLog: pkg.UseLog,
		ProvisionStop: vault.ProvisionStopped(v.Suspended)}
	for _, x := range v.Suspended {
		if x != vault.StopProvision {
			doc.Suspended = append(doc.Suspended, x)
		}
	}
	var csvBuf bytes.Buffer
	csvBuf.WriteString("\ufeff")
	w := csv.NewWriter(&csvBuf)
	w.Write([]string{"記録ID", "種類", "項目", "内容", "取得日", "取得方法"})
	for _, rec := range v.Records {
		cat := l.Category(rec.Category)
		cname := rec.Category
		if cat != nil {
			cname = cat.Name.Ja
		}
		src := rec.Source
		if x := l.Source(rec.Source); x != nil {
			src = x.Name.Ja
		}
		doc.Records = append(doc.Records, DisclosedRecord{ID: rec.ID, Category: rec.Category, CategoryName: cname, Source: src,
			AcquiredAt: rec.AcquiredAt, Purposes: rec.Purposes, Items: rec.Items})
		keys := make([]string, 0, len(rec.Items))
		if cat != nil {
			for _, it := range cat.Items {
				if _, ok := rec.Items[it.ID]; ok {
					keys = append(keys, it.ID)
				}
			}
		}
		for _, k := range keys {
			name := k
			if it := l.Item(rec.Category, k); it != nil {
				name = it.Name.Ja
			}
			w.Write([]string{rec.ID, cname, name, rec.Items[k], calendar.DateOf(rec.AcquiredAt).String(), src})
		}
	}
	w.Flush()
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	readme := "開示ファイルについて\r\n\r\n" +
		"disclosure.json … 当社が保有するあなたの個人データ（JSON形式）\r\n" +
		"records.csv … 同じ内容の一覧（CSV形式、Excelで開けます）\r\n" +
		"kaitousho.pdf … 回答書\r\n" +
		"manifest.json / manifest.sig … 各ファイルのSHA-256と、その電子署名（Ed25519）\r\n" +
		"signing-key.pem … 署名の検証に使う当社の公開鍵（当社ウェブサイトに掲載の鍵と同じものです）\r\n"
	files := []struct {
		name string
		data []byte
	}{{"disclosure.json", js}, {"records.csv", csvBuf.Bytes()}, {"kaitousho.pdf", pdf}, {"README.txt", []byte(readme)}}
	type entry struct {
		Name   string `json:"name"`
		Size   int    `json:"size"`
		SHA256 string `json:"sha256"`
	}
	man := struct {
		Format        string  `json:"format"`
		ReceiptNumber string  `json:"receipt_number"`
		CreatedAt     string  `json:"created_at"`
		KeyID         string  `json:"key_id,omitempty"`
		Files         []entry `json:"files"`
	}{Format: DisclosureFormat, ReceiptNumber: r.ReceiptNumber, CreatedAt: ev.now.In(hogo.Tokyo).Format(time.RFC3339)}
	if s.Signer != nil {
		man.KeyID = s.Signer.ID()
	}
	for _, f := range files {
		h := sha256.Sum256(f.data)
		man.Files = append(man.Files, entry{Name: f.name, Size: len(f.data), SHA256: fmt.Sprintf("%x", h)})
	}
	manifest, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	files = append(files, struct {
		name string
		data []byte
	}{"manifest.json", manifest})
	if s.Signer != nil {
		sig := base64.StdEncoding.EncodeToString(s.Signer.SignDocument(manifest))
		files = append(files, struct {
			name string
			data []byte
		}{"manifest.sig", []byte(sig + "\n")}, struct {
			name string
			data []byte
		}{"signing-key.pem", s.Signer.PublicPEM()})
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: ev.now, Flags: 0x800})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
