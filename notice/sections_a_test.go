package notice

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
)

var aTestExamples = []string{"staffing.yaml", "online-service.yaml", "bpo.yaml", "recruitment.yaml", "dental-staffing.yaml"}

func aTestLoad(t *testing.T, name string) *ledger.Ledger {
	t.Helper()
	data, err := examples.Ledgers.ReadFile("ledgers/" + name)
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(name, data)
	if l == nil {
		t.Fatalf("%s: %s", name, ps)
	}
	return l
}

// aTestText flattens a section: headings, paragraphs, list items, table
// cells and facts, one per line.
func aTestText(s *Section) string {
	var b strings.Builder
	var walk func(s *Section)
	walk = func(s *Section) {
		b.WriteString(s.Heading + "\n")
		for _, bl := range s.Blocks {
			switch v := bl.(type) {
			case Para:
				b.WriteString(v.Text + "\n")
			case List:
				b.WriteString(strings.Join(v.Items, "\n") + "\n")
			case Table:
				b.WriteString(v.Caption + "\n" + strings.Join(v.Header, " | ") + "\n")
				for _, r := range v.Rows {
					b.WriteString(strings.Join(r, " | ") + "\n")
				}
			case Facts:
				for _, f := range v.Rows {
					b.WriteString(f.Term + ": " + f.Text + "\n")
				}
			}
		}
		for _, sub := range s.Subs {
			walk(sub)
		}
	}
	walk(s)
	return b.String()
}

// aTestParas lists every paragraph of a section and its parts.
func aTestParas(s *Section) []string {
	var out []string
	for _, bl := range s.Blocks {
		if p, ok := bl.(Para); ok {
			out = append(out, p.Text)
		}
	}
	for _, sub := range s.Subs {
		out = append(out, aTestParas(sub)...)
	}
	return out
}

// aTestSquash drops all white space, so that a ledger text folded over
// lines (YAML >-) is found however the notice joins its lines.
func aTestSquash(s string) string { return strings.Join(strings.Fields(s), "") }

