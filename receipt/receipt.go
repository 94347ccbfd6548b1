// Package receipt keeps the records of personal data received from other
// businesses (第三者提供を受ける際の確認・記録, APPI Art. 30, 則24): the
// confirmation of who provided it and how the provider obtained it (取得の
// 経緯), and the record with its retention (則25: 3 years, 1 year when a
// contract serves as the record). It covers receipts by consent, by
// opt-out (the PPC's publication checked, Art. 27(4)) and personally
// referable information made personal data (個人関連情報, Art. 31: the
// principals' consent confirmed, and for a provision across a border the
// information of 則17(2) given). Records name principals only by their
// vault IDs.
package receipt

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what receipts need of a store.
type Store interface {
	hogo.ReceiptService
}

// Service records and lists receipts.
type Service struct {
	store  Store
	audit  vault.Auditor
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New returns the receipts' service.
func New(store Store, auditor vault.Auditor, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, ledger: ledgerFn, Now: time.Now}
}

// RecordRoles record receipts: staff who receive the data, and the
// protection manager.
var RecordRoles = []hogo.Role{hogo.RoleStaff, hogo.RoleManager}

// ReadRoles read them: the protection manager, the desk (a principal may
// ask for the records, APPI Art. 33(5)) and the auditor.
var ReadRoles = []hogo.Role{hogo.RoleManager, hogo.RoleDesk, hogo.RoleAuditor}

// MaxPrincipals bounds the principal IDs named in one record.
const MaxPrincipals = 100_000

// Record methods (則23): a record per receipt, one record for repeated
// receipts, or the contract serving as the record.
var RecordMethods = []string{ledger.RecordIndividual, ledger.RecordBulk, ledger.RecordContract}

// Input is a receipt as recorded.
type Input struct {
	ProviderName        string `json:"provider_name"`
	ProviderAddress     string `json:"provider_address"`
	ProviderCorporation bool   `json:"provider_corporation"`
	// ProviderRepresentative is required for a corporation (Art.
	// 30(1)(i)).
	ProviderRepresentative string `json:"provider_representative"`
	// Acquisition is how the provider obtained the data (Art.
	// 30(1)(ii)).
	Acquisition string `json:"acquisition"`
	// Source is a ledger source with a provider (optional).
	Source     string   `json:"source"`
	ReceivedOn string   `json:"received_on"`
	Category   string   `json:"category"`
	Items      []string `json:"items"`
	// Count is the number of principals; it defaults to the number of
	// Principals.
	Count      int      `json:"count"`
	Principals []string `json:"principals"`
	// Basis is consent, opt_out or referable.
	Basis            string `json:"basis"`
	OptOutPublished  bool   `json:"optout_published"`
	ConsentConfirmed bool   `json:"consent_confirmed"`
	CrossBorder      bool   `json:"cross_border"`
	ForeignInfoGiven bool   `json:"foreign_info_given"`
	// RecordMethod is individual (default), bulk or contract.
	RecordMethod string `json:"record_method"`
}

// Record is a receipt record as shown (則24).
type Record struct {
	ID                     string    `json:"id"`
	ProviderName           string    `json:"provider_name"`
	ProviderAddress        string    `json:"provider_address"`
	ProviderCorporation    bool      `json:"provider_corporation"`
	ProviderRepresentative string    `json:"provider_representative,omitempty"`
	Acquisition            string    `json:"acquisition"`
	Source                 string    `json:"source,omitempty"`
	SourceName             string    `json:"source_name,omitempty"`
	ReceivedOn             string    `json:"received_on"`
	ReceivedJa             string    `json:"received_ja"`
	Category               string    `json:"category"`
	CategoryName           string    `json:"category_name"`
	Items                  []string  `json:"items"`
	ItemNames              []string  `json:"item_names"`
	Count                  int       `json:"count"`
	Principals             []string  `json:"principals"`
	Basis                  string    `json:"basis"`
	Statement              string    `json:"statement"`
	OptOutPublished        bool      `json:"optout_published"`
	ConsentConfirmed       bool      `json:"consent_confirmed"`
	CrossBorder            bool      `json:"cross_border"`
	ForeignInfoGiven       bool      `json:"foreign_info_given"`
	RecordMethod           string    `json:"record_method"`
	RecordedAt             time.Time `json:"recorded_at"`
	Actor                  string    `json:"actor"`
	RetainUntil            string    `json:"retain_until"`
	RetainUntilJa          string    `json:"retain_until_ja"`
}

