package notice

// What the law requires the first half of the notice to publish: the
// business (APPI Art. 32(1)(i)), the purposes of retained personal data
// (32(1)(ii)), the request procedure and fees (32(1)(iii), 37, 38; 令12),
// the security measures (32(1)(iv); 令10(1)), the complaint desk (令10(2)),
// the accredited organisation when there is one (令10(3)), and the policy
// statement (JIS Q 15001 5.2).

import (
	"fmt"
	"slices"

	"hogo.example.jp/hogo/ledger"
)

// aRequirements and aEachRules are this file's rules, kept apart as well so
// that the tests can run them alone.
var (
	aRequirements []Requirement
	aEachRules    []func(l *ledger.Ledger) []Missing
)

func aRequire(r Requirement) {
	aRequirements = append(aRequirements, r)
	require(r)
}

func aRequireEach(f func(l *ledger.Ledger) []Missing) {
	aEachRules = append(aEachRules, f)
	requireEach(f)
}

// aPos is the first of ps that points into the file: the node itself, or
// else the nearest enclosing one.
func aPos(ps ...ledger.Pos) ledger.Pos {
	for _, p := range ps {
		if p.Line > 0 {
			return p
		}
	}
	return ledger.Pos{Line: 1, Col: 1}
}

// aOrgText is a requirement on a text of the organisation.
func aOrgText(path, ja, en string, get func(o *ledger.Organization) ledger.Text) Requirement {
	return Requirement{Path: path, Law: "APPI Art. 32(1)(i)", Ja: ja, En: en,
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			t := get(&l.Organization)
			return t.Empty(), aPos(t.Pos, l.Organization.Pos, l.Pos)
		}}
}

func aDisclosable(c *ledger.Category) bool { return c.Disclosable == nil || *c.Disclosable }

func aFeeCharged(r *ledger.RequestRules) bool {
	for _, f := range r.Fees {
		if f != nil && f.Amount > 0 {
			return true
		}
	}
	return false
}

