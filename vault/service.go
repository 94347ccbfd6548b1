package vault

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tink-crypto/tink-go/v2/tink"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/access"
	"hogo.example.jp/hogo/ledger"
)

// Auditor makes a change and appends the audit entries that record it in
// one transaction; *audit.Log is one.
type Auditor interface {
	Append(ctx context.Context, entries ...*hogo.AuditEntry) error
	Write(ctx context.Context, apply func(context.Context, hogo.Tx) error, entries ...*hogo.AuditEntry) error
}

// Service is the vault: every read and write of personal data goes through
// it, names a purpose, is decided by access.Decide against the current
// ledger, and is audited in the same transaction as the write (or, for a
// read, before the data is returned).
type Service struct {
	store  Store
	audit  Auditor
	keys   *Keys
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time

	notesMu sync.Mutex
	notes   tink.AEAD
}

// Store is what the vault needs of a store: its own tables, and settings
// for the notes key.
type Store interface {
	hogo.VaultService
	hogo.SettingService
	hogo.ConsentService
}

// notesOwner is the ID the notes key is bound to, as a principal's key is
// bound to theirs; it can never be a principal's ID.
const notesOwner = "hogo-notes"

// notesKey returns the data key that seals notes, making it on first use.
// It is wrapped by the KEK like a principal's, so rotating and retiring the
// KEK keeps notes readable.
func (s *Service) notesKey(ctx context.Context) (tink.AEAD, error) {
	s.notesMu.Lock()
	defer s.notesMu.Unlock()
	if s.notes != nil {
		return s.notes, nil
	}
	stored, err := s.store.GetSetting(ctx, hogo.SettingVaultNotesKey)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		wrapped, _, err := s.keys.NewDataKey(notesOwner)
		if err != nil {
			return nil, err
		}
		stored, err = s.store.PutSettingIfAbsent(ctx, hogo.SettingVaultNotesKey, base64.StdEncoding.EncodeToString(wrapped))
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	wrapped, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		return nil, ErrDataKey
	}
	dk, err := s.keys.OpenDataKey(notesOwner, wrapped)
	if err != nil {
		return nil, err
	}
	s.notes = dk
	return dk, nil
}

const noteAD = "hogo vault note v1\x00"

// sealNote encrypts a note (it may describe a person) bound to where it is
// kept.
func (s *Service) sealNote(ctx context.Context, text, ad string) ([]byte, error) {
	dk, err := s.notesKey(ctx)
	if err != nil {
		return nil, err
	}
	return dk.Encrypt([]byte(text), []byte(noteAD+ad))
}

// openNote decrypts a note sealed by sealNote with the same ad.
func (s *Service) openNote(ctx context.Context, sealed []byte, ad string) (string, error) {
	dk, err := s.notesKey(ctx)
	if err != nil {
		return "", err
	}
	pt, err := dk.Decrypt(sealed, []byte(noteAD+ad))
	if err != nil {
		return "", ErrSealed
	}
	return string(pt), nil
}

// NewService returns the vault over store. ledgerFn returns the current
// ledger and its digest (the notice version recorded with new records).
func NewService(store Store, auditor Auditor, keys *Keys, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, keys: keys, ledger: ledgerFn, Now: time.Now}
}

// Keys returns the master keys.
func (s *Service) Keys() *Keys { return s.keys }

// LedgerFunc returns the function the vault gets the ledger from.
func (s *Service) LedgerFunc() func() (*ledger.Ledger, string) { return s.ledger }

// Use is what every access names: a purpose, or a legal exception with a
// written justification (APPI Art. 18(3)).
type Use struct {
	Purpose       string `json:"purpose"`
	Exception     string `json:"exception,omitempty"`
	Justification string `json:"justification,omitempty"`
}

// NewRecord is the input of a new record.
type NewRecord struct {
	Category string `json:"category"`
	Use
	Source string `json:"source"`
	// Items maps item IDs to values as typed.
	Items map[string]string `json:"items"`
	// AcquiredAt defaults to now.
	AcquiredAt time.Time `json:"acquired_at"`
	// Purposes are the purposes stated when the data was acquired;
	// defaults to every purpose the ledger declares for the category.
	Purposes []string `json:"purposes"`
	// NoticeVersion defaults to the digest of the current ledger.
	NoticeVersion string `json:"notice_version"`
}

// RecordView is a record as a use may see it.
type RecordView struct {
	ID            string            `json:"id"`
	Category      string            `json:"category"`
	Source        string            `json:"source"`
	AcquiredAt    time.Time         `json:"acquired_at"`
	Purposes      []string          `json:"purposes"`
	NoticeVersion string            `json:"notice_version"`
	Version       int64             `json:"version"`
	UpdatedAt     time.Time         `json:"updated_at"`
	Items         map[string]string `json:"items"`
	// Usable are the declared purposes of the category for which the
	// reader's role may use this record now.
	Usable []string `json:"usable_purposes"`
}

// View is a principal as a use may see them.
type View struct {
	ID        string        `json:"id"`
	CreatedAt time.Time     `json:"created_at"`
	Suspended []string      `json:"suspended,omitempty"`
	Records   []*RecordView `json:"records"`
	// Exception is the legal exception the read relied on, if any;
	// ReviewID the review it was queued for.
	Exception string `json:"exception,omitempty"`
	ReviewID  int64  `json:"review_id,omitempty"`
}

