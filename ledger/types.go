// Package ledger reads, validates and exports the ledger (個人情報管理台帳):
// the versioned YAML file that says what personal information the company
// holds, why, for how long, who may use it and who receives it. Everything
// else in hogo (access decisions, the published notice, retention, rights
// requests) is driven by it. docs/LEDGER.md documents the format and
// ledger.schema.json describes it for editors.
package ledger

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// FormatVersion is the ledger format this package reads.
const FormatVersion = 1

// Pos is a position in the ledger file, 1-based.
type Pos struct {
	Line, Col int
}

// String formats the position as LINE:COL.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Text is a string in Japanese and, optionally, English. In YAML it is either
// a plain string (Japanese) or a mapping {ja: …, en: …}.
type Text struct {
	Ja, En string
	Pos    Pos
}

// In returns the text in lang ("ja" or "en"), falling back to Japanese.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Ja
}

// Empty reports whether the text has no Japanese text.
func (t Text) Empty() bool { return strings.TrimSpace(t.Ja) == "" }

// String returns the Japanese text.
func (t Text) String() string { return t.Ja }

// Ref is a reference by ID to another ledger entry, with its position.
type Ref struct {
	ID  string
	Pos Pos
}

// IDs returns the IDs of refs.
func IDs(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

// Ledger is the whole ledger.
type Ledger struct {
	Version       int    `yaml:"version"`
	Revision      string `yaml:"revision"`
	EffectiveDate Date   `yaml:"effective_date"`

	Organization Organization `yaml:"organization"`
	Policy       Policy       `yaml:"policy"`

	Categories []*Category `yaml:"categories"`
	Sources    []*Source   `yaml:"sources"`
	Purposes   []*Purpose  `yaml:"purposes"`
	Events     []*Event    `yaml:"events"`

	Processors []*Processor `yaml:"processors"`
	Recipients []*Recipient `yaml:"recipients"`
	JointUses  []*JointUse  `yaml:"joint_uses"`
	Provision  Provision    `yaml:"provision"`
	// Entrustment states how processors are chosen and supervised and how
	// personal information entrusted to the company is handled.
	Entrustment *EntrustmentPolicy `yaml:"entrustment"`

	ComplaintDesk          Desk                 `yaml:"complaint_desk"`
	Calendar               Calendar             `yaml:"calendar"`
	AccreditedOrganization *AccreditedOrg       `yaml:"accredited_organization"`
	Requests               RequestRules         `yaml:"requests"`
	SecurityMeasures       SecurityMeasures     `yaml:"security_measures"`
	BreachResponse         Text                 `yaml:"breach_response"`
	RetentionPolicy        RetentionPolicy      `yaml:"retention_policy"`
	ExternalTransmissions  []*ExternalTransmit  `yaml:"external_transmissions"`
	Anonymized             *AnonymizedPolicy    `yaml:"anonymized"`
	Pseudonymized          *PseudonymizedPolicy `yaml:"pseudonymized"`
	PersonallyReferable    *Section             `yaml:"personally_referable"`
	Statistics             *StatisticsPolicy    `yaml:"statistics"`
	Sections               []*Section           `yaml:"sections"`
	History                []*Change            `yaml:"history"`

	// Pos of the document root.
	Pos Pos `yaml:"-"`

	idx atomic.Pointer[indexes]
}

// Organization is the business handling the information (個人情報取扱事業者).
// APPI Art. 32(1)(1): name, address and representative must be made known.
type Organization struct {
	Name              Text         `yaml:"name"`
	Address           Text         `yaml:"address"`
	Representative    Text         `yaml:"representative"`
	Business          Text         `yaml:"business"`
	Website           string       `yaml:"website"`
	ProtectionManager Contact      `yaml:"protection_manager"`
	PrivacyMark       *PrivacyMark `yaml:"privacy_mark"`
	Pos               Pos          `yaml:"-"`
}

// Contact is a named person or office with ways to reach it.
type Contact struct {
	Title Text   `yaml:"title"`
	Name  Text   `yaml:"name"`
	Phone string `yaml:"phone"`
	Email string `yaml:"email"`
	Pos   Pos    `yaml:"-"`
}

// PrivacyMark is the Privacy Mark registration (JIS Q 15001).
type PrivacyMark struct {
	Number   string `yaml:"number"`
	Standard string `yaml:"standard"`
	Pos      Pos    `yaml:"-"`
}

// Policy is the protection policy statement (個人情報保護方針).
type Policy struct {
	Statement   Text   `yaml:"statement"`
	Commitments []Text `yaml:"commitments"`
	Established Date   `yaml:"established"`
	Signature   Text   `yaml:"signature"`
	// Amendment says how changes to the policy are made known and from
	// when they take effect (改定について).
	Amendment Text `yaml:"amendment"`
	Pos       Pos  `yaml:"-"`
}

// ItemType is the type of an item's value; it drives validation of input
// and the generalisation of values.
type ItemType string

// The item types.
const (
	TypeText       ItemType = "text"
	TypeKana       ItemType = "kana"
	TypeDate       ItemType = "date"
	TypePhone      ItemType = "phone"
	TypePostalCode ItemType = "postal_code"
	TypeAddress    ItemType = "address"
	TypeEmail      ItemType = "email"
	TypeMyNumber   ItemType = "mynumber"
	TypeNumber     ItemType = "number"
	TypeCode       ItemType = "code" // an identification code other than My Number: passport, licence numbers
	TypeURL        ItemType = "url"
	TypeFile       ItemType = "file"
	TypeBool       ItemType = "bool"
)

// ItemTypes lists every item type.
var ItemTypes = []ItemType{TypeText, TypeKana, TypeDate, TypePhone, TypePostalCode, TypeAddress, TypeEmail,
	TypeMyNumber, TypeNumber, TypeCode, TypeURL, TypeFile, TypeBool}

// Category is a category of personal information (個人情報の種別), e.g.
// 求職者 (job seekers). JIS Q 15001 A.3.3.1: each is a row group of the ledger.
type Category struct {
	ID          string `yaml:"id"`
	Name        Text   `yaml:"name"`
	Description Text   `yaml:"description"`
	// Disclosable says whether the category is disclosable personal
	// information (開示対象個人情報) that rights requests reach.
	Disclosable *bool `yaml:"disclosable"`
	// NonDisclosableReason explains a false Disclosable, e.g. data kept
	// for under the legal threshold or entrusted data (受託).
	NonDisclosableReason Text `yaml:"non_disclosable_reason"`

	Items      []*Item    `yaml:"items"`
	Sources    []Ref      `yaml:"sources"`
	Purposes   []Ref      `yaml:"purposes"`
	Retention  *Retention `yaml:"retention"`
	Storage    Storage    `yaml:"storage"`
	Access     []*Access  `yaml:"access"`
	Processors []Ref      `yaml:"processors"`
	Recipients []Ref      `yaml:"recipients"`
	// RecordCount is the approximate number of records (件数) held.
	RecordCount int `yaml:"record_count"`
	Pos         Pos `yaml:"-"`
}

// Item is one item (項目) of a category.
type Item struct {
	ID   string   `yaml:"id"`
	Name Text     `yaml:"name"`
	Type ItemType `yaml:"type"`
	// Identifier marks items used to find a principal (name, e-mail, phone…).
	Identifier bool `yaml:"identifier"`
	// Sensitive marks special-care information (要配慮個人情報, APPI Art. 2(3)).
	Sensitive bool `yaml:"sensitive"`
	Required  bool `yaml:"required"`
	// Purposes narrows the category's purposes for this item. Items of type
	// mynumber must name only purposes with a My Number basis.
	Purposes []Ref `yaml:"purposes"`
	// Retention, when set, erases this item alone from a record once its
	// own period ends, before the record's (an individual number as soon
	// as the procedures that need it are done, 番号法 Art. 20).
	Retention *Retention `yaml:"retention"`
	Pos       Pos        `yaml:"-"`
}

// MyNumber reports whether the item holds an individual number (個人番号).
func (it *Item) MyNumber() bool { return it.Type == TypeMyNumber }

// Source is an acquisition method (取得方法).
type Source struct {
	ID   string `yaml:"id"`
	Name Text   `yaml:"name"`
	// Direct: obtained from the principal directly. Written: in writing,
	// including web forms, where APPI Art. 21(2) requires the purpose to be
	// stated explicitly beforehand.
	Direct      bool `yaml:"direct"`
	Written     bool `yaml:"written"`
	Description Text `yaml:"description"`
	// Provider names the third party the information is received from
	// (提供元), e.g. 顧客（医療機関等）. Receiving personal data from a third
	// party obliges the company to confirm how the provider obtained it and
	// to keep a receipt record (確認記録, APPI Art. 30). A source with a
	// provider is not direct.
	Provider Text `yaml:"provider"`
	Pos      Pos  `yaml:"-"`
}

// My Number bases: the only purposes for which individual numbers may be
// used (番号法 Art. 9).
const (
	MyNumberTax            = "tax"
	MyNumberSocialSecurity = "social_security"
	MyNumberDisaster       = "disaster"
)

// Purpose is a declared purpose of use (利用目的, APPI Art. 17).
type Purpose struct {
	ID          string `yaml:"id"`
	Name        Text   `yaml:"name"`
	Description Text   `yaml:"description"`
	// ConsentRequired: the purpose may be pursued only with the principal's
	// recorded consent.
	ConsentRequired bool `yaml:"consent_required"`
	// MyNumber names the legal basis when the purpose is one of the My
	// Number Act's (tax, social_security, disaster).
	MyNumber string `yaml:"mynumber"`
	// Contact: pursuing the purpose involves contacting the principal.
	Contact bool `yaml:"contact"`
	Pos     Pos  `yaml:"-"`
}

// Event is something that starts a retention period, e.g. the end of
// employment.
type Event struct {
	ID   string `yaml:"id"`
	Name Text   `yaml:"name"`
	Pos  Pos    `yaml:"-"`
}

// EventAcquired is the built-in event "the record was acquired".
const EventAcquired = "acquired"

// Retention is a category's retention rule: a period after an event.
type Retention struct {
	Period      Period `yaml:"period"`
	After       Ref    `yaml:"after"`
	Description Text   `yaml:"description"`
	LegalBasis  Text   `yaml:"legal_basis"`
	Pos         Pos    `yaml:"-"`
}

// Storage is where and how a category is kept (JIS Q 15001 A.3.3.1).
type Storage struct {
	Place  Text   `yaml:"place"`
	Method Text   `yaml:"method"`
	Medium string `yaml:"medium"` // electronic, paper or both
	Pos    Pos    `yaml:"-"`
}

// Access grants a staff role the use of a category for some of its purposes.
type Access struct {
	Role     string `yaml:"role"`
	Purposes []Ref  `yaml:"purposes"`
	// Items narrows the grant to some items; empty means all.
	Items []Ref `yaml:"items"`
	Pos   Pos   `yaml:"-"`
}

// Foreign describes a recipient or processor in a foreign country (APPI Art.
// 28, 則17(2)).
type Foreign struct {
	Country Text `yaml:"country"`
	// Basis: eu_uk (adequacy), equivalent_system (則16: contract or APEC
	// CBPR) or consent.
	Basis    string `yaml:"basis"`
	Regime   Text   `yaml:"regime"`   // information on the country's protection regime
	Measures Text   `yaml:"measures"` // the recipient's protection measures
	Pos      Pos    `yaml:"-"`
}

// Processor is an entrusted processor (委託先). It is not a third party
// (APPI Art. 27(5)(1)) but must be supervised (Art. 25).
type Processor struct {
	ID      string   `yaml:"id"`
	Name    Text     `yaml:"name"`
	Address Text     `yaml:"address"`
	Tasks   Text     `yaml:"tasks"`
	Items   Text     `yaml:"items"`
	Foreign *Foreign `yaml:"foreign"`
	Pos     Pos      `yaml:"-"`
}

// Provision bases.
const (
	BasisConsent = "consent"
	BasisOptOut  = "opt_out"
)

// Recipient is a third party that receives personal data (第三者提供).
type Recipient struct {
	ID             string   `yaml:"id"`
	Name           Text     `yaml:"name"`
	Description    Text     `yaml:"description"`
	Address        Text     `yaml:"address"`
	Representative Text     `yaml:"representative"`
	Items          Text     `yaml:"items"`
	Purpose        Text     `yaml:"purpose"`
	Method         Text     `yaml:"method"`
	Basis          string   `yaml:"basis"`
	Foreign        *Foreign `yaml:"foreign"`
	// RecordMethod is how the provision record (提供記録, APPI Art. 29) is
	// kept: individual (each provision), bulk (一括, for repeated
	// provision) or contract (the contract serves as the record); it fixes
	// how long the record is kept (則21: 3 years, 3 years from the last
	// provision, 1 year from the last provision).
	RecordMethod string `yaml:"record_method"`
	Pos          Pos    `yaml:"-"`
}

// Provision record methods (則19(2), 21).
const (
	RecordIndividual = "individual"
	RecordBulk       = "bulk"
	RecordContract   = "contract"
)

// RecordMethods lists the provision record methods.
var RecordMethods = []string{RecordIndividual, RecordBulk, RecordContract}

// RecordYears is how many years a provision or receipt record is kept
// (則21, 則25): one when a contract serves as the record, three otherwise.
func RecordYears(method string) int {
	if method == RecordContract {
		return 1
	}
	return 3
}

// Party is a business named with its address and representative.
type Party struct {
	Name           Text `yaml:"name"`
	Address        Text `yaml:"address"`
	Representative Text `yaml:"representative"`
	Pos            Pos  `yaml:"-"`
}

// JointUse is a joint use (共同利用, APPI Art. 27(5)(3)) and its five items:
// the fact (the entry itself), the items, the scope of users, the purposes,
// and the responsible party's name, address and representative.
type JointUse struct {
	ID          string `yaml:"id"`
	Categories  []Ref  `yaml:"categories"`
	Items       Text   `yaml:"items"`
	Users       Text   `yaml:"users"`
	Purposes    Text   `yaml:"purposes"`
	Responsible *Party `yaml:"responsible"`
	Since       Date   `yaml:"since"`
	Pos         Pos    `yaml:"-"`
}

// Legal exceptions of APPI Art. 18(3) and Art. 27(1), by code.
const (
	ExceptionLaw              = "law"               // 法令に基づく場合
	ExceptionLife             = "life"              // 人の生命・身体・財産の保護
	ExceptionPublicHealth     = "public_health"     // 公衆衛生・児童の健全育成
	ExceptionStateAffairs     = "state_affairs"     // 国の機関等への協力
	ExceptionAcademic         = "academic"          // 学術研究機関等
	ExceptionPublishedSpecial = "published_special" // 公開された要配慮個人情報等 (Art. 20(2))
)

// Exceptions lists the exception codes in the order of the Act.
var Exceptions = []string{ExceptionLaw, ExceptionLife, ExceptionPublicHealth, ExceptionStateAffairs,
	ExceptionAcademic, ExceptionPublishedSpecial}

// Provision states the policy on third-party provision and the exceptions
// the company relies on.
type Provision struct {
	Policy     Text     `yaml:"policy"`
	Exceptions []string `yaml:"exceptions"`
	// OutOfPurposeExceptions are the Art. 18(3) cases relied on for use
	// beyond the declared purposes.
	OutOfPurposeExceptions []string `yaml:"out_of_purpose_exceptions"`
	Notes                  []Text   `yaml:"notes"`
	Pos                    Pos      `yaml:"-"`
}

// EntrustmentPolicy is how processors are supervised (委託先の監督, APPI
// Art. 25; JIS Q 15001 A.3.4.3.4): selection, contract, periodic checks and
// sub-entrustment; and how information the company processes for others
// (受託) is handled.
type EntrustmentPolicy struct {
	Statement Text `yaml:"statement"`
	// Selection: the standard a processor must meet (委託先の選定基準).
	Selection Text `yaml:"selection"`
	// Contract: what the entrustment contract binds the processor to
	// (秘密保持, 再委託の条件, 返却・消去…).
	Contract Text `yaml:"contract"`
	// Audit: how and how often the processor is checked.
	Audit Text `yaml:"audit"`
	// SubEntrustment: the conditions for sub-entrustment (再委託).
	SubEntrustment Text `yaml:"sub_entrustment"`
	// Received: how personal information entrusted to the company by its
	// clients is used (only for the entrusted work).
	Received Text `yaml:"received"`
	Pos      Pos  `yaml:"-"`
}

// Desk is the complaint desk (苦情・相談窓口, APPI Art. 32(1)(4), 40).
type Desk struct {
	Name    Text     `yaml:"name"`
	Address Text     `yaml:"address"`
	Phone   []string `yaml:"phone"`
	Fax     string   `yaml:"fax"`
	Email   string   `yaml:"email"`
	Hours   Hours    `yaml:"hours"`
	Notes   Text     `yaml:"notes"`
	Pos     Pos      `yaml:"-"`
}

// Hours are business hours on open days, e.g. 09:00–17:00.
type Hours struct {
	Open  Clock `yaml:"open"`
	Close Clock `yaml:"close"`
	// Days are the weekdays the desk is open: mon … sun.
	Days []string `yaml:"days"`
	Pos  Pos      `yaml:"-"`
}

// Calendar is the company's own closing days, on top of weekends and
// national holidays.
type Calendar struct {
	// YearEnd is the year-end closure (年末年始) as MM-DD..MM-DD.
	YearEnd string `yaml:"year_end"`
	// NationalHolidays: closed on national holidays (default true).
	NationalHolidays *bool  `yaml:"national_holidays"`
	ClosingDays      []Date `yaml:"closing_days"`
	Notes            Text   `yaml:"notes"`
	Pos              Pos    `yaml:"-"`
}

// AccreditedOrg is the accredited personal information protection
// organisation (認定個人情報保護団体, APPI Art. 47) the company belongs to.
type AccreditedOrg struct {
	Name    Text     `yaml:"name"`
	Desk    Text     `yaml:"desk"`
	Address Text     `yaml:"address"`
	Phone   []string `yaml:"phone"`
	// Hours are the organisation's own reception hours, when published.
	Hours *Hours `yaml:"hours"`
	Pos   Pos    `yaml:"-"`
}

// Request types (開示等の請求, APPI Art. 32–35).
const (
	ReqNotifyPurpose   = "notify_purpose"
	ReqDisclose        = "disclose"
	ReqCorrect         = "correct"
	ReqSuspend         = "suspend"
	ReqErase           = "erase"
	ReqStopProvision   = "stop_provision"
	ReqDiscloseRecords = "disclose_records"
)

// RequestTypes lists every request type.
var RequestTypes = []string{ReqNotifyPurpose, ReqDisclose, ReqCorrect, ReqSuspend, ReqErase, ReqStopProvision, ReqDiscloseRecords}

// FeeAllowed reports whether a request type may carry a fee. APPI Art.
// 38(1): fees only for purpose notification and disclosure (incl. records).
func FeeAllowed(reqType string) bool {
	return reqType == ReqNotifyPurpose || reqType == ReqDisclose || reqType == ReqDiscloseRecords
}

// Fee is the fee for a request type, in yen including tax.
type Fee struct {
	Amount int  `yaml:"amount"`
	Method Text `yaml:"method"`
	Pos    Pos  `yaml:"-"`
}

// Yen writes an amount of yen with thousands separators: 1,000円, or
// 1,000 yen in English.
func Yen(n int, lang string) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r != '-' && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if lang == "en" {
		return b.String() + " yen"
	}
	return b.String() + "円"
}

