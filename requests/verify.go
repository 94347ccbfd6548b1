package requests

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/vault"
)

// Verification of the requester (本人確認, APPI Art. 37(1), 令12): by
// identity documents as the ledger sets (one with a photo, or two
// without), by the registered details with a call-back, or by a one-time
// code sent by e-mail; and for an agent, the evidence of their authority
// (令13). Each check records who checked what, and when.

// Check is one verification step.
type Check struct {
	Method string `json:"method"`
	// Documents are the kinds of identity document (ledger
	// id_documents) or of agent's evidence (AgentEvidenceKinds) seen.
	Documents []string  `json:"documents,omitempty"`
	Passed    bool      `json:"passed"`
	Note      string    `json:"note,omitempty"`
	By        string    `json:"by"`
	Role      string    `json:"role,omitempty"`
	At        time.Time `json:"at"`
}

// Verification methods.
const (
	CheckDocument  = "document"       // copies or originals of identity documents
	CheckCallback  = "callback"       // registered details confirmed, called back on the registered number
	CheckEmailCode = "email_code"     // a one-time code sent to the registered address, entered on the portal
	CheckAgent     = "agent_evidence" // the agent's authority (代理権)
)

// CheckMethods are the methods the desk records.
var CheckMethods = []string{CheckDocument, CheckCallback, CheckAgent}

// AgentEvidenceKinds are the documents proving an agent's authority
// (令13; PPC guidelines 通則編 3-8-6).
var AgentEvidenceKinds = []string{"family_register", "resident_record", "registry_certificate", "power_of_attorney",
	"seal_certificate", "professional_registration"}

// agentEvidence is, per agent kind, the sets of evidence any one of which
// proves authority.
var agentEvidence = map[string][][]string{
	// 法定代理人（未成年者）: 戸籍謄抄本 or 住民票.
	"statutory_minor": {{"family_register"}, {"resident_record"}},
	// 成年後見人: 登記事項証明書.
	"adult_guardian": {{"registry_certificate"}},
	// 任意代理人: 委任状 with the principal's registered seal, and the seal certificate.
	"appointed": {{"power_of_attorney", "seal_certificate"}},
	// 弁護士等の有資格者: 委任状 and proof of registration.
	"professional": {{"power_of_attorney", "professional_registration"}},
}

// identityChecked reports whether the passed checks satisfy the ledger:
// enough documents with a photo, or enough without, or a call-back, or a
// confirmed e-mailed code.
func identityChecked(c *Case, l *ledger.Ledger) bool {
	ids := l.Requests.IDDocuments
	photoNeed, plainNeed := max(ids.PhotoCount, 1), max(ids.NonPhotoCount, 2)
	photo, plain := map[string]bool{}, map[string]bool{}
	for _, ch := range c.Checks {
		if !ch.Passed {
			continue
		}
		switch ch.Method {
		case CheckCallback, CheckEmailCode:
			return true
		case CheckDocument:
			for _, d := range ch.Documents {
				switch {
				case slices.Contains(ids.Photo, d) || (len(ids.Photo) == 0 && photoDocument(d)):
					photo[d] = true
				default:
					plain[d] = true
				}
			}
		}
	}
	return len(photo) >= photoNeed || len(plain) >= plainNeed || (len(photo) > 0 && len(photo)+len(plain) >= plainNeed)
}

// photoDocument is the default split when the ledger lists none.
func photoDocument(d string) bool {
	return slices.Contains([]string{"driver_licence", "passport", "mynumber_card", "residence_card", "special_permanent_resident", "disability_certificate"}, d)
}

// authorityChecked reports whether an agent's evidence was checked.
func authorityChecked(c *Case, agentKind string) bool {
	seen := map[string]bool{}
	for _, ch := range c.Checks {
		if ch.Passed && ch.Method == CheckAgent {
			for _, d := range ch.Documents {
				seen[d] = true
			}
		}
	}
	for _, set := range agentEvidence[agentKind] {
		all := true
		for _, d := range set {
			all = all && seen[d]
		}
		if all {
			return true
		}
	}
	return false
}

// verified reports whether a request's requester is verified.
func verified(r *hogo.RightsRequest, c *Case, l *ledger.Ledger, agentKind string) bool {
	if !identityChecked(c, l) {
		return false
	}
	return r.RequesterKind != ledger.RequesterAgent || authorityChecked(c, agentKind)
}

