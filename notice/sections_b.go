package notice

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hogo.example.jp/hogo/ledger"
)

// The second half of the notice: how personal data leaves the company
// (provision, abroad, entrustment, joint use), how long it stays, what
// happens on a breach, the processed forms of it, external transmissions,
// the ledger's own sections and the history. Each builder returns nil
// when the ledger says nothing for its section, and never states a fact
// the ledger does not hold: where the law itself fixes what happens (the
// report of Art. 26, the notice of a change of joint use), the notice
// says so as the law's rule.

func init() {
	register("provision", bProvision)
	register("foreign", bForeign)
	register("entrustment", bEntrustment)
	register("joint_use", bJointUse)
	register("retention", bRetention)
	register("breach", bBreach)
	register("anonymized", bAnonymized)
	register("pseudonymized", bPseudonymized)
	register("personally_referable", bPersonallyReferable)
	register("statistics", bStatistics)
	register("external_transmission", bExternalTransmission)
	register("sections", bFreeSections)
	register("history", bHistory)
}

// bExceptionWords are the cases of APPI Art. 27(1) (and the published
// special-care information of Art. 20(2), which ledgers following seed 000
// list with them) in the words of the Act.
var bExceptionWords = map[string][2]string{
	ledger.ExceptionLaw: {"法令に基づく場合", "When required by law"},
	ledger.ExceptionLife: {"人の生命、身体又は財産の保護のために必要がある場合であって、ご本人の同意を得ることが困難であるとき",
		"When it is necessary to protect a person's life, body or property and it is difficult to obtain the principal's consent"},
	ledger.ExceptionPublicHealth: {"公衆衛生の向上又は児童の健全な育成の推進のために特に必要がある場合であって、ご本人の同意を得ることが困難であるとき",
		"When it is especially necessary to improve public health or to promote the sound growth of children and it is difficult to obtain the principal's consent"},
	ledger.ExceptionStateAffairs: {"国の機関若しくは地方公共団体又はその委託を受けた者が法令の定める事務を遂行することに対して協力する必要がある場合であって、ご本人の同意を得ることにより当該事務の遂行に支障を及ぼすおそれがあるとき",
		"When we need to cooperate with a national or local government body, or someone it has entrusted, in duties prescribed by law, and asking for the principal's consent might impede those duties"},
	ledger.ExceptionAcademic: {"学術研究機関等が、学術研究の成果の公表若しくは教授のため、又は学術研究目的で個人データを取り扱う必要がある場合であって、個人の権利利益を不当に侵害するおそれがないとき",
		"When an academic research institution or similar body needs the data to publish or teach research results, or for academic research, and this does not unjustly infringe anyone's rights and interests"},
	ledger.ExceptionPublishedSpecial: {"ご本人、国の機関、地方公共団体、報道機関等により公開されている要配慮個人情報その他法令で定める要配慮個人情報である場合",
		"When the data is special-care information made public by the principal, a national or local government body, the press or others the law names, or other special-care information the law specifies"},
}

// bBasisWords are the grounds of a transfer abroad (APPI Art. 28(1), 則16).
var bBasisWords = map[string][2]string{
	"eu_uk": {"個人の権利利益を保護する上で我が国と同等の水準にあると認められる個人情報保護制度を有している外国として個人情報保護委員会が定める国（EU及び英国）にある第三者への提供であること",
		"The country is one the Personal Information Protection Commission recognises as protecting personal information at a level equivalent to Japan (the EU and the United Kingdom)"},
	"equivalent_system": {"提供先が、個人情報取扱事業者が講ずべき措置に相当する措置を継続的に講ずるために必要な体制を整備していること（個人情報保護法施行規則第16条）",
		"The recipient maintains a system for continuously taking measures equivalent to those the Act requires of us (Enforcement Rules Art. 16)"},
	ledger.BasisConsent: {"ご本人の同意", "The principal's consent"},
}

// bSentence reports whether a Japanese text is a whole sentence rather
// than a phrase to be listed ("本人の同意がある場合").
func bSentence(ja string) bool {
	ja = strings.TrimSpace(ja)
	return strings.HasSuffix(ja, "。") || strings.HasSuffix(ja, "。）") || strings.HasSuffix(ja, "。」")
}

// bLeadsIn reports whether a Japanese statement introduces the list that
// follows it (…次の場合は…), so that the list needs no words of ours.
func bLeadsIn(ja string) bool {
	return strings.Contains(ja, "次の") || strings.Contains(ja, "次に") || strings.Contains(ja, "以下の") || strings.Contains(ja, "下記")
}

// bJoin joins phrases as a list in the notice's language.
func (c *Ctx) bJoin(parts []string) string {
	return strings.Join(parts, c.T("、", ", "))
}