// Statement is what a record states was confirmed, by basis (則24(1)).
func Statement(r *hogo.Receipt) string {
	switch r.Basis {
	case hogo.ReceiptOptOut:
		return "オプトアウトによる提供。個人情報保護委員会により公表されている旨を確認（個人情報保護法第27条第4項、規則第24条第1項第1号）"
	case hogo.ReceiptReferable:
		s := "個人関連情報を個人データとして取得。本人の同意が得られている旨を確認（個人情報保護法第31条第1項第1号）"
		if r.CrossBorder {
			s += "。外国にある第三者への提供について、規則第17条第2項の情報が本人に提供されている旨を確認（同項第2号）"
		}
		return s
	}
	return "本人の同意を得ている旨を確認（個人情報保護法第27条第1項・第28条第1項、規則第24条第1項第2号）"
}

func (s *Service) record(l *ledger.Ledger, r *hogo.Receipt) Record {
	x := Record{ID: r.ID, ProviderName: r.ProviderName, ProviderAddress: r.ProviderAddress, ProviderCorporation: r.ProviderCorporation,
		ProviderRepresentative: r.ProviderRepresentative, Acquisition: r.Acquisition, Source: r.Source, ReceivedOn: r.ReceivedOn,
		Category: r.Category, CategoryName: r.Category, Items: r.Items, Count: r.Count, Principals: r.Principals, Basis: r.Basis,
		Statement: Statement(r), OptOutPublished: r.OptOutPublished, ConsentConfirmed: r.ConsentConfirmed, CrossBorder: r.CrossBorder,
		ForeignInfoGiven: r.ForeignInfoGiven, RecordMethod: r.RecordMethod, RecordedAt: r.RecordedAt.In(hogo.Tokyo), Actor: r.Actor,
		RetainUntil: r.RetainUntil}
	if d, err := calendar.ParseDate(r.ReceivedOn); err == nil {
		x.ReceivedJa = calendar.FormatJapanese(d)
	}
	if d, err := calendar.ParseDate(r.RetainUntil); err == nil {
		x.RetainUntilJa = calendar.FormatJapanese(d)
	}
	if src := l.Source(r.Source); src != nil {
		x.SourceName = src.Name.Ja
	}
	if c := l.Category(r.Category); c != nil {
		x.CategoryName = c.Name.Ja
	}
	for _, it := range r.Items {
		name := it
		if i := l.Item(r.Category, it); i != nil {
			name = i.Name.Ja
		}
		x.ItemNames = append(x.ItemNames, name)
	}
	if x.Principals == nil {
		x.Principals = []string{}
	}
	if x.Items == nil {
		x.Items, x.ItemNames = []string{}, []string{}
	}
	return x
}

func (s *Service) loaded() (*ledger.Ledger, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	return l, nil
}

// labels name the input fields in Japanese, for messages.
var labels = map[string]string{
	"provider_name": "提供元の氏名又は名称", "provider_address": "提供元の住所", "provider_representative": "提供元の代表者の氏名",
	"acquisition": "提供元による取得の経緯", "received_on": "提供を受けた日",
}

func text(field, s string, required bool, limit int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）を入力してください（個人情報保護法第30条第1項）。",
			"%[2]s is required (APPI Art. 30(1))", labels[field], field)
	}
	if utf8.RuneCountInString(s) > limit {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）は%[3]d文字以内にしてください。", "%[2]s: at most %[3]d characters",
			labels[field], field, limit)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f }) {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）に制御文字が含まれています。", "%[2]s contains control characters",
			labels[field], field)
	}
	return s, nil
}

