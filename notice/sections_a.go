package notice

// The first half of the notice: the policy, who the company is, why it
// uses personal information and how it acquires it, how principals make
// requests, how the information is kept safe, and where to complain. These
// are the matters APPI Art. 32(1) and 令10 require to be made known, with
// the policy statement of JIS Q 15001 5.2 before them.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo/ledger"
)

func init() {
	register("policy", aPolicy)
	register("business", aBusiness)
	register("purposes", aPurposes)
	register("acquisition", aAcquisition)
	register("requests", aRequests)
	register("security", aSecurity)
	register("desk", aDesk)
}

// aPolicy is the protection policy (個人情報保護方針): the statement, the
// commitments, and the dates and signature Japanese policies end with
// (JIS Q 15001 5.2); then how changes to it are made known (改定について).
func aPolicy(c *Ctx) *Section {
	p := c.L.Policy
	s := &Section{Heading: c.T("個人情報保護方針", "Privacy policy")}
	if st := aProse(c, p.Statement); st != "" {
		for _, para := range aParagraphs(st) {
			s.Blocks = append(s.Blocks, Para{aSentence(c, para)})
		}
	}
	var commitments []string
	for _, t := range p.Commitments {
		if v := aProse(c, t); v != "" {
			commitments = append(commitments, v)
		}
	}
	if len(commitments) > 0 {
		s.Blocks = append(s.Blocks,
			Para{c.T("当社は、次の事項に取り組みます。", "We commit ourselves to the following.")},
			List{Ordered: true, Items: commitments})
	}
	if len(s.Blocks) == 0 {
		return nil
	}
	var facts []Fact
	if !p.Established.IsZero() {
		facts = append(facts, Fact{c.T("制定日", "Established"), c.Date(p.Established)})
	}
	if d := aLastRevised(c.L); !d.IsZero() {
		facts = append(facts, Fact{c.T("最終改定日", "Last revised"), c.Date(d)})
	}
	sig := c.In(p.Signature)
	if sig == "" {
		o := c.L.Organization
		if c.Lang == "en" {
			sig = aJoinNonEmpty(", ", c.In(o.Representative), c.In(o.Name))
		} else {
			sig = aJoinNonEmpty(" ", c.In(o.Name), c.In(o.Representative))
		}
	}
	if sig != "" {
		facts = append(facts, Fact{c.T("代表者", "Signed"), sig})
	}
	if len(facts) > 0 {
		s.Blocks = append(s.Blocks, Facts{facts})
	}
	if a := aProse(c, p.Amendment); a != "" {
		sub := &Section{ID: "policy-amendment", Heading: c.T("本方針の改定について", "Changes to this policy")}
		for _, para := range aParagraphs(a) {
			sub.Blocks = append(sub.Blocks, Para{aSentence(c, para)})
		}
		s.Subs = append(s.Subs, sub)
	}
	return s
}

// aLastRevised is the day the notice in force was last revised: the
// ledger's effective date, or else the latest change in its history, when
// either is later than the day the policy was established.
func aLastRevised(l *ledger.Ledger) ledger.Date {
	last := l.EffectiveDate
	if last.IsZero() {
		for _, h := range l.History {
			if aDateBefore(last, h.Date) {
				last = h.Date
			}
		}
	}
	if last.IsZero() || !aDateBefore(l.Policy.Established, last) {
		return ledger.Date{}
	}
	return last
}

func aDateBefore(a, b ledger.Date) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.Month != b.Month {
		return a.Month < b.Month
	}
	return a.Day < b.Day
}

// aBusiness is the business's name, address and representative (APPI Art.
// 32(1)(i)), its protection manager and its Privacy Mark.
func aBusiness(c *Ctx) *Section {
	o := c.L.Organization
	var facts []Fact
	add := func(term, text string) {
		if text != "" {
			facts = append(facts, Fact{term, text})
		}
	}
	add(c.T("名称", "Name"), c.In(o.Name))
	add(c.T("住所", "Address"), c.In(o.Address))
	add(c.T("代表者", "Representative"), c.In(o.Representative))
	add(c.T("事業内容", "Business"), c.In(o.Business))
	add(c.T("ウェブサイト", "Website"), strings.TrimSpace(o.Website))
	s := &Section{Heading: c.T("事業者の名称・住所・代表者", "Our name, address and representative")}
	if len(facts) > 0 {
		s.Blocks = append(s.Blocks,
			Para{c.T("個人情報を取り扱う事業者である当社の名称、住所及び代表者は、次のとおりです。",
				"We are the business that handles your personal information. Our name, address and representative are as follows.")},
			Facts{facts})
	}

	m := o.ProtectionManager
	var mf []Fact
	if t := c.In(m.Title); t != "" {
		mf = append(mf, Fact{c.T("役職", "Title"), t})
	}
	if n := c.In(m.Name); n != "" {
		mf = append(mf, Fact{c.T("氏名", "Name"), n})
	}
	if p := strings.TrimSpace(m.Phone); p != "" {
		mf = append(mf, Fact{c.T("電話番号", "Telephone"), p})
	}
	if e := strings.TrimSpace(m.Email); e != "" {
		mf = append(mf, Fact{c.T("メールアドレス", "E-mail"), e})
	}
	if len(mf) > 0 {
		s.Subs = append(s.Subs, &Section{ID: "protection-manager",
			Heading: c.T("個人情報保護管理者", "Protection manager"),
			Blocks: []Block{
				Para{c.T("当社は、個人情報の適切な取扱いについて責任を負う者として、次の個人情報保護管理者を置いています。",
					"The following person is responsible for the proper handling of personal information at our company.")},
				Facts{mf},
			}})
	}

	if pm := o.PrivacyMark; pm != nil {
		var b strings.Builder
		num := strings.TrimSpace(pm.Number)
		std := strings.TrimSpace(pm.Standard)
		if c.Lang == "en" {
			b.WriteString("We have been granted the Privacy Mark")
			if num != "" {
				fmt.Fprintf(&b, " (registration number %s)", num)
			}
			b.WriteString(".")
			if std != "" {
				fmt.Fprintf(&b, " Our personal information protection management system conforms to %s.", std)
			}
		} else {
			b.WriteString("当社は、プライバシーマークの付与認定を受けています")
			if num != "" {
				fmt.Fprintf(&b, "（登録番号：%s）", num)
			}
			b.WriteString("。")
			if std != "" {
				fmt.Fprintf(&b, "当社の個人情報保護マネジメントシステムは、%sに準拠しています。", std)
			}
		}
		s.Subs = append(s.Subs, &Section{ID: "privacy-mark", Heading: c.T("プライバシーマーク", "Privacy Mark"),
			Blocks: []Block{Para{b.String()}}})
	}
	if len(s.Blocks) == 0 && len(s.Subs) == 0 {
		return nil
	}
	return s
}