// bAll is the notice-language texts of ts that are not empty.
func (c *Ctx) bAll(ts []ledger.Text) []string {
	var out []string
	for _, t := range ts {
		if s := c.In(t); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// bParas makes one paragraph of each text.
func bParas(texts []string) []Block {
	var out []Block
	for _, s := range texts {
		out = append(out, Para{s})
	}
	return out
}

// bFacts keeps the rows whose text is not empty.
func bFacts(rows ...Fact) Facts {
	var f Facts
	for _, r := range rows {
		if strings.TrimSpace(r.Text) != "" {
			f.Rows = append(f.Rows, r)
		}
	}
	return f
}

// bTable drops the columns that are empty in every row, so that a ledger
// that does not say how data is provided does not publish an empty column.
func bTable(header []string, rows [][]string) Table {
	keep := make([]bool, len(header))
	keep[0] = true
	for _, r := range rows {
		for i, cell := range r {
			if strings.TrimSpace(cell) != "" {
				keep[i] = true
			}
		}
	}
	pick := func(r []string) []string {
		var out []string
		for i, cell := range r {
			if keep[i] {
				out = append(out, cell)
			}
		}
		return out
	}
	t := Table{Header: pick(header)}
	for _, r := range rows {
		t.Rows = append(t.Rows, pick(r))
	}
	return t
}

// bProvidedBy lists the categories whose data goes to recipient id.
func bProvidedBy(l *ledger.Ledger, id string) []*ledger.Category {
	var out []*ledger.Category
	for _, cat := range l.Categories {
		if slices.Contains(ledger.IDs(cat.Recipients), id) {
			out = append(out, cat)
		}
	}
	return out
}

// bSeeForeign points from a table to the section on parties abroad,
// naming those of the table that are abroad.
func (c *Ctx) bSeeForeign(names []string, recipients bool) Block {
	if recipients {
		return Para{c.T("外国にある提供先（"+c.bJoin(names)+"）については、「外国にある第三者への提供」もご覧ください。",
			"For recipients in foreign countries ("+strings.Join(names, "; ")+"), see also \"Provision to third parties in foreign countries\".")}
	}
	return Para{c.T("外国にある委託先（"+c.bJoin(names)+"）については、「外国にある第三者への提供」もご覧ください。",
		"For processors in foreign countries ("+strings.Join(names, "; ")+"), see also \"Provision to third parties in foreign countries\".")}
}

// bDesk names the complaint desk with its ways of contact, for the opt-out
// item "how requests are received" (APPI Art. 27(2)(7)).
func (c *Ctx) bDesk() string {
	d := c.L.ComplaintDesk
	name := c.In(d.Name)
	if name == "" {
		return ""
	}
	var ways []string
	if len(d.Phone) > 0 {
		ways = append(ways, c.T("電話 ", "telephone ")+strings.Join(d.Phone, c.T("・", " or ")))
	}
	if d.Fax != "" {
		ways = append(ways, c.T("FAX ", "fax ")+d.Fax)
	}
	if d.Email != "" {
		ways = append(ways, c.T("電子メール ", "e-mail ")+d.Email)
	}
	if a := c.In(d.Address); a != "" {
		ways = append(ways, c.T("郵送 ", "post to ")+a)
	}
	if len(ways) == 0 {
		return c.T("「"+name+"」で受け付けます。", "Requests are received by our "+name+".")
	}
	return c.T("「"+name+"」（"+strings.Join(ways, "、")+"）で受け付けます。",
		"Requests are received by our "+name+" ("+strings.Join(ways, "; ")+").")
}

// bProvision: 第三者提供 (APPI Art. 27). The policy, the cases of Art.
// 27(1) relied on, the recipients, and for recipients by opt-out the
// items Art. 27(2) requires to be made known.
func bProvision(c *Ctx) *Section {
	l := c.L
	p := l.Provision
	var optOut []*ledger.Recipient
	for _, r := range l.Recipients {
		if r.Basis == ledger.BasisOptOut {
			optOut = append(optOut, r)
		}
	}
	if p.Policy.Empty() && len(p.Exceptions) == 0 && len(p.Notes) == 0 && len(l.Recipients) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("個人データの第三者提供", "Provision of personal data to third parties")}

	// The cases in which data goes out without consent: the Act's, then
	// the ledger's notes that are cases rather than sentences.
	var cases []string
	for _, code := range ledger.Exceptions {
		if w, ok := bExceptionWords[code]; ok && slices.Contains(p.Exceptions, code) {
			cases = append(cases, c.T(w[0], w[1]))
		}
	}
	var notes []string
	for _, n := range p.Notes {
		if text := c.In(n); text != "" {
			if bSentence(n.Ja) {
				notes = append(notes, text)
			} else {
				cases = append(cases, text)
			}
		}
	}
	if len(optOut) > 0 {
		cases = append(cases, c.T("個人情報保護法第27条第2項に定める手続（オプトアウト）により提供する場合（下記「オプトアウトによる提供」をご覧ください）",
			"When we provide data by the opt-out procedure of APPI Art. 27(2) (see \"Provision by opt-out\" below)"))
	}
	switch policy := c.In(p.Policy); {
	case policy != "":
		s.Blocks = append(s.Blocks, Para{policy})
		if len(cases) > 0 && !bLeadsIn(p.Policy.Ja) {
			s.Blocks = append(s.Blocks, Para{c.T("ただし、次の場合は、この限りではありません。",
				"This does not apply in the following cases.")})
		}
	case len(cases) > 0:
		s.Blocks = append(s.Blocks, Para{c.T("当社は、次の場合を除き、あらかじめご本人の同意を得ないで個人データを第三者に提供することはありません。",
			"We do not provide personal data to third parties without the principal's prior consent, except in the following cases.")})
	default:
		s.Blocks = append(s.Blocks, Para{c.T("当社は、法令で認められる場合を除き、あらかじめご本人の同意を得ないで個人データを第三者に提供することはありません。",
			"We do not provide personal data to third parties without the principal's prior consent, except as the law allows.")})
	}
	if len(cases) > 0 {
		s.Blocks = append(s.Blocks, List{Ordered: true, Items: cases})
	}
	s.Blocks = append(s.Blocks, bParas(notes)...)

	if len(l.Recipients) > 0 {
		s.Blocks = append(s.Blocks, c.bRecipients(optOut)...)
	}
	for _, r := range optOut {
		s.Subs = append(s.Subs, c.bOptOut(r))
	}
	return s
}

// bRecipients is the table of recipients and what each receives.
func (c *Ctx) bRecipients(optOut []*ledger.Recipient) []Block {
	l := c.L
	var out []Block
	mixed := len(optOut) > 0 && len(optOut) < len(l.Recipients)
	switch {
	case len(optOut) == 0:
		out = append(out, Para{c.T("当社は、ご本人の同意を得て、次の第三者に個人データを提供します。",
			"With the principal's consent, we provide personal data to the following third parties.")})
	case !mixed:
		out = append(out, Para{c.T("当社は、次の第三者に、オプトアウトの手続により個人データを提供します。",
			"We provide personal data to the following third parties by the opt-out procedure.")})
	default:
		out = append(out, Para{c.T("当社は、次の第三者に個人データを提供します。提供の根拠は、ご本人の同意又はオプトアウトの手続です。",
			"We provide personal data to the following third parties, with the principal's consent or by the opt-out procedure.")})
	}
	header := []string{c.T("提供先", "Recipient"), c.T("提供する個人データの項目", "Items provided"),
		c.T("提供先での利用目的", "Recipient's purpose"), c.T("提供の方法", "How it is provided")}
	if mixed {
		header = append(header, c.T("提供の根拠", "Basis"))
	}
	var rows [][]string
	var described, abroad []string
	for _, r := range l.Recipients {
		name := c.In(r.Name)
		row := []string{name, c.In(r.Items), c.In(r.Purpose), c.In(r.Method)}
		if mixed {
			if r.Basis == ledger.BasisOptOut {
				row = append(row, c.T("オプトアウト", "Opt-out"))
			} else {
				row = append(row, c.T("ご本人の同意", "Consent"))
			}
		}
		rows = append(rows, row)
		if d := c.In(r.Description); d != "" {
			described = append(described, name+c.T("：", ": ")+d)
		}
		if r.Foreign != nil {
			abroad = append(abroad, name)
		}
	}
	out = append(out, bTable(header, rows))
	if len(described) > 0 {
		out = append(out, List{Items: described})
	}
	if len(abroad) > 0 {
		out = append(out, c.bSeeForeign(abroad, true))
	}
	return out
}

// bOptOut publishes the items of APPI Art. 27(2) for one recipient by
// opt-out; those the ledger does not hold are left out (the check names
// them).
func (c *Ctx) bOptOut(r *ledger.Recipient) *Section {
	l := c.L
	o := l.Organization
	var sources []string
	for _, cat := range bProvidedBy(l, r.ID) {
		for _, ref := range cat.Sources {
			if src := l.Source(ref.ID); src != nil {
				if n := c.In(src.Name); n != "" && !slices.Contains(sources, n) {
					sources = append(sources, n)
				}
			}
		}
	}
	name := c.In(r.Name)
	provider := c.In(o.Name)
	if a := c.In(o.Address); a != "" {
		provider += c.T("（住所：", " (address: ") + a + c.T("）", ")")
	}
	sub := &Section{ID: "provision-optout-" + r.ID,
		Heading: c.T("オプトアウトによる提供（", "Provision by opt-out: ") + name + c.T("）", "")}
	sub.Blocks = append(sub.Blocks,
		Para{c.T("当社は、"+name+"への個人データの提供を、個人情報保護法第27条第2項に定める手続により、ご本人の同意を得ずに行います。同項に基づき、次の事項をお知らせします。",
			"We provide personal data to this recipient without the principal's consent, by the procedure of APPI Art. 27(2), and make known the following as that paragraph requires.")},
		bFacts(
			Fact{c.T("提供を行う事業者", "Provider"), provider},
			Fact{c.T("代表者", "Representative"), c.In(o.Representative)},
			Fact{c.T("利用目的", "Purpose"), c.T(name+"への提供を利用目的とします。", "Provision to this recipient is one of our purposes of use.")},
			Fact{c.T("提供する個人データの項目", "Items provided"), c.In(r.Items)},
			Fact{c.T("個人データの取得の方法", "How the data is acquired"), c.bJoin(sources)},
			Fact{c.T("提供の方法", "How it is provided"), c.In(r.Method)},
			Fact{c.T("提供の停止", "Stopping provision"), c.T("ご本人の求めに応じて、ご本人が識別される個人データの提供を停止します。",
				"At the principal's request we stop providing the data that identifies them.")},
			Fact{c.T("求めを受け付ける方法", "How requests are received"), c.bDesk()},
		))
	return sub
}

// bForeign: 外国にある第三者への提供 (APPI Art. 28, 則17(2), 18). For each
// recipient and processor abroad: the country, its regime and the measures
// the recipient takes, as the principal must be told them.
func bForeign(c *Ctx) *Section {
	l := c.L
	type party struct {
		id, name, role, address, items string
		processor                      bool
		f                              *ledger.Foreign
	}
	var parties []party
	var recipients, processors bool
	for _, r := range l.Recipients {
		if r.Foreign != nil {
			parties = append(parties, party{"foreign-recipient-" + r.ID, c.In(r.Name),
				c.T("第三者提供", "Provision to a third party"), c.In(r.Address), c.In(r.Items), false, r.Foreign})
			recipients = true
		}
	}
	for _, p := range l.Processors {
		if p.Foreign != nil {
			role := c.T("個人データの取扱いの委託", "Entrusted handling of personal data")
			if t := c.In(p.Tasks); t != "" {
				role += c.T("（"+t+"）", ": "+t)
			}
			parties = append(parties, party{"foreign-processor-" + p.ID, c.In(p.Name), role, c.In(p.Address), c.In(p.Items), true, p.Foreign})
			processors = true
		}
	}
	if len(parties) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("外国にある第三者への提供", "Provision to third parties in foreign countries")}
	var what string
	switch {
	case recipients && processors:
		what = c.T("当社は、次のとおり、外国にある第三者に個人データを提供し、又は個人データの取扱いを委託しています。",
			"We provide personal data to, or entrust its handling to, the following parties in foreign countries.")
	case recipients:
		what = c.T("当社は、次のとおり、外国にある第三者に個人データを提供します。",
			"We provide personal data to the following third parties in foreign countries.")
	default:
		what = c.T("当社は、次のとおり、外国にある事業者に個人データの取扱いを委託しています。",
			"We entrust the handling of personal data to the following parties in foreign countries.")
	}
	s.Blocks = append(s.Blocks, Para{what + c.T("個人情報保護法第28条に基づき、提供先の所在する外国の名称、その外国における個人情報の保護に関する制度及び提供先が講ずる個人情報の保護のための措置をお知らせします。",
		" As APPI Art. 28 requires, we set out the country, its system for protecting personal information and the measures the recipient takes to protect it.")})
	equivalent := false
	for _, p := range parties {
		f := p.f
		basis := ""
		if w, ok := bBasisWords[f.Basis]; ok {
			basis = c.T(w[0], w[1])
		}
		equivalent = equivalent || f.Basis == "equivalent_system"
		itemsTerm := c.T("提供する個人データの項目", "Items provided")
		if p.processor {
			itemsTerm = c.T("取り扱う個人データの項目", "Items handled")
		}
		s.Subs = append(s.Subs, &Section{ID: p.id, Heading: p.name, Blocks: []Block{bFacts(
			Fact{c.T("区分", "Relationship"), p.role},
			Fact{c.T("所在地", "Location"), p.address},
			Fact{c.T("外国の名称", "Country"), c.In(f.Country)},
			Fact{c.T("提供の根拠", "Legal basis"), basis},
			Fact{c.T("当該外国における個人情報の保護に関する制度", "The country's system for protecting personal information"), c.In(f.Regime)},
			Fact{c.T("提供先が講ずる個人情報の保護のための措置", "Measures the recipient takes to protect personal information"), c.In(f.Measures)},
			Fact{itemsTerm, p.items},
		)}})
	}
	if equivalent {
		s.Blocks = append(s.Blocks, Para{c.T("提供先が相当措置を継続的に講ずるための体制を整備していることに基づいて提供する場合は、ご本人の求めに応じて、当該措置の実施状況その他の法令で定める情報をお知らせします（個人情報保護法第28条第3項）。",
			"Where we rely on the recipient's system for taking equivalent measures, we tell the principal on request how those measures are carried out and the other information the law specifies (APPI Art. 28(3)).")})
	}
	return s
}