func (s *Service) current() (*ledger.Ledger, string, error) {
	l, digest := s.ledger()
	if l == nil {
		return nil, "", hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	return l, digest, nil
}

func subject(suspended []string) access.Subject {
	sub := access.Subject{}
	if len(suspended) > 0 {
		sub.Suspended = make(map[string]bool, len(suspended))
		for _, p := range suspended {
			sub.Suspended[p] = true
		}
	}
	return sub
}

func entry(a hogo.Actor, action, principal, category string, u Use) *hogo.AuditEntry {
	e := a.Entry(action)
	e.Principal, e.Category, e.Purpose = principal, category, u.Purpose
	return e
}

// denied audits a refused use and returns its error.
func (s *Service) denied(ctx context.Context, a hogo.Actor, action, principal, category string, u Use, d access.Decision) error {
	if err := s.audit.Append(ctx, deniedEntry(a, action, principal, category, u, d)); err != nil {
		return err
	}
	return d.Err
}

func deniedEntry(a hogo.Actor, action, principal, category string, u Use, d access.Decision) *hogo.AuditEntry {
	e := entry(a, action, principal, category, u)
	e.Outcome = hogo.OutcomeDenied
	e.Detail = map[string]string{"reason": d.Reason}
	if u.Exception != "" {
		e.Detail["exception"] = u.Exception
	}
	return e
}

// exceptionUse builds the review entry of a use allowed under an exception.
func (s *Service) exceptionUse(ctx context.Context, a hogo.Actor, principal, category string, op access.Op, u Use, d access.Decision) (*hogo.ExceptionUse, error) {
	if d.Exception == "" {
		return nil, nil
	}
	x := &hogo.ExceptionUse{At: s.Now(), ActorID: a.UserID, Actor: a.Name, Role: a.Role, PrincipalID: principal,
		Category: category, Purpose: u.Purpose, Op: op.String(), Exception: d.Exception}
	var err error
	// The row's ID is not known before the insert: bind the note to what
	// identifies the use instead.
	x.Justification, err = s.sealNote(ctx, u.Justification, justificationAD(x))
	return x, err
}

func justificationAD(x *hogo.ExceptionUse) string {
	return "justification\x00" + x.PrincipalID + "\x00" + x.Category + "\x00" + strconv.FormatInt(x.At.UnixNano(), 10)
}

// checkRecord validates a new record's fields against the ledger and returns
// its canonical items. Problems name the field; values are never echoed.
func checkRecord(l *ledger.Ledger, in *NewRecord) (*ledger.Category, map[string]string, error) {
	c := l.Category(in.Category)
	if c == nil {
		if in.Category == "" {
			return nil, nil, hogo.NewError(hogo.EINVALID, "category", "種別（category）を指定してください。", "category is required")
		}
		return nil, nil, hogo.NewError(hogo.EINVALID, "category", "種別「%s」は台帳にありません。", "category %q is not in the ledger", in.Category)
	}
	if err := checkSource(c, in.Source); err != nil {
		return nil, nil, err
	}
	for _, p := range in.Purposes {
		if !hasRef(c.Purposes, p) {
			return nil, nil, hogo.NewError(hogo.EINVALID, "purposes", "利用目的「%s」は種別「%s」の利用目的として宣言されていないため、取得時に明示した目的にできません。",
				"purpose %q is not declared for category %q, so it cannot be a purpose stated at acquisition", p, c.ID)
		}
	}
	if len(in.Items) == 0 {
		return nil, nil, hogo.NewError(hogo.EINVALID, "items", "項目（items）がありません。", "items are required")
	}
	items, err := checkItems(l, c, in.Items)
	if err != nil {
		return nil, nil, err
	}
	for _, it := range c.Items {
		if it.Required && items[it.ID] == "" {
			return nil, nil, hogo.NewError(hogo.EINVALID, "items."+it.ID, "必須項目「%[1]s」（%[2]s）がありません。",
				"required item %[2]q (%[3]s) is missing", it.Name.Ja, it.ID, it.Name.En)
		}
	}
	return c, items, nil
}

// checkItems validates raw item values; an empty value means no value.
func checkItems(l *ledger.Ledger, c *ledger.Category, raw map[string]string) (map[string]string, error) {
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make(map[string]string, len(raw))
	for _, id := range ids {
		it := l.Item(c.ID, id)
		if it == nil {
			return nil, hogo.NewError(hogo.EINVALID, "items."+id, "項目「%s」は種別「%s」の項目ではありません。この種別の項目: %s",
				"item %q is not an item of category %q; its items are: %s", id, c.ID, itemList(c))
		}
		if strings.TrimSpace(raw[id]) == "" {
			continue
		}
		v, err := CheckValue(it, raw[id])
		if err != nil {
			var he *hogo.Error
			if errors.As(err, &he) {
				he.Field = "items." + id
			}
			return nil, err
		}
		out[id] = v
	}
	return out, nil
}

// unknownItem refuses an item the category does not have, before any
// decision, so that the error names the item's field.
func unknownItem(l *ledger.Ledger, c *ledger.Category, ids []string) error {
	for _, id := range ids {
		if l.Item(c.ID, id) == nil {
			return hogo.NewError(hogo.EINVALID, "items."+id, "項目「%s」は種別「%s」の項目ではありません。この種別の項目: %s",
				"item %q is not an item of category %q; its items are: %s", id, c.ID, itemList(c))
		}
	}
	return nil
}

func itemList(c *ledger.Category) string {
	ids := make([]string, len(c.Items))
	for i, it := range c.Items {
		ids[i] = it.ID
	}
	return strings.Join(ids, ", ")
}

func refList(refs []ledger.Ref) string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}

func hasRef(refs []ledger.Ref, id string) bool {
	for _, r := range refs {
		if r.ID == id {
			return true
		}
	}
	return false
}

