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

func (v *validator) errorf(p Pos, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) warnf(p Pos, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Pos: p, Message: fmt.Sprintf(format, args...), Warning: true})
}

func (v *validator) oneOf(p Pos, what, got string, allowed []string) {
	if !slices.Contains(allowed, got) {
		v.errorf(p, "%s %q is not known; use one of: %s", what, got, strings.Join(allowed, ", "))
	}
}

func (v *validator) requireText(t Text, parent Pos, what, hint string) {
	if t.Empty() {
		p := t.Pos
		if p.Line == 0 {
			p = parent
		}
		v.errorf(p, "%s is missing; %s", what, hint)
	}
}

// ids checks that each entry has a well-formed, unique ID and returns the set.
func ids[T any](v *validator, kind string, list []*T, get func(*T) (string, Pos)) map[string]Pos {
	seen := map[string]Pos{}
	for _, e := range list {
		id, p := get(e)
		switch {
		case id == "":
			v.errorf(p, "this %s has no id; add \"id: \" with a short name in lower case, e.g. job_seeker", kind)
		case !idRE.MatchString(id):
			v.errorf(p, "%s id %q must be lower case letters, digits and _ , starting with a letter, e.g. job_seeker", kind, id)
		default:
			if first, dup := seen[id]; dup {
				v.errorf(p, "%s id %q is already used at line %d; give each %s its own id", kind, id, first.Line, kind)
			} else {
				seen[id] = p
			}
		}
	}
	return seen
}

func (v *validator) refs(refs []Ref, known map[string]Pos, kind, declaredIn string) {
	for _, r := range refs {
		if _, ok := known[r.ID]; !ok {
			v.errorf(r.Pos, "%s %q is used here but not declared; add it under %s or fix the spelling%s",
				kind, r.ID, declaredIn, closest(r.ID, known))
		}
	}
}

