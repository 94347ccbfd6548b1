package notice

import (
	"fmt"

	"hogo.example.jp/hogo/ledger"
)

// What the law requires the second half of the notice to publish (see
// sections_b.go). Rules over lists report every entry that lacks
// something, at the entry (or the field, when it is there but empty), so
// that each problem prints as FILE:LINE.

func init() {
	requireEach(bCheckJointUses)
	requireEach(bCheckForeign)
	requireEach(bCheckOptOut)
	requireEach(bCheckExternal)
	require(Requirement{
		Path: "anonymized.item_categories",
		Law:  "APPI Art. 43(3)",
		Ja:   "作成する匿名加工情報に含まれる個人に関する情報の項目",
		En:   "the list of items of information about individuals that the anonymised information contains",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			a := l.Anonymized
			if a == nil {
				return false, ledger.Pos{}
			}
			return bNoText(a.ItemCategories), bAt(a.Pos, l.Pos)
		},
	})
	require(Requirement{
		Path: "pseudonymized.purposes",
		Law:  "APPI Art. 41(4)",
		Ja:   "仮名加工情報の利用目的",
		En:   "the statement of the purposes of the pseudonymised information",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			p := l.Pseudonymized
			if p == nil {
				return false, ledger.Pos{}
			}
			return bNoText(p.Purposes), bAt(p.Pos, l.Pos)
		},
	})
	require(Requirement{
		Path: "retention_policy.statement",
		Law:  "APPI Art. 22; JIS Q 15001",
		Ja:   "保存期間と消去についての方針（保存期間の経過後に消去すること、消去しない場合）",
		En:   "the retention statement (that information is erased once its period ends, and when it is not)",
		Missing: func(l *ledger.Ledger) (bool, ledger.Pos) {
			rp := l.RetentionPolicy
			return rp.Statement.Empty(), bAt(rp.Statement.Pos, bAt(rp.Pos, l.Pos))
		},
	})
}

// bAt is p, or else when p is unset (the key is absent).
func bAt(p, orElse ledger.Pos) ledger.Pos {
	if p.Line == 0 {
		return orElse
	}
	return p
}

// bNoText reports whether ts holds no text.
func bNoText(ts []ledger.Text) bool {
	for _, t := range ts {
		if !t.Empty() {
			return false
		}
	}
	return true
}

// bCheckJointUses: each joint use's five items (APPI Art. 27(5)(3)): the
// fact of joint use (the categories), the items, the scope of users, their
// purposes, and the responsible party's name, address and representative.
func bCheckJointUses(l *ledger.Ledger) []Missing {
	const law = "APPI Art. 27(5)(iii)"
	var out []Missing
	for i, j := range l.JointUses {
		path := fmt.Sprintf("joint_uses[%d]", i)
		miss := func(field, ja, en string, pos ledger.Pos) {
			out = append(out, Missing{Path: path + "." + field, Law: law, Ja: ja, En: en, Pos: bAt(pos, j.Pos)})
		}
		if len(j.Categories) == 0 {
			miss("categories", "共同利用する個人データの種別（共同利用をする旨）", "the list of categories used jointly (the fact of joint use)", j.Pos)
		}
		if j.Items.Empty() {
			miss("items", "共同して利用される個人データの項目", "the list of items used jointly", j.Items.Pos)
		}
		if j.Users.Empty() {
			miss("users", "共同して利用する者の範囲", "the scope of the joint users", j.Users.Pos)
		}
		if j.Purposes.Empty() {
			miss("purposes", "利用する者の利用目的", "the statement of the joint users' purposes", j.Purposes.Pos)
		}
		r := j.Responsible
		if r == nil {
			miss("responsible", "個人データの管理について責任を有する者（名称、住所、代表者）",
				"the party responsible for the data (name, address, representative)", j.Pos)
			continue
		}
		at := bAt(r.Pos, j.Pos)
		if r.Name.Empty() {
			miss("responsible.name", "管理について責任を有する者の氏名又は名称", "the name of the party responsible", bAt(r.Name.Pos, at))
		}
		if r.Address.Empty() {
			miss("responsible.address", "管理について責任を有する者の住所", "the address of the party responsible", bAt(r.Address.Pos, at))
		}
		if r.Representative.Empty() {
			miss("responsible.representative", "管理について責任を有する者の代表者の氏名", "the representative of the party responsible", bAt(r.Representative.Pos, at))
		}
	}
	return out
}