func keysOf(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func recordAD(principal, record string) []byte {
	return []byte("hogo vault record v1\x00" + principal + "\x00" + record)
}

// seal encrypts a record's items.
func seal(dk tink.AEAD, principal, record string, items map[string]string) ([]byte, error) {
	pt, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	return dk.Encrypt(pt, recordAD(principal, record))
}

// open decrypts a record's items.
func open(dk tink.AEAD, r *hogo.Record) (map[string]string, error) {
	pt, err := dk.Decrypt(r.Sealed, recordAD(r.PrincipalID, r.ID))
	if err != nil {
		return nil, ErrSealed
	}
	defer clear(pt)
	var items map[string]string
	if err := json.Unmarshal(pt, &items); err != nil {
		return nil, ErrSealed
	}
	return items, nil
}

// Lookup kinds: the identifiers a principal can be found by.
const (
	LookupEmail     = "email"
	LookupPhone     = "phone"
	LookupNameKana  = "name_kana"
	LookupBirthName = "birth_date+name"
)

// LookupKinds lists the lookup kinds.
var LookupKinds = []string{LookupEmail, LookupPhone, LookupNameKana, LookupBirthName}

// lookups returns the blind indexes of a record's identifiers: every
// identifier item of type e-mail, phone or kana, and the date of birth with
// each identifier name.
func (s *Service) lookups(c *ledger.Category, items map[string]string) [][]byte {
	var out [][]byte
	var birth string
	var names []string
	for _, it := range c.Items {
		v := items[it.ID]
		if v == "" {
			continue
		}
		switch {
		case it.Type == ledger.TypeDate && it.ID == "birth_date":
			birth = v
		case !it.Identifier:
		case it.Type == ledger.TypeEmail, it.Type == ledger.TypePhone, it.Type == ledger.TypeKana:
			out = append(out, s.keys.BlindIndex(it.Type, v))
		case it.Type == ledger.TypeText:
			names = append(names, v)
		}
	}
	if birth != "" {
		for _, n := range names {
			out = append(out, s.keys.BirthNameIndex(birth, n))
		}
	}
	return out
}

// prepare builds a new principal's sealed record; it is what Create and
// Import share. It returns the principal with one record.
func (s *Service) prepare(c *ledger.Category, in *NewRecord, items map[string]string, digest string, now time.Time) (*hogo.Principal, error) {
	p := &hogo.Principal{ID: NewID(now), CreatedAt: now, UpdatedAt: now}
	wrapped, dk, err := s.keys.NewDataKey(p.ID)
	if err != nil {
		return nil, err
	}
	p.WrappedKey = wrapped
	r, err := s.newRecord(dk, c, p.ID, in, items, digest, now)
	if err != nil {
		return nil, err
	}
	p.Records = []*hogo.Record{r}
	return p, nil
}

func (s *Service) newRecord(dk tink.AEAD, c *ledger.Category, principal string, in *NewRecord, items map[string]string, digest string, now time.Time) (*hogo.Record, error) {
	r := &hogo.Record{ID: NewID(now), PrincipalID: principal, Category: c.ID, Source: in.Source,
		AcquiredAt: in.AcquiredAt, Purposes: in.Purposes, NoticeVersion: in.NoticeVersion, Version: 1, CreatedAt: now, UpdatedAt: now}
	if r.AcquiredAt.IsZero() {
		r.AcquiredAt = now
	}
	if len(r.Purposes) == 0 {
		r.Purposes = make([]string, len(c.Purposes))
		for i, p := range c.Purposes {
			r.Purposes[i] = p.ID
		}
	}
	if r.NoticeVersion == "" {
		r.NoticeVersion = digest
	}
	var err error
	if r.Sealed, err = seal(dk, principal, r.ID, items); err != nil {
		return nil, err
	}
	r.Lookups = s.lookups(c, items)
	return r, nil
}

// Create stores a new principal with their first record and returns the
// principal's and the record's IDs.
func (s *Service) Create(ctx context.Context, a hogo.Actor, in NewRecord) (string, string, error) {
	l, digest, err := s.current()
	if err != nil {
		return "", "", err
	}
	if l.Category(in.Category) == nil {
		_, _, err := checkRecord(l, &in)
		return "", "", err
	}
	if err := unknownItem(l, l.Category(in.Category), keysOf(in.Items)); err != nil {
		return "", "", err
	}
	d := access.Decide(l, access.Request{Role: a.Role, Category: in.Category, Purpose: in.Purpose, Op: access.Write,
		Items: keysOf(in.Items), Exception: in.Exception, Justification: in.Justification}, access.Subject{})
	if !d.Allowed {
		if d.Err.Code == hogo.EINVALID {
			return "", "", d.Err
		}
		return "", "", s.denied(ctx, a, "principal.create", "", in.Category, in.Use, d)
	}
	c, items, err := checkRecord(l, &in)
	if err != nil {
		return "", "", err
	}
	now := s.Now()
	p, err := s.prepare(c, &in, items, digest, now)
	if err != nil {
		return "", "", err
	}
	r := p.Records[0]
	x, err := s.exceptionUse(ctx, a, p.ID, c.ID, access.Write, in.Use, d)
	if err != nil {
		return "", "", err
	}
	e := entry(a, "principal.create", p.ID, c.ID, in.Use)
	e.Target = r.ID
	e.Detail = map[string]string{"source": in.Source, "items": strings.Join(keysOf(items), ",")}
	if x != nil {
		e.Detail["exception"] = x.Exception
	}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		if err := tx.InsertPrincipals(ctx, []*hogo.Principal{p}); err != nil {
			return err
		}
		if x != nil {
			return tx.InsertExceptionUse(ctx, x)
		}
		return nil
	}, e)
	if err != nil {
		return "", "", err
	}
	return p.ID, r.ID, nil
}