// RequestRules are how rights requests are made and answered.
type RequestRules struct {
	Types     []string        `yaml:"types"`
	Channels  []string        `yaml:"channels"`
	Procedure Text            `yaml:"procedure"`
	Form      Text            `yaml:"form"`
	Fees      map[string]*Fee `yaml:"fees"`
	// FeeNote explains how fees are collected.
	FeeNote Text `yaml:"fee_note"`
	// FeePayment lists how fees may be paid, e.g. bank_transfer.
	FeePayment []string `yaml:"fee_payment"`
	// AnswerAfterPayment: the answer is sent only once the fee is paid.
	AnswerAfterPayment bool `yaml:"answer_after_payment"`
	// TargetDays is the company's target for answering a request, in its
	// business days from receipt (APPI Art. 33(1) asks for "without
	// delay"); 0 means the default, DefaultTargetDays.
	TargetDays int `yaml:"target_days"`
	// IDCopyDays is how many days after a request closes the copies of
	// identity documents and agents' evidence kept with it are deleted;
	// 0 means the default, DefaultIDCopyDays.
	IDCopyDays int `yaml:"id_copy_days"`
	// DiscloseUseLog: a disclosure includes the use of the principal's
	// data recorded in the audit log (who used it, when, for what).
	DiscloseUseLog bool        `yaml:"disclose_use_log"`
	IDDocuments    IDDocuments `yaml:"id_documents"`
	// Verification lists, per channel, how the requester's identity is
	// verified (本人確認の方法), e.g. a copy of a licence plus a resident
	// record by fax.
	Verification []*Verification `yaml:"verification"`
	Agents       []string        `yaml:"agents"`
	// AgentEvidence maps an agent kind to the documents that prove the
	// agent's authority (代理権の確認), e.g. appointed: 委任状.
	AgentEvidence   map[string]Text `yaml:"agent_evidence"`
	ResponseMethods []string        `yaml:"response_methods"`
	// RefusalGrounds are the cases in which a request is refused or not
	// answered in full (APPI Art. 33(2)), with the reason given.
	RefusalGrounds []Text `yaml:"refusal_grounds"`
	// NonRetainedGrounds are the cases in which revealing whether the data
	// exists would itself do harm, so that it is not retained personal data
	// and rights requests do not reach it (令5).
	NonRetainedGrounds []Text `yaml:"non_retained_grounds"`
	Notes              []Text `yaml:"notes"`
	Pos                Pos    `yaml:"-"`
}