func aTestYen(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestSectionsAExamples builds the first half of the notice for the five
// example ledgers in both languages and checks that each section carries
// its key facts and reads as sentences.
func TestSectionsAExamples(t *testing.T) {
	ids := []string{"policy", "business", "purposes", "acquisition", "requests", "security", "desk"}
	for _, name := range aTestExamples {
		l := aTestLoad(t, name)
		for _, lang := range []string{"ja", "en"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				d := Build(l, lang)
				c := &Ctx{L: l, Lang: lang}
				sec := map[string]string{}
				var order []string
				for _, s := range d.Sections {
					if slices.Contains(ids, s.ID) {
						sec[s.ID] = aTestText(s)
						order = append(order, s.ID)
						for _, p := range aTestParas(s) {
							aTestSentence(t, lang, s.ID, p)
						}
					}
				}
				if !slices.Equal(order, ids) {
					t.Fatalf("sections %v, want %v in this order", order, ids)
				}
				want := func(id, what, s string) {
					t.Helper()
					if s = strings.TrimSpace(s); s == "" {
						return
					}
					if !strings.Contains(aTestSquash(sec[id]), aTestSquash(s)) {
						t.Errorf("%s: %s %q is missing", id, what, s)
					}
				}

				// policy: the statement, the commitments, the dates and who signs.
				want("policy", "statement", aProse(c, l.Policy.Statement))
				for _, cm := range l.Policy.Commitments {
					want("policy", "commitment", aProse(c, cm))
				}
				want("policy", "established", c.Date(l.Policy.Established))
				want("policy", "last revision", c.Date(l.EffectiveDate))
				want("policy", "signature", c.In(l.Policy.Signature))
				want("policy", "amendment", aProse(c, l.Policy.Amendment))

				// business: Art. 32(1)(i), the manager, the Privacy Mark.
				o := l.Organization
				want("business", "name", c.In(o.Name))
				want("business", "address", c.In(o.Address))
				want("business", "representative", c.In(o.Representative))
				want("business", "protection manager", c.In(o.ProtectionManager.Title))
				want("business", "protection manager's name", c.In(o.ProtectionManager.Name))
				want("business", "protection manager's e-mail", o.ProtectionManager.Email)
				if o.PrivacyMark != nil {
					want("business", "Privacy Mark number", o.PrivacyMark.Number)
				}

				// purposes: every purpose of every category, under it.
				for _, cat := range l.Categories {
					want("purposes", "category", aCategoryHeading(c, cat))
					for _, it := range cat.Items {
						want("purposes", "item of "+cat.ID, c.In(it.Name))
					}
					for _, r := range cat.Purposes {
						p := l.Purpose(r.ID)
						want("purposes", "purpose of "+cat.ID, strings.TrimRight(aProse(c, p.Description), "。."))
					}
				}
				for _, p := range l.Purposes {
					if p.ConsentRequired {
						want("purposes", "consent mark", c.T("（※）", "(*)"))
					}
				}

				// acquisition: every method a category uses, the providers.
				for _, cat := range l.Categories {
					for _, r := range cat.Sources {
						s := l.Source(r.ID)
						want("acquisition", "source", c.In(s.Name))
						want("acquisition", "provider", c.In(s.Provider))
					}
				}

				// requests: the channels' addresses, the documents, every fee.
				rq := l.Requests
				want("requests", "procedure", aProse(c, rq.Procedure))
				want("requests", "form", c.In(rq.Form))
				for _, ch := range rq.Channels {
					switch ch {
					case "email":
						want("requests", "e-mail", l.ComplaintDesk.Email)
					case "fax":
						want("requests", "fax", l.ComplaintDesk.Fax)
					}
				}
				for _, doc := range append(slices.Clone(rq.IDDocuments.Photo), rq.IDDocuments.NonPhoto...) {
					want("requests", "identity document", aName(c, aDocNames, doc))
				}
				for _, ev := range rq.AgentEvidence {
					want("requests", "agent's evidence", aProse(c, ev))
				}
				charged := false
				for _, typ := range ledger.RequestTypes {
					if f := rq.Fees[typ]; f != nil && f.Amount > 0 {
						charged = true
						want("requests", "fee for "+typ, aTestYen(f.Amount)+c.T("円", " yen"))
						want("requests", "fee method for "+typ, c.In(f.Method))
					}
				}
				if !charged {
					want("requests", "no fee", c.T("手数料はかかりません", "free of charge"))
				}
				for _, g := range rq.RefusalGrounds {
					want("requests", "refusal ground", aProse(c, g))
				}

				// security: every measure.
				for _, h := range aSecurityHeadings {
					for _, m := range h.get(&l.SecurityMeasures) {
						want("security", "measure", aProse(c, m))
					}
				}

				// desk: name, ways to reach it, hours, closing days, the
				// accredited organisation.
				dk := l.ComplaintDesk
				want("desk", "name", c.In(dk.Name))
				for _, p := range dk.Phone {
					want("desk", "phone", p)
				}
				want("desk", "fax", dk.Fax)
				want("desk", "e-mail", dk.Email)
				want("desk", "opening time", fmt.Sprintf("%d:%02d", dk.Hours.Open.Minutes/60, dk.Hours.Open.Minutes%60))
				want("desk", "closing time", fmt.Sprintf("%d:%02d", dk.Hours.Close.Minutes/60, dk.Hours.Close.Minutes%60))
				want("desk", "weekdays", c.T("月曜日～金曜日", "Monday to Friday"))
				want("desk", "weekends", c.T("土日", "eekends"))
				want("desk", "holidays", c.T("祝日", "national holidays"))
				if l.Calendar.YearEnd != "" {
					want("desk", "year end", c.T("年末年始（12月29日～1月3日）", "the year end (29 December to 3 January)"))
				}
				if cds := l.Calendar.ClosingDays; len(cds) > 0 {
					first, last := cds[0], cds[len(cds)-1]
					want("desk", "closing days", c.T(c.Date(first), fmt.Sprintf("%s %d", last.Month, last.Year)))
				}
				if a := l.AccreditedOrganization; a != nil {
					want("desk", "accredited organisation", c.In(a.Name))
					want("desk", "its desk", c.In(a.Desk))
					for _, p := range a.Phone {
						want("desk", "its phone", p)
					}
				}
			})
		}
	}
}