// Get reads a principal for a use: the records of the categories the use
// may reach, each with only the items it may see. A use no record allows is
// refused with the first record's reason; every read and refusal is audited.
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string, u Use) (*View, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if err := checkUseIn(l, u); err != nil {
		return nil, err
	}
	if !ValidID(id) {
		return nil, errNoPrincipal()
	}
	p, err := s.store.GetPrincipal(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, l, a, p, u, "principal.read", nil)
}

func errNoPrincipal() error {
	return hogo.NewError(hogo.ENOTFOUND, "id", "本人が見つかりません。", "no such principal")
}

// checkUse checks that a use names a purpose or an exception.
func checkUse(u Use) error {
	if u.Purpose == "" && u.Exception == "" {
		return hogo.NewError(hogo.EINVALID, "purpose",
			"利用目的（purpose）を指定してください。個人情報は特定した利用目的のためにだけ利用できます（個人情報保護法第17条第1項、第18条第1項）。",
			"a purpose is required: personal information may be used only for a specified purpose (APPI Art. 17(1), 18(1))")
	}
	return nil
}

// checkUseIn checks a use against the ledger before any data is touched:
// a purpose the ledger declares, a known exception with its justification.
// Its messages do not repeat what was given.
func checkUseIn(l *ledger.Ledger, u Use) error {
	if err := checkUse(u); err != nil {
		return err
	}
	withReason := func(e *hogo.Error, reason string) error { e.Reason = reason; return e }
	if u.Purpose != "" && l.Purpose(u.Purpose) == nil {
		return withReason(hogo.NewError(hogo.EINVALID, "purpose", "指定された利用目的は台帳にありません。台帳に書かれた利用目的の id を指定してください。",
			"the purpose given is not in the ledger; name a purpose id from the ledger"), access.ReasonUnknownPurpose)
	}
	if u.Exception != "" {
		if !slices.Contains(ledger.Exceptions, u.Exception) {
			return withReason(hogo.NewError(hogo.EINVALID, "exception", "指定された例外はありません。%s のいずれかを指定してください。",
				"the exception given is not known; use one of %s", strings.Join(ledger.Exceptions, ", ")), access.ReasonExceptionUnknown)
		}
		if strings.TrimSpace(u.Justification) == "" {
			return withReason(hogo.NewError(hogo.EINVALID, "justification", "例外による利用には理由が必要です（個人情報保護法第18条第3項）。",
				"a use under an exception needs a justification (APPI Art. 18(3))"), access.ReasonJustificationMissing)
		}
	}
	return nil
}

// read decides, decrypts and audits a read of p. With pending set, the
// audit entry of a read (or refusal) not under an exception is added to it
// for the caller to append with others, in one commit.
func (s *Service) read(ctx context.Context, l *ledger.Ledger, a hogo.Actor, p *hogo.Principal, u Use, action string, pending *[]*hogo.AuditEntry) (*View, error) {
	sub := subjectOf(l, p, s.Now())
	v := &View{ID: p.ID, CreatedAt: p.CreatedAt.In(hogo.Tokyo), Suspended: p.Suspended, Records: make([]*RecordView, 0, len(p.Records))}
	var first *access.Decision
	var dk tink.AEAD
	var allowed access.Decision
	var cats []string
	for _, r := range p.Records {
		d := access.Decide(l, access.Request{Role: a.Role, Category: r.Category, Purpose: u.Purpose, Op: access.Read,
			Exception: u.Exception, Justification: u.Justification}, sub)
		if !d.Allowed {
			if d.Err.Code == hogo.EINVALID && d.Reason != access.ReasonUnknownCategory {
				return nil, d.Err
			}
			if first == nil {
				first = &d
			}
			continue
		}
		if dk == nil {
			var err error
			if dk, err = s.keys.OpenDataKey(p.ID, p.WrappedKey); err != nil {
				return nil, err
			}
		}
		items, err := open(dk, r)
		if err != nil {
			return nil, err
		}
		for k := range items {
			if !slices.Contains(d.Items, k) {
				delete(items, k)
			}
		}
		v.Records = append(v.Records, &RecordView{ID: r.ID, Category: r.Category, Source: r.Source, AcquiredAt: r.AcquiredAt.In(hogo.Tokyo),
			Purposes: r.Purposes, NoticeVersion: r.NoticeVersion, Version: r.Version, UpdatedAt: r.UpdatedAt.In(hogo.Tokyo), Items: items,
			Usable: usable(l, a.Role, r.Category, sub)})
		if d.Exception != "" {
			allowed = d
		}
		if !slices.Contains(cats, r.Category) {
			cats = append(cats, r.Category)
		}
	}
	if len(v.Records) == 0 {
		if first == nil {
			// A principal without records (never stored by hogo).
			return nil, errNoPrincipal()
		}
		if pending != nil {
			*pending = append(*pending, deniedEntry(a, action, p.ID, p.Records[0].Category, u, *first))
			return nil, first.Err
		}
		return nil, s.denied(ctx, a, action, p.ID, p.Records[0].Category, u, *first)
	}
	e := entry(a, action, p.ID, strings.Join(cats, ","), u)
	e.Detail = map[string]string{"records": strconv.Itoa(len(v.Records))}
	if allowed.Exception != "" {
		x, err := s.exceptionUse(ctx, a, p.ID, strings.Join(cats, ","), access.Read, u, allowed)
		if err != nil {
			return nil, err
		}
		e.Detail["exception"] = x.Exception
		if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertExceptionUse(ctx, x) }, e); err != nil {
			return nil, err
		}
		v.Exception, v.ReviewID = x.Exception, x.ID
		return v, nil
	}
	if pending != nil {
		*pending = append(*pending, e)
		return v, nil
	}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return v, nil
}