// bCheckForeign: for each recipient and processor abroad, the country; and
// unless the country is one the PPC recognises (EU, UK), its regime and
// the recipient's measures: given before consent (APPI Art. 28(2), 則17(2))
// or on request when the recipient keeps an equivalent system (Art. 28(3),
// 則18(3)).
func bCheckForeign(l *ledger.Ledger) []Missing {
	var out []Missing
	check := func(path string, f *ledger.Foreign, entry ledger.Pos) {
		if f == nil {
			return
		}
		law := "APPI Art. 28(2), 則17(2)"
		switch f.Basis {
		case "eu_uk":
			law = "APPI Art. 28(1)"
		case "equivalent_system":
			law = "APPI Art. 28(3), 則18(3)"
		}
		at := bAt(f.Pos, entry)
		if f.Country.Empty() {
			out = append(out, Missing{Path: path + ".foreign.country", Law: law, Ja: "提供先の所在する外国の名称",
				En: "the country the recipient is in", Pos: bAt(f.Country.Pos, at)})
		}
		if f.Basis == "eu_uk" {
			return
		}
		if f.Regime.Empty() {
			out = append(out, Missing{Path: path + ".foreign.regime", Law: law, Ja: "当該外国における個人情報の保護に関する制度に関する情報",
				En: "information on the country's system for protecting personal information", Pos: bAt(f.Regime.Pos, at)})
		}
		if f.Measures.Empty() {
			out = append(out, Missing{Path: path + ".foreign.measures", Law: law, Ja: "提供先が講ずる個人情報の保護のための措置に関する情報",
				En: "information on the measures the recipient takes to protect personal information", Pos: bAt(f.Measures.Pos, at)})
		}
	}
	for i, r := range l.Recipients {
		check(fmt.Sprintf("recipients[%d]", i), r.Foreign, r.Pos)
	}
	for i, p := range l.Processors {
		check(fmt.Sprintf("processors[%d]", i), p.Foreign, p.Pos)
	}
	return out
}

// bCheckOptOut: what APPI Art. 27(2) requires to be made known for a
// provision by opt-out that the ledger can hold: the items provided, how
// they are acquired (the sources of the categories provided) and how they
// are provided. The provider's name, address and representative, and the
// desk receiving requests, are required of every ledger by its validator.
func bCheckOptOut(l *ledger.Ledger) []Missing {
	var out []Missing
	for i, r := range l.Recipients {
		if r.Basis != ledger.BasisOptOut {
			continue
		}
		path := fmt.Sprintf("recipients[%d]", i)
		if r.Items.Empty() {
			out = append(out, Missing{Path: path + ".items", Law: "APPI Art. 27(2)(iii)", Ja: "オプトアウトにより提供する個人データの項目",
				En: "the list of items provided by opt-out", Pos: bAt(r.Items.Pos, r.Pos)})
		}
		if len(bProvidedBy(l, r.ID)) == 0 {
			out = append(out, Missing{Path: "categories[].recipients", Law: "APPI Art. 27(2)(iv)",
				Ja: fmt.Sprintf("オプトアウトの提供先「%s」に提供する個人情報の種別（個人データの取得の方法を公表するため）", r.ID),
				En: fmt.Sprintf("a category provided to the opt-out recipient %q (to publish how the data is acquired)", r.ID), Pos: r.Pos})
		}
		if r.Method.Empty() {
			out = append(out, Missing{Path: path + ".method", Law: "APPI Art. 27(2)(v)", Ja: "オプトアウトによる提供の方法",
				En: "how the data is provided by opt-out", Pos: bAt(r.Method.Pos, r.Pos)})
		}
	}
	return out
}

// bCheckExternal: each external transmission's recipient, the information
// sent and its purpose (電気通信事業法 Art. 27-12).
func bCheckExternal(l *ledger.Ledger) []Missing {
	const law = "電気通信事業法 Art. 27-12"
	var out []Missing
	for i, x := range l.ExternalTransmissions {
		path := fmt.Sprintf("external_transmissions[%d]", i)
		if x.Recipient.Empty() {
			out = append(out, Missing{Path: path + ".recipient", Law: law, Ja: "情報の送信先となる事業者の名称",
				En: "the company the information is sent to", Pos: bAt(x.Recipient.Pos, x.Pos)})
		}
		if x.Information.Empty() {
			out = append(out, Missing{Path: path + ".information", Law: law, Ja: "送信される利用者に関する情報の内容",
				En: "the information about users that is sent", Pos: bAt(x.Information.Pos, x.Pos)})
		}
		if x.Purpose.Empty() {
			out = append(out, Missing{Path: path + ".purpose", Law: law, Ja: "送信される情報の利用目的",
				En: "the statement of the purposes the information is sent for", Pos: bAt(x.Purpose.Pos, x.Pos)})
		}
	}
	return out
}