// RecordCheck records a verification step the desk made and whether it
// passed; the request is verified once the checks satisfy the ledger.
func (s *Service) RecordCheck(ctx context.Context, a hogo.Actor, id string, ch Check) error {
	if err := handler(a); err != nil {
		return err
	}
	if !slices.Contains(CheckMethods, ch.Method) {
		return hogo.NewError(hogo.EINVALID, "method", "確認方法は次のいずれかです: %s", "method must be one of: %s", strings.Join(CheckMethods, ", "))
	}
	kinds := ledger.IDDocumentKinds
	if ch.Method == CheckAgent {
		kinds = AgentEvidenceKinds
	}
	if ch.Method != CheckCallback && len(ch.Documents) == 0 {
		return hogo.NewError(hogo.EINVALID, "documents", "確認した書類（documents）を選んでください。", "name the documents checked")
	}
	for _, d := range ch.Documents {
		if !slices.Contains(kinds, d) {
			return hogo.NewError(hogo.EINVALID, "documents", "書類の種類「%s」はありません。次のいずれかです: %s",
				"document kind %q is not known; use one of: %s", d, strings.Join(kinds, ", "))
		}
	}
	if len([]rune(ch.Note)) > 1000 {
		return hogo.NewError(hogo.EINVALID, "note", "メモは1000文字以内にしてください。", "keep the note within 1000 characters")
	}
	r, c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	_, _, err = s.stepOn(ctx, a, r, c, "request.check", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		ch.By, ch.Role, ch.At, ch.Note = a.Name, string(a.Role), ev.now, strings.TrimSpace(ch.Note)
		c.Checks = append(c.Checks, ch)
		r.Verified = verified(r, c, ev.l, det.AgentKind)
		return map[string]string{"method": ch.Method, "documents": strings.Join(ch.Documents, ","), "passed": strconv.FormatBool(ch.Passed),
			"verified": strconv.FormatBool(r.Verified)}, nil
	})
	return err
}

// Upload limits: identity documents are photographs or scans.
const (
	MaxFileSize     = 10 << 20
	MaxFilesPerKind = 6
)

// FileTypes are the accepted content types of uploads, sniffed from the
// content, not taken from the name or the browser.
var FileTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// SniffFile returns the content type of an upload, or an error saying
// what is accepted.
func SniffFile(data []byte) (string, error) {
	if len(data) == 0 {
		return "", hogo.NewError(hogo.EINVALID, "file", "ファイルが空です。", "the file is empty")
	}
	if len(data) > MaxFileSize {
		return "", hogo.NewError(hogo.EINVALID, "file", "ファイルが大きすぎます（1ファイル%dMBまで）。画像を縮小するかPDFにしてください。",
			"the file is too large (at most %d MB each); shrink the image or send a PDF", MaxFileSize>>20)
	}
	ct := http.DetectContentType(data)
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		ct = "application/pdf"
	}
	if !slices.Contains(FileTypes, ct) {
		return "", hogo.NewError(hogo.EINVALID, "file", "受け付けられるファイルは JPEG・PNG の画像と PDF です。",
			"only JPEG and PNG images and PDF files are accepted")
	}
	return ct, nil
}

func fileAD(id string) string { return "request file\x00" + id }

// AddFile keeps a copy of an identity document or of an agent's evidence
// with a request, sealed; it is deleted automatically id_copy_days after
// the request closes. The desk adds scans of papers; the requester
// uploads through the portal (AddFileFromPortal).
func (s *Service) AddFile(ctx context.Context, a hogo.Actor, id, kind string, data []byte) (string, error) {
	if err := handler(a); err != nil {
		return "", err
	}
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return "", err
	}
	return s.addFile(ctx, a, r, kind, data)
}

func (s *Service) addFile(ctx context.Context, a hogo.Actor, r *hogo.RightsRequest, kind string, data []byte) (string, error) {
	if kind != hogo.FileIDCopy && kind != hogo.FileAgentEvidence {
		return "", hogo.NewError(hogo.EINVALID, "kind", "書類の種類は id_copy（本人確認書類）か agent_evidence（代理権の確認書類）です。",
			"kind is id_copy (identity document) or agent_evidence (agent's evidence)")
	}
	if !r.Open() {
		return "", hogo.NewError(hogo.ECONFLICT, "status", "この請求は既に完了しています。", "the request is closed")
	}
	ct, err := SniffFile(data)
	if err != nil {
		return "", err
	}
	files, err := s.store.ListRequestFiles(ctx, r.ID)
	if err != nil {
		return "", err
	}
	n := 0
	for _, f := range files {
		if f.Kind == kind {
			n++
		}
	}
	if n >= MaxFilesPerKind {
		return "", hogo.NewError(hogo.EINVALID, "file", "この種類の書類は%d点までです。", "at most %d files of this kind", MaxFilesPerKind)
	}
	now := s.Now()
	f := &hogo.RequestFile{ID: vault.NewID(now), RequestID: r.ID, Kind: kind, ContentType: ct, Size: int64(len(data)), CreatedAt: now}
	if f.Data, err = s.vault.SealNote(ctx, string(data), fileAD(f.ID)); err != nil {
		return "", err
	}
	e := a.Entry("request.file_add")
	e.Target = r.ReceiptNumber
	e.Detail = map[string]string{"kind": kind, "content_type": ct, "size": strconv.Itoa(len(data))}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRequestFile(ctx, f) }, e)
	return f.ID, err
}