// usable lists the declared purposes of category c that role may read for.
func usable(l *ledger.Ledger, role hogo.Role, cat string, sub access.Subject) []string {
	c := l.Category(cat)
	if c == nil {
		return nil
	}
	var out []string
	for _, p := range c.Purposes {
		if access.Decide(l, access.Request{Role: role, Category: cat, Purpose: p.ID, Op: access.Read}, sub).Allowed {
			out = append(out, p.ID)
		}
	}
	return out
}

// Find returns the principals an identifier matches, each read for the use
// (principals the use may not read are left out). kind is one of
// LookupKinds; for LookupBirthName, value is "YYYY-MM-DD name" — use
// FindBirthName instead.
func (s *Service) Find(ctx context.Context, a hogo.Actor, kind, value string, u Use) ([]*View, error) {
	var h []byte
	switch kind {
	case LookupEmail:
		h = s.keys.BlindIndex(ledger.TypeEmail, value)
	case LookupPhone:
		h = s.keys.BlindIndex(ledger.TypePhone, value)
	case LookupNameKana:
		h = s.keys.BlindIndex(ledger.TypeKana, value)
	default:
		return nil, hogo.NewError(hogo.EINVALID, "by", "検索できる識別子は email、phone、name_kana、birth_date+name です。",
			"the identifiers to search by are email, phone, name_kana and birth_date+name")
	}
	return s.find(ctx, a, kind, h, value == "", u)
}

// FindBirthName finds principals by date of birth and name.
func (s *Service) FindBirthName(ctx context.Context, a hogo.Actor, birth, name string, u Use) ([]*View, error) {
	b, err := parseDate(strings.TrimSpace(birth))
	if err != nil || birth == "" {
		return nil, hogo.NewError(hogo.EINVALID, "birth_date", "生年月日は 1990-04-01 や 平成2年4月1日 の形で指定してください。",
			"give the date of birth as 1990-04-01 (or in the Japanese era form)")
	}
	return s.find(ctx, a, LookupBirthName, s.keys.BirthNameIndex(b, name), strings.TrimSpace(name) == "", u)
}

// MaxMatches bounds the principals one lookup returns.
const MaxMatches = 50

func (s *Service) find(ctx context.Context, a hogo.Actor, kind string, h []byte, empty bool, u Use) ([]*View, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	if err := checkUseIn(l, u); err != nil {
		return nil, err
	}
	if empty {
		return nil, hogo.NewError(hogo.EINVALID, kind, "検索する値が空です。", "the value to search for is empty")
	}
	ids, err := s.store.FindPrincipals(ctx, h, MaxMatches)
	if err != nil {
		return nil, err
	}
	out := make([]*View, 0, len(ids))
	var refused error
	// The reads and the search are audited together: one commit.
	entries := make([]*hogo.AuditEntry, 0, len(ids)+1)
	for _, id := range ids {
		p, err := s.store.GetPrincipal(ctx, id)
		if hogo.ErrorCode(err) == hogo.ENOTFOUND {
			continue // erased since the lookup
		}
		if err != nil {
			return nil, err
		}
		v, err := s.read(ctx, l, a, p, u, "principal.read", &entries)
		if hogo.ErrorCode(err) == hogo.EPURPOSENOTPERMITTED {
			refused = err
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	e := a.Entry("principal.search")
	e.Purpose = u.Purpose
	e.Detail = map[string]string{"by": kind, "matches": strconv.Itoa(len(out))}
	if err := s.audit.Append(ctx, append(entries, e)...); err != nil {
		return nil, err
	}
	if len(out) == 0 && refused != nil {
		return nil, refused
	}
	return out, nil
}

// AddRecord adds a record (in any category) to an existing principal.
func (s *Service) AddRecord(ctx context.Context, a hogo.Actor, principal string, in NewRecord) (string, error) {
	l, digest, err := s.current()
	if err != nil {
		return "", err
	}
	if !ValidID(principal) {
		return "", errNoPrincipal()
	}
	if l.Category(in.Category) == nil {
		_, _, err := checkRecord(l, &in)
		return "", err
	}
	if err := unknownItem(l, l.Category(in.Category), keysOf(in.Items)); err != nil {
		return "", err
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return "", err
	}
	d := access.Decide(l, access.Request{Role: a.Role, Category: in.Category, Purpose: in.Purpose, Op: access.Write,
		Items: keysOf(in.Items), Exception: in.Exception, Justification: in.Justification}, subjectOf(l, p, s.Now()))
	if !d.Allowed {
		if d.Err.Code == hogo.EINVALID {
			return "", d.Err
		}
		return "", s.denied(ctx, a, "record.create", principal, in.Category, in.Use, d)
	}
	c, items, err := checkRecord(l, &in)
	if err != nil {
		return "", err
	}
	dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
	if err != nil {
		return "", err
	}
	now := s.Now()
	r, err := s.newRecord(dk, c, p.ID, &in, items, digest, now)
	if err != nil {
		return "", err
	}
	x, err := s.exceptionUse(ctx, a, p.ID, c.ID, access.Write, in.Use, d)
	if err != nil {
		return "", err
	}
	e := entry(a, "record.create", p.ID, c.ID, in.Use)
	e.Target = r.ID
	e.Detail = map[string]string{"source": in.Source, "items": strings.Join(keysOf(items), ",")}
	if x != nil {
		e.Detail["exception"] = x.Exception
	}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		if err := tx.InsertRecord(ctx, r); err != nil {
			return err
		}
		if x != nil {
			return tx.InsertExceptionUse(ctx, x)
		}
		return nil
	}, e)
	return r.ID, err
}

// RecordChange is a correction of a record (訂正・追加・削除 of items): each
// item maps to its new value; a null or empty value deletes the item.
type RecordChange struct {
	Use
	Items map[string]*string `json:"items"`
	// Version, when set, must be the record's current version.
	Version int64 `json:"version"`
}