// bEntrustment: 業務委託 (APPI Art. 25). The policy, the supervision, and
// what is entrusted to whom.
func bEntrustment(c *Ctx) *Section {
	l := c.L
	e := l.Entrustment
	if e == nil && len(l.Processors) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("個人データの取扱いの委託", "Entrusting the handling of personal data")}
	if e == nil {
		e = &ledger.EntrustmentPolicy{}
	}
	if st := c.In(e.Statement); st != "" {
		s.Blocks = append(s.Blocks, Para{st})
	}
	if sup := c.bAll([]ledger.Text{e.Selection, e.Contract, e.Audit, e.SubEntrustment}); len(sup) > 0 {
		s.Blocks = append(s.Blocks,
			Para{c.T("委託先に対しては、個人データの安全管理が図られるよう、次のとおり必要かつ適切な監督を行います。",
				"We supervise our processors as necessary and appropriate to keep personal data secure, as follows.")},
			List{Items: sup})
	}
	if len(l.Processors) > 0 {
		s.Blocks = append(s.Blocks, Para{c.T("個人データの取扱いを委託している業務と委託先は次のとおりです。",
			"The work we entrust and the processors we entrust it to are as follows.")})
		var rows [][]string
		var abroad []string
		for _, p := range l.Processors {
			rows = append(rows, []string{c.In(p.Name), c.In(p.Tasks), c.In(p.Items)})
			if p.Foreign != nil {
				abroad = append(abroad, c.In(p.Name))
			}
		}
		s.Blocks = append(s.Blocks, bTable([]string{c.T("委託先", "Processor"), c.T("委託する業務", "Work entrusted"),
			c.T("取り扱う個人データの項目", "Items handled")}, rows))
		if len(abroad) > 0 {
			s.Blocks = append(s.Blocks, c.bSeeForeign(abroad, false))
		}
	}
	if r := c.In(e.Received); r != "" {
		s.Blocks = append(s.Blocks, Para{r})
	}
	if len(s.Blocks) == 0 {
		return nil
	}
	return s
}