// OpenFile returns a request file's content for staff, audited.
func (s *Service) OpenFile(ctx context.Context, a hogo.Actor, requestID, fileID string) (*hogo.RequestFile, []byte, error) {
	if !slices.Contains(QueueRoles, a.Role) || a.Role == hogo.RoleAuditor {
		return nil, nil, hogo.NewError(hogo.EFORBIDDEN, "role", "書類は窓口か個人情報保護管理者が開けます。", "files are opened by the desk or the protection manager")
	}
	f, err := s.store.GetRequestFile(ctx, fileID)
	if err != nil {
		return nil, nil, err
	}
	if f.RequestID != requestID {
		return nil, nil, hogo.NewError(hogo.ENOTFOUND, "file", "ファイルが見つかりません。", "no such file")
	}
	r, err := s.store.GetRequest(ctx, requestID)
	if err != nil {
		return nil, nil, err
	}
	data, err := s.vault.OpenNote(ctx, f.Data, fileAD(f.ID))
	if err != nil {
		return nil, nil, err
	}
	e := a.Entry("request.file_open")
	e.Target = r.ReceiptNumber
	e.Detail = map[string]string{"kind": f.Kind, "file": f.ID}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, nil, err
	}
	return f, []byte(data), nil
}

// OneTimeCode is a verification code sent by e-mail; only its hash is
// kept.
type OneTimeCode struct {
	Hash     []byte    `json:"hash"`
	Expires  time.Time `json:"expires"`
	Attempts int       `json:"attempts"`
}

// Code limits.
const (
	CodeTTL         = 30 * time.Minute
	CodeMaxAttempts = 5
)

func codeHash(id, code string) []byte {
	h := sha256.Sum256([]byte("request code\x00" + id + "\x00" + code))
	return h[:]
}

// SendCode e-mails a six-digit one-time code to the requester's address;
// they enter it on the portal's status page to verify that the address is
// theirs (the registered address, when the desk has matched it).
func (s *Service) SendCode(ctx context.Context, a hogo.Actor, id string) error {
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
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	// The code goes to the address the company holds for the matched
	// principal, which proves more than the address the requester gave.
	to, where := det.Email, "given"
	if r.PrincipalID != "" {
		v, err := s.vault.RightsView(ctx, a, r.PrincipalID, r.ReceiptNumber)
		if err != nil {
			return err
		}
		l, _ := s.ledger()
	find:
		for _, rec := range v.Records {
			for k, val := range rec.Items {
				if it := l.Item(rec.Category, k); it != nil && it.Type == ledger.TypeEmail && val != "" {
					to, where = val, "registered"
					break find
				}
			}
		}
	}
	if to == "" {
		return hogo.NewError(hogo.EINVALID, "email", "送り先のメールアドレスがありません（請求者も、照合した本人も）。", "there is no e-mail address to send to (neither the requester's nor the matched principal's)")
	}
	var b [4]byte
	rand.Read(b[:])
	code := fmt.Sprintf("%06d", (uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]))%1000000)
	if _, _, err := s.stepOn(ctx, a, r, c, "request.code_send", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		c.Code = &OneTimeCode{Hash: codeHash(r.ID, code), Expires: ev.now.Add(CodeTTL)}
		return map[string]string{"to": where}, nil
	}); err != nil {
		return err
	}
	l, _ := s.ledger()
	m := s.message(l, to, "【"+l.Organization.Name.Ja+"】本人確認コードのお知らせ（受付番号 "+r.ReceiptNumber+"）",
		det.Name+" 様\n\n"+
			"開示等の請求（受付番号 "+r.ReceiptNumber+"）について、ご本人確認のためのコードをお送りします。\n\n"+
			"    確認コード: "+code+"\n\n"+
			"請求状況の確認ページで受付番号と暗証番号を入力し、このコードを"+strconv.Itoa(int(CodeTTL.Minutes()))+"分以内に入力してください。\n"+
			s.portalURL("/requests/status")+"\n\n"+
			"このメールにお心当たりのない場合は、破棄してください。\n\n"+s.signature(l))
	_, err = s.Mailer.Send(ctx, m)
	return err
}

