package ledger

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Load reads, decodes and validates the ledger file at path. The error is
// Problems when the file is readable but wrong; the ledger is returned only
// when it has no errors (warnings are returned alongside).
func Load(path string) (*Ledger, Problems, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read ledger: %w", err)
	}
	l, ps := ParseAndValidate(path, data)
	if errs := ps.Errors(); len(errs) > 0 {
		return nil, ps, errs
	}
	return l, ps, nil
}

// ParseAndValidate decodes data and, when it decodes, validates it. It
// returns the ledger (nil on any error) and every problem, warnings included,
// sorted by position.
func ParseAndValidate(file string, data []byte) (*Ledger, Problems) {
	l, ps := Parse(file, data)
	if l == nil {
		return nil, ps
	}
	ps = append(ps, Validate(file, l)...)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	l.index()
	return l, ps
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Roles that may appear in access rules. The role set is fixed in hogo; this
// list must stay equal to hogo.Roles (a test checks it).
var Roles = []string{"admin", "manager", "desk", "staff", "auditor"}

// Request channels, agents, response methods and identity documents known
// to hogo.
var (
	Channels        = []string{"portal", "post", "email", "fax", "phone", "desk"}
	AgentKinds      = []string{"statutory_minor", "adult_guardian", "appointed", "professional"}
	ResponseMethods = []string{"electronic", "paper", "email", "post", "inspection"}
	IDDocumentKinds = []string{"driver_licence", "passport", "mynumber_card", "residence_card", "special_permanent_resident",
		"disability_certificate", "health_insurance", "pension_book", "seal_certificate", "resident_record", "family_register"}
	Weekdays     = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	ForeignBases = []string{"eu_uk", "equivalent_system", "consent"}
	Bases        = []string{BasisConsent, BasisOptOut}
	Media        = []string{"electronic", "paper", "both"}
	// FeePaymentMethods are the ways a fee may be paid: bank transfer, cash
	// by registered mail (現金書留), postal money order (定額小為替),
	// postage stamps, cash at the desk, card.
	FeePaymentMethods = []string{"bank_transfer", "cash_registered_mail", "postal_money_order", "postage_stamps", "cash", "card"}
	// Requesters are whom a verification method is for.
	Requesters = []string{RequesterPrincipal, RequesterAgent}
)

type validator struct {
	file     string
	problems Problems
}

// errorf reports an error at p, formatted from ja and en with the same
// args (see format2).
func (v *validator) errorf(p Pos, ja, en string, args ...any) {
	v.problems = append(v.problems, newProblem(v.file, p, false, ja, en, args...))
}

// warnf reports a warning at p, like errorf.
func (v *validator) warnf(p Pos, ja, en string, args ...any) {
	v.problems = append(v.problems, newProblem(v.file, p, true, ja, en, args...))
}

func (v *validator) oneOf(p Pos, what tr, got string, allowed []string) {
	if !slices.Contains(allowed, got) {
		v.errorf(p, "%[1]sに「%[2]s」は使えません。次のいずれかを指定してください: %[3]s。",
			"%s %q is not known; use one of: %s", what, got, strings.Join(allowed, ", "))
	}
}

// requireText reports a missing text: what names it and hint says what to
// write, each in both languages.
func (v *validator) requireText(t Text, parent Pos, what, hint tr) {
	if t.Empty() {
		p := t.Pos
		if p.Line == 0 {
			p = parent
		}
		v.errorf(p, "%sがありません。%s", "%s is missing; %s", what, hint)
	}
}

// The kinds of ledger entries, as messages name them.
var (
	kindSource       = tr{"取得方法", "source"}
	kindPurpose      = tr{"利用目的", "purpose"}
	kindEvent        = tr{"起算事由", "event"}
	kindProcessor    = tr{"委託先", "processor"}
	kindRecipient    = tr{"提供先", "recipient"}
	kindCategory     = tr{"種別", "category"}
	kindJointUse     = tr{"共同利用", "joint use"}
	kindExternal     = tr{"外部送信", "external transmission"}
	kindItem         = tr{"項目", "item"}
	kindRole         = tr{"role（役割）", "role"}
	kindWeekday      = tr{"曜日", "weekday"}
	kindIDDocument   = tr{"本人確認書類", "identity document"}
	kindRequestType  = tr{"請求の種類", "request type"}
	kindFeePayment   = tr{"手数料の支払方法", "fee payment method"}
	kindAgent        = tr{"代理人の種類", "agent kind"}
	kindRequestChan  = tr{"請求の受付方法", "request channel"}
	kindResponse     = tr{"回答方法", "response method"}
	kindVerifyChan   = tr{"本人確認の受付方法（channel）", "verification channel"}
	kindVerifyReq    = tr{"本人確認の対象（requester）", "verification requester"}
	kindForeignBasis = tr{"外国にある第三者への提供の根拠（foreign.basis）", "foreign basis"}
)

// ids checks that each entry has a well-formed, unique ID and returns the set.
func ids[T any](v *validator, kind tr, list []*T, get func(*T) (string, Pos)) map[string]Pos {
	seen := map[string]Pos{}
	for _, e := range list {
		id, p := get(e)
		switch {
		case id == "":
			v.errorf(p, "この%sには id がありません。「id: 」に英小文字の短い名前を書いてください（例: job_seeker）。",
				"this %s has no id; add \"id: \" with a short name in lower case, e.g. job_seeker", kind)
		case !idRE.MatchString(id):
			v.errorf(p, "%sの id「%s」は、英小文字で始め、英小文字・数字・_ だけで書いてください（例: job_seeker）。",
				"%s id %q must be lower case letters, digits and _ , starting with a letter, e.g. job_seeker", kind, id)
		default:
			if first, dup := seen[id]; dup {
				v.errorf(p, "%[1]sの id「%[2]s」は%[3]d行目で既に使われています。%[4]sごとに別の id を付けてください。",
					"%s id %q is already used at line %d; give each %s its own id", kind, id, first.Line, kind)
			} else {
				seen[id] = p
			}
		}
	}
	return seen
}

func (v *validator) refs(refs []Ref, known map[string]Pos, kind tr, declaredIn string) {
	for _, r := range refs {
		if _, ok := known[r.ID]; !ok {
			v.errorf(r.Pos, "%[1]s「%[2]s」はここで使われていますが、宣言されていません。「%[3]s」に追加するか、綴りを直してください。%[4]s",
				"%s %q is used here but not declared; add it under %s or fix the spelling%s",
				kind, r.ID, declaredIn, closest(r.ID, known))
		}
	}
}

func closest(id string, known map[string]Pos) tr {
	best, bestD := "", 3
	for k := range known {
		if d := editDistance(id, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best != "" {
		return trf("「%s」ではありませんか？", " (did you mean %q?)", best)
	}
	return tr{}
}

// Validate checks what a privacy officer gets wrong. It returns every
// problem found; a ledger with no errors among them is valid.
func Validate(file string, l *Ledger) Problems {
	v := &validator{file: file}
	root := l.Pos

	if l.Version != FormatVersion {
		v.errorf(root, "version は %[1]d にしてください（この hogo が読む台帳の形式です）。先頭に「version: %[2]d」を書いてください。",
			"version must be %d (the ledger format this hogo reads); add \"version: %d\" at the top", FormatVersion, FormatVersion)
	}

	// APPI Art. 32(1)(1), 令10: name, address and representative.
	o := l.Organization
	op := o.Pos
	if op.Line == 0 {
		op = root
	}
	v.requireText(o.Name, op, tr{"「organization.name」", "organization.name"},
		tr{"登記上の会社名（事業者の名称）を書いてください。", "write the company's registered name (事業者の名称)"})
	v.requireText(o.Address, op, tr{"「organization.address」", "organization.address"},
		tr{"本社の住所を書いてください。", "write the head-office address (住所)"})
	v.requireText(o.Representative, op, tr{"「organization.representative」", "organization.representative"},
		tr{"代表者の役職と氏名を書いてください。", "write the representative's title and name (代表者の氏名)"})
	if o.ProtectionManager.Title.Empty() && o.ProtectionManager.Name.Empty() {
		v.errorf(op, "「organization.protection_manager」がありません。個人情報保護管理者を役職名か氏名で書いてください。",
			"organization.protection_manager is missing; name the protection manager (個人情報保護管理者) by title or name")
	}

	sources := ids(v, kindSource, l.Sources, func(s *Source) (string, Pos) { return s.ID, s.Pos })
	purposes := ids(v, kindPurpose, l.Purposes, func(p *Purpose) (string, Pos) { return p.ID, p.Pos })
	events := ids(v, kindEvent, l.Events, func(e *Event) (string, Pos) { return e.ID, e.Pos })
	if _, ok := events[EventAcquired]; !ok {
		events[EventAcquired] = Pos{}
	}
	processors := ids(v, kindProcessor, l.Processors, func(p *Processor) (string, Pos) { return p.ID, p.Pos })
	recipients := ids(v, kindRecipient, l.Recipients, func(r *Recipient) (string, Pos) { return r.ID, r.Pos })
	categories := ids(v, kindCategory, l.Categories, func(c *Category) (string, Pos) { return c.ID, c.Pos })
	ids(v, kindJointUse, l.JointUses, func(j *JointUse) (string, Pos) { return j.ID, j.Pos })
	ids(v, kindExternal, l.ExternalTransmissions, func(e *ExternalTransmit) (string, Pos) { return e.ID, e.Pos })

	if len(l.Categories) == 0 {
		v.errorf(root, "台帳に個人情報の種別が1つもありません。「categories:」に少なくとも1つ書いてください。",
			"the ledger declares no categories; add at least one under categories:")
	}

	recipientByID := map[string]*Recipient{}
	for _, r := range l.Recipients {
		recipientByID[r.ID] = r
	}
	purposeByID := map[string]*Purpose{}
	usedPurposes := map[string]bool{}
	for _, p := range l.Purposes {
		purposeByID[p.ID] = p
		v.requireText(p.Description, p.Pos, trf("利用目的「%s」の「description」", "purpose %q description", p.ID),
			tr{"公表する文言のとおりに利用目的を書いてください（例: お仕事のご紹介やご連絡のため）。",
				"write the purpose as it is published, e.g. お仕事のご紹介やご連絡のため"})
		if p.MyNumber != "" {
			v.oneOf(p.Pos, tr{"mynumber（個人番号の利用根拠）", "mynumber basis"}, p.MyNumber,
				[]string{MyNumberTax, MyNumberSocialSecurity, MyNumberDisaster})
			if p.ConsentRequired {
				// 番号法 Art. 9: consent cannot widen the use of individual numbers.
				v.warnf(p.Pos, "利用目的「%s」は個人番号の利用目的なので、同意は要りません。本人の同意があっても、個人番号の利用を認めたり広げたりすることはできません（番号法第9条）。consent_required を削除してください。",
					"purpose %q is a My Number purpose and needs no consent: consent can neither allow nor widen the use of individual numbers (番号法 Art. 9); remove consent_required", p.ID)
			}
		}
	}
	for _, s := range l.Sources {
		v.requireText(s.Name, s.Pos, trf("取得方法「%s」の「name」", "source %q name", s.ID),
			tr{"取得の方法を書いてください（例: Webフォームによる取得）。", "write how the information is obtained, e.g. Webフォームによる取得"})
		// APPI Art. 30: what a third party provides is not obtained from
		// the principal directly, and the receipt must be confirmed.
		if s.Direct && !s.Provider.Empty() {
			v.errorf(s.Provider.Pos, "取得方法「%s」は提供元（provider）を書いていますが、direct: true になっています。第三者から提供を受けた情報は本人から直接取得したものではありません（個人情報保護法第30条）。direct: false にするか、provider を削除してください。",
				"source %q names a provider but says direct: true; information provided by a third party is not obtained directly from the principal (APPI Art. 30): write direct: false or remove the provider", s.ID)
		}
	}
	for _, e := range l.Events {
		v.requireText(e.Name, e.Pos, trf("起算事由「%s」の「name」", "event %q name", e.ID),
			tr{"何が起きたときかを書いてください（例: 雇用契約の終了）。", "write what happens, e.g. 雇用契約の終了"})
	}

	for _, c := range l.Categories {
		v.category(c, sources, purposes, purposeByID, events, processors, recipients, recipientByID, usedPurposes)
	}
	for _, p := range l.Purposes {
		if !usedPurposes[p.ID] {
			v.warnf(p.Pos, "利用目的「%s」は宣言されていますが、どの種別でも使われていません。種別の purposes に加えるか、削除してください。",
				"purpose %q is declared but no category uses it; add it to a category's purposes or remove it", p.ID)
		}
	}

	for _, pr := range l.Processors {
		v.requireText(pr.Name, pr.Pos, trf("委託先「%s」の「name」", "processor %q name", pr.ID),
			tr{"委託先の名称か業種を書いてください（例: 給与計算代行会社）。", "write the processor's name or kind, e.g. 給与計算代行会社"})
		v.requireText(pr.Tasks, pr.Pos, trf("委託先「%s」の「tasks」", "processor %q tasks", pr.ID),
			tr{"委託する業務を書いてください（例: 給与計算業務）。", "write what is entrusted, e.g. 給与計算業務"})
		v.foreign(pr.Foreign)
	}
	for _, r := range l.Recipients {
		v.requireText(r.Name, r.Pos, trf("提供先「%s」の「name」", "recipient %q name", r.ID),
			tr{"提供先を書いてください（例: 派遣先企業）。", "write who receives the data, e.g. 派遣先企業"})
		if r.Basis == "" {
			v.errorf(r.Pos, "提供先「%s」に提供の根拠（basis）がありません。basis: consent（本人の同意）か basis: opt_out（オプトアウト、個人情報保護委員会に届出済み）を書いてください。",
				"recipient %q has no basis; write basis: consent (本人の同意) or basis: opt_out (オプトアウト, filed with the PPC)", r.ID)
		} else {
			v.oneOf(r.Pos, tr{"basis（提供の根拠）", "basis"}, r.Basis, Bases)
		}
		v.requireText(r.Items, r.Pos, trf("提供先「%s」の「items」", "recipient %q items", r.ID),
			tr{"提供する項目を書いてください（例: 氏名、職歴、保有資格）。", "list the items provided, e.g. 氏名、職歴、保有資格"})
		if r.RecordMethod != "" {
			// APPI Art. 29, 則19(2), 21: the record's form fixes how long it is kept.
			v.oneOf(r.Pos, tr{"record_method（提供記録の作成方法）", "record_method"}, r.RecordMethod, RecordMethods)
		}
		v.foreign(r.Foreign)
	}

	for _, j := range l.JointUses {
		v.jointUse(j, categories)
	}

	v.provision(l.Provision)
	if st := l.Statistics; st != nil && (st.MinCell == 1 || st.MinCell < 0) {
		v.errorf(st.Pos, "statistics.min_cell が %d です。1人のセルは本人を指してしまいます。2以上（通常は10程度）にしてください。",
			"statistics.min_cell is %d: a cell of one person points at that person; use 2 or more (usually about 10)", st.MinCell)
	}
	if p := l.RetentionPolicy.AuditLog; !p.IsZero() && p.days() < 3*365 {
		v.errorf(l.RetentionPolicy.Pos, "監査ログの保存期間（retention_policy.audit_log: %s）は3年以上にしてください。第三者提供の記録（規則21条）や請求への回答の証跡になります。例: audit_log: 5y",
			"retention_policy.audit_log (%s) must be at least three years: the audit log evidences the provision records (則21) and the answers to requests; e.g. audit_log: 5y", p)
	}
	v.desk(l.ComplaintDesk, root)
	v.calendar(l.Calendar)
	if a := l.AccreditedOrganization; a != nil {
		v.requireText(a.Name, a.Pos, tr{"「accredited_organization.name」", "accredited_organization.name"},
			tr{"認定個人情報保護団体の名称を書いてください。", "write the accredited organisation's name (認定個人情報保護団体)"})
		v.requireText(a.Desk, a.Pos, tr{"「accredited_organization.desk」", "accredited_organization.desk"},
			tr{"苦情の解決の申出先を書いてください。", "write where complaints go (苦情の解決の申出先)"})
		if h := a.Hours; h != nil {
			if !h.Open.Set || !h.Close.Set {
				v.errorf(h.Pos, "「accredited_organization.hours」には open と close が必要です（例: hours: {open: \"10:00\", close: \"16:00\", days: [mon, tue, wed, thu, fri]}）。",
					"accredited_organization.hours needs open and close, e.g. hours: {open: \"10:00\", close: \"16:00\", days: [mon, tue, wed, thu, fri]}")
			} else if h.Open.Minutes >= h.Close.Minutes {
				v.errorf(h.Pos, "「accredited_organization.hours」の受付開始が %s、終了が %s になっています。close は open より後の時刻にしてください。",
					"accredited_organization.hours opens at %s but closes at %s; close must be later than open", h.Open, h.Close)
			}
			for _, day := range h.Days {
				v.oneOf(h.Pos, kindWeekday, day, Weekdays)
			}
		}
	}
	v.requests(l.Requests, root)

	for _, e := range l.ExternalTransmissions {
		v.requireText(e.Name, e.Pos, trf("外部送信「%s」の「name」", "external transmission %q name", e.ID),
			tr{"タグや SDK の名称を書いてください。", "write the tag or SDK's name"})
		v.requireText(e.Recipient, e.Pos, trf("外部送信「%s」の「recipient」", "external transmission %q recipient", e.ID),
			tr{"情報を受け取る会社を書いてください（電気通信事業法第27条の12）。", "write the company that receives the information (電気通信事業法 Art. 27-12)"})
		v.requireText(e.Information, e.Pos, trf("外部送信「%s」の「information」", "external transmission %q information", e.ID),
			tr{"送信する情報を、あいまいな「等」を使わずに書いてください。", "write the information sent, without a vague 等"})
		v.requireText(e.Purpose, e.Pos, trf("外部送信「%s」の「purpose」", "external transmission %q purpose", e.ID),
			tr{"送信した情報の利用目的を書いてください。", "write what the information is used for"})
	}
	if a := l.Anonymized; a != nil && len(a.ItemCategories) == 0 {
		v.warnf(a.Pos, "「anonymized」に item_categories がありません。匿名加工情報を作成したときは、その項目を公表しなければなりません（個人情報保護法第43条第3項）。",
			"anonymized declares no item_categories; APPI Art. 43(3) requires publishing the item categories of anonymised information once it is created")
	}
	if p := l.Pseudonymized; p != nil && len(p.Purposes) == 0 {
		v.errorf(p.Pos, "「pseudonymized」に purposes がありません。仮名加工情報の利用目的は公表しなければなりません（個人情報保護法第41条第4項）。",
			"pseudonymized declares no purposes; APPI Art. 41(4) requires publishing the purposes of pseudonymised information")
	}
	for _, s := range l.Sections {
		v.requireText(s.Title, s.Pos, tr{"節の「title」", "section title"}, tr{"節に見出しを付けてください。", "give the section a heading"})
	}
	for _, h := range l.History {
		if h.Date.IsZero() {
			v.errorf(h.Pos, "改定履歴（history）の項目に日付がありません。date: YYYY-MM-DD を書いてください。",
				"a history entry has no date; write date: YYYY-MM-DD")
		}
	}
	return v.problems
}

func (v *validator) category(c *Category, sources, purposes map[string]Pos, purposeByID map[string]*Purpose,
	events, processors, recipients map[string]Pos, recipientByID map[string]*Recipient, used map[string]bool) {
	name := trf("種別「%s」", "category %q", c.ID)
	v.requireText(c.Name, c.Pos, trf("種別「%s」の「name」", "category %q name", c.ID),
		tr{"種別の名称を書いてください（例: 求職者）。", "write the category's name, e.g. 求職者"})
	if c.Disclosable == nil {
		v.errorf(c.Pos, "%sが開示対象個人情報かどうか書かれていません。disclosable: true（開示対象）か、disclosable: false と non_disclosable_reason を書いてください。",
			"%s does not say whether it is disclosable personal information; write disclosable: true (開示対象) or disclosable: false with non_disclosable_reason", name)
	} else if !*c.Disclosable && c.NonDisclosableReason.Empty() {
		v.errorf(c.Pos, "%sは開示対象外ですが、理由がありません。non_disclosable_reason を書いてください（例: 受託業務として委託元から預かった個人情報のため）。",
			"%s is not disclosable but gives no reason; add non_disclosable_reason, e.g. 受託業務として委託元から預かった個人情報のため", name)
	}
	if len(c.Items) == 0 {
		v.errorf(c.Pos, "%sに項目がありません。「items:」に項目（氏名、住所…）を書いてください。",
			"%s has no items; list its items (氏名, 住所…) under items:", name)
	}
	if len(c.Sources) == 0 {
		v.errorf(c.Pos, "%sに取得方法がありません。sources に取得方法を少なくとも1つ書いてください。",
			"%s has no acquisition method; list at least one source (取得方法)", name)
	}
	if len(c.Purposes) == 0 {
		v.errorf(c.Pos, "%sに利用目的がありません。どの種別にも、宣言した利用目的が少なくとも1つ必要です（個人情報保護法第17条）。",
			"%s has no purposes; every category needs at least one declared purpose (利用目的, APPI Art. 17)", name)
	}
	v.refs(c.Sources, sources, kindSource, "sources:")
	v.refs(c.Purposes, purposes, kindPurpose, "purposes:")
	v.refs(c.Processors, processors, kindProcessor, "processors:")
	v.refs(c.Recipients, recipients, kindRecipient, "recipients:")
	catPurposes := map[string]Pos{}
	for _, r := range c.Purposes {
		if _, dup := catPurposes[r.ID]; dup {
			v.errorf(r.Pos, "利用目的「%[1]s」が%[2]sに2回書かれています。1つにしてください。",
				"purpose %q is listed twice in %s; keep one", r.ID, name)
		}
		catPurposes[r.ID] = r.Pos
		used[r.ID] = true
	}

	// Retention: every category must say how long it is kept and from when.
	if c.Retention == nil {
		v.errorf(c.Pos, "%sに保存期間の定めがありません。retention: {period: 5y, after: employment_ended} のように、起算事由と期間を書いてください。",
			"%s has no retention rule; add retention: {period: 5y, after: employment_ended} (保存期間), the period counted from an event", name)
	} else {
		r := c.Retention
		if r.Period.IsZero() {
			v.errorf(r.Pos, "%sの保存期間（retention）に期間がありません。period: 6m や period: 5y のように書いてください。",
				"%s retention has no period; write period: e.g. 6m or 5y", name)
		}
		if r.After.ID == "" {
			v.errorf(r.Pos, "%sの保存期間（retention）に起算点がありません。after: acquired か、「events:」で宣言した起算事由を書いてください。",
				"%s retention does not say from when the period counts; write after: acquired, or an event declared under events:", name)
		} else {
			v.refs([]Ref{r.After}, events, kindEvent, "events:")
		}
	}
	if c.Storage.Place.Empty() {
		v.errorf(c.Pos, "%sに保管場所がありません。storage: {place: …, method: …} を書いてください（JIS Q 15001 A.3.3.1）。",
			"%s has no storage place; write storage: {place: …, method: …} (保管場所, JIS Q 15001 A.3.3.1)", name)
	}
	if c.Storage.Medium != "" {
		v.oneOf(c.Storage.Pos, tr{"storage.medium（保管媒体）", "storage medium"}, c.Storage.Medium, Media)
	}

	items := map[string]Pos{}
	ids(v, kindItem, c.Items, func(it *Item) (string, Pos) { return it.ID, it.Pos })
	hasMyNumber, hasSensitive := false, false
	for _, it := range c.Items {
		items[it.ID] = it.Pos
		v.requireText(it.Name, it.Pos, trf("項目「%s」の「name」", "item %q name", it.ID),
			tr{"項目の名称を書いてください（例: 氏名）。", "write the item's name, e.g. 氏名"})
		if it.Type == "" {
			v.errorf(it.Pos, "項目「%s」に type がありません。type: text（または %s）を書いてください。",
				"item %q has no type; write type: text (or %s)", it.ID, typeList())
		} else if !slices.Contains(ItemTypes, it.Type) {
			v.errorf(it.Pos, "項目「%s」の type「%s」は使えません。次のいずれかを指定してください: %s。",
				"item %q has unknown type %q; use one of: %s", it.ID, string(it.Type), typeList())
		}
		for _, p := range it.Purposes {
			if _, ok := catPurposes[p.ID]; !ok {
				v.errorf(p.Pos, "項目「%[1]s」に利用目的「%[2]s」が書かれていますが、%[3]sはこの利用目的を宣言していません。種別の purposes に加えるか、ここから削除してください。",
					"item %q names purpose %q, which %s does not declare; add it to the category's purposes or remove it here", it.ID, p.ID, name)
			}
		}
		if r := it.Retention; r != nil {
			if r.Period.IsZero() {
				v.errorf(r.Pos, "項目「%s」の保存期間（retention）に期間がありません。period: 1y のように書いてください。",
					"item %q retention has no period; write period: e.g. 1y", it.ID)
			}
			if r.After.ID == "" {
				v.errorf(r.Pos, "項目「%s」の保存期間（retention）に起算点がありません。after: acquired か、「events:」で宣言した起算事由を書いてください。",
					"item %q retention does not say from when the period counts; write after: acquired, or an event declared under events:", it.ID)
			} else {
				v.refs([]Ref{r.After}, events, kindEvent, "events:")
			}
		}
		if it.MyNumber() {
			hasMyNumber = true
			// 番号法 Art. 9, 19, 20: individual numbers serve only their
			// legal purposes; the item must be narrowed to them.
			if len(it.Purposes) == 0 {
				v.errorf(it.Pos, "項目「%s」は個人番号を扱いますが、法定の利用目的に限定されていません。purposes: に、mynumber: tax、social_security、disaster のいずれかを持つ利用目的だけを書いてください（番号法第9条）。",
					"item %q holds individual numbers but does not limit them to their legal purposes; add purposes: naming only purposes with mynumber: tax, social_security or disaster (番号法 Art. 9)", it.ID)
			}
			for _, p := range it.Purposes {
				if pp := purposeByID[p.ID]; pp != nil && pp.MyNumber == "" {
					v.errorf(p.Pos, "利用目的「%s」には個人番号の利用根拠（mynumber）がないため、個人番号をこの目的に利用できません。mynumber: tax、social_security、disaster のいずれかを持つ利用目的だけを使ってください（番号法第9条）。",
						"individual numbers may not be used for purpose %q: it has no My Number basis; use only purposes with mynumber: tax, social_security or disaster (番号法 Art. 9)", p.ID)
				}
			}
			if it.Retention == nil {
				v.warnf(it.Pos, "項目「%s」は個人番号ですが、項目ごとの保存期間（retention）がないため、記録全体の保存期間が満了するまで残ります。個人番号は必要な手続を終えたら速やかに削除します。retention: {period: 1y, after: employment_ended} のように書いてください（番号法第20条）。",
					"item %q holds individual numbers but has no retention of its own, so they stay until the whole record's period ends; individual numbers are deleted as soon as the procedures that need them are done: add e.g. retention: {period: 1y, after: employment_ended} (番号法 Art. 20)", it.ID)
			}
			if it.Sensitive {
				v.warnf(it.Pos, "項目「%s」は個人番号ですが、sensitive（要配慮個人情報）とされています。個人番号はそれだけでは要配慮個人情報に当たりません。",
					"item %q is marked sensitive and is an individual number; individual numbers are not special-care information by themselves", it.ID)
			}
		}
		if it.Sensitive {
			hasSensitive = true
			// APPI Art. 18(1), 20(2): special-care information is acquired
			// with consent to the purposes stated then. Access decisions
			// (package access) let it be used only for the purposes its
			// item names, so an item that names none is out of every use.
			if !it.MyNumber() && len(it.Purposes) == 0 {
				v.warnf(it.Pos, "項目「%s」は要配慮個人情報ですが、利用目的が書かれていません。要配慮個人情報は項目に書かれた利用目的にだけ利用できるため、このままではどの業務でも利用できません。本人の同意を得て取得したときの利用目的を purposes: に書いてください（個人情報保護法第18条第1項、第20条第2項）。",
					"item %q is special-care information but names no purposes; special-care information may be used only for the purposes its item names, so as it stands no use can reach it: add purposes: listing those the principal consented to when it was acquired (APPI Art. 18(1), 20(2))", it.ID)
			}
		}
	}
	// APPI Art. 27(2): special-care information may not be provided by
	// opt-out, and neither may individual numbers (番号法 Art. 19).
	if hasSensitive || hasMyNumber {
		for _, r := range c.Recipients {
			if rec := recipientByID[r.ID]; rec != nil && rec.Basis == BasisOptOut {
				v.errorf(r.Pos, "%[1]sには要配慮個人情報か個人番号の項目があるため、提供先「%[2]s」にオプトアウトで提供することはできません（個人情報保護法第27条第2項）。basis: consent にするか、この提供先を削除してください。",
					"%s holds special-care or individual-number items and may not be provided to %q by opt-out (APPI Art. 27(2)); use basis: consent or remove the recipient", name, r.ID)
			}
		}
	}

	for _, a := range c.Access {
		if a.Role == "" {
			v.errorf(a.Pos, "%[1]sのアクセス権（access）に role がありません。role: に次のいずれかを書いてください: %[2]s。",
				"an access rule of %s names no role; write role: one of %s", name, strings.Join(Roles, ", "))
		} else {
			v.oneOf(a.Pos, kindRole, a.Role, Roles)
		}
		if len(a.Purposes) == 0 {
			v.errorf(a.Pos, "%[2]sの role「%[1]s」のアクセス権に利用目的がありません。この役割がこの種別を利用してよい利用目的を purposes に書いてください。",
				"the access rule for role %q in %s names no purposes; list the purposes the role may use the category for", a.Role, name)
		}
		for _, p := range a.Purposes {
			if _, ok := purposes[p.ID]; !ok {
				v.refs([]Ref{p}, purposes, kindPurpose, "purposes:")
			} else if _, ok := catPurposes[p.ID]; !ok {
				v.errorf(p.Pos, "role「%[1]s」に%[3]sの利用目的として「%[2]s」が与えられていますが、この種別はこの利用目的を宣言していません。種別の purposes に「%[4]s」を加えるか、ここから削除してください。",
					"role %q is given purpose %q for %s, which the category does not declare; add %q to the category's purposes or remove it here", a.Role, p.ID, name, p.ID)
			}
		}
		for _, it := range a.Items {
			if _, ok := items[it.ID]; !ok {
				v.errorf(it.Pos, "項目「%[1]s」は%[2]sの項目ではありません。この種別の項目の id を使ってください。",
					"item %q is not an item of %s; use one of its item ids", it.ID, name)
			}
		}
	}
}

func typeList() string {
	s := make([]string, len(ItemTypes))
	for i, t := range ItemTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (v *validator) foreign(f *Foreign) {
	if f == nil {
		return
	}
	v.requireText(f.Country, f.Pos, tr{"「foreign.country」", "foreign.country"},
		tr{"国名を書いてください（個人情報保護法第28条、施行規則第17条第2項第1号）。", "name the country (APPI Art. 28, 則17(2)(1))"})
	if f.Basis == "" {
		v.errorf(f.Pos, "「foreign.basis」がありません。eu_uk、equivalent_system（施行規則第16条）、consent（個人情報保護法第28条）のいずれかを書いてください。",
			"foreign.basis is missing; write eu_uk, equivalent_system (則16) or consent (APPI Art. 28)")
	} else {
		v.oneOf(f.Pos, kindForeignBasis, f.Basis, ForeignBases)
	}
	if f.Basis == "consent" {
		// 則17(2): before consent the principal must be told the country,
		// its regime and the recipient's measures.
		v.requireText(f.Regime, f.Pos, tr{"「foreign.regime」", "foreign.regime"},
			tr{"その国の個人情報の保護に関する制度を書いてください（施行規則第17条第2項第2号）。これがないと同意は有効になりません。",
				"describe the country's personal-information regime (則17(2)(2)); consent without it is not valid"})
		v.requireText(f.Measures, f.Pos, tr{"「foreign.measures」", "foreign.measures"},
			tr{"提供先が講じる個人情報の保護のための措置を書いてください（施行規則第17条第2項第3号）。", "describe the recipient's protection measures (則17(2)(3))"})
	}
}

func (v *validator) jointUse(j *JointUse, categories map[string]Pos) {
	name := trf("共同利用「%s」", "joint use %q", j.ID)
	part := func(key string) tr { return trf("共同利用「%s」の「%s」", "joint use %q %s", j.ID, key) }
	// APPI Art. 27(5)(3): the five items.
	v.requireText(j.Items, j.Pos, part("items"),
		tr{"共同して利用される個人データの項目を書いてください。", "list the items used jointly (共同して利用される個人データの項目)"})
	v.requireText(j.Users, j.Pos, part("users"),
		tr{"共同して利用する者の範囲を書いてください。", "describe the scope of joint users (共同して利用する者の範囲)"})
	v.requireText(j.Purposes, j.Pos, part("purposes"),
		tr{"利用する者の利用目的を書いてください。", "write the joint users' purposes (利用する者の利用目的)"})
	if j.Responsible == nil {
		v.errorf(j.Pos, "%sの「responsible」がありません。管理について責任を有する者を name（名称）、address（住所）、representative（代表者）で書いてください（個人情報保護法第27条第5項第3号）。",
			"%s responsible is missing; name the party responsible for its management with name, address and representative (APPI Art. 27(5)(3))", name)
	} else {
		r := j.Responsible
		v.requireText(r.Name, r.Pos, part("responsible.name"),
			tr{"管理について責任を有する者の名称を書いてください。", "write the responsible party's name"})
		v.requireText(r.Address, r.Pos, part("responsible.address"),
			tr{"管理について責任を有する者の住所を書いてください。", "write the responsible party's address"})
		v.requireText(r.Representative, r.Pos, part("responsible.representative"),
			tr{"管理について責任を有する者の代表者を書いてください。", "write the responsible party's representative"})
	}
	// The first item, the fact of joint use (共同利用をする旨), is the entry
	// itself; it means nothing unless it says whose data is used jointly.
	if len(j.Categories) == 0 {
		v.errorf(j.Pos, "%sに種別（categories）がありません。共同利用する個人データの種別を書いてください（例: categories: [job_seeker]。共同利用をする旨、個人情報保護法第27条第5項第3号）。",
			"%s names no categories; list the categories whose personal data is used jointly, e.g. categories: [job_seeker] (共同利用をする旨, APPI Art. 27(5)(3))", name)
	}
	v.refs(j.Categories, categories, kindCategory, "categories:")
}

func (v *validator) provision(p Provision) {
	for _, e := range p.Exceptions {
		v.oneOf(p.Pos, tr{"第三者提供の例外（provision.exceptions）", "provision exception"}, e, Exceptions)
	}
	for _, e := range p.OutOfPurposeExceptions {
		v.oneOf(p.Pos, tr{"目的外利用の例外（provision.out_of_purpose_exceptions）", "out-of-purpose exception"}, e, Exceptions)
	}
}

func (v *validator) desk(d Desk, root Pos) {
	p := d.Pos
	if p.Line == 0 {
		p = root
	}
	v.requireText(d.Name, p, tr{"「complaint_desk.name」", "complaint_desk.name"},
		tr{"苦情・相談窓口の名称を書いてください（個人情報保護法第32条第1項第4号）。", "name the complaint desk (苦情・相談窓口, APPI Art. 32(1)(4))"})
	if len(d.Phone) == 0 && d.Email == "" && d.Address.Empty() {
		v.errorf(p, "「complaint_desk」に連絡先がありません。phone、email、address のいずれかを書いてください。",
			"complaint_desk gives no way to reach it; add phone, email or address")
	}
	if !d.Hours.Open.Set || !d.Hours.Close.Set {
		v.errorf(p, "「complaint_desk.hours」には open と close が必要です（例: hours: {open: \"09:00\", close: \"17:00\", days: [mon, tue, wed, thu, fri]}）。",
			"complaint_desk.hours needs open and close, e.g. hours: {open: \"09:00\", close: \"17:00\", days: [mon, tue, wed, thu, fri]}")
	} else if d.Hours.Open.Minutes >= d.Hours.Close.Minutes {
		v.errorf(d.Hours.Pos, "「complaint_desk.hours」の受付開始が %s、終了が %s になっています。close は open より後の時刻にしてください。",
			"complaint_desk.hours opens at %s but closes at %s; close must be later than open", d.Hours.Open, d.Hours.Close)
	}
	for _, day := range d.Hours.Days {
		v.oneOf(d.Hours.Pos, kindWeekday, day, Weekdays)
	}
}

var monthDayRE = regexp.MustCompile(`^(\d\d)-(\d\d)\.\.(\d\d)-(\d\d)$`)

func (v *validator) calendar(c Calendar) {
	if c.YearEnd != "" && !monthDayRE.MatchString(c.YearEnd) {
		v.errorf(c.Pos, "「calendar.year_end」の「%s」は MM-DD..MM-DD の形式で書いてください（例: 12-29..01-03）。",
			"calendar.year_end %q must be MM-DD..MM-DD, e.g. 12-29..01-03", c.YearEnd)
	}
}

func (v *validator) requests(r RequestRules, root Pos) {
	p := r.Pos
	if p.Line == 0 {
		p = root
	}
	for _, t := range r.Types {
		v.oneOf(p, kindRequestType, t, RequestTypes)
	}
	for _, c := range r.Channels {
		v.oneOf(p, kindRequestChan, c, Channels)
	}
	for _, a := range r.Agents {
		v.oneOf(p, kindAgent, a, AgentKinds)
	}
	for _, m := range r.ResponseMethods {
		v.oneOf(p, kindResponse, m, ResponseMethods)
	}
	for t, f := range r.Fees {
		if !slices.Contains(RequestTypes, t) {
			v.errorf(f.Pos, "fees の「%s」は請求の種類ではありません。次のいずれかを指定してください: %s。",
				"fees: %q is not a request type; use one of: %s", t, strings.Join(RequestTypes, ", "))
			continue
		}
		// APPI Art. 38(1): only purpose notification and disclosure
		// (including provision records) may carry a fee.
		if !FeeAllowed(t) && f.Amount > 0 {
			v.errorf(f.Pos, "請求の種類「%s」には手数料を設定できません。手数料を徴収できるのは notify_purpose（利用目的の通知）、disclose（開示）、disclose_records（第三者提供記録の開示）だけです（個人情報保護法第38条第1項）。この手数料を削除してください。",
				"request type %q may not carry a fee: APPI Art. 38(1) allows fees only for notify_purpose, disclose and disclose_records; remove this fee", t)
		}
		if f.Amount < 0 {
			v.errorf(f.Pos, "「%s」の手数料が負の値になっています。金額を円で書いてください（例: amount: 1000）。",
				"fee for %q is negative; write the amount in yen, e.g. amount: 1000", t)
		}
	}
	for _, d := range append(append([]string{}, r.IDDocuments.Photo...), r.IDDocuments.NonPhoto...) {
		v.oneOf(r.IDDocuments.Pos, kindIDDocument, d, IDDocumentKinds)
	}
	for _, m := range r.FeePayment {
		v.oneOf(p, kindFeePayment, m, FeePaymentMethods)
	}
	if r.TargetDays < 0 || r.TargetDays > 60 {
		v.errorf(p, "「requests.target_days」は 1〜60 の営業日数にしてください（省略時は10営業日）。",
			"requests.target_days must be 1 to 60 business days (10 when left out)")
	}
	if r.IDCopyDays < 0 || r.IDCopyDays > 3650 {
		v.errorf(p, "「requests.id_copy_days」は 1〜3650 の日数にしてください（省略時は30日）。",
			"requests.id_copy_days must be 1 to 3650 days (30 when left out)")
	}
	if r.AnswerAfterPayment {
		charged := false
		for _, f := range r.Fees {
			charged = charged || f.Amount > 0
		}
		if !charged {
			v.warnf(p, "「requests.answer_after_payment」が設定されていますが、手数料を徴収していません。fees: を書くか、answer_after_payment を削除してください。",
				"requests.answer_after_payment is set but no fee is charged; add fees: or remove answer_after_payment")
		}
	}
	for i, m := range r.Verification {
		what := fmt.Sprintf("requests.verification[%d]", i+1)
		if m.Channel == "" {
			v.errorf(m.Pos, "「%s」に channel がありません。channel: に次のいずれかを書いてください: %s。",
				"%s names no channel; write channel: one of %s", what, strings.Join(Channels, ", "))
		} else {
			v.oneOf(m.Pos, kindVerifyChan, m.Channel, Channels)
		}
		if m.Requester != "" {
			v.oneOf(m.Pos, kindVerifyReq, m.Requester, Requesters)
		}
		for _, d := range append(append([]string{}, m.Documents...), m.Plus...) {
			v.oneOf(m.Pos, kindIDDocument, d, IDDocumentKinds)
		}
		// APPI Art. 37(1): the method must be stated so the principal can follow it.
		if len(m.Documents) == 0 && m.Description.Empty() {
			v.errorf(m.Pos, "「%s」には、確認する書類も確認の方法も書かれていません。documents:（例: [driver_licence, passport]）か description を書いてください。",
				"%s says neither which documents are checked nor how; add documents: (e.g. [driver_licence, passport]) or a description", what)
		}
	}
	kinds := make([]string, 0, len(r.AgentEvidence))
	for k := range r.AgentEvidence {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		e := r.AgentEvidence[k]
		ep := e.Pos
		if ep.Line == 0 {
			ep = p
		}
		switch {
		case !slices.Contains(AgentKinds, k):
			v.errorf(ep, "agent_evidence の「%s」は代理人の種類ではありません。次のいずれかを指定してください: %s。",
				"agent_evidence: %q is not an agent kind; use one of: %s", k, strings.Join(AgentKinds, ", "))
		case !slices.Contains(r.Agents, k):
			v.errorf(ep, "agent_evidence に「%[1]s」の書類が書かれていますが、requests.agents はこの種類の代理人を受け付けていません。agents に %[2]s を加えるか、この項目を削除してください。",
				"agent_evidence gives evidence for %q, but requests.agents does not accept that kind of agent; add %s to agents or remove this entry", k, k)
		case e.Empty():
			v.errorf(ep, "「agent_evidence.%s」が空です。代理人の権限を確認する書類を書いてください（例: 委任状）。",
				"agent_evidence.%s is empty; write the documents that prove the agent's authority, e.g. 委任状", k)
		}
	}
}