// bJointUse: 共同利用 (APPI Art. 27(5)(3)). Each joint use with its five
// items: the fact, the items, the users, their purposes and the party
// responsible with its address and representative; and since when.
func bJointUse(c *Ctx) *Section {
	l := c.L
	if len(l.JointUses) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("個人データの共同利用", "Joint use of personal data")}
	s.Blocks = append(s.Blocks, Para{c.T("当社は、次のとおり、個人データを特定の者との間で共同して利用します（個人情報保護法第27条第5項第3号）。",
		"We use personal data jointly with specific parties as follows (APPI Art. 27(5)(iii)).")})
	for _, j := range l.JointUses {
		var cats []string
		for _, ref := range j.Categories {
			if cat := l.Category(ref.ID); cat != nil {
				cats = append(cats, c.In(cat.Name))
			}
		}
		heading := c.T("共同利用", "Joint use")
		if len(cats) > 0 {
			heading = c.T(c.bJoin(cats)+"の情報の共同利用", "Joint use: "+c.bJoin(cats))
		}
		var r ledger.Party
		if j.Responsible != nil {
			r = *j.Responsible
		}
		s.Subs = append(s.Subs, &Section{ID: "joint_use-" + j.ID, Heading: heading, Blocks: []Block{bFacts(
			Fact{c.T("共同利用する個人データ", "Personal data used jointly"), c.bJoin(cats)},
			Fact{c.T("共同して利用される個人データの項目", "Items used jointly"), c.In(j.Items)},
			Fact{c.T("共同して利用する者の範囲", "Who uses it jointly"), c.In(j.Users)},
			Fact{c.T("利用する者の利用目的", "Purposes of the joint users"), c.In(j.Purposes)},
			Fact{c.T("管理について責任を有する者", "Party responsible for the data"), c.In(r.Name)},
			Fact{c.T("責任を有する者の住所", "Address of the party responsible"), c.In(r.Address)},
			Fact{c.T("責任を有する者の代表者", "Representative of the party responsible"), c.In(r.Representative)},
			Fact{c.T("共同利用の開始日", "Joint use since"), c.Date(j.Since)},
		)}})
	}
	s.Blocks = append(s.Blocks, Para{c.T("共同して利用する者の利用目的又は管理について責任を有する者の氏名、名称若しくは住所若しくは代表者を変更する場合は、あらかじめご本人に通知し、又はご本人が容易に知り得る状態に置きます。",
		"Before we change the joint users' purposes or the name, address or representative of the party responsible, we notify the principals or make the change readily available to them.")})
	return s
}