// UpdateRecord corrects a record's items and returns its new version.
func (s *Service) UpdateRecord(ctx context.Context, a hogo.Actor, principal, record string, ch RecordChange) (int64, error) {
	l, _, err := s.current()
	if err != nil {
		return 0, err
	}
	if !ValidID(principal) {
		return 0, errNoPrincipal()
	}
	if err := checkUse(ch.Use); err != nil {
		return 0, err
	}
	if len(ch.Items) == 0 {
		return 0, hogo.NewError(hogo.EINVALID, "items", "訂正する項目（items）がありません。", "items to change are required")
	}
	p, err := s.store.GetPrincipal(ctx, principal)
	if err != nil {
		return 0, err
	}
	var r *hogo.Record
	for _, x := range p.Records {
		if x.ID == record {
			r = x
		}
	}
	if r == nil {
		return 0, hogo.NewError(hogo.ENOTFOUND, "rid", "記録が見つかりません。", "no such record")
	}
	if ch.Version != 0 && ch.Version != r.Version {
		return 0, hogo.NewError(hogo.ECONFLICT, "version", "記録は他の操作で更新されています（現在の版 %d）。読み直してから訂正してください。",
			"the record was changed by someone else (now version %d); read it again and retry", r.Version)
	}
	changed := make([]string, 0, len(ch.Items))
	raw := make(map[string]string, len(ch.Items))
	for k, v := range ch.Items {
		changed = append(changed, k)
		if v != nil {
			raw[k] = *v
		} else {
			raw[k] = ""
		}
	}
	sort.Strings(changed)
	if c := l.Category(r.Category); c != nil {
		if err := unknownItem(l, c, changed); err != nil {
			return 0, err
		}
	}
	d := access.Decide(l, access.Request{Role: a.Role, Category: r.Category, Purpose: ch.Purpose, Op: access.Write,
		Items: changed, Exception: ch.Exception, Justification: ch.Justification}, subjectOf(l, p, s.Now()))
	if !d.Allowed {
		if d.Err.Code == hogo.EINVALID {
			return 0, d.Err
		}
		return 0, s.denied(ctx, a, "record.update", principal, r.Category, ch.Use, d)
	}
	c := l.Category(r.Category)
	vals, err := checkItems(l, c, raw)
	if err != nil {
		return 0, err
	}
	dk, err := s.keys.OpenDataKey(p.ID, p.WrappedKey)
	if err != nil {
		return 0, err
	}
	items, err := open(dk, r)
	if err != nil {
		return 0, err
	}
	for _, k := range changed {
		if v, ok := vals[k]; ok {
			items[k] = v
		} else {
			if it := l.Item(c.ID, k); it != nil && it.Required {
				return 0, hogo.NewError(hogo.EINVALID, "items."+k, "必須項目「%s」は削除できません。", "required item %q cannot be removed", k)
			}
			delete(items, k)
		}
	}
	now := s.Now()
	nr := *r
	nr.Version, nr.UpdatedAt = r.Version+1, now
	if nr.Sealed, err = seal(dk, p.ID, r.ID, items); err != nil {
		return 0, err
	}
	nr.Lookups = s.lookups(c, items)
	x, err := s.exceptionUse(ctx, a, p.ID, c.ID, access.Write, ch.Use, d)
	if err != nil {
		return 0, err
	}
	e := entry(a, "record.update", p.ID, c.ID, ch.Use)
	e.Target = r.ID
	e.Detail = map[string]string{"items": strings.Join(changed, ","), "version": strconv.FormatInt(nr.Version, 10)}
	if x != nil {
		e.Detail["exception"] = x.Exception
	}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		if err := tx.UpdateRecord(ctx, &nr); err != nil {
			return err
		}
		if x != nil {
			return tx.InsertExceptionUse(ctx, x)
		}
		return nil
	}, e)
	return nr.Version, err
}

// EraseRoles are the roles that may erase a principal: the protection
// manager, the desk that answers requests to erase (APPI Art. 35), and the
// administrator; the desk and the administrator only for principals whose
// every category they have an access rule on.
var EraseRoles = []hogo.Role{hogo.RoleManager, hogo.RoleDesk, hogo.RoleAdmin}

// Erase destroys principals: their wrapped data keys (crypto-shredding:
// every copy of their records becomes unreadable once no KEK that wrapped
// the key is kept), their records, lookups and suspensions. What remains is
// a tombstone (when, who, how many records, the reason, sealed)
// and one audit entry per principal naming only the ID.
func (s *Service) Erase(ctx context.Context, a hogo.Actor, ids []string, reason string) error {
	refuse := func(id, cat string, d access.Decision) error {
		return s.denied(ctx, a, "principal.erase", id, cat, Use{}, d)
	}
	one := ""
	if len(ids) == 1 {
		one = ids[0]
	}
	if !slices.Contains(EraseRoles, a.Role) {
		d := access.Decision{Reason: access.ReasonRoleNotPermitted,
			Err: hogo.NewError(hogo.EPURPOSENOTPERMITTED, "role", "役割「%s」は本人の個人情報を消去できません。消去は個人情報保護管理者（manager）、窓口（desk）、システム管理者（admin）が行います。",
				"role %q may not erase a principal's personal data; erasure is for the protection manager, the desk or the administrator", string(a.Role))}
		d.Err.Reason = d.Reason
		return refuse(one, "", d)
	}
	if strings.TrimSpace(reason) == "" {
		return hogo.NewError(hogo.EINVALID, "reason", "消去の理由（reason）を記入してください（例: 本人からの消去請求、保存期間の満了）。",
			"a reason for the erasure is required (e.g. the principal's request, the end of the retention period)")
	}
	if len([]rune(reason)) > 500 {
		return hogo.NewError(hogo.EINVALID, "reason", "消去の理由は500文字以内で記入してください。", "keep the reason within 500 characters")
	}
	for _, id := range ids {
		if !ValidID(id) {
			return errNoPrincipal()
		}
	}
	var allowed []string
	if a.Role != hogo.RoleManager {
		l, _, err := s.current()
		if err != nil {
			return err
		}
		allowed = []string{}
		for _, c := range l.Categories {
			if hasRule(c, a.Role) {
				allowed = append(allowed, c.ID)
			}
		}
		for _, id := range ids {
			p, err := s.store.GetPrincipal(ctx, id)
			if err != nil {
				return err
			}
			for _, r := range p.Records {
				if !hasRule(l.Category(r.Category), a.Role) {
					d := access.Decision{Reason: access.ReasonRoleNotPermitted,
						Err: hogo.NewError(hogo.EPURPOSENOTPERMITTED, "role", "役割「%s」には種別「%s」のアクセス権限がないため、この本人を消去できません。個人情報保護管理者に依頼してください。",
							"role %q has no access rule on category %q, so it may not erase this principal; ask the protection manager", string(a.Role), r.Category)}
					d.Err.Reason = d.Reason
					return refuse(id, r.Category, d)
				}
			}
		}
	}
	return s.erase(ctx, a, ids, reason, allowed)
}