// Check validates a receipt against the ledger and the law and returns
// it ready to store (without ID, times and principals' existence).
func Check(l *ledger.Ledger, in Input, today calendar.Date) (*hogo.Receipt, error) {
	r := &hogo.Receipt{ProviderCorporation: in.ProviderCorporation, Basis: in.Basis, OptOutPublished: in.OptOutPublished,
		ConsentConfirmed: in.ConsentConfirmed, CrossBorder: in.CrossBorder, ForeignInfoGiven: in.ForeignInfoGiven,
		RecordMethod: in.RecordMethod, Count: in.Count, Principals: in.Principals}
	var err error
	if r.ProviderName, err = text("provider_name", in.ProviderName, true, 200); err != nil {
		return nil, err
	}
	if r.ProviderAddress, err = text("provider_address", in.ProviderAddress, true, 500); err != nil {
		return nil, err
	}
	if r.ProviderRepresentative, err = text("provider_representative", in.ProviderRepresentative, r.ProviderCorporation, 200); err != nil {
		return nil, err
	}
	if r.Acquisition, err = text("acquisition", in.Acquisition, true, 2000); err != nil {
		return nil, err
	}
	rs := strings.TrimSpace(in.ReceivedOn)
	if rs == "" {
		return nil, hogo.NewError(hogo.EINVALID, "received_on", "提供を受けた日（received_on）を入力してください（規則第24条第1項）。",
			"received_on is required (則24(1))")
	}
	d, err := calendar.ParseDate(rs)
	if err != nil || !d.Valid() {
		return nil, hogo.NewError(hogo.EINVALID, "received_on", "提供を受けた日（received_on）は YYYY-MM-DD の形で書いてください（例: 2026-04-01）。",
			"received_on: write the date as YYYY-MM-DD, e.g. 2026-04-01")
	}
	if d.After(today) {
		return nil, hogo.NewError(hogo.EINVALID, "received_on", "提供を受けた日（received_on）が未来の日付です。", "received_on is in the future")
	}
	r.ReceivedOn = d.String()

	c := l.Category(in.Category)
	if c == nil {
		return nil, hogo.NewError(hogo.EINVALID, "category", "種別（category）「%s」は台帳にありません。", "category %q is not in the ledger", in.Category)
	}
	r.Category = c.ID
	if len(in.Items) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "items", "受け取った個人データの項目（items）を指定してください（規則第24条第1項）。",
			"name the items received (則24(1))")
	}
	seen := map[string]bool{}
	sensitive := false
	for _, id := range in.Items {
		it := l.Item(c.ID, id)
		if it == nil {
			return nil, hogo.NewError(hogo.EINVALID, "items", "項目「%s」は種別「%s」にありません。", "item %q is not in category %q", id, c.ID)
		}
		if seen[id] {
			return nil, hogo.NewError(hogo.EINVALID, "items", "項目「%s」が重複しています。", "item %q is named twice", id)
		}
		seen[id] = true
		r.Items = append(r.Items, id)
		sensitive = sensitive || it.Sensitive
	}
	if in.Source != "" {
		src := l.Source(in.Source)
		if src == nil {
			return nil, hogo.NewError(hogo.EINVALID, "source", "取得方法（source）「%s」は台帳にありません。", "source %q is not in the ledger", in.Source)
		}
		if src.Direct {
			return nil, hogo.NewError(hogo.EINVALID, "source", "取得方法「%s」は本人からの直接取得です。第三者からの受領には提供元のある取得方法を指定してください。",
				"source %q is a direct acquisition; a receipt from a third party names a source with a provider", in.Source)
		}
		if !slices.ContainsFunc(c.Sources, func(x ledger.Ref) bool { return x.ID == src.ID }) {
			return nil, hogo.NewError(hogo.EINVALID, "source", "種別「%s」の取得方法に「%s」はありません。", "category %q does not list source %q", c.ID, src.ID)
		}
		r.Source = src.ID
	}

	if len(r.Principals) > MaxPrincipals {
		return nil, hogo.NewError(hogo.EINVALID, "principals", "一つの記録に指定できる本人IDは%d件までです。", "at most %d principal IDs in one record", MaxPrincipals)
	}
	ids := map[string]bool{}
	for i, p := range r.Principals {
		if !vault.ValidID(p) {
			return nil, hogo.NewError(hogo.EINVALID, "principals", "本人ID（%d番目）の形が正しくありません。", "principal ID number %d is not well formed", i+1)
		}
		if ids[p] {
			return nil, hogo.NewError(hogo.EINVALID, "principals", "本人ID（%d番目）が重複しています。", "principal ID number %d is named twice", i+1)
		}
		ids[p] = true
	}
	if r.Count == 0 {
		r.Count = len(r.Principals)
	}
	if r.Count < 1 {
		return nil, hogo.NewError(hogo.EINVALID, "count", "本人の数（count）を1以上で入力するか、本人ID（principals）を指定してください。",
			"give the number of principals (count, at least 1) or their IDs (principals)")
	}
	if r.Count < len(r.Principals) {
		return nil, hogo.NewError(hogo.EINVALID, "count", "本人の数（count: %d）が指定の本人ID（%d件）より少なくなっています。",
			"count (%d) is less than the principal IDs given (%d)", r.Count, len(r.Principals))
	}

	switch r.Basis {
	case hogo.ReceiptOptOut:
		if !r.OptOutPublished {
			return nil, hogo.NewError(hogo.EINVALID, "optout_published", "オプトアウトによる提供を受けるときは、提供元の届出が個人情報保護委員会により公表されていることを確認してください（個人情報保護法第27条第4項、規則第24条第1項第1号）。",
				"a receipt by opt-out needs the check that the PPC published the provider's notification (APPI Art. 27(4); 則24(1)(i))")
		}
		if sensitive {
			return nil, hogo.NewError(hogo.EINVALID, "items", "要配慮個人情報はオプトアウトでは提供を受けられません（個人情報保護法第27条第2項、第20条第2項）。",
				"special-care data cannot be received by opt-out (APPI Art. 27(2), 20(2))")
		}
	case hogo.ReceiptConsent, hogo.ReceiptReferable:
		if !r.ConsentConfirmed {
			if r.Basis == hogo.ReceiptReferable {
				return nil, hogo.NewError(hogo.EINVALID, "consent_confirmed", "個人関連情報を個人データとして取得するには、本人の同意が得られていることの確認が必要です（個人情報保護法第31条第1項第1号）。",
					"personally referable information becomes personal data only with the principals' consent confirmed (APPI Art. 31(1)(i))")
			}
			return nil, hogo.NewError(hogo.EINVALID, "consent_confirmed", "本人の同意を得ている旨を確認してください（規則第24条第1項第2号）。",
				"confirm that the principals consented to the provision (則24(1)(ii))")
		}
	default:
		return nil, hogo.NewError(hogo.EINVALID, "basis", "提供の根拠（basis）は次のいずれかです: %s", "basis must be one of: %s", strings.Join(hogo.ReceiptBases, ", "))
	}
	if r.Basis == hogo.ReceiptOptOut && r.ConsentConfirmed {
		return nil, hogo.NewError(hogo.EINVALID, "consent_confirmed", "オプトアウトによる提供に本人の同意の確認は記録しません。根拠（basis）を確かめてください。",
			"a receipt by opt-out does not record a consent; check basis")
	}
	if r.Basis != hogo.ReceiptOptOut && r.OptOutPublished {
		return nil, hogo.NewError(hogo.EINVALID, "optout_published", "公表の確認（optout_published）はオプトアウトによる提供のときに記録します。",
			"optout_published is for a receipt by opt-out")
	}
	if (r.CrossBorder || r.ForeignInfoGiven) && r.Basis != hogo.ReceiptReferable {
		return nil, hogo.NewError(hogo.EINVALID, "cross_border", "越境の提供（cross_border）と外国の制度等の情報提供（foreign_info_given）は、個人関連情報（basis: referable）のときに記録します（個人情報保護法第31条第1項第2号）。",
			"cross_border and foreign_info_given are for personally referable information (basis referable; APPI Art. 31(1)(ii))")
	}
	if r.CrossBorder && !r.ForeignInfoGiven {
		return nil, hogo.NewError(hogo.EINVALID, "foreign_info_given", "外国にある第三者への提供では、その国の制度や提供先の措置等の情報（規則第17条第2項）が本人に提供されていることを確認してください（個人情報保護法第31条第1項第2号）。",
			"across a border, confirm that the principals were given the information of 則17(2) (the country's regime, the recipient's measures; APPI Art. 31(1)(ii))")
	}
	if r.ForeignInfoGiven && !r.CrossBorder {
		return nil, hogo.NewError(hogo.EINVALID, "cross_border", "外国の制度等の情報提供（foreign_info_given）は越境の提供（cross_border）のときに記録します。",
			"foreign_info_given is for a provision across a border (cross_border)")
	}
	if r.RecordMethod == "" {
		r.RecordMethod = ledger.RecordIndividual
	}
	if !slices.Contains(RecordMethods, r.RecordMethod) {
		return nil, hogo.NewError(hogo.EINVALID, "record_method", "記録の方法（record_method）は次のいずれかです: %s", "record_method must be one of: %s",
			strings.Join(RecordMethods, ", "))
	}
	return r, nil
}