// bEvent names the event a retention period counts from.
func (c *Ctx) bEvent(ref ledger.Ref) string {
	if ref.ID == ledger.EventAcquired {
		return c.T("取得した日", "Acquisition")
	}
	if e := c.L.Event(ref.ID); e != nil {
		if n := c.In(e.Name); n != "" {
			return n
		}
	}
	return ""
}

// bRetention: 保存期間と消去 (APPI Art. 22). The statement and its
// exceptions, each category's period and the event it counts from, the
// items erased on their own (individual numbers, 番号法 Art. 20) and the
// audit log's period.
func bRetention(c *Ctx) *Section {
	l := c.L
	rp := l.RetentionPolicy
	s := &Section{Heading: c.T("保存期間と消去", "Retention and erasure")}
	exceptions := c.bAll(rp.Exceptions)
	if st := c.In(rp.Statement); st != "" {
		s.Blocks = append(s.Blocks, Para{st})
		if len(exceptions) > 0 && !bLeadsIn(rp.Statement.Ja) {
			s.Blocks = append(s.Blocks, Para{c.T("ただし、次の場合は、保存期間の経過後も消去しないことがあります。",
				"We may, however, keep it beyond its period in the following cases.")})
		}
	} else if len(exceptions) > 0 {
		s.Blocks = append(s.Blocks, Para{c.T("次の場合は、保存期間の経過後も個人情報を消去しないことがあります。",
			"We may keep personal information beyond its retention period in the following cases.")})
	}
	if len(exceptions) > 0 {
		s.Blocks = append(s.Blocks, List{Ordered: true, Items: exceptions})
	}

	var rows, itemRows [][]string
	mynumber := false
	for _, cat := range l.Categories {
		if r := cat.Retention; r != nil && !r.Period.IsZero() {
			rows = append(rows, []string{c.In(cat.Name), r.Period.Describe(c.Lang), c.bEvent(r.After), c.In(r.LegalBasis), c.In(r.Description)})
		}
		for _, it := range cat.Items {
			if r := it.Retention; r != nil && !r.Period.IsZero() {
				itemRows = append(itemRows, []string{c.In(it.Name), c.In(cat.Name), r.Period.Describe(c.Lang), c.bEvent(r.After), c.In(r.Description)})
				mynumber = mynumber || it.MyNumber()
			}
		}
	}
	if len(rows) > 0 {
		intro := c.T("個人情報の種別ごとの保存期間は次のとおりです。保存期間は起算点の欄の事由が生じた日から数え、経過した後は遅滞なく消去します。",
			"Each category's retention period is as follows. A period counts from the day of the event shown; once it has passed we erase the information without delay.")
		if len(exceptions) > 0 {
			intro = c.T("個人情報の種別ごとの保存期間は次のとおりです。保存期間は起算点の欄の事由が生じた日から数え、経過した後は、上記の場合を除き遅滞なく消去します。",
				"Each category's retention period is as follows. A period counts from the day of the event shown; once it has passed we erase the information without delay, except in the cases above.")
		}
		s.Blocks = append(s.Blocks, Para{intro},
			bTable([]string{c.T("個人情報の種別", "Category"), c.T("保存期間", "Retention period"), c.T("起算点", "Counted from"),
				c.T("根拠法令", "Legal basis"), c.T("消去の方法等", "Erasure")}, rows))
	}
	if len(itemRows) > 0 {
		intro := c.T("次の項目は、記録のほかの項目より先に、その項目だけを消去します。", "The following items are erased on their own, before the rest of the record.")
		if mynumber {
			intro += c.T("個人番号（マイナンバー）は、番号法で定められた事務に必要な限りでのみ保管します（番号法第20条）。",
				" We keep individual numbers (My Number) only as long as the procedures of the My Number Act need them (My Number Act Art. 20).")
		}
		s.Blocks = append(s.Blocks, Para{intro},
			bTable([]string{c.T("項目", "Item"), c.T("個人情報の種別", "Category"), c.T("保存期間", "Retention period"),
				c.T("起算点", "Counted from"), c.T("消去の方法等", "Erasure")}, itemRows))
	}
	if !rp.AuditLog.IsZero() {
		s.Blocks = append(s.Blocks, Para{c.T("個人情報の取扱いの記録（監査ログ）は、記録した日から"+rp.AuditLog.Describe("ja")+"間保存し、その後消去します。",
			"Records of how personal information is handled (the audit log) are kept for "+rp.AuditLog.Describe("en")+" from when they are made, then erased.")})
	}
	if len(s.Blocks) == 0 {
		return nil
	}
	return s
}