// aPurposes is the purposes of use by category of principal (APPI Art. 17,
// 21, 32(1)(ii)), with the items each category holds, the purposes pursued
// only with consent, special-care information and individual numbers.
func aPurposes(c *Ctx) *Section {
	l := c.L
	s := &Section{Heading: c.T("個人情報の利用目的", "Purposes of use"),
		Blocks: []Block{Para{c.T(
			"当社は、個人情報を、次の利用目的の達成に必要な範囲で取り扱います。利用目的は、個人情報の種別ごとに次のとおりです。",
			"We handle personal information only as far as needed for the purposes below, which are set for each kind of person whose information we hold.")}}}
	for _, cat := range l.Categories {
		var items []string
		consent := false
		for _, r := range cat.Purposes {
			p := l.Purpose(r.ID)
			if p == nil {
				continue
			}
			text := aProse(c, p.Description)
			if text == "" {
				text = c.In(p.Name)
			}
			if text == "" {
				continue
			}
			text = strings.TrimRight(text, "。.")
			if p.ConsentRequired {
				text += c.T("（※）", " (*)")
				consent = true
			}
			items = append(items, text)
		}
		if len(items) == 0 {
			continue
		}
		sub := &Section{ID: "purposes-" + strings.ReplaceAll(cat.ID, "_", "-"), Heading: aCategoryHeading(c, cat)}
		var facts []Fact
		if d := aProse(c, cat.Description); d != "" {
			facts = append(facts, Fact{c.T("対象となる方", "Whose information"), strings.TrimRight(d, "。.")})
		}
		if names := aItemNames(c, cat); len(names) > 0 {
			facts = append(facts, Fact{c.T("取り扱う項目", "Items"), aEnum(c, names)})
		}
		if len(facts) > 0 {
			sub.Blocks = append(sub.Blocks, Facts{facts})
		}
		sub.Blocks = append(sub.Blocks, List{Ordered: true, Items: items})
		if consent {
			sub.Blocks = append(sub.Blocks, Para{c.T(
				"（※）を付した利用目的には、ご本人の同意をいただいた場合に限り、個人情報を利用します。",
				"We use personal information for the purposes marked (*) only with your consent.")})
		}
		for _, it := range cat.Items {
			if !it.Sensitive {
				continue
			}
			name := c.In(it.Name)
			var ps []string
			for _, r := range it.Purposes {
				if p := l.Purpose(r.ID); p != nil {
					ps = append(ps, aPurposeName(c, p))
				}
			}
			var text string
			if c.Lang == "en" {
				text = fmt.Sprintf("The item “%s” is special-care personal information (APPI Art. 2(3)). Except where the law provides otherwise, we acquire it only with your prior consent", name)
				if len(ps) > 0 {
					text += fmt.Sprintf(", and we use it only for %s", aList(c, aQuoted(c, ps)))
				}
				text += "."
			} else {
				text = fmt.Sprintf("「%s」は要配慮個人情報（個人情報保護法第2条第3項）に当たるため、法令に定める場合を除き、あらかじめご本人の同意を得て取得します", name)
				if len(ps) > 0 {
					text += fmt.Sprintf("。また、%sの目的に限って利用します", aList(c, aQuoted(c, ps)))
				}
				text += "。"
			}
			sub.Blocks = append(sub.Blocks, Para{text})
		}
		if slices.ContainsFunc(cat.Items, (*ledger.Item).MyNumber) {
			sub.Blocks = append(sub.Blocks, Para{c.T(
				"個人番号（マイナンバー）は、番号法（行政手続における特定の個人を識別するための番号の利用等に関する法律）に定める上記の事務に限って利用し、ご本人の同意があってもそれ以外の目的には利用しません。",
				"Individual numbers (My Number) are used only for the procedures above, which the My Number Act allows, and never for any other purpose, even with your consent.")})
		}
		if cat.Disclosable != nil && !*cat.Disclosable {
			sub.Blocks = append(sub.Blocks, Para{c.T(
				"この個人情報は、開示等のご請求の対象となる開示対象個人情報には当たりません（「開示等の請求の手続」をご覧ください）。",
				"This information is not disclosable personal information that requests for disclosure and other rights reach (see “Requests for disclosure and other rights”).")})
		}
		s.Subs = append(s.Subs, sub)
	}
	if len(s.Subs) == 0 {
		return nil
	}
	return s
}

// aCategoryHeading names a category as the seeds do: 求職者の個人情報, but
// 取引先情報 or 受託した個人情報 as they are.
func aCategoryHeading(c *Ctx, cat *ledger.Category) string {
	name := c.In(cat.Name)
	if name == "" {
		name = cat.ID
	}
	if c.Lang == "en" {
		return name
	}
	for _, w := range []string{"情報", "データ", "個人番号"} {
		if strings.Contains(name, w) {
			return name
		}
	}
	return name + "の個人情報"
}

// aItemNames lists a category's items in plain words, marking special-care
// information.
func aItemNames(c *Ctx, cat *ledger.Category) []string {
	var out []string
	for _, it := range cat.Items {
		n := c.In(it.Name)
		if n == "" {
			continue
		}
		if it.Sensitive {
			n += c.T("（要配慮個人情報）", " (special-care information)")
		}
		out = append(out, n)
	}
	return out
}

func aPurposeName(c *Ctx, p *ledger.Purpose) string {
	if n := c.In(p.Name); n != "" {
		return n
	}
	return strings.TrimRight(c.In(p.Description), "。.")
}

func aQuoted(c *Ctx, s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = c.T("「"+v+"」", "“"+v+"”")
	}
	return out
}