// DefaultTargetDays is the answering target when the ledger sets none.
const DefaultTargetDays = 10

// DefaultIDCopyDays is how long identity document copies are kept after a
// request closes when the ledger does not say.
const DefaultIDCopyDays = 30

// Requester kinds of a verification method.
const (
	RequesterPrincipal = "principal"
	RequesterAgent     = "agent"
)

// Verification is one way of verifying a requester's identity (本人確認)
// for requests arriving by one channel (APPI Art. 37(1), 令12).
type Verification struct {
	Channel string `yaml:"channel"`
	// Requester is principal (本人) or agent (代理人); empty means both.
	Requester string `yaml:"requester"`
	// Documents: a copy of any one of these identity documents.
	Documents []string `yaml:"documents"`
	// Plus: documents required in addition, all of them.
	Plus []string `yaml:"plus"`
	// RegisteredMail: the answer goes by registered mail (書留) to the
	// address on the document, which completes the check.
	RegisteredMail bool `yaml:"registered_mail"`
	Description    Text `yaml:"description"`
	Pos            Pos  `yaml:"-"`
}

// IDDocuments says which identity documents are accepted: PhotoCount with a
// photo, or NonPhotoCount without one.
type IDDocuments struct {
	Photo         []string `yaml:"photo"`
	NonPhoto      []string `yaml:"non_photo"`
	PhotoCount    int      `yaml:"photo_count"`
	NonPhotoCount int      `yaml:"non_photo_count"`
	Pos           Pos      `yaml:"-"`
}