// bBreach: 漏えい等への対応 (APPI Art. 26). The ledger's statement; where
// it does not mention the report to the Commission or the notice to the
// people affected, the law's rule is added, since the Act requires both in
// the cases of 則7.
func bBreach(c *Ctx) *Section {
	br := c.L.BreachResponse
	text := c.In(br)
	if text == "" {
		return nil
	}
	s := &Section{Heading: c.T("漏えい等が発生した場合の対応", "If a breach occurs"), Blocks: []Block{Para{text}}}
	report := strings.Contains(br.Ja, "個人情報保護委員会")
	notify := strings.Contains(br.Ja, "通知")
	switch {
	case !report && !notify:
		s.Blocks = append(s.Blocks, Para{c.T("個人情報保護法第26条に定める事態が生じたときは、個人情報保護委員会に報告し、ご本人に通知します。",
			"Where APPI Art. 26 requires, we report the breach to the Personal Information Protection Commission and notify the people affected.")})
	case !report:
		s.Blocks = append(s.Blocks, Para{c.T("個人情報保護法第26条に定める事態が生じたときは、個人情報保護委員会に報告します。",
			"Where APPI Art. 26 requires, we also report the breach to the Personal Information Protection Commission.")})
	case !notify:
		s.Blocks = append(s.Blocks, Para{c.T("個人情報保護法第26条に定める事態が生じたときは、ご本人に通知します。",
			"Where APPI Art. 26 requires, we also notify the people affected.")})
	}
	return s
}