// aAcquisition is how personal information is acquired (APPI Art. 20, 21):
// by category, then by kind of method — directly in writing, where the
// purpose is stated first (Art. 21(2)); directly by other means; from
// others, with the provider and the receipt record of Art. 30.
func aAcquisition(c *Ctx) *Section {
	l := c.L
	used := map[string][]string{} // source ID → category names
	var rows [][]string
	for _, cat := range l.Categories {
		var names []string
		for _, r := range cat.Sources {
			src := l.Source(r.ID)
			if src == nil {
				continue
			}
			if n := c.In(src.Name); n != "" {
				names = append(names, n)
			}
			used[src.ID] = append(used[src.ID], c.In(cat.Name))
		}
		if len(names) > 0 {
			rows = append(rows, []string{c.In(cat.Name), aEnum(c, names)})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	s := &Section{Heading: c.T("個人情報の取得方法", "How we acquire personal information"),
		Blocks: []Block{
			Para{c.T("当社は、個人情報の種別ごとに、次の方法で個人情報を取得します。",
				"We acquire each kind of personal information in the following ways.")},
			Table{Header: []string{c.T("個人情報の種別", "Whose information"), c.T("取得方法", "How we acquire it")}, Rows: rows},
		}}

	var written, other, indirect []string
	provider := false
	for _, src := range l.Sources {
		cats := used[src.ID]
		if len(cats) == 0 {
			continue
		}
		text := c.In(src.Name)
		if d := strings.TrimRight(aProse(c, src.Description), "。."); d != "" {
			text += c.T("：", ": ") + d
		}
		var notes []string
		if pv := c.In(src.Provider); pv != "" {
			notes = append(notes, c.T("提供元：", "provider: ")+pv)
			provider = true
		}
		notes = append(notes, c.T("対象：", "for: ")+aEnum(c, cats))
		text += c.T("（"+strings.Join(notes, "、")+"）", " ("+strings.Join(notes, "; ")+")")
		switch {
		case src.Direct && src.Written:
			written = append(written, text)
		case src.Direct:
			other = append(other, text)
		default:
			indirect = append(indirect, text)
		}
	}
	if len(written) > 0 {
		s.Subs = append(s.Subs, &Section{ID: "acquisition-written",
			Heading: c.T("ご本人から書面で直接取得する場合", "Directly from you in writing"),
			Blocks: []Block{
				Para{c.T("書面（Webフォームなどの電磁的記録を含みます）によりご本人から直接個人情報を取得する場合は、あらかじめご本人に利用目的を明示します。",
					"When we acquire personal information directly from you in writing, including web forms and other electronic records, we state the purpose to you beforehand.")},
				List{Items: written},
			}})
	}
	if len(other) > 0 {
		s.Subs = append(s.Subs, &Section{ID: "acquisition-direct",
			Heading: c.T("ご本人から書面以外の方法で直接取得する場合", "Directly from you by other means"),
			Blocks: []Block{
				Para{c.T("次の方法でご本人から直接取得する個人情報は、「個人情報の利用目的」に掲げた目的の範囲で利用します。",
					"Personal information we acquire directly from you in the following ways is used within the purposes listed under “Purposes of use”.")},
				List{Items: other},
			}})
	}
	if len(indirect) > 0 {
		blocks := []Block{
			Para{c.T("次の方法では、ご本人以外から個人情報を取得します。取得した個人情報は、「個人情報の利用目的」に掲げた目的の範囲で利用します。",
				"In the following ways we acquire personal information from others than you. We use it within the purposes listed under “Purposes of use”.")},
			List{Items: indirect},
		}
		if provider {
			blocks = append(blocks, Para{c.T(
				"第三者から個人データの提供を受ける際は、法令に従い、提供元の名称や取得の経緯などを確認し、その記録を作成して保存します。",
				"When a third party provides us with personal data, we confirm its name and how it obtained the data, and make and keep a record of this, as the law requires.")})
		}
		s.Subs = append(s.Subs, &Section{ID: "acquisition-indirect",
			Heading: c.T("ご本人以外から取得する場合", "From others than you"), Blocks: blocks})
	}
	return s
}

// Request types as the notice names them, in the order of the Act, with
// suspension and erasure named together as the Act does (利用停止等).
var aRequestKinds = []struct {
	types  []string
	ja, en string
}{
	{[]string{ledger.ReqNotifyPurpose}, "利用目的の通知（個人情報保護法第32条第2項）", "Notification of the purposes of use (APPI Art. 32(2))"},
	{[]string{ledger.ReqDisclose}, "保有個人データの開示（同法第33条第1項）", "Disclosure of your retained personal data (Art. 33(1))"},
	{[]string{ledger.ReqDiscloseRecords}, "第三者提供記録の開示（同法第33条第5項）", "Disclosure of the records of provision to third parties (Art. 33(5))"},
	{[]string{ledger.ReqCorrect}, "内容の訂正、追加又は削除（同法第34条）", "Correction, addition or deletion (Art. 34)"},
	{[]string{ledger.ReqSuspend, ledger.ReqErase}, "利用の停止又は消去（同法第35条第1項・第5項）", "Suspension of use or erasure (Art. 35(1), (5))"},
	{[]string{ledger.ReqStopProvision}, "第三者への提供の停止（同法第35条第3項・第5項）", "Stopping provision to third parties (Art. 35(3), (5))"},
}

// aRequestTypeOrder is the request types in the order the notice lists
// them: those that may carry a fee first.
func aRequestTypeOrder() []string {
	var out []string
	for _, k := range aRequestKinds {
		out = append(out, k.types...)
	}
	return out
}

var aRequestTypeNames = map[string][2]string{
	ledger.ReqNotifyPurpose:   {"利用目的の通知", "Notification of purposes"},
	ledger.ReqDisclose:        {"開示", "Disclosure"},
	ledger.ReqDiscloseRecords: {"第三者提供記録の開示", "Disclosure of provision records"},
	ledger.ReqCorrect:         {"訂正・追加・削除", "Correction, addition, deletion"},
	ledger.ReqSuspend:         {"利用停止", "Suspension of use"},
	ledger.ReqErase:           {"消去", "Erasure"},
	ledger.ReqStopProvision:   {"第三者提供の停止", "Stopping provision"},
}

var aChannelNames = map[string][2]string{
	"portal": {"オンライン", "Online"},
	"post":   {"郵送", "Post"},
	"email":  {"電子メール", "E-mail"},
	"fax":    {"FAX", "Fax"},
	"phone":  {"電話", "Telephone"},
	"desk":   {"窓口へのご持参", "In person at the desk"},
}

var aDocNames = map[string][2]string{
	"driver_licence":             {"運転免許証", "driving licence"},
	"passport":                   {"旅券（パスポート）", "passport"},
	"mynumber_card":              {"マイナンバーカード（表面のみ）", "My Number card (front only)"},
	"residence_card":             {"在留カード", "residence card"},
	"special_permanent_resident": {"特別永住者証明書", "special permanent resident certificate"},
	"disability_certificate":     {"障害者手帳", "disability certificate"},
	"health_insurance":           {"健康保険の資格確認書", "health insurance certificate"},
	"pension_book":               {"年金手帳", "pension book"},
	"seal_certificate":           {"印鑑登録証明書", "seal registration certificate"},
	"resident_record":            {"住民票の写し", "resident record"},
	"family_register":            {"戸籍謄抄本", "family register"},
}

var aAgentNames = map[string][2]string{
	"statutory_minor": {"未成年者の法定代理人", "The statutory agent of a minor"},
	"adult_guardian":  {"成年被後見人の法定代理人（成年後見人）", "The adult guardian of an adult ward"},
	"appointed":       {"ご本人が委任した代理人（任意代理人）", "An agent you appoint"},
	"professional":    {"弁護士等の有資格者", "A licensed professional such as a lawyer"},
}

var aPaymentNames = map[string][2]string{
	"bank_transfer":        {"銀行振込", "bank transfer"},
	"cash_registered_mail": {"現金書留", "cash by registered mail"},
	"postal_money_order":   {"郵便定額小為替", "postal money order"},
	"postage_stamps":       {"郵便切手", "postage stamps"},
	"cash":                 {"現金（窓口）", "cash at the desk"},
	"card":                 {"クレジットカード", "card"},
}

var aResponseNames = map[string][2]string{
	"electronic": {"電子ファイルの提供", "an electronic file"},
	"paper":      {"書面の交付", "a paper document"},
	"email":      {"電子メール", "e-mail"},
	"post":       {"郵送", "post"},
	"inspection": {"閲覧", "inspection"},
}

// aName looks up a code's name in lang, or gives the code itself.
func aName(c *Ctx, m map[string][2]string, code string) string {
	n, ok := m[code]
	if !ok {
		return code
	}
	return c.T(n[0], n[1])
}

func aNames(c *Ctx, m map[string][2]string, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, code := range codes {
		out = append(out, aName(c, m, code))
	}
	return out
}

// aRequests is the procedure for requests about retained personal data
// (APPI Art. 32(1)(iii), 37, 38; 令12, 13): the kinds of request, where and
// how to make them, identity and agents, fees, the answer, and when a
// request cannot be met.
func aRequests(c *Ctx) *Section {
	l := c.L
	r := l.Requests
	if len(r.Types) == 0 && len(r.Channels) == 0 && r.Procedure.Empty() && r.Form.Empty() &&
		len(r.Fees) == 0 && len(r.IDDocuments.Photo) == 0 && len(r.IDDocuments.NonPhoto) == 0 && len(r.Verification) == 0 {
		return nil
	}
	types := r.Types
	if len(types) == 0 {
		// The Act gives every principal these rights; a ledger that
		// names none restricts none.
		types = ledger.RequestTypes
	}
	var kinds []string
	for _, k := range aRequestKinds {
		if slices.ContainsFunc(k.types, func(t string) bool { return slices.Contains(types, t) }) {
			kinds = append(kinds, c.T(k.ja, k.en))
		}
	}
	who := c.T("ご本人", "You")
	if len(r.Agents) > 0 {
		who = c.T("ご本人又はその代理人", "You or your agent")
	}
	s := &Section{Heading: c.T("開示等の請求の手続", "Requests for disclosure and other rights"),
		Blocks: []Block{
			Para{c.T(
				"当社が保有する開示対象個人情報（保有個人データ）について、"+who+"は、次のご請求をすることができます。",
				who+" may make the following requests about the retained personal data we hold about you.")},
			List{Items: kinds},
		}}
	var closed []string
	for _, cat := range l.Categories {
		if cat.Disclosable == nil || *cat.Disclosable {
			continue
		}
		t := c.In(cat.Name)
		if why := aProse(c, cat.NonDisclosableReason); why != "" {
			t += c.T("：", ": ") + why
		}
		closed = append(closed, t)
	}
	if len(closed) > 0 {
		s.Blocks = append(s.Blocks,
			Para{c.T("なお、次の個人情報は開示対象個人情報に当たらないため、開示等のご請求の対象になりません。",
				"The following information is not disclosable personal information, so these requests do not reach it.")},
			List{Items: closed})
	}

	s.Subs = append(s.Subs, aRequestHow(c))
	if sub := aRequestIdentity(c); sub != nil {
		s.Subs = append(s.Subs, sub)
	}
	if sub := aRequestAgents(c); sub != nil {
		s.Subs = append(s.Subs, sub)
	}
	s.Subs = append(s.Subs, aRequestFees(c, types))
	s.Subs = append(s.Subs, aRequestAnswer(c))
	if sub := aRequestRefusal(c); sub != nil {
		s.Subs = append(s.Subs, sub)
	}
	return s
}

// aRequestHow is where and how a request is made (令12(1), (2)).
func aRequestHow(c *Ctx) *Section {
	l := c.L
	r := l.Requests
	d := l.ComplaintDesk
	sub := &Section{ID: "requests-how", Heading: c.T("ご請求の方法", "How to make a request")}
	if p := aProse(c, r.Procedure); p != "" {
		for _, para := range aParagraphs(p) {
			sub.Blocks = append(sub.Blocks, Para{aSentence(c, para)})
		}
	}
	var facts []Fact
	if n := c.In(d.Name); n != "" {
		facts = append(facts, Fact{c.T("申出先", "Send requests to"), n})
	}
	addr := c.In(d.Address)
	if addr == "" {
		addr = c.In(l.Organization.Address)
	}
	for _, ch := range r.Channels {
		var where string
		switch ch {
		case "post", "desk":
			where = addr
		case "email":
			where = strings.TrimSpace(d.Email)
		case "fax":
			where = strings.TrimSpace(d.Fax)
		case "phone":
			where = strings.Join(d.Phone, c.T("／", ", "))
		case "portal":
			where = c.T("当社の請求受付ページからお申し込みいただけます", "Apply on our request page")
		}
		if where == "" {
			continue
		}
		facts = append(facts, Fact{aName(c, aChannelNames, ch), where})
	}
	if len(facts) > 0 {
		sub.Blocks = append(sub.Blocks,
			Para{c.T("ご請求は、次の窓口で、次の方法により受け付けます。", "We receive requests at the following desk, by the following means.")},
			Facts{facts})
	}
	if f := c.In(r.Form); f != "" {
		sub.Blocks = append(sub.Blocks, Para{c.T("ご請求には「"+f+"」をご使用ください。",
			"Please use our request form (“"+f+"”).")})
	}
	for _, n := range r.Notes {
		if t := aProse(c, n); t != "" {
			sub.Blocks = append(sub.Blocks, Para{aSentence(c, t)})
		}
	}
	if len(sub.Blocks) == 0 {
		sub.Blocks = append(sub.Blocks, Para{c.T("ご請求の方法は、下記「苦情・相談窓口」までお問い合わせください。",
			"Please ask the desk under “Complaints and inquiries” how to make a request.")})
	}
	return sub
}

// aRequestIdentity is how the requester's identity is verified (APPI Art.
// 37(1), 令12(3)). The counts default as requests/verify.go counts them:
// one document with a photo, or two without.
func aRequestIdentity(c *Ctx) *Section {
	r := c.L.Requests
	ids := r.IDDocuments
	if len(ids.Photo) == 0 && len(ids.NonPhoto) == 0 && len(r.Verification) == 0 {
		return nil
	}
	sub := &Section{ID: "requests-identity", Heading: c.T("ご本人確認の方法", "How we verify your identity")}
	photoN, plainN := max(ids.PhotoCount, 1), max(ids.NonPhotoCount, 2)
	var facts []Fact
	if len(ids.Photo) > 0 {
		facts = append(facts, Fact{c.T(fmt.Sprintf("顔写真付きの書類（いずれか%d点）", photoN), fmt.Sprintf("With a photo (any %s)", aNumber(photoN))),
			aEnum(c, aNames(c, aDocNames, ids.Photo))})
	}
	if len(ids.NonPhoto) > 0 {
		facts = append(facts, Fact{c.T(fmt.Sprintf("顔写真のない書類（いずれか%d点）", plainN), fmt.Sprintf("Without a photo (any %s)", aNumber(plainN))),
			aEnum(c, aNames(c, aDocNames, ids.NonPhoto))})
	}
	switch {
	case len(ids.Photo) > 0 && len(ids.NonPhoto) > 0:
		sub.Blocks = append(sub.Blocks, Para{c.T(
			fmt.Sprintf("ご本人であることを確認するため、次の顔写真付きの本人確認書類%d点、又は顔写真のない本人確認書類%d点の写しをご提出ください。", photoN, plainN),
			fmt.Sprintf("To verify your identity, please send copies of %s with a photo, or of %s without one, from the lists below.",
				aCount(photoN, "identity document", "identity documents"), aCount(plainN, "document", "documents")))})
	case len(ids.Photo) > 0:
		sub.Blocks = append(sub.Blocks, Para{c.T(
			fmt.Sprintf("ご本人であることを確認するため、次の顔写真付きの本人確認書類%d点の写しをご提出ください。", photoN),
			fmt.Sprintf("To verify your identity, please send copies of %s with a photo from the list below.",
				aCount(photoN, "identity document", "identity documents")))})
	case len(ids.NonPhoto) > 0:
		sub.Blocks = append(sub.Blocks, Para{c.T(
			fmt.Sprintf("ご本人であることを確認するため、次の本人確認書類%d点の写しをご提出ください。", plainN),
			fmt.Sprintf("To verify your identity, please send copies of %s from the list below.",
				aCount(plainN, "identity document", "identity documents")))})
	}
	if len(facts) > 0 {
		sub.Blocks = append(sub.Blocks, Facts{facts})
	}
	if len(r.Verification) > 0 {
		var rows [][]string
		for _, v := range r.Verification {
			how := aProse(c, v.Description)
			if how == "" {
				how = aVerificationWords(c, v)
			}
			who := c.T("ご本人・代理人", "You or your agent")
			switch v.Requester {
			case ledger.RequesterPrincipal:
				who = c.T("ご本人", "You")
			case ledger.RequesterAgent:
				who = c.T("代理人", "Your agent")
			}
			rows = append(rows, []string{aName(c, aChannelNames, v.Channel), who, strings.TrimRight(how, "。.")})
		}
		sub.Blocks = append(sub.Blocks,
			Para{c.T("受付方法ごとの確認の方法は、次のとおりです。", "How we verify identity depends on how the request arrives.")},
			Table{Header: []string{c.T("受付方法", "Request by"), c.T("請求者", "Requester"), c.T("確認の方法", "How we verify")}, Rows: rows})
	}
	return sub
}

// aVerificationWords writes a verification method that has no description
// of its own.
func aVerificationWords(c *Ctx, v *ledger.Verification) string {
	var b strings.Builder
	if len(v.Documents) > 0 {
		b.WriteString(c.T("次のいずれかの写し："+aList(c, aNames(c, aDocNames, v.Documents)),
			"A copy of one of: "+aList(c, aNames(c, aDocNames, v.Documents))))
	}
	if len(v.Plus) > 0 {
		b.WriteString(c.T("。これに加え、"+aList(c, aNames(c, aDocNames, v.Plus))+"の写し",
			". In addition, a copy of your "+aList(c, aNames(c, aDocNames, v.Plus))))
	}
	if v.RegisteredMail {
		b.WriteString(c.T("。回答は、書類に記載のご住所あてに書留郵便でお送りします",
			". We send our answer by registered mail to the address on the document"))
	}
	return b.String()
}

// aRequestAgents is who may request on a principal's behalf and the
// evidence of their authority (令13).
func aRequestAgents(c *Ctx) *Section {
	r := c.L.Requests
	if len(r.Agents) == 0 {
		return nil
	}
	intro := c.T("次の代理人によるご請求も受け付けます。代理人によるご請求の場合は、代理人ご自身の本人確認書類に加え、",
		"We also accept requests from the following agents. Besides the agent's own identity documents, an agent sends ")
	var facts []Fact
	for _, a := range r.Agents {
		if ev := aProse(c, r.AgentEvidence[a]); ev != "" {
			facts = append(facts, Fact{aName(c, aAgentNames, a), ev})
		}
	}
	sub := &Section{ID: "requests-agents", Heading: c.T("代理人によるご請求", "Requests by an agent")}
	if len(facts) == len(r.Agents) {
		sub.Blocks = []Block{
			Para{intro + c.T("代理権を確認するため次の書類をご提出ください。", "the following documents proving the agent's authority.")},
			Facts{facts},
		}
		return sub
	}
	sub.Blocks = []Block{
		Para{intro + c.T("代理権を確認できる書類をご提出ください。", "documents proving the agent's authority.")},
		List{Items: aNames(c, aAgentNames, r.Agents)},
	}
	if len(facts) > 0 {
		sub.Blocks = append(sub.Blocks, Para{c.T("代理権を確認する書類は、次のとおりです。", "The documents proving authority are these.")}, Facts{facts})
	}
	return sub
}

// aRequestFees is the fees (APPI Art. 38; 令12(4)): per request type, how to
// pay them, and whether the answer waits for payment.
func aRequestFees(c *Ctx, types []string) *Section {
	r := c.L.Requests
	sub := &Section{ID: "requests-fees", Heading: c.T("手数料", "Fees")}
	charged := false
	perFeeMethod := false
	for _, f := range r.Fees {
		if f != nil && f.Amount > 0 {
			charged = true
			perFeeMethod = perFeeMethod || !f.Method.Empty()
		}
	}
	if !charged {
		sub.Blocks = append(sub.Blocks, Para{c.T("開示等のご請求に手数料はかかりません。", "Requests are free of charge.")})
		return sub
	}
	payment := aList(c, aNames(c, aPaymentNames, r.FeePayment))
	withMethod := perFeeMethod || payment != ""
	header := []string{c.T("請求の種類", "Request"), c.T("手数料（税込）", "Fee (tax included)")}
	if withMethod {
		header = append(header, c.T("お支払方法", "How to pay"))
	}
	var rows [][]string
	for _, t := range aRequestTypeOrder() {
		if !slices.Contains(types, t) {
			continue
		}
		row := []string{aName(c, aRequestTypeNames, t), c.T("無料", "Free")}
		method := "—"
		if f := r.Fees[t]; f != nil && f.Amount > 0 {
			row[1] = aYen(c, f.Amount)
			method = c.In(f.Method)
			if method == "" {
				method = payment
			}
		}
		if withMethod {
			row = append(row, method)
		}
		rows = append(rows, row)
	}
	sub.Blocks = append(sub.Blocks,
		Para{c.T("利用目的の通知及び開示のご請求には、次の手数料をいただきます。", "We charge the following fees for notification of purposes and for disclosure.")},
		Table{Caption: c.T("請求1件あたりの手数料", "Fee per request"), Header: header, Rows: rows})
	if n := aProse(c, r.FeeNote); n != "" {
		for _, para := range aParagraphs(n) {
			sub.Blocks = append(sub.Blocks, Para{aSentence(c, para)})
		}
	}
	if r.AnswerAfterPayment && !strings.Contains(r.FeeNote.In(c.Lang), c.T("回答", "answer")) {
		sub.Blocks = append(sub.Blocks, Para{c.T("手数料のお支払いを確認した後に回答いたします。", "We answer once the fee has been paid.")})
	}
	return sub
}

// aRequestAnswer is how and when a request is answered (APPI Art. 33(1),
// 37).
func aRequestAnswer(c *Ctx) *Section {
	r := c.L.Requests
	sub := &Section{ID: "requests-answer", Heading: c.T("回答の方法と時期", "How and when we answer")}
	if r.TargetDays > 0 {
		sub.Blocks = append(sub.Blocks, Para{c.T(
			fmt.Sprintf("ご請求を受け付けた日から%d営業日以内を目安に、遅滞なく回答します。", r.TargetDays),
			fmt.Sprintf("We answer without delay, aiming to do so within %d business days of receiving the request.", r.TargetDays))})
	} else {
		sub.Blocks = append(sub.Blocks, Para{c.T("ご請求を受け付けた後、遅滞なく回答します。", "We answer without delay once we have received the request.")})
	}
	if ms := aNames(c, aResponseNames, r.ResponseMethods); len(ms) > 0 {
		if len(ms) == 1 {
			sub.Blocks = append(sub.Blocks, Para{c.T("回答は"+ms[0]+"により行います。", "We answer by "+ms[0]+".")})
		} else {
			sub.Blocks = append(sub.Blocks, Para{c.T(
				"回答は、"+aListOr(c, ms)+"のうち、ご請求の際にご指定いただいた方法により行います。",
				"We answer by "+aListOr(c, ms)+", as you choose when making the request.")})
		}
	}
	if r.DiscloseUseLog {
		sub.Blocks = append(sub.Blocks, Para{c.T(
			"開示の際は、保有個人データとあわせて、当社の記録に残るその利用の記録（いつ、誰が、どの目的で利用したか）もお知らせします。",
			"With a disclosure we also tell you how your data has been used, as our records show it: when, by whom and for what purpose.")})
	}
	if r.IDCopyDays > 0 {
		sub.Blocks = append(sub.Blocks, Para{c.T(
			fmt.Sprintf("ご提出いただいた本人確認書類等の写しは、ご請求への対応を終えた日から%d日を経過した後に削除します。", r.IDCopyDays),
			fmt.Sprintf("Copies of identity documents and other evidence you send are deleted %s after we finish with the request.", aCount(r.IDCopyDays, "day", "days")))})
	}
	return sub
}

// aRequestRefusal is when a request cannot be met (APPI Art. 33(2), (3))
// and what is not retained personal data at all (令5).
func aRequestRefusal(c *Ctx) *Section {
	r := c.L.Requests
	var grounds, hidden []string
	for _, g := range r.RefusalGrounds {
		if t := aProse(c, g); t != "" {
			grounds = append(grounds, t)
		}
	}
	for _, g := range r.NonRetainedGrounds {
		if t := aProse(c, g); t != "" {
			hidden = append(hidden, t)
		}
	}
	if len(grounds) == 0 && len(hidden) == 0 {
		return nil
	}
	sub := &Section{ID: "requests-refusal", Heading: c.T("ご請求にお応えできない場合", "When we cannot meet a request")}
	if len(grounds) > 0 {
		sub.Blocks = append(sub.Blocks,
			Para{c.T("次のいずれかに当たる場合は、ご請求の全部又は一部にお応えできないことがあります。その場合は、その旨を遅滞なくお知らせします。",
				"We may be unable to meet a request in whole or in part in the following cases. If so, we tell you without delay.")},
			List{Items: grounds})
	}
	if len(hidden) > 0 {
		sub.Blocks = append(sub.Blocks,
			Para{c.T("また、その存否を明らかにすることが次のいずれかに当たる個人情報は、保有個人データに当たらないため、開示等のご請求の対象になりません。",
				"Personal information whose very existence, if revealed, would fall under one of the following cases is not retained personal data, and these requests do not reach it.")},
			List{Items: hidden})
	}
	return sub
}

// aSecurityHeadings are the headings of the security measures in the order
// of the PPC guidelines (令10(1)).
var aSecurityHeadings = []struct {
	id, ja, en string
	get        func(*ledger.SecurityMeasures) []ledger.Text
}{
	{"basic-policy", "基本方針の策定", "Basic policy", func(m *ledger.SecurityMeasures) []ledger.Text { return m.BasicPolicy }},
	{"rules", "個人データの取扱いに係る規律の整備", "Rules for handling personal data", func(m *ledger.SecurityMeasures) []ledger.Text { return m.Rules }},
	{"organizational", "組織的安全管理措置", "Organisational measures", func(m *ledger.SecurityMeasures) []ledger.Text { return m.Organizational }},
	{"human", "人的安全管理措置", "Human measures", func(m *ledger.SecurityMeasures) []ledger.Text { return m.Human }},
	{"physical", "物理的安全管理措置", "Physical measures", func(m *ledger.SecurityMeasures) []ledger.Text { return m.Physical }},
	{"technical", "技術的安全管理措置", "Technical measures", func(m *ledger.SecurityMeasures) []ledger.Text { return m.Technical }},
	{"external-environment", "外的環境の把握", "Understanding the external environment", func(m *ledger.SecurityMeasures) []ledger.Text { return m.ExternalEnvironment }},
}

// aSecurity is the security measures (APPI Art. 23, 32(1)(iv); 令10(1)), by
// heading.
func aSecurity(c *Ctx) *Section {
	s := &Section{Heading: c.T("安全管理措置", "Security measures"),
		Blocks: []Block{Para{c.T(
			"当社は、取り扱う個人データの漏えい、滅失又は毀損の防止その他の安全管理のため、次の措置を講じています。",
			"To prevent leaks, loss and damage of the personal data we handle, and otherwise to keep it safe, we take the following measures.")}}}
	for _, h := range aSecurityHeadings {
		var items []string
		for _, t := range h.get(&c.L.SecurityMeasures) {
			if v := aProse(c, t); v != "" {
				items = append(items, v)
			}
		}
		if len(items) == 0 {
			continue
		}
		s.Subs = append(s.Subs, &Section{ID: "security-" + h.id, Heading: c.T(h.ja, h.en), Blocks: []Block{List{Items: items}}})
	}
	if len(s.Subs) == 0 {
		return nil
	}
	return s
}

// aDesk is the complaint desk (APPI Art. 32(1)(iv), 40; 令10(2)) with its
// hours and closing days, and the accredited organisation (令10(3)).
func aDesk(c *Ctx) *Section {
	l := c.L
	d := l.ComplaintDesk
	var facts []Fact
	add := func(term, text string) {
		if text != "" {
			facts = append(facts, Fact{term, text})
		}
	}
	add(c.T("窓口", "Desk"), c.In(d.Name))
	add(c.T("住所", "Address"), c.In(d.Address))
	add(c.T("電話番号", "Telephone"), strings.Join(d.Phone, c.T("／", ", ")))
	add(c.T("FAX", "Fax"), strings.TrimSpace(d.Fax))
	add(c.T("メールアドレス", "E-mail"), strings.TrimSpace(d.Email))
	add(c.T("受付時間", "Hours"), aHours(c, d.Hours))
	add(c.T("休業日", "Closed"), aClosingDays(c, d.Hours, l.Calendar))
	s := &Section{Heading: c.T("苦情・相談窓口", "Complaints and inquiries")}
	if len(facts) > 0 {
		s.Blocks = append(s.Blocks,
			Para{c.T("当社の個人情報の取扱いに関する苦情、ご相談及び開示等のご請求に関するお問い合わせは、次の窓口までお申し出ください。当社は、苦情を適切かつ迅速に処理するよう努めます。",
				"Please bring complaints, questions and inquiries about requests concerning our handling of personal information to the desk below. We strive to deal with complaints properly and promptly.")},
			Facts{facts})
	}
	for _, t := range []ledger.Text{d.Notes, l.Calendar.Notes} {
		if n := aProse(c, t); n != "" {
			s.Blocks = append(s.Blocks, Para{aSentence(c, n)})
		}
	}
	if a := l.AccreditedOrganization; a != nil && !a.Name.Empty() {
		var af []Fact
		add := func(term, text string) {
			if text != "" {
				af = append(af, Fact{term, text})
			}
		}
		add(c.T("名称", "Name"), c.In(a.Name))
		add(c.T("苦情の解決の申出先", "Where to complain"), c.In(a.Desk))
		add(c.T("住所", "Address"), c.In(a.Address))
		add(c.T("電話番号", "Telephone"), strings.Join(a.Phone, c.T("／", ", ")))
		if a.Hours != nil {
			add(c.T("受付時間", "Hours"), aHours(c, *a.Hours))
		}
		s.Subs = append(s.Subs, &Section{ID: "accredited-organization",
			Heading: c.T("認定個人情報保護団体", "Accredited personal information protection organisation"),
			Blocks: []Block{
				Para{c.T("当社は、次の認定個人情報保護団体の対象事業者です。当社の個人情報の取扱いに関する苦情は、この団体にお申し出いただくこともできます。",
					"We are a member business of the following accredited personal information protection organisation. You may also take complaints about our handling of personal information to it.")},
				Facts{af},
			}})
	}
	if len(s.Blocks) == 0 && len(s.Subs) == 0 {
		return nil
	}
	return s
}

var aWeekOrder = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var aWeekdayNames = map[string][2]string{
	"mon": {"月曜日", "Monday"}, "tue": {"火曜日", "Tuesday"}, "wed": {"水曜日", "Wednesday"},
	"thu": {"木曜日", "Thursday"}, "fri": {"金曜日", "Friday"}, "sat": {"土曜日", "Saturday"}, "sun": {"日曜日", "Sunday"},
}

// aDayRuns writes a set of weekdays as runs: 月曜日～金曜日, Monday to
// Friday; 月曜日・水曜日.
func aDayRuns(c *Ctx, days []string) string {
	var parts []string
	for i := 0; i < len(aWeekOrder); {
		if !slices.Contains(days, aWeekOrder[i]) {
			i++
			continue
		}
		j := i
		for j+1 < len(aWeekOrder) && slices.Contains(days, aWeekOrder[j+1]) {
			j++
		}
		first, last := aName(c, aWeekdayNames, aWeekOrder[i]), aName(c, aWeekdayNames, aWeekOrder[j])
		switch {
		case j-i >= 2:
			parts = append(parts, first+c.T("～", " to ")+last)
		case j > i:
			parts = append(parts, first, last)
		default:
			parts = append(parts, first)
		}
		i = j + 1
	}
	if c.Lang == "en" {
		return aList(c, parts)
	}
	return strings.Join(parts, "・")
}

func aClock(k ledger.Clock) string {
	return strconv.Itoa(k.Minutes/60) + ":" + fmt.Sprintf("%02d", k.Minutes%60)
}

// aHours writes business hours in words: 月曜日～金曜日 9:00～17:00.
func aHours(c *Ctx, h ledger.Hours) string {
	if !h.Open.Set || !h.Close.Set {
		return ""
	}
	span := aClock(h.Open) + c.T("～", "–") + aClock(h.Close)
	var days string
	known := 0
	for _, d := range aWeekOrder {
		if slices.Contains(h.Days, d) {
			known++
		}
	}
	switch {
	case known == 0:
		return span
	case known == 7:
		days = c.T("毎日", "Every day")
	default:
		days = aDayRuns(c, h.Days)
	}
	return days + c.T(" ", ", ") + span
}

// aClosingDays writes the days the desk is closed: the weekdays it does
// not open, national holidays (unless the calendar says otherwise), the
// year-end closure and the company's own closing days.
func aClosingDays(c *Ctx, h ledger.Hours, cal ledger.Calendar) string {
	var parts []string
	if len(h.Days) > 0 {
		var closed []string
		for _, d := range aWeekOrder {
			if !slices.Contains(h.Days, d) {
				closed = append(closed, d)
			}
		}
		switch {
		case len(closed) == 2 && closed[0] == "sat" && closed[1] == "sun":
			parts = append(parts, c.T("土日", "weekends"))
		case len(closed) > 0:
			parts = append(parts, aDayRuns(c, closed))
		}
	}
	if cal.NationalHolidays == nil || *cal.NationalHolidays {
		parts = append(parts, c.T("祝日", "national holidays"))
	}
	if from, to, ok := aYearEnd(cal.YearEnd); ok {
		if c.Lang == "en" {
			parts = append(parts, fmt.Sprintf("the year end (%d %s to %d %s)", from.Day(), from.Month(), to.Day(), to.Month()))
		} else {
			parts = append(parts, fmt.Sprintf("年末年始（%d月%d日～%d月%d日）", from.Month(), from.Day(), to.Month(), to.Day()))
		}
	}
	var own []string
	days := slices.Clone(cal.ClosingDays)
	slices.SortFunc(days, func(a, b ledger.Date) int { return a.Time(time.UTC).Compare(b.Time(time.UTC)) })
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j].Time(time.UTC).AddDate(0, 0, 1).Equal(days[j+1].Time(time.UTC)) {
			j++
		}
		own = append(own, aDateRange(c, days[i], days[j]))
		i = j + 1
	}
	if len(own) > 0 {
		parts = append(parts, c.T("当社の休業日（"+strings.Join(own, "、")+"）", "our own closing days ("+strings.Join(own, "; ")+")"))
	}
	if len(parts) == 0 {
		return ""
	}
	if c.Lang == "en" {
		s := aList(c, parts)
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return strings.Join(parts, "・")
}

// aYearEnd reads MM-DD..MM-DD.
func aYearEnd(s string) (from, to time.Time, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "..")
	if !found {
		return from, to, false
	}
	f, err1 := time.Parse("01-02", a)
	t, err2 := time.Parse("01-02", b)
	if err1 != nil || err2 != nil {
		return from, to, false
	}
	return f, t, true
}