// SecurityMeasures are the security measures (安全管理措置) published under
// APPI Art. 32(1)(4) and 令10(1), by heading.
type SecurityMeasures struct {
	BasicPolicy         []Text `yaml:"basic_policy"`
	Rules               []Text `yaml:"rules"`
	Organizational      []Text `yaml:"organizational"`
	Human               []Text `yaml:"human"`
	Physical            []Text `yaml:"physical"`
	Technical           []Text `yaml:"technical"`
	ExternalEnvironment []Text `yaml:"external_environment"`
	Pos                 Pos    `yaml:"-"`
}

// RetentionPolicy is the published statement on retention and erasure,
// with the cases in which data is kept beyond its period.
type RetentionPolicy struct {
	Statement  Text   `yaml:"statement"`
	Exceptions []Text `yaml:"exceptions"`
	// AuditLog is how long audit entries are kept (at least three years:
	// they evidence the provision records of 則21 and the answers to
	// requests); older ones are removed by the sweep, leaving a signed
	// anchor. Unset keeps them for ever.
	AuditLog Period `yaml:"audit_log"`
	Pos      Pos    `yaml:"-"`
}

// ExternalTransmit is an external transmission (外部送信, 電気通信事業法
// Art. 27-12): a tag or SDK that sends users' information to another company.
type ExternalTransmit struct {
	ID          string `yaml:"id"`
	Name        Text   `yaml:"name"`
	Recipient   Text   `yaml:"recipient"`
	Information Text   `yaml:"information"`
	Purpose     Text   `yaml:"purpose"`
	OptOut      string `yaml:"opt_out"`
	Pos         Pos    `yaml:"-"`
}