func hasRule(c *ledger.Category, role hogo.Role) bool {
	if c == nil {
		return false
	}
	for _, r := range c.Access {
		if r.Role == string(role) {
			return true
		}
	}
	return false
}

// erasureAD binds a sealed erasure reason to its erasure.
func erasureAD(at time.Time, actor string) string {
	return "erasure\x00" + strconv.FormatInt(at.UnixNano(), 10) + "\x00" + actor
}

// ErasureReason opens the reason kept with an erasure's tombstone.
func (s *Service) ErasureReason(ctx context.Context, e *hogo.Erasure) (string, error) {
	return s.openNote(ctx, e.Reason, erasureAD(e.At, e.Actor))
}

// erase destroys principals in one transaction with their audit entries;
// allowed, if not nil, are the categories the actor may erase records of.
func (s *Service) erase(ctx context.Context, a hogo.Actor, ids []string, reason string, allowed []string) error {
	return s.eraseWith(ctx, a, ids, reason, allowed, nil)
}

// eraseWith is erase with a further change committed in the same
// transaction (a retention sweep's progress).
func (s *Service) eraseWith(ctx context.Context, a hogo.Actor, ids []string, reason string, allowed []string, also func(context.Context, hogo.Tx) error) error {
	now := s.Now()
	entries := make([]*hogo.AuditEntry, len(ids))
	for i, id := range ids {
		entries[i] = a.Entry("principal.erase")
		entries[i].Principal, entries[i].Time = id, now
	}
	sealed, err := s.sealNote(ctx, reason, erasureAD(now, a.Name))
	if err != nil {
		return err
	}
	err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		counts, err := tx.ErasePrincipals(ctx, ids, now, a.Name, sealed, allowed)
		if err != nil {
			return err
		}
		for i, n := range counts {
			entries[i].Detail = map[string]string{"records": strconv.Itoa(n), "key": "destroyed"}
		}
		if also != nil {
			return also(ctx, tx)
		}
		return nil
	}, entries...)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.keys.Forget(id)
	}
	return nil
}

// Suspend records (on) or lifts (off) a stop of a purpose ("*": all use) at
// the principal's request (利用停止, APPI Art. 35).
func (s *Service) Suspend(ctx context.Context, a hogo.Actor, principal, purpose string, on bool) error {
	l, _, err := s.current()
	if err != nil {
		return err
	}
	if purpose != access.AllPurposes && l.Purpose(purpose) == nil {
		return hogo.NewError(hogo.EINVALID, "purpose", "利用目的「%s」は台帳にありません。", "purpose %q is not in the ledger", purpose)
	}
	if a.Role != hogo.RoleManager && a.Role != hogo.RoleDesk {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "利用停止の記録と解除は個人情報保護管理者（manager）か窓口（desk）が行います。",
			"suspensions are recorded and lifted by the protection manager or the desk")
	}
	if !ValidID(principal) {
		return errNoPrincipal()
	}
	action := "principal.suspend"
	if !on {
		action = "principal.resume"
	}
	e := a.Entry(action)
	e.Principal, e.Purpose = principal, purpose
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.SetSuspension(ctx, principal, purpose, on, s.Now())
	}, e)
}

// Review is a use under an exception with its justification opened.
type Review struct {
	*hogo.ExceptionUse
	JustificationText string
	NoteText          string
}