func closest(id string, known map[string]Pos) string {
	best, bestD := "", 3
	for k := range known {
		if d := editDistance(id, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Validate checks what a privacy officer gets wrong. It returns every
// problem found; a ledger with no errors among them is valid.
func Validate(file string, l *Ledger) Problems {
	v := &validator{file: file}
	root := l.Pos

	if l.Version != FormatVersion {
		v.errorf(root, "version must be %d (the ledger format this hogo reads); add \"version: %d\" at the top", FormatVersion, FormatVersion)
	}

	// APPI Art. 32(1)(1), 令10: name, address and representative.
	o := l.Organization
	op := o.Pos
	if op.Line == 0 {
		op = root
	}
	v.requireText(o.Name, op, "organization.name", "write the company's registered name (事業者の名称)")
	v.requireText(o.Address, op, "organization.address", "write the head-office address (住所)")
	v.requireText(o.Representative, op, "organization.representative", "write the representative's title and name (代表者の氏名)")
	if o.ProtectionManager.Title.Empty() && o.ProtectionManager.Name.Empty() {
		v.errorf(op, "organization.protection_manager is missing; name the protection manager (個人情報保護管理者) by title or name")
	}

	sources := ids(v, "source", l.Sources, func(s *Source) (string, Pos) { return s.ID, s.Pos })
	purposes := ids(v, "purpose", l.Purposes, func(p *Purpose) (string, Pos) { return p.ID, p.Pos })
	events := ids(v, "event", l.Events, func(e *Event) (string, Pos) { return e.ID, e.Pos })
	if _, ok := events[EventAcquired]; !ok {
		events[EventAcquired] = Pos{}
	}
	processors := ids(v, "processor", l.Processors, func(p *Processor) (string, Pos) { return p.ID, p.Pos })
	recipients := ids(v, "recipient", l.Recipients, func(r *Recipient) (string, Pos) { return r.ID, r.Pos })
	categories := ids(v, "category", l.Categories, func(c *Category) (string, Pos) { return c.ID, c.Pos })
	ids(v, "joint use", l.JointUses, func(j *JointUse) (string, Pos) { return j.ID, j.Pos })
	ids(v, "external transmission", l.ExternalTransmissions, func(e *ExternalTransmit) (string, Pos) { return e.ID, e.Pos })

	if len(l.Categories) == 0 {
		v.errorf(root, "the ledger declares no categories; add at least one under categories:")
	}

	recipientByID := map[string]*Recipient{}
	for _, r := range l.Recipients {
		recipientByID[r.ID] = r
	}
	purposeByID := map[string]*Purpose{}
	usedPurposes := map[string]bool{}
	for _, p := range l.Purposes {
		purposeByID[p.ID] = p
		v.requireText(p.Description, p.Pos, fmt.Sprintf("purpose %q description", p.ID),
			"write the purpose as it is published, e.g. お仕事のご紹介やご連絡のため")
		if p.MyNumber != "" {
			v.oneOf(p.Pos, "mynumber basis", p.MyNumber, []string{MyNumberTax, MyNumberSocialSecurity, MyNumberDisaster})
			if p.ConsentRequired {
				// 番号法 Art. 9: consent cannot widen the use of individual numbers.
				v.warnf(p.Pos, "purpose %q is a My Number purpose and needs no consent: consent can neither allow nor widen the use of individual numbers (番号法 Art. 9); remove consent_required", p.ID)
			}
		}
	}
	for _, s := range l.Sources {
		v.requireText(s.Name, s.Pos, fmt.Sprintf("source %q name", s.ID), "write how the information is obtained, e.g. Webフォームによる取得")
		// APPI Art. 30: what a third party provides is not obtained from
		// the principal directly, and the receipt must be confirmed.
		if s.Direct && !s.Provider.Empty() {
			v.errorf(s.Provider.Pos, "source %q names a provider but says direct: true; information provided by a third party is not obtained directly from the principal (APPI Art. 30): write direct: false or remove the provider", s.ID)
		}
	}
	for _, e := range l.Events {
		v.requireText(e.Name, e.Pos, fmt.Sprintf("event %q name", e.ID), "write what happens, e.g. 雇用契約の終了")
	}

	for _, c := range l.Categories {
		v.category(c, sources, purposes, purposeByID, events, processors, recipients, recipientByID, usedPurposes)
	}
	for _, p := range l.Purposes {
		if !usedPurposes[p.ID] {
			v.warnf(p.Pos, "purpose %q is declared but no category uses it; add it to a category's purposes or remove it", p.ID)
		}
	}

	for _, pr := range l.Processors {
		v.requireText(pr.Name, pr.Pos, fmt.Sprintf("processor %q name", pr.ID), "write the processor's name or kind, e.g. 給与計算代行会社")
		v.requireText(pr.Tasks, pr.Pos, fmt.Sprintf("processor %q tasks", pr.ID), "write what is entrusted, e.g. 給与計算業務")
		v.foreign(pr.Foreign)
	}
	for _, r := range l.Recipients {
		v.requireText(r.Name, r.Pos, fmt.Sprintf("recipient %q name", r.ID), "write who receives the data, e.g. 派遣先企業")
		if r.Basis == "" {
			v.errorf(r.Pos, "recipient %q has no basis; write basis: consent (本人の同意) or basis: opt_out (オプトアウト, filed with the PPC)", r.ID)
		} else {
			v.oneOf(r.Pos, "basis", r.Basis, Bases)
		}
		v.requireText(r.Items, r.Pos, fmt.Sprintf("recipient %q items", r.ID), "list the items provided, e.g. 氏名、職歴、保有資格")
		if r.RecordMethod != "" {
			// APPI Art. 29, 則19(2), 21: the record's form fixes how long it is kept.
			v.oneOf(r.Pos, "record_method", r.RecordMethod, RecordMethods)
		}
		v.foreign(r.Foreign)
	}

	for _, j := range l.JointUses {
		v.jointUse(j, categories)
	}

	v.provision(l.Provision)
	v.desk(l.ComplaintDesk, root)
	v.calendar(l.Calendar)
	if a := l.AccreditedOrganization; a != nil {
		v.requireText(a.Name, a.Pos, "accredited_organization.name", "write the accredited organisation's name (認定個人情報保護団体)")
		v.requireText(a.Desk, a.Pos, "accredited_organization.desk", "write where complaints go (苦情の解決の申出先)")
		if h := a.Hours; h != nil {
			if !h.Open.Set || !h.Close.Set {
				v.errorf(h.Pos, "accredited_organization.hours needs open and close, e.g. hours: {open: \"10:00\", close: \"16:00\", days: [mon, tue, wed, thu, fri]}")
			} else if h.Open.Minutes >= h.Close.Minutes {
				v.errorf(h.Pos, "accredited_organization.hours opens at %s but closes at %s; close must be later than open", h.Open, h.Close)
			}
			for _, day := range h.Days {
				v.oneOf(h.Pos, "weekday", day, Weekdays)
			}
		}
	}
	v.requests(l.Requests, root)

	for _, e := range l.ExternalTransmissions {
		v.requireText(e.Name, e.Pos, fmt.Sprintf("external transmission %q name", e.ID), "write the tag or SDK's name")
		v.requireText(e.Recipient, e.Pos, fmt.Sprintf("external transmission %q recipient", e.ID), "write the company that receives the information (電気通信事業法 Art. 27-12)")
		v.requireText(e.Information, e.Pos, fmt.Sprintf("external transmission %q information", e.ID), "write the information sent, without a vague 等")
		v.requireText(e.Purpose, e.Pos, fmt.Sprintf("external transmission %q purpose", e.ID), "write what the information is used for")
	}
	if a := l.Anonymized; a != nil && len(a.ItemCategories) == 0 {
		v.warnf(a.Pos, "anonymized declares no item_categories; APPI Art. 43(3) requires publishing the item categories of anonymised information once it is created")
	}
	if p := l.Pseudonymized; p != nil && len(p.Purposes) == 0 {
		v.errorf(p.Pos, "pseudonymized declares no purposes; APPI Art. 41(4) requires publishing the purposes of pseudonymised information")
	}
	for _, s := range l.Sections {
		v.requireText(s.Title, s.Pos, "section title", "give the section a heading")
	}
	for _, h := range l.History {
		if h.Date.IsZero() {
			v.errorf(h.Pos, "a history entry has no date; write date: YYYY-MM-DD")
		}
	}
	return v.problems
}

func (v *validator) category(c *Category, sources, purposes map[string]Pos, purposeByID map[string]*Purpose,
	events, processors, recipients map[string]Pos, recipientByID map[string]*Recipient, used map[string]bool) {
	name := fmt.Sprintf("category %q", c.ID)
	v.requireText(c.Name, c.Pos, name+" name", "write the category's name, e.g. 求職者")
	if c.Disclosable == nil {
		v.errorf(c.Pos, "%s does not say whether it is disclosable personal information; write disclosable: true (開示対象) or disclosable: false with non_disclosable_reason", name)
	} else if !*c.Disclosable && c.NonDisclosableReason.Empty() {
		v.errorf(c.Pos, "%s is not disclosable but gives no reason; add non_disclosable_reason, e.g. 受託業務として委託元から預かった個人情報のため", name)
	}
	if len(c.Items) == 0 {
		v.errorf(c.Pos, "%s has no items; list its items (氏名, 住所…) under items:", name)
	}
	if len(c.Sources) == 0 {
		v.errorf(c.Pos, "%s has no acquisition method; list at least one source (取得方法)", name)
	}
	if len(c.Purposes) == 0 {
		v.errorf(c.Pos, "%s has no purposes; every category needs at least one declared purpose (利用目的, APPI Art. 17)", name)
	}
	v.refs(c.Sources, sources, "source", "sources:")
	v.refs(c.Purposes, purposes, "purpose", "purposes:")
	v.refs(c.Processors, processors, "processor", "processors:")
	v.refs(c.Recipients, recipients, "recipient", "recipients:")
	catPurposes := map[string]Pos{}
	for _, r := range c.Purposes {
		if _, dup := catPurposes[r.ID]; dup {
			v.errorf(r.Pos, "purpose %q is listed twice in %s; keep one", r.ID, name)
		}
		catPurposes[r.ID] = r.Pos
		used[r.ID] = true
	}

	// Retention: every category must say how long it is kept and from when.
	if c.Retention == nil {
		v.errorf(c.Pos, "%s has no retention rule; add retention: {period: 5y, after: employment_ended} (保存期間), the period counted from an event", name)
	} else {
		r := c.Retention
		if r.Period.IsZero() {
			v.errorf(r.Pos, "%s retention has no period; write period: e.g. 6m or 5y", name)
		}
		if r.After.ID == "" {
			v.errorf(r.Pos, "%s retention does not say from when the period counts; write after: acquired, or an event declared under events:", name)
		} else {
			v.refs([]Ref{r.After}, events, "event", "events:")
		}
	}
	if c.Storage.Place.Empty() {
		v.errorf(c.Pos, "%s has no storage place; write storage: {place: …, method: …} (保管場所, JIS Q 15001 A.3.3.1)", name)
	}
	if c.Storage.Medium != "" {
		v.oneOf(c.Storage.Pos, "storage medium", c.Storage.Medium, Media)
	}

	items := map[string]Pos{}
	ids(v, "item", c.Items, func(it *Item) (string, Pos) { return it.ID, it.Pos })
	hasMyNumber, hasSensitive := false, false
	for _, it := range c.Items {
		items[it.ID] = it.Pos
		v.requireText(it.Name, it.Pos, fmt.Sprintf("item %q name", it.ID), "write the item's name, e.g. 氏名")
		if it.Type == "" {
			v.errorf(it.Pos, "item %q has no type; write type: text (or %s)", it.ID, typeList())
		} else if !slices.Contains(ItemTypes, it.Type) {
			v.errorf(it.Pos, "item %q has unknown type %q; use one of: %s", it.ID, it.Type, typeList())
		}
		for _, p := range it.Purposes {
			if _, ok := catPurposes[p.ID]; !ok {
				v.errorf(p.Pos, "item %q names purpose %q, which %s does not declare; add it to the category's purposes or remove it here", it.ID, p.ID, name)
			}
		}
		if it.MyNumber() {
			hasMyNumber = true
			// 番号法 Art. 9, 19, 20: individual numbers serve only their
			// legal purposes; the item must be narrowed to them.
			if len(it.Purposes) == 0 {
				v.errorf(it.Pos, "item %q holds individual numbers but does not limit them to their legal purposes; add purposes: naming only purposes with mynumber: tax, social_security or disaster (番号法 Art. 9)", it.ID)
			}
			for _, p := range it.Purposes {
				if pp := purposeByID[p.ID]; pp != nil && pp.MyNumber == "" {
					v.errorf(p.Pos, "individual numbers may not be used for purpose %q: it has no My Number basis; use only purposes with mynumber: tax, social_security or disaster (番号法 Art. 9)", p.ID)
				}
			}
			if it.Sensitive {
				v.warnf(it.Pos, "item %q is marked sensitive and is an individual number; individual numbers are not special-care information by themselves", it.ID)
			}
		}
		if it.Sensitive {
			hasSensitive = true
		}
	}
	// APPI Art. 27(2): special-care information may not be provided by
	// opt-out, and neither may individual numbers (番号法 Art. 19).
	if hasSensitive || hasMyNumber {
		for _, r := range c.Recipients {
			if rec := recipientByID[r.ID]; rec != nil && rec.Basis == BasisOptOut {
				v.errorf(r.Pos, "%s holds special-care or individual-number items and may not be provided to %q by opt-out (APPI Art. 27(2)); use basis: consent or remove the recipient", name, r.ID)
			}
		}
	}

	for _, a := range c.Access {
		if a.Role == "" {
			v.errorf(a.Pos, "an access rule of %s names no role; write role: one of %s", name, strings.Join(Roles, ", "))
		} else {
			v.oneOf(a.Pos, "role", a.Role, Roles)
		}
		if len(a.Purposes) == 0 {
			v.errorf(a.Pos, "the access rule for role %q in %s names no purposes; list the purposes the role may use the category for", a.Role, name)
		}
		for _, p := range a.Purposes {
			if _, ok := purposes[p.ID]; !ok {
				v.refs([]Ref{p}, purposes, "purpose", "purposes:")
			} else if _, ok := catPurposes[p.ID]; !ok {
				v.errorf(p.Pos, "role %q is given purpose %q for %s, which the category does not declare; add %q to the category's purposes or remove it here", a.Role, p.ID, name, p.ID)
			}
		}
		for _, it := range a.Items {
			if _, ok := items[it.ID]; !ok {
				v.errorf(it.Pos, "item %q is not an item of %s; use one of its item ids", it.ID, name)
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
	v.requireText(f.Country, f.Pos, "foreign.country", "name the country (APPI Art. 28, 則17(2)(1))")
	if f.Basis == "" {
		v.errorf(f.Pos, "foreign.basis is missing; write eu_uk, equivalent_system (則16) or consent (APPI Art. 28)")
	} else {
		v.oneOf(f.Pos, "foreign basis", f.Basis, ForeignBases)
	}
	if f.Basis == "consent" {
		// 則17(2): before consent the principal must be told the country,
		// its regime and the recipient's measures.
		v.requireText(f.Regime, f.Pos, "foreign.regime", "describe the country's personal-information regime (則17(2)(2)); consent without it is not valid")
		v.requireText(f.Measures, f.Pos, "foreign.measures", "describe the recipient's protection measures (則17(2)(3))")
	}
}

func (v *validator) jointUse(j *JointUse, categories map[string]Pos) {
	name := fmt.Sprintf("joint use %q", j.ID)
	// APPI Art. 27(5)(3): the five items.
	v.requireText(j.Items, j.Pos, name+" items", "list the items used jointly (共同して利用される個人データの項目)")
	v.requireText(j.Users, j.Pos, name+" users", "describe the scope of joint users (共同して利用する者の範囲)")
	v.requireText(j.Purposes, j.Pos, name+" purposes", "write the joint users' purposes (利用する者の利用目的)")
	if j.Responsible == nil {
		v.errorf(j.Pos, "%s responsible is missing; name the party responsible for its management with name, address and representative (APPI Art. 27(5)(3))", name)
	} else {
		r := j.Responsible
		v.requireText(r.Name, r.Pos, name+" responsible.name", "write the responsible party's name")
		v.requireText(r.Address, r.Pos, name+" responsible.address", "write the responsible party's address")
		v.requireText(r.Representative, r.Pos, name+" responsible.representative", "write the responsible party's representative")
	}
	// The first item, the fact of joint use (共同利用をする旨), is the entry
	// itself; it means nothing unless it says whose data is used jointly.
	if len(j.Categories) == 0 {
		v.errorf(j.Pos, "%s names no categories; list the categories whose personal data is used jointly, e.g. categories: [job_seeker] (共同利用をする旨, APPI Art. 27(5)(3))", name)
	}
	v.refs(j.Categories, categories, "category", "categories:")
}

func (v *validator) provision(p Provision) {
	for _, e := range p.Exceptions {
		v.oneOf(p.Pos, "provision exception", e, Exceptions)
	}
	for _, e := range p.OutOfPurposeExceptions {
		v.oneOf(p.Pos, "out-of-purpose exception", e, Exceptions)
	}
}

func (v *validator) desk(d Desk, root Pos) {
	p := d.Pos
	if p.Line == 0 {
		p = root
	}
	v.requireText(d.Name, p, "complaint_desk.name", "name the complaint desk (苦情・相談窓口, APPI Art. 32(1)(4))")
	if len(d.Phone) == 0 && d.Email == "" && d.Address.Empty() {
		v.errorf(p, "complaint_desk gives no way to reach it; add phone, email or address")
	}
	if !d.Hours.Open.Set || !d.Hours.Close.Set {
		v.errorf(p, "complaint_desk.hours needs open and close, e.g. hours: {open: \"09:00\", close: \"17:00\", days: [mon, tue, wed, thu, fri]}")
	} else if d.Hours.Open.Minutes >= d.Hours.Close.Minutes {
		v.errorf(d.Hours.Pos, "complaint_desk.hours opens at %s but closes at %s; close must be later than open", d.Hours.Open, d.Hours.Close)
	}
	for _, day := range d.Hours.Days {
		v.oneOf(d.Hours.Pos, "weekday", day, Weekdays)
	}
}

var monthDayRE = regexp.MustCompile(`^(\d\d)-(\d\d)\.\.(\d\d)-(\d\d)$`)

func (v *validator) calendar(c Calendar) {
	if c.YearEnd != "" && !monthDayRE.MatchString(c.YearEnd) {
		v.errorf(c.Pos, "calendar.year_end %q must be MM-DD..MM-DD, e.g. 12-29..01-03", c.YearEnd)
	}
}

func (v *validator) requests(r RequestRules, root Pos) {
	p := r.Pos
	if p.Line == 0 {
		p = root
	}
	for _, t := range r.Types {
		v.oneOf(p, "request type", t, RequestTypes)
	}
	for _, c := range r.Channels {
		v.oneOf(p, "request channel", c, Channels)
	}
	for _, a := range r.Agents {
		v.oneOf(p, "agent kind", a, AgentKinds)
	}
	for _, m := range r.ResponseMethods {
		v.oneOf(p, "response method", m, ResponseMethods)
	}
	for t, f := range r.Fees {
		if !slices.Contains(RequestTypes, t) {
			v.errorf(f.Pos, "fees: %q is not a request type; use one of: %s", t, strings.Join(RequestTypes, ", "))
			continue
		}
		// APPI Art. 38(1): only purpose notification and disclosure
		// (including provision records) may carry a fee.
		if !FeeAllowed(t) && f.Amount > 0 {
			v.errorf(f.Pos, "request type %q may not carry a fee: APPI Art. 38(1) allows fees only for notify_purpose, disclose and disclose_records; remove this fee", t)
		}
		if f.Amount < 0 {
			v.errorf(f.Pos, "fee for %q is negative; write the amount in yen, e.g. amount: 1000", t)
		}
	}
	for _, d := range append(append([]string{}, r.IDDocuments.Photo...), r.IDDocuments.NonPhoto...) {
		v.oneOf(r.IDDocuments.Pos, "identity document", d, IDDocumentKinds)
	}
	for _, m := range r.FeePayment {
		v.oneOf(p, "fee payment method", m, FeePaymentMethods)
	}
	if r.AnswerAfterPayment {
		charged := false
		for _, f := range r.Fees {
			charged = charged || f.Amount > 0
		}
		if !charged {
			v.warnf(p, "requests.answer_after_payment is set but no fee is charged; add fees: or remove answer_after_payment")
		}
	}
	for i, m := range r.Verification {
		what := fmt.Sprintf("requests.verification[%d]", i+1)
		if m.Channel == "" {
			v.errorf(m.Pos, "%s names no channel; write channel: one of %s", what, strings.Join(Channels, ", "))
		} else {
			v.oneOf(m.Pos, "verification channel", m.Channel, Channels)
		}
		if m.Requester != "" {
			v.oneOf(m.Pos, "verification requester", m.Requester, Requesters)
		}
		for _, d := range append(append([]string{}, m.Documents...), m.Plus...) {
			v.oneOf(m.Pos, "identity document", d, IDDocumentKinds)
		}
		// APPI Art. 37(1): the method must be stated so the principal can follow it.
		if len(m.Documents) == 0 && m.Description.Empty() {
			v.errorf(m.Pos, "%s says neither which documents are checked nor how; add documents: (e.g. [driver_licence, passport]) or a description", what)
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
			v.errorf(ep, "agent_evidence: %q is not an agent kind; use one of: %s", k, strings.Join(AgentKinds, ", "))
		case !slices.Contains(r.Agents, k):
			v.errorf(ep, "agent_evidence gives evidence for %q, but requests.agents does not accept that kind of agent; add %s to agents or remove this entry", k, k)
		case e.Empty():
			v.errorf(ep, "agent_evidence.%s is empty; write the documents that prove the agent's authority, e.g. 委任状", k)
		}
	}
}