// AnonymizedPolicy states how anonymised information (匿名加工情報) is made
// and which item categories it contains (APPI Art. 43).
type AnonymizedPolicy struct {
	Statement      Text   `yaml:"statement"`
	ItemCategories []Text `yaml:"item_categories"`
	Provision      Text   `yaml:"provision"`
	// Measures are the handling promises: proper processing (則34), the
	// safeguarding of processing-method information, no re-identification
	// (APPI Art. 43(1), (2), (5), 45).
	Measures []Text `yaml:"measures"`
	Pos      Pos    `yaml:"-"`
}

// PseudonymizedPolicy states the purposes of pseudonymised information
// (仮名加工情報, APPI Art. 41).
type PseudonymizedPolicy struct {
	Statement Text   `yaml:"statement"`
	Purposes  []Text `yaml:"purposes"`
	// Measures are the handling promises: proper processing (則31), the
	// safeguarding of removed information, no re-identification and no use
	// of contact details (APPI Art. 41(1), (2), (7), (8)).
	Measures []Text `yaml:"measures"`
	Pos      Pos    `yaml:"-"`
}

// Section is a published section with a title and paragraphs, for promises
// the structured fields do not model.
type Section struct {
	Title Text   `yaml:"title"`
	Body  []Text `yaml:"body"`
	Pos   Pos    `yaml:"-"`
}

// StatisticsPolicy is the published statement on statistics (統計情報)
// with the smallest cell statistics may show: a count below it, and any
// sum or distribution over fewer people, is suppressed so that no cell
// points at a person.
type StatisticsPolicy struct {
	Title Text   `yaml:"title"`
	Body  []Text `yaml:"body"`
	// MinCell is the smallest number of people a published cell may
	// count (default DefaultMinCell).
	MinCell int `yaml:"min_cell"`
	Pos     Pos `yaml:"-"`
}

// DefaultMinCell is the smallest cell when the ledger names none.
const DefaultMinCell = 10

// Section returns the statement as a published section.
func (p *StatisticsPolicy) Section() *Section {
	if p == nil {
		return nil
	}
	return &Section{Title: p.Title, Body: p.Body, Pos: p.Pos}
}

// Threshold is the smallest cell statistics may show.
func (p *StatisticsPolicy) Threshold() int {
	if p == nil || p.MinCell <= 0 {
		return DefaultMinCell
	}
	return p.MinCell
}

// Change is an entry of the change history (改定履歴).
type Change struct {
	Date    Date `yaml:"date"`
	Summary Text `yaml:"summary"`
	Pos     Pos  `yaml:"-"`
}