// aDateRange writes a run of days: 令和8年8月12日～8月14日, 12 to 14
// August 2026.
func aDateRange(c *Ctx, a, b ledger.Date) string {
	if a == b {
		return c.Date(a)
	}
	if c.Lang == "en" {
		if a.Year == b.Year && a.Month == b.Month {
			return fmt.Sprintf("%d to %s", a.Day, c.Date(b))
		}
		return c.Date(a) + " to " + c.Date(b)
	}
	if a.Year == b.Year {
		return c.Date(a) + fmt.Sprintf("～%d月%d日", b.Month, b.Day)
	}
	return c.Date(a) + "～" + c.Date(b)
}

// aProse is a ledger text written as prose, in the notice's language. YAML
// folds the lines of a long text (>-) with spaces, which Japanese does not
// put between its characters; they are taken out again there.
func aProse(c *Ctx, t ledger.Text) string {
	s := c.In(t)
	if c.Lang == "en" || !strings.Contains(s, " ") {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	for i, ch := range r {
		if ch == ' ' && i > 0 && i+1 < len(r) && aWide(r[i-1]) && aWide(r[i+1]) {
			continue
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// aWide reports whether r is a Japanese (or other full-width) character.
func aWide(r rune) bool { return r >= 0x2E80 }

// aSentence ends a text as a sentence: with 。 in Japanese, a full stop in
// English.
func aSentence(c *Ctx, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	last := r[len(r)-1]
	if c.Lang == "en" {
		if strings.ContainsRune(".!?", last) {
			return s
		}
		return s + "."
	}
	if strings.ContainsRune("。！？", last) {
		return s
	}
	return s + "。"
}

// aParagraphs splits a ledger text at blank lines.
func aParagraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// aList joins words: 氏名、住所 or "name, address and phone".
func aList(c *Ctx, s []string) string { return aJoinWords(c, s, "and") }

// aEnum enumerates names in a table or a list of facts: 氏名、住所 or
// "Name, Address"; names may hold "and" themselves, so none is added.
func aEnum(c *Ctx, s []string) string { return strings.Join(s, c.T("、", ", ")) }

// aListOr joins alternatives: 書面又は電子メール, "paper or e-mail".
func aListOr(c *Ctx, s []string) string {
	if c.Lang != "en" && len(s) > 1 {
		return strings.Join(s[:len(s)-1], "、") + "又は" + s[len(s)-1]
	}
	return aJoinWords(c, s, "or")
}

func aJoinWords(c *Ctx, s []string, conj string) string {
	if c.Lang != "en" {
		return strings.Join(s, "、")
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

func aJoinNonEmpty(sep string, s ...string) string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// aYen writes an amount: 1,000円, 1,000 yen.
func aYen(c *Ctx, n int) string { return ledger.Yen(n, c.Lang) }

// aCount writes a count of things in English: one document, two documents.
func aCount(n int, one, many string) string {
	if n == 1 {
		return "one " + one
	}
	return aNumber(n) + " " + many
}

// aNumber writes small numbers in words, as English prose does.
func aNumber(n int) string {
	if n >= 0 && n < 10 {
		return [...]string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}[n]
	}
	return strconv.Itoa(n)
}