// Record confirms and records a receipt of personal data (APPI Art. 30, 則
// 24): checked against the ledger and the law, the principals named found
// in the vault, kept until retain_until (則25), audited with one entry for
// the record and one per principal named.
func (s *Service) Record(ctx context.Context, a hogo.Actor, in Input) (*Record, error) {
	if !slices.Contains(RecordRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "受領記録は業務担当（staff）か個人情報保護管理者（manager）が作成します。",
			"receipt records are made by staff or the protection manager")
	}
	l, err := s.loaded()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	today := calendar.DateOf(now)
	r, err := Check(l, in, today)
	if err != nil {
		return nil, err
	}
	if len(r.Principals) > 0 {
		unknown, err := s.store.UnknownPrincipals(ctx, r.Principals)
		if err != nil {
			return nil, err
		}
		if len(unknown) > 0 {
			first := slices.Index(r.Principals, unknown[0]) + 1
			return nil, hogo.NewError(hogo.EINVALID, "principals", "%[1]d件の本人IDが保管庫にありません（最初は%[2]d番目）。",
				"%[1]d of the principal IDs are not in the vault (the first is number %[2]d)", len(unknown), first)
		}
	}
	r.ID, r.RecordedAt, r.Actor = vault.NewID(now), now, a.Name
	r.RetainUntil = calendar.DateOf(today.Time(nil).AddDate(ledger.RecordYears(r.RecordMethod), 0, 0)).String()
	head := a.Entry("receipt.create")
	head.Target, head.Category = r.ID, r.Category
	head.Detail = map[string]string{"basis": r.Basis, "items": strings.Join(r.Items, ","), "count": strconv.Itoa(r.Count),
		"principals": strconv.Itoa(len(r.Principals)), "received_on": r.ReceivedOn, "record_method": r.RecordMethod, "retain_until": r.RetainUntil}
	if r.Source != "" {
		head.Detail["source"] = r.Source
	}
	entries := make([]*hogo.AuditEntry, 0, len(r.Principals)+1)
	entries = append(entries, head)
	for _, p := range r.Principals {
		e := a.Entry("principal.receive")
		e.Principal, e.Category, e.Target = p, r.Category, r.ID
		e.Detail = map[string]string{"basis": r.Basis}
		entries = append(entries, e)
	}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertReceipt(ctx, r) }, entries...); err != nil {
		return nil, err
	}
	x := s.record(l, r)
	return &x, nil
}

// List returns the receipt records that named principal ("" for all),
// newest first, audited.
func (s *Service) List(ctx context.Context, a hogo.Actor, principal string) ([]Record, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "受領記録は個人情報保護管理者・窓口・監査担当が見られます。",
			"receipt records are for the protection manager, the desk and the auditor")
	}
	if principal != "" && !vault.ValidID(principal) {
		return nil, hogo.NewError(hogo.EINVALID, "principal", "本人IDの形が正しくありません。", "the principal ID is not well formed")
	}
	l, err := s.loaded()
	if err != nil {
		return nil, err
	}
	rs, err := s.store.ListReceipts(ctx, principal, 500)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(rs))
	for i, r := range rs {
		out[i] = s.record(l, r)
	}
	e := a.Entry("receipt.list")
	e.Principal = principal
	e.Detail = map[string]string{"count": strconv.Itoa(len(out))}
	return out, s.audit.Append(ctx, e)
}