// ErrCode is the one answer to a wrong, expired or used-up code.
var ErrCode = hogo.NewError(hogo.EINVALID, "code", "確認コードが正しくないか、有効期限が切れています。窓口にコードの再送をご依頼ください。",
	"the code is wrong or has expired; ask the desk to send a new one")

// ConfirmCode checks a code the requester entered on the portal (having
// proved the request with its secret); a right code records a passed
// e-mail check.
func (s *Service) ConfirmCode(ctx context.Context, remote, receipt, secret, code string) error {
	r, err := s.authenticate(ctx, remote, receipt, secret)
	if err != nil {
		return err
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return err
	}
	det, err := s.requesterOf(ctx, r)
	if err != nil {
		return err
	}
	ok := false
	_, _, err = s.stepOn(ctx, PortalActor(remote), r, c, "request.code_confirm", func(r *hogo.RightsRequest, c *Case, ev *env) (map[string]string, error) {
		if c.Code == nil || ev.now.After(c.Code.Expires) || c.Code.Attempts >= CodeMaxAttempts {
			return map[string]string{"result": "expired"}, nil
		}
		c.Code.Attempts++
		if subtle.ConstantTimeCompare(codeHash(r.ID, strings.TrimSpace(code)), c.Code.Hash) != 1 {
			return map[string]string{"result": "wrong", "attempts": strconv.Itoa(c.Code.Attempts)}, nil
		}
		ok = true
		c.Code = nil
		c.Checks = append(c.Checks, Check{Method: CheckEmailCode, Passed: true, By: "portal", At: ev.now})
		r.Verified = verified(r, c, ev.l, det.AgentKind)
		return map[string]string{"result": "ok", "verified": strconv.FormatBool(r.Verified)}, nil
	})
	if err != nil {
		return err
	}
	if !ok {
		return ErrCode
	}
	return nil
}

func errNoMail() error {
	return hogo.NewError(hogo.EINVALID, "mail", "メール送信（SMTP）が設定されていません。hogo serve --smtp で送信サーバーを指定してください。",
		"sending mail (SMTP) is not configured; give the relay with hogo serve --smtp")
}

// message is a mail from the company's request desk.
func (s *Service) message(l *ledger.Ledger, to, subject, text string) *mail.Message {
	from := s.MailFrom
	if from == "" {
		from = l.ComplaintDesk.Email
	}
	return &mail.Message{From: from, FromName: l.Organization.Name.Ja + " " + l.ComplaintDesk.Name.Ja, To: to, Subject: subject, Text: text}
}

func (s *Service) signature(l *ledger.Ledger) string {
	lines := []string{"――――――――――――――――", l.Organization.Name.Ja, l.ComplaintDesk.Name.Ja}
	if l.ComplaintDesk.Address.Ja != "" {
		lines = append(lines, l.ComplaintDesk.Address.Ja)
	}
	if len(l.ComplaintDesk.Phone) > 0 {
		lines = append(lines, "電話 "+strings.Join(l.ComplaintDesk.Phone, " / "))
	}
	if l.ComplaintDesk.Email != "" {
		lines = append(lines, "メール "+l.ComplaintDesk.Email)
	}
	return strings.Join(lines, "\n") + "\n"
}

func (s *Service) portalURL(path string) string {
	return strings.TrimRight(s.BaseURL, "/") + path
}

// AddFileFromPortal keeps a document the requester uploaded on the portal,
// proving the request with its secret.
func (s *Service) AddFileFromPortal(ctx context.Context, remote, receipt, secret, kind string, data []byte) error {
	r, err := s.authenticate(ctx, remote, receipt, secret)
	if err != nil {
		return err
	}
	_, err = s.addFile(ctx, PortalActor(remote), r, kind, data)
	return err
}

// AddIntakeFile keeps a document sent with a portal request, just
// received (the receipt was issued by this same submission).
func (s *Service) AddIntakeFile(ctx context.Context, remote, id, kind string, data []byte) error {
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.addFile(ctx, PortalActor(remote), r, kind, data)
	return err
}