func init() {
	// APPI Art. 32(1)(i): the name, address and, for a corporation, the
	// representative's name.
	aRequire(aOrgText("organization.name", "事業者の名称", "the company's name",
		func(o *ledger.Organization) ledger.Text { return o.Name }))
	aRequire(aOrgText("organization.address", "事業者の住所", "the company's address",
		func(o *ledger.Organization) ledger.Text { return o.Address }))
	aRequire(aOrgText("organization.representative", "代表者の氏名", "the representative's name",
		func(o *ledger.Organization) ledger.Text { return o.Representative }))

	// APPI Art. 32(1)(ii): the purposes of all retained personal data. A
	// category held for a client (disclosable: false) is not the company's
	// retained personal data.
	aRequireEach(func(l *ledger.Ledger) []Missing {
		var out []Missing
		reported := map[string]bool{}
		for _, c := range l.Categories {
			if !aDisclosable(c) {
				continue
			}
			name := c.Name.Ja
			if name == "" {
				name = c.ID
			}
			stated := 0
			for _, r := range c.Purposes {
				p := l.Purpose(r.ID)
				switch {
				case p == nil:
				case p.Description.Empty():
					if reported[p.ID] {
						continue
					}
					reported[p.ID] = true
					out = append(out, Missing{Path: fmt.Sprintf("purposes[%s].description", p.ID), Law: "APPI Art. 17(1), 32(1)(ii)",
						Ja:  fmt.Sprintf("利用目的「%s」の内容（種別「%s」で使われています）", p.ID, name),
						En:  fmt.Sprintf("the wording of purpose %q (used by category %q)", p.ID, c.ID),
						Pos: aPos(p.Description.Pos, p.Pos, l.Pos)})
				default:
					stated++
				}
			}
			if stated == 0 {
				out = append(out, Missing{Path: fmt.Sprintf("categories[%s].purposes", c.ID), Law: "APPI Art. 32(1)(ii)",
					Ja:  fmt.Sprintf("種別「%s」の利用目的", name),
					En:  fmt.Sprintf("the purposes of category %q", c.ID),
					Pos: aPos(c.Pos, l.Pos)})
			}
		}
		return out
	})

	// APPI Art. 32(1)(iii), 37(1); 令12(1): where requests are made.
	aRequire(Requirement{Path: "requests.channels", Law: "APPI Art. 32(1)(iii), 37(1); 令12(1)",
		Ja: "開示等の請求の申出先（受付方法）", En: "where requests for disclosure and other rights are made (channels)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			return len(l.Requests.Channels) == 0, aPos(l.Requests.Pos, l.Pos)
		}})
	// Each channel needs an address to send to: the desk's, or for post
	// the company's.
	aRequireEach(func(l *ledger.Ledger) []Missing {
		d := l.ComplaintDesk
		var out []Missing
		for _, ch := range l.Requests.Channels {
			var path, ja, en string
			switch ch {
			case "post", "desk":
				if d.Address.Empty() && l.Organization.Address.Empty() {
					path, ja, en = "complaint_desk.address", "郵送・持参による開示等の請求の送付先（住所）", "the address to which requests by post or in person go"
				}
			case "email":
				if d.Email == "" {
					path, ja, en = "complaint_desk.email", "電子メールによる開示等の請求の送付先（メールアドレス）", "the e-mail address to which requests by e-mail go"
				}
			case "fax":
				if d.Fax == "" {
					path, ja, en = "complaint_desk.fax", "FAXによる開示等の請求の送付先（FAX番号）", "the fax number to which requests by fax go"
				}
			case "phone":
				if len(d.Phone) == 0 {
					path, ja, en = "complaint_desk.phone", "電話による開示等の請求の受付番号", "the telephone number on which requests are received"
				}
			}
			if path != "" {
				out = append(out, Missing{Path: path, Law: "APPI Art. 32(1)(iii), 37(1); 令12(1)", Ja: ja, En: en,
					Pos: aPos(l.Requests.Pos, d.Pos, l.Pos)})
			}
		}
		return out
	})
	// 令12(2): the form or manner of a request.
	aRequire(Requirement{Path: "requests.procedure", Law: "APPI Art. 32(1)(iii), 37(1); 令12(2)",
		Ja: "開示等の請求の方式（請求書の様式又は手続の説明）", En: "how a request is made (the request form or the procedure)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			r := &l.Requests
			return r.Form.Empty() && r.Procedure.Empty(), aPos(r.Procedure.Pos, r.Form.Pos, r.Pos, l.Pos)
		}})
	// 令12(3): how the requester is verified as the principal or agent.
	aRequire(Requirement{Path: "requests.id_documents", Law: "APPI Art. 32(1)(iii), 37(1); 令12(3)",
		Ja: "本人確認の方法（本人確認書類）", En: "how the requester's identity is verified (identity documents)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			r := &l.Requests
			none := len(r.IDDocuments.Photo) == 0 && len(r.IDDocuments.NonPhoto) == 0 && len(r.Verification) == 0
			return none, aPos(r.IDDocuments.Pos, r.Pos, l.Pos)
		}})
	// APPI Art. 32(1)(iii), 38: a fee that is charged must be published
	// with its amount: a fee entry, a payment method or holding the answer
	// for payment all say a fee is charged.
	aRequire(Requirement{Path: "requests.fees", Law: "APPI Art. 32(1)(iii), 38",
		Ja: "手数料の額", En: "the amount of the fee",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			r := &l.Requests
			for _, t := range ledger.RequestTypes {
				if f := r.Fees[t]; f != nil && f.Amount == 0 && !f.Method.Empty() {
					return true, aPos(f.Pos, r.Pos, l.Pos)
				}
			}
			signalled := len(r.Fees) > 0 || len(r.FeePayment) > 0 || r.AnswerAfterPayment
			return signalled && !aFeeCharged(r), aPos(r.Pos, l.Pos)
		}})
	// 令12(4): how a fee that is charged is collected.
	aRequire(Requirement{Path: "requests.fee_payment", Law: "APPI Art. 32(1)(iii); 令12(4)",
		Ja: "手数料の徴収方法", En: "how the fee is paid",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			r := &l.Requests
			if !aFeeCharged(r) || len(r.FeePayment) > 0 || !r.FeeNote.Empty() {
				return false, ledger.Pos{}
			}
			for _, f := range r.Fees {
				if f != nil && f.Amount > 0 && !f.Method.Empty() {
					return false, ledger.Pos{}
				}
			}
			return true, aPos(r.Pos, l.Pos)
		}})

	// APPI Art. 23, 32(1)(iv); 令10(1): the security measures taken.
	aRequire(Requirement{Path: "security_measures", Law: "APPI Art. 23, 32(1)(iv); 令10(1)",
		Ja: "安全管理措置", En: "the security measures",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			for _, h := range aSecurityHeadings {
				if slices.ContainsFunc(h.get(&l.SecurityMeasures), func(t ledger.Text) bool { return !t.Empty() }) {
					return false, ledger.Pos{}
				}
			}
			return true, aPos(l.SecurityMeasures.Pos, l.Pos)
		}})
	// Once measures are published, each heading of the PPC guidelines;
	// the external environment only where personal data goes abroad.
	aRequireEach(func(l *ledger.Ledger) []Missing {
		m := &l.SecurityMeasures
		given := map[string]bool{}
		some := false
		for _, h := range aSecurityHeadings {
			given[h.id] = slices.ContainsFunc(h.get(m), func(t ledger.Text) bool { return !t.Empty() })
			some = some || given[h.id]
		}
		if !some {
			return nil // the requirement above reports it once
		}
		abroad := slices.ContainsFunc(l.Processors, func(p *ledger.Processor) bool { return p.Foreign != nil }) ||
			slices.ContainsFunc(l.Recipients, func(r *ledger.Recipient) bool { return r.Foreign != nil })
		var out []Missing
		for _, h := range aSecurityHeadings {
			if given[h.id] || (h.id == "external-environment" && !abroad) {
				continue
			}
			ja, en := h.ja, h.en
			if h.id == "external-environment" {
				ja += "（個人データを取り扱う外国の名称と、その制度を把握したうえで講じる措置）"
				en += " (the foreign countries where personal data is handled, and the measures taken knowing their regimes)"
			}
			out = append(out, Missing{Path: "security_measures." + aSecurityKey(h.id), Law: "APPI Art. 23, 32(1)(iv); 令10(1)",
				Ja: "安全管理措置のうち「" + ja + "」", En: "the security measures under “" + en + "”",
				Pos: aPos(m.Pos, l.Pos)})
		}
		return out
	})

	// 令10(2): where complaints go, and a way to reach it.
	aRequire(Requirement{Path: "complaint_desk.name", Law: "APPI Art. 32(1)(iv), 40; 令10(2)",
		Ja: "苦情の申出先（窓口の名称）", En: "where complaints go (the desk's name)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			d := &l.ComplaintDesk
			return d.Name.Empty(), aPos(d.Name.Pos, d.Pos, l.Pos)
		}})
	aRequire(Requirement{Path: "complaint_desk", Law: "APPI Art. 32(1)(iv), 40; 令10(2)",
		Ja: "苦情の申出先の連絡先（電話番号、メールアドレス、FAX番号又は住所）",
		En: "a way to reach the complaint desk (telephone, e-mail, fax or address)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			d := &l.ComplaintDesk
			none := len(d.Phone) == 0 && d.Email == "" && d.Fax == "" && d.Address.Empty()
			return none, aPos(d.Pos, l.Pos)
		}})
	// 令10(3): the accredited organisation's name and where its complaints
	// go, when the company belongs to one.
	aRequire(Requirement{Path: "accredited_organization.desk", Law: "APPI Art. 32(1)(iv); 令10(3)",
		Ja: "認定個人情報保護団体の名称及び苦情の解決の申出先", En: "the accredited organisation's name and where it takes complaints",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			a := l.AccreditedOrganization
			if a == nil {
				return false, ledger.Pos{}
			}
			return a.Name.Empty() || a.Desk.Empty(), aPos(a.Desk.Pos, a.Pos, l.Pos)
		}})

	// JIS Q 15001 5.2: the protection policy, with the day it was
	// established.
	aRequire(Requirement{Path: "policy.statement", Law: "JIS Q 15001 5.2",
		Ja: "個人情報保護方針", En: "the personal information protection policy",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			p := &l.Policy
			none := p.Statement.Empty() && !slices.ContainsFunc(p.Commitments, func(t ledger.Text) bool { return !t.Empty() })
			return none, aPos(p.Statement.Pos, p.Pos, l.Pos)
		}})
	aRequire(Requirement{Path: "policy.established", Law: "JIS Q 15001 5.2",
		Ja: "個人情報保護方針の制定日", En: "the day the policy was established",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			p := &l.Policy
			return p.Established.IsZero(), aPos(p.Pos, l.Pos)
		}})
}

// aSecurityKey is the ledger key of a security heading.
func aSecurityKey(id string) string {
	switch id {
	case "basic-policy":
		return "basic_policy"
	case "external-environment":
		return "external_environment"
	}
	return id
}