// Reviews lists uses under exceptions with the given status.
func (s *Service) Reviews(ctx context.Context, status string, limit int) ([]*Review, error) {
	us, err := s.store.ListExceptionUses(ctx, status, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*Review, len(us))
	for i, u := range us {
		if out[i], err = s.openReview(ctx, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openReview opens a use's justification and note; one that does not
// open is an error, never an empty text a reviewer could mistake for none.
func (s *Service) openReview(ctx context.Context, u *hogo.ExceptionUse) (*Review, error) {
	r := &Review{ExceptionUse: u}
	var err error
	if r.JustificationText, err = s.openNote(ctx, u.Justification, justificationAD(u)); err != nil {
		return nil, fmt.Errorf("use under review %d: the justification does not open: %w", u.ID, err)
	}
	if len(u.Note) > 0 {
		if r.NoteText, err = s.openNote(ctx, u.Note, "note\x00"+strconv.FormatInt(u.ID, 10)); err != nil {
			return nil, fmt.Errorf("use under review %d: the note does not open: %w", u.ID, err)
		}
	}
	return r, nil
}

// DecideReview records the protection manager's decision on a use under an
// exception.
func (s *Service) DecideReview(ctx context.Context, a hogo.Actor, id int64, approve bool, note string) error {
	if a.Role != hogo.RoleManager {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "例外による利用の審査は個人情報保護管理者（manager）が行います。",
			"uses under a legal exception are reviewed by the protection manager (manager)")
	}
	u, err := s.store.GetExceptionUse(ctx, id)
	if err != nil {
		return err
	}
	status := hogo.ReviewRejected
	if approve {
		status = hogo.ReviewApproved
	}
	var sealed []byte
	if note != "" {
		if sealed, err = s.sealNote(ctx, note, "note\x00"+strconv.FormatInt(id, 10)); err != nil {
			return err
		}
	}
	e := a.Entry("exception.review")
	e.Principal, e.Category, e.Target = u.PrincipalID, u.Category, strconv.FormatInt(id, 10)
	e.Detail = map[string]string{"status": status, "exception": u.Exception}
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.ReviewExceptionUse(ctx, id, status, a.Name, sealed, s.Now())
	}, e)
}

// Rewrap moves every principal's data key under the primary KEK, after a
// rotation, in pages of one transaction each, while the vault stays in use;
// it returns how many keys it re-wrapped. A key changed meanwhile (erased,
// or re-wrapped by another node) is skipped, and a key wrapped by the old
// KEK during the pass is caught by running Rewrap again until it returns 0.
func (s *Service) Rewrap(ctx context.Context, a hogo.Actor, progress func(int)) (int, error) {
	const page = 1000
	after, n := "", 0
	if moved, err := s.rewrapNotesKey(ctx, a); err != nil {
		return n, err
	} else if moved {
		n++
	}
	for {
		keys, err := s.store.PrincipalKeys(ctx, after, page)
		if err != nil {
			return n, err
		}
		if len(keys) == 0 {
			return n, nil
		}
		after = keys[len(keys)-1].ID
		type change struct {
			id       string
			old, new []byte
		}
		var changes []change
		for _, pk := range keys {
			if !s.keys.NeedsRewrap(pk.WrappedKey) {
				continue
			}
			w, err := s.keys.Rewrap(pk.ID, pk.WrappedKey)
			if errors.Is(err, ErrDataKey) {
				// Already unreadable (its KEK is gone): nothing to move;
				// "hogo keys status" keeps counting it.
				continue
			}
			if err != nil {
				return n, fmt.Errorf("principal %s: %w", pk.ID, err)
			}
			changes = append(changes, change{pk.ID, pk.WrappedKey, w})
		}
		if len(changes) == 0 {
			continue
		}
		e := a.Entry("keys.rewrap")
		done := 0
		err = s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
			done = 0
			for _, c := range changes {
				ok, err := tx.RewrapKey(ctx, c.id, c.old, c.new)
				if err != nil {
					return err
				}
				if ok {
					done++
				}
			}
			e.Detail = map[string]string{"keys": strconv.Itoa(done), "kek": strconv.FormatUint(uint64(s.keys.KEKID()), 10)}
			return nil
		}, e)
		if err != nil {
			return n, err
		}
		n += done
		if progress != nil {
			progress(n)
		}
	}
}

// rewrapNotesKey moves the notes key under the primary KEK.
func (s *Service) rewrapNotesKey(ctx context.Context, a hogo.Actor) (bool, error) {
	stored, err := s.store.GetSetting(ctx, hogo.SettingVaultNotesKey)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	wrapped, err := base64.StdEncoding.DecodeString(stored)
	if err != nil || !s.keys.NeedsRewrap(wrapped) {
		return false, nil
	}
	w, err := s.keys.Rewrap(notesOwner, wrapped)
	if err != nil {
		return false, fmt.Errorf("the notes key: %w", err)
	}
	if err := s.store.PutSetting(ctx, hogo.SettingVaultNotesKey, base64.StdEncoding.EncodeToString(w)); err != nil {
		return false, err
	}
	e := a.Entry("keys.rewrap")
	e.Target = "notes"
	e.Detail = map[string]string{"kek": strconv.FormatUint(uint64(s.keys.KEKID()), 10)}
	return true, s.audit.Append(ctx, e)
}

// OnOldKEK counts the data keys (principals' and the notes key) not wrapped
// by the primary KEK: it must be 0 before the old KEK keys are retired.
func (s *Service) OnOldKEK(ctx context.Context) (int, error) {
	after, n := "", 0
	if stored, err := s.store.GetSetting(ctx, hogo.SettingVaultNotesKey); err == nil {
		if w, err := base64.StdEncoding.DecodeString(stored); err != nil || s.keys.NeedsRewrap(w) {
			n++
		}
	} else if hogo.ErrorCode(err) != hogo.ENOTFOUND {
		return 0, err
	}
	for {
		keys, err := s.store.PrincipalKeys(ctx, after, 5000)
		if err != nil || len(keys) == 0 {
			return n, err
		}
		after = keys[len(keys)-1].ID
		for _, pk := range keys {
			if s.keys.NeedsRewrap(pk.WrappedKey) {
				n++
			}
		}
	}
}

// SealNote seals a short text that may describe a person (a requester's
// details, a note) with the notes key, bound to ad, for the other services
// that keep such texts; OpenNote opens it.
func (s *Service) SealNote(ctx context.Context, text, ad string) ([]byte, error) {
	return s.sealNote(ctx, text, ad)
}

// OpenNote opens a text sealed by SealNote with the same ad.
func (s *Service) OpenNote(ctx context.Context, sealed []byte, ad string) (string, error) {
	return s.openNote(ctx, sealed, ad)
}