// bAnonymized: 匿名加工情報 (APPI Art. 43(3), 44). The item categories
// contained and what is published before it is provided.
func bAnonymized(c *Ctx) *Section {
	a := c.L.Anonymized
	var created []PublishedAnonymized
	if c.Pub != nil {
		created = c.Pub.Anonymized
	}
	if a == nil && len(created) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("匿名加工情報の取扱い", "Anonymised information")}
	if a != nil {
		if st := c.In(a.Statement); st != "" {
			s.Blocks = append(s.Blocks, Para{st})
		}
		if items := c.bAll(a.ItemCategories); len(items) > 0 {
			s.Blocks = append(s.Blocks, Para{c.T("当社が作成する匿名加工情報に含まれる個人に関する情報の項目は、次のとおりです（個人情報保護法第43条第3項）。",
				"The anonymised information we create contains the following items of information about individuals (APPI Art. 43(3)).")},
				List{Items: items})
		}
		if m := c.bAll(a.Measures); len(m) > 0 {
			s.Blocks = append(s.Blocks, Para{c.T("匿名加工情報の作成及び取扱いにあたっては、次のとおり対応します。",
				"In creating and handling anonymised information we do the following.")}, List{Items: m})
		}
		if p := c.In(a.Provision); p != "" {
			s.Blocks = append(s.Blocks, Para{p})
		}
	}
	if len(created) > 0 {
		// What has been created, as published at each creation (則36).
		rows := make([][]string, 0, len(created))
		for _, d := range created {
			items := strings.Join(d.ItemsJa, "、")
			if c.Lang == "en" {
				items = strings.Join(d.ItemsEn, ", ")
			}
			rows = append(rows, []string{c.Day(d.Created), d.Title, items})
		}
		s.Blocks = append(s.Blocks, Table{Caption: c.T("これまでに作成した匿名加工情報", "Anonymised information we have created"),
			Header: []string{c.T("作成日", "Created"), c.T("名称", "Title"), c.T("含まれる個人に関する情報の項目", "Items of information about individuals it contains")},
			Rows:   rows})
	}
	if len(s.Blocks) == 0 {
		return nil
	}
	// Each creation and provision is published as it happens on the
	// portal's page /anonymized.
	s.Blocks = append(s.Blocks, Para{c.T("匿名加工情報を作成したときは、その都度、含まれる個人に関する情報の項目を、第三者に提供するときは、あらかじめ項目と提供の方法を、当社ウェブサイトの「匿名加工情報の公表」のページ（/anonymized）に掲載します。",
		"Each time we create anonymised information we publish the items it contains, and before we provide it to a third party the items and the method of provision, on our website's page \"Publication of anonymised information\" (/anonymized).")})
	return s
}

// bPseudonymized: 仮名加工情報 (APPI Art. 41(4)). Its purposes and the
// handling promises.
func bPseudonymized(c *Ctx) *Section {
	p := c.L.Pseudonymized
	if p == nil {
		return nil
	}
	s := &Section{Heading: c.T("仮名加工情報の取扱い", "Pseudonymised information")}
	if st := c.In(p.Statement); st != "" {
		s.Blocks = append(s.Blocks, Para{st})
	}
	if ps := c.bAll(p.Purposes); len(ps) > 0 {
		s.Blocks = append(s.Blocks, Para{c.T("当社は、仮名加工情報を次の目的で利用します（個人情報保護法第41条第4項）。",
			"We use pseudonymised information for the following purposes (APPI Art. 41(4)).")}, List{Items: ps})
	}
	if m := c.bAll(p.Measures); len(m) > 0 {
		s.Blocks = append(s.Blocks, Para{c.T("仮名加工情報の作成及び取扱いにあたっては、次のとおり対応します。",
			"In creating and handling pseudonymised information we do the following.")}, List{Items: m})
	}
	if c.Pub != nil && len(c.Pub.PurposeChanges) > 0 {
		// Each change of a use purpose, published (Art. 41(4)).
		rows := make([][]string, 0, len(c.Pub.PurposeChanges))
		for _, ch := range c.Pub.PurposeChanges {
			rows = append(rows, []string{c.Day(ch.At), c.T(ch.FromJa, ch.FromEn), c.T(ch.ToJa, ch.ToEn)})
		}
		s.Blocks = append(s.Blocks, Table{Caption: c.T("仮名加工情報の利用目的の変更", "Changes of the purpose of pseudonymised information"),
			Header: []string{c.T("変更日", "Changed on"), c.T("変更前の利用目的", "Purpose before"), c.T("変更後の利用目的", "Purpose after")},
			Rows:   rows})
	}
	if len(s.Blocks) == 0 {
		return nil
	}
	return s
}