// aTestSentence checks that a paragraph reads as a sentence: Japanese ends
// with 。 and has no space left between Japanese characters by YAML's line
// folding; English ends with a full stop.
func aTestSentence(t *testing.T, lang, id, p string) {
	t.Helper()
	if lang == "en" {
		if !strings.HasSuffix(p, ".") {
			t.Errorf("%s: English paragraph does not end with a full stop: %q", id, p)
		}
		return
	}
	if !strings.HasSuffix(p, "。") {
		t.Errorf("%s: Japanese paragraph does not end with 。: %q", id, p)
	}
	r := []rune(p)
	for i := 1; i+1 < len(r); i++ {
		if r[i] == ' ' && utf8.RuneLen(r[i-1]) > 1 && utf8.RuneLen(r[i+1]) > 1 {
			t.Errorf("%s: a space between Japanese characters in %q", id, p)
			break
		}
	}
}

// TestSectionsAEnglishWords checks a few renderings of the English notice
// that are easy to get wrong.
func TestSectionsAEnglishWords(t *testing.T) {
	l := aTestLoad(t, "dental-staffing.yaml")
	d := Build(l, "en")
	var desk string
	for _, s := range d.Sections {
		if s.ID == "desk" {
			desk = aTestText(s)
		}
	}
	for _, w := range []string{"Monday to Friday, 10:30–18:00", "Weekends, national holidays, the year end (29 December to 3 January) and our own closing days (12 to 14 August 2026)"} {
		if !strings.Contains(desk, w) {
			t.Errorf("desk: %q is missing in\n%s", w, desk)
		}
	}
	ja := Build(l, "ja")
	for _, s := range ja.Sections {
		if s.ID == "desk" {
			txt := aTestText(s)
			for _, w := range []string{"月曜日～金曜日 10:30～18:00", "土日・祝日・年末年始（12月29日～1月3日）・当社の休業日（令和8年8月12日～8月14日）"} {
				if !strings.Contains(txt, w) {
					t.Errorf("desk: %q is missing in\n%s", w, txt)
				}
			}
		}
	}
}

// TestSectionsAEmpty: a ledger with nothing for a section gets no section,
// and a desk without an accredited organisation has no part for one.
func TestSectionsAEmpty(t *testing.T) {
	l := &ledger.Ledger{
		Organization: ledger.Organization{Name: ledger.Text{Ja: "株式会社テスト"}},
		ComplaintDesk: ledger.Desk{Name: ledger.Text{Ja: "お問い合わせ窓口"}, Email: "privacy@test.example.jp",
			Hours: ledger.Hours{Open: ledger.Clock{Minutes: 540, Set: true}, Close: ledger.Clock{Minutes: 1020, Set: true}}},
	}
	d := Build(l, "ja")
	var got []string
	for _, s := range d.Sections {
		switch s.ID {
		case "policy", "purposes", "acquisition", "requests", "security":
			t.Errorf("section %s built from a ledger with nothing for it:\n%s", s.ID, aTestText(s))
		case "desk":
			if len(s.Subs) != 0 {
				t.Errorf("desk has parts without an accredited organisation: %s", aTestText(s))
			}
			txt := aTestText(s)
			if !strings.Contains(txt, "9:00～17:00") || !strings.Contains(txt, "祝日") {
				t.Errorf("desk:\n%s", txt)
			}
		}
		got = append(got, s.ID)
	}
	if !slices.Contains(got, "business") || !slices.Contains(got, "desk") {
		t.Errorf("sections %v, want business and desk", got)
	}
}