// bLedgerSection is a section of the ledger as it is written, with a
// heading of ours when it has none.
func (c *Ctx) bLedgerSection(sec *ledger.Section, id, ja, en string) *Section {
	if sec == nil {
		return nil
	}
	body := c.bAll(sec.Body)
	heading := c.In(sec.Title)
	if heading == "" {
		if len(body) == 0 {
			return nil
		}
		heading = c.T(ja, en)
	}
	return &Section{ID: id, Heading: heading, Blocks: bParas(body)}
}

// bPersonallyReferable: 個人関連情報 (APPI Art. 31), as the ledger words it.
func bPersonallyReferable(c *Ctx) *Section {
	return c.bLedgerSection(c.L.PersonallyReferable, "", "個人関連情報の取扱い", "Personally referable information")
}

// bStatistics: statistics made from personal information, as the ledger
// words it.
func bStatistics(c *Ctx) *Section {
	s := c.bLedgerSection(c.L.Statistics.Section(), "", "統計情報の取扱い", "Statistics")
	if s == nil {
		return nil
	}
	// The smallest cell hogo's statistics show (statistics.min_cell).
	n := c.L.Statistics.Threshold()
	s.Blocks = append(s.Blocks, Para{c.T(fmt.Sprintf("統計情報では、%d人未満の区分の数値を表示しません。", n),
		fmt.Sprintf("Our statistics show no figure for a group of fewer than %d people.", n))})
	return s
}

// bExternalTransmission: 外部送信 (電気通信事業法 Art. 27-12). One row per
// tag or SDK: what is sent, to whom, why, and how to opt out.
func bExternalTransmission(c *Ctx) *Section {
	xs := c.L.ExternalTransmissions
	if len(xs) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("外部送信について", "Information sent to other companies (external transmission)")}
	s.Blocks = append(s.Blocks, Para{c.T("当社のサービスでは、次のタグ・SDK（情報収集モジュール）により、ご利用者の端末から外部の事業者に情報が送信されます。送信される情報、送信先及び利用目的は次のとおりです（電気通信事業法第27条の12）。",
		"Our services use the following tags and SDKs, which send information from users' devices to other companies. The information sent, the recipient and the purposes are as follows (Telecommunications Business Act Art. 27-12).")})
	var rows [][]string
	for _, x := range xs {
		rows = append(rows, []string{c.In(x.Name), c.In(x.Recipient), c.In(x.Information), c.In(x.Purpose), strings.TrimSpace(x.OptOut)})
	}
	s.Blocks = append(s.Blocks, bTable([]string{c.T("タグ・SDK", "Tag or SDK"), c.T("送信先", "Recipient"),
		c.T("送信される情報", "Information sent"), c.T("利用目的", "Purposes"), c.T("オプトアウトの方法", "How to opt out")}, rows))
	return s
}

// bFreeSections: the ledger's own sections (sections:), as they are
// written, each a section of its own under one heading.
func bFreeSections(c *Ctx) *Section {
	s := &Section{Heading: c.T("その他の事項", "Other matters")}
	for i, sec := range c.L.Sections {
		if sub := c.bLedgerSection(sec, "sections-"+strconv.Itoa(i+1), "その他の事項", "Other matters"); sub != nil {
			s.Subs = append(s.Subs, sub)
		}
	}
	if len(s.Subs) == 0 {
		return nil
	}
	return s
}

// bHistory: 改定履歴, newest first, dated as readers expect (和暦 in
// Japanese).
func bHistory(c *Ctx) *Section {
	h := slices.Clone(c.L.History)
	h = slices.DeleteFunc(h, func(ch *ledger.Change) bool { return ch == nil || ch.Date.IsZero() })
	if len(h) == 0 {
		return nil
	}
	slices.SortStableFunc(h, func(a, b *ledger.Change) int { return strings.Compare(b.Date.String(), a.Date.String()) })
	var items []string
	for _, ch := range h {
		item := c.Date(ch.Date)
		if sum := c.In(ch.Summary); sum != "" {
			item += c.T("　", ": ") + sum
		}
		items = append(items, item)
	}
	return &Section{Heading: c.T("改定履歴", "Revision history"), Blocks: []Block{List{Items: items}}}
}