// aTestCut removes the lines from the one starting with from up to (not
// including) the one starting with to.
func aTestCut(from, to string) func(string) string {
	return func(s string) string {
		i := strings.Index(s, "\n"+from)
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+1:], "\n"+to)
		if j < 0 {
			return s
		}
		return s[:i+1] + s[i+1+j+1:]
	}
}

// aTestDrop removes every occurrence of each string.
func aTestDrop(olds ...string) func(string) string {
	return func(s string) string {
		for _, o := range olds {
			s = strings.ReplaceAll(s, o, "")
		}
		return s
	}
}

// aTestReplace replaces old, which must be there, with new.
func aTestReplace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// aTestFire runs this file's requirements over l and returns the paths
// that fire, each with its position.
func aTestFire(l *ledger.Ledger) map[string]ledger.Pos {
	out := map[string]ledger.Pos{}
	for _, r := range aRequirements {
		if missing, pos := r.Missing(l); missing {
			out[r.Path] = pos
		}
	}
	for _, f := range aEachRules {
		for _, m := range f(l) {
			out[m.Path] = m.Pos
		}
	}
	return out
}

// TestSectionsARequirements blanks one legally required value at a time
// in a copy of an example ledger and checks that its requirement fires at
// a line of the file, and that none fires on the full examples.
func TestSectionsARequirements(t *testing.T) {
	for _, name := range aTestExamples {
		if got := aTestFire(aTestLoad(t, name)); len(got) != 0 {
			t.Errorf("%s: requirements fire on the full ledger: %v", name, got)
		}
	}
	cases := []struct {
		name, file string
		edit       func(string) string
		path       string // "" when nothing may fire
		at         string // when set, the problem points at the first line holding this
	}{
		{"name", "staffing.yaml", aTestDrop("  name: {ja: 株式会社ひので人材サービス, en: \"Hinode Staffing Co., Ltd.\"}\n"), "organization.name", ""},
		{"address", "staffing.yaml", aTestDrop("  address:\n    ja: 〒542-0000 大阪府大阪市中央区南船場九丁目9番9号 ひのでビル5階\n    en: Hinode Bldg. 5F, 9-9-9 Minamisenba, Chuo-ku, Osaka 542-0000\n"), "organization.address", ""},
		{"representative", "staffing.yaml", aTestDrop("  representative: {ja: 代表取締役 日野 太郎, en: \"Taro Hino, Representative Director\"}\n"), "organization.representative", ""},
		{"purposes of a disclosable category", "staffing.yaml", aTestReplace("\n    purposes: [client_management, sales]\n", "\n"), "categories[business_contact].purposes", "  - id: business_contact"},
		{"purposes of entrusted data", "staffing.yaml", aTestReplace("\n    purposes: [entrusted_work]\n", "\n"), "", ""},
		{"purpose wording", "staffing.yaml", aTestDrop("    description: {ja: 取引先管理のため, en: To manage our business relationships}\n"), "purposes[client_management].description", "  - id: client_management"},
		{"channels", "staffing.yaml", aTestDrop("  channels: [portal, phone, post]\n"), "requests.channels", ""},
		{"phone for the phone channel", "staffing.yaml", aTestDrop("  phone: [0120-000-209, 06-0000-7051]\n"), "complaint_desk.phone", "  types: [notify_purpose"},
		{"e-mail for the e-mail channel", "bpo.yaml", aTestReplace("  email: privacy@minato-process.example.jp\n  hours:", "  hours:"), "complaint_desk.email", ""},
		{"procedure and form", "staffing.yaml", func(s string) string {
			s = aTestCut("  procedure:", "  form:")(s)
			return aTestDrop("  form: {ja: 個人情報開示等請求書（当社所定書式）, en: Request form for disclosure etc. (our form)}\n")(s)
		}, "requests.procedure", ""},
		{"identity documents", "staffing.yaml", aTestCut("  id_documents:", "  agents:"), "requests.id_documents", ""},
		{"fee amounts", "staffing.yaml", aTestDrop("      amount: 1000\n"), "requests.fees", ""},
		{"fee payment", "staffing.yaml", func(s string) string {
			s = aTestCut("  fee_note:", "  fee_payment:")(s)
			return aTestDrop("      method: {ja: 郵便定額小為替の同封または銀行振込, en: \"Postal money order enclosed, or bank transfer\"}\n",
				"  fee_payment: [postal_money_order, bank_transfer]\n")(s)
		}, "requests.fee_payment", ""},
		{"security measures", "staffing.yaml", aTestCut("security_measures:", "breach_response:"), "security_measures", ""},
		{"human measures", "staffing.yaml", aTestCut("  human:", "  physical:"), "security_measures.human", "  basic_policy:"},
		{"external environment at home", "staffing.yaml", aTestCut("  external_environment:", "\nbreach_response:"), "", ""},
		{"external environment abroad", "recruitment.yaml", aTestCut("  external_environment:", "\nbreach_response:"), "security_measures.external_environment", ""},
		{"desk name", "staffing.yaml", aTestDrop("  name: {ja: 個人情報 苦情・相談窓口, en: Personal Information Complaints and Inquiries Desk}\n"), "complaint_desk.name", ""},
		{"desk contact", "online-service.yaml", aTestReplace("  email: privacy@komorebi-net.example.jp\n  hours:", "  hours:"), "complaint_desk", ""},
		{"accredited organisation's desk", "staffing.yaml", aTestDrop("  desk: {ja: 個人情報保護苦情相談室, en: Personal Information Protection Complaint Consultation Office}\n"), "accredited_organization.desk", "  name: {ja: 一般財団法人日本情報経済社会推進協会"},
		{"policy statement", "staffing.yaml", aTestCut("  statement:", "  established:"), "policy.statement", ""},
		{"policy established", "staffing.yaml", aTestDrop("  established: 2008-04-01\n"), "policy.established", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := examples.Ledgers.ReadFile("ledgers/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			edited := tc.edit(string(data))
			if edited == string(data) {
				t.Fatal("the edit changed nothing; the example has changed")
			}
			// Parse, not ParseAndValidate: the validator refuses some of
			// these ledgers, and the notice's check must still say what
			// is missing from them.
			l, ps := ledger.Parse(tc.file, []byte(edited))
			if l == nil || len(ps.Errors()) > 0 {
				t.Fatalf("the edited ledger does not decode: %s", ps)
			}
			got := aTestFire(l)
			if tc.path == "" {
				if len(got) != 0 {
					t.Errorf("requirements fire: %v", got)
				}
				return
			}
			pos, ok := got[tc.path]
			if !ok {
				t.Fatalf("%s does not fire; fired: %v", tc.path, got)
			}
			if pos.Line < 1 || pos.Line > strings.Count(edited, "\n")+1 {
				t.Errorf("%s fires at %v, not a line of the file", tc.path, pos)
			}
			if tc.at != "" {
				i := strings.Index(edited, tc.at)
				if i < 0 {
					t.Fatalf("%q is not in the file", tc.at)
				}
				if line := strings.Count(edited[:i], "\n") + 1; pos.Line != line {
					t.Errorf("%s fires at line %d, want %d (%q)", tc.path, pos.Line, line, tc.at)
				}
			}
			found := false
			for _, p := range Check(l) {
				if p.Path == tc.path {
					found = true
					if msg := p.Message("ja"); !strings.Contains(msg, p.Law) {
						t.Errorf("message %q does not cite the law", msg)
					}
				}
			}
			if !found {
				t.Errorf("Check does not report %s", tc.path)
			}
		})
	}
}
