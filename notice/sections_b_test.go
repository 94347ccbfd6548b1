package notice_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/notice"
)

// The sections of sections_b.go, in the order they are registered.
var bSectionIDs = []string{"provision", "foreign", "entrustment", "joint_use", "retention", "breach", "anonymized",
	"pseudonymized", "personally_referable", "statistics", "external_transmission", "sections", "history"}

var bExampleFiles = []string{"staffing.yaml", "online-service.yaml", "bpo.yaml", "recruitment.yaml", "dental-staffing.yaml"}

func bRaw(t *testing.T, name string) string {
	t.Helper()
	data, err := examples.Ledgers.ReadFile("ledgers/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// bLoad parses and validates a ledger.
func bLoad(t *testing.T, name, yaml string) *ledger.Ledger {
	t.Helper()
	l, ps := ledger.ParseAndValidate(name, []byte(yaml))
	if l == nil {
		t.Fatalf("%s: %s", name, ps)
	}
	return l
}

func bFind(d *notice.Doc, id string) *notice.Section {
	for _, s := range d.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// bWalk calls f on s and every section under it.
func bWalk(s *notice.Section, f func(*notice.Section)) {
	if s == nil {
		return
	}
	f(s)
	for _, sub := range s.Subs {
		bWalk(sub, f)
	}
}

// bText is every text of a section, headings, cells and facts included,
// with runs of spaces made one.
func bText(s *notice.Section) string {
	var parts []string
	bWalk(s, func(s *notice.Section) {
		parts = append(parts, s.Heading)
		for _, b := range s.Blocks {
			switch x := b.(type) {
			case notice.Para:
				parts = append(parts, x.Text)
			case notice.List:
				parts = append(parts, x.Items...)
			case notice.Table:
				parts = append(parts, x.Caption)
				parts = append(parts, x.Header...)
				for _, r := range x.Rows {
					parts = append(parts, r...)
				}
			case notice.Facts:
				for _, r := range x.Rows {
					parts = append(parts, r.Term, r.Text)
				}
			}
		}
	})
	return bFlat(strings.Join(parts, "\n"))
}

func bFlat(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestSectionsBFacts builds the five examples in both languages and checks
// that each section carries the ledger's facts: every recipient with its
// items, purpose and method; every party abroad with its country, regime
// and measures; every processor and its tasks; every joint use's five
// items and its start; each category's retention period and the event it
// counts from; the breach statement; the processed forms; every external
// transmission; the free sections; the history. A section is there exactly
// when the ledger has something for it.
func TestSectionsBFacts(t *testing.T) {
	for _, name := range bExampleFiles {
		l := bLoad(t, name, bRaw(t, name))
		for _, lang := range []string{"ja", "en"} {
			c := &notice.Ctx{L: l, Lang: lang}
			d := notice.Build(l, lang)
			texts := map[string]string{}
			for _, id := range bSectionIDs {
				texts[id] = bText(bFind(d, id))
			}
			want := func(id, what, s string) {
				t.Helper()
				s = bFlat(s)
				if s == "" {
					return
				}
				if bFind(d, id) == nil {
					t.Errorf("%s (%s): no section %q, but the ledger has its %s %q", name, lang, id, what, s)
				} else if !strings.Contains(texts[id], s) {
					t.Errorf("%s (%s): section %q lacks the %s %q", name, lang, id, what, s)
				}
			}
			present := func(id string, has bool) {
				t.Helper()
				if got := bFind(d, id) != nil; got != has {
					t.Errorf("%s (%s): section %q present = %v, want %v", name, lang, id, got, has)
				}
			}

			// Provision (APPI Art. 27).
			present("provision", true)
			want("provision", "policy", c.In(l.Provision.Policy))
			for _, r := range l.Recipients {
				want("provision", "recipient", c.In(r.Name))
				want("provision", "recipient's items", c.In(r.Items))
				want("provision", "recipient's purpose", c.In(r.Purpose))
				want("provision", "recipient's method", c.In(r.Method))
			}
			exceptionWords := map[string][2]string{
				ledger.ExceptionLaw:          {"法令に基づく場合", "When required by law"},
				ledger.ExceptionLife:         {"人の生命、身体又は財産の保護", "life, body or property"},
				ledger.ExceptionPublicHealth: {"公衆衛生の向上", "public health"},
				ledger.ExceptionStateAffairs: {"法令の定める事務を遂行", "duties prescribed by law"},
				ledger.ExceptionPublishedSpecial: {"公開されている要配慮個人情報",
					"special-care information made public"},
			}
			for _, code := range l.Provision.Exceptions {
				w := exceptionWords[code]
				want("provision", "exception "+code, c.T(w[0], w[1]))
			}
			for _, n := range l.Provision.Notes {
				want("provision", "note", c.In(n))
			}

			// Foreign recipients and processors (APPI Art. 28, 則17(2)).
			foreign := false
			for _, r := range l.Recipients {
				if f := r.Foreign; f != nil {
					foreign = true
					want("foreign", "recipient", c.In(r.Name))
					want("foreign", "country", c.In(f.Country))
					want("foreign", "regime", c.In(f.Regime))
					want("foreign", "measures", c.In(f.Measures))
				}
			}
			for _, p := range l.Processors {
				if f := p.Foreign; f != nil {
					foreign = true
					want("foreign", "processor", c.In(p.Name))
					want("foreign", "country", c.In(f.Country))
					want("foreign", "regime", c.In(f.Regime))
					want("foreign", "measures", c.In(f.Measures))
				}
			}
			present("foreign", foreign)

			// Entrustment (APPI Art. 25).
			present("entrustment", l.Entrustment != nil || len(l.Processors) > 0)
			for _, p := range l.Processors {
				want("entrustment", "processor", c.In(p.Name))
				want("entrustment", "processor's tasks", c.In(p.Tasks))
				want("entrustment", "processor's items", c.In(p.Items))
			}
			if e := l.Entrustment; e != nil {
				for _, x := range []ledger.Text{e.Statement, e.Selection, e.Contract, e.Audit, e.SubEntrustment, e.Received} {
					want("entrustment", "entrustment policy", c.In(x))
				}
			}

			// Joint use: the five items and since when (APPI Art. 27(5)(iii)).
			present("joint_use", len(l.JointUses) > 0)
			for _, j := range l.JointUses {
				if len(j.Categories) == 0 {
					t.Fatalf("%s: joint use %s has no categories", name, j.ID)
				}
				for _, ref := range j.Categories {
					want("joint_use", "category used jointly", c.In(l.Category(ref.ID).Name))
				}
				want("joint_use", "items", c.In(j.Items))
				want("joint_use", "users", c.In(j.Users))
				want("joint_use", "purposes", c.In(j.Purposes))
				want("joint_use", "responsible party", c.In(j.Responsible.Name))
				want("joint_use", "responsible party's address", c.In(j.Responsible.Address))
				want("joint_use", "responsible party's representative", c.In(j.Responsible.Representative))
				want("joint_use", "start", c.Date(j.Since))
			}

			// Retention (APPI Art. 22).
			present("retention", true)
			want("retention", "statement", c.In(l.RetentionPolicy.Statement))
			for _, x := range l.RetentionPolicy.Exceptions {
				want("retention", "exception", c.In(x))
			}
			event := func(ref ledger.Ref) string {
				if ref.ID == ledger.EventAcquired {
					return c.T("取得", "Acquisition")
				}
				return c.In(l.Event(ref.ID).Name)
			}
			for _, cat := range l.Categories {
				r := cat.Retention
				want("retention", "category", c.In(cat.Name))
				want("retention", "period of "+cat.ID, r.Period.Describe(lang))
				want("retention", "event of "+cat.ID, event(r.After))
				want("retention", "legal basis of "+cat.ID, c.In(r.LegalBasis))
				for _, it := range cat.Items {
					if it.Retention != nil {
						want("retention", "item with its own retention", c.In(it.Name))
						if it.MyNumber() {
							want("retention", "My Number Act", c.T("番号法第20条", "My Number Act Art. 20"))
						}
					}
				}
			}
			if p := l.RetentionPolicy.AuditLog; !p.IsZero() {
				want("retention", "audit log retention", c.T("監査ログ", "audit log"))
				want("retention", "audit log retention", p.Describe(lang))
			}

			// Breach (APPI Art. 26): the statement, and the report and the
			// notice in every case.
			present("breach", !l.BreachResponse.Empty())
			want("breach", "breach response", c.In(l.BreachResponse))
			if !l.BreachResponse.Empty() {
				want("breach", "report to the Commission", c.T("個人情報保護委員会", "Commission"))
				want("breach", "notice to the principals", c.T("通知", "notif"))
			}

			// Processed forms.
			present("anonymized", l.Anonymized != nil)
			if a := l.Anonymized; a != nil {
				for _, x := range a.ItemCategories {
					want("anonymized", "item category", c.In(x))
				}
				want("anonymized", "provision", c.In(a.Provision))
			}
			present("pseudonymized", l.Pseudonymized != nil)
			if p := l.Pseudonymized; p != nil {
				for _, x := range p.Purposes {
					want("pseudonymized", "purpose", c.In(x))
				}
			}
			for id, sec := range map[string]*ledger.Section{"personally_referable": l.PersonallyReferable, "statistics": l.Statistics.Section()} {
				present(id, sec != nil)
				if sec != nil {
					want(id, "title", c.In(sec.Title))
					for _, b := range sec.Body {
						want(id, "paragraph", c.In(b))
					}
				}
			}

			// External transmissions (電気通信事業法 Art. 27-12).
			present("external_transmission", len(l.ExternalTransmissions) > 0)
			for _, x := range l.ExternalTransmissions {
				want("external_transmission", "tag", c.In(x.Name))
				want("external_transmission", "recipient", c.In(x.Recipient))
				want("external_transmission", "information", c.In(x.Information))
				want("external_transmission", "purpose", c.In(x.Purpose))
				want("external_transmission", "opt-out", x.OptOut)
			}
			if s := bFind(d, "external_transmission"); s != nil {
				var rows int
				for _, b := range s.Blocks {
					if tb, ok := b.(notice.Table); ok {
						rows += len(tb.Rows)
					}
				}
				if rows != len(l.ExternalTransmissions) {
					t.Errorf("%s (%s): %d external transmission rows, want %d", name, lang, rows, len(l.ExternalTransmissions))
				}
			}

			// The ledger's own sections, each its own section.
			present("sections", len(l.Sections) > 0)
			if s := bFind(d, "sections"); s != nil {
				if len(s.Subs) != len(l.Sections) {
					t.Errorf("%s (%s): %d free sections, want %d", name, lang, len(s.Subs), len(l.Sections))
				}
				for i, sec := range l.Sections {
					if i < len(s.Subs) && s.Subs[i].Heading != c.In(sec.Title) {
						t.Errorf("%s (%s): free section %d is headed %q, want %q", name, lang, i, s.Subs[i].Heading, c.In(sec.Title))
					}
					for _, b := range sec.Body {
						want("sections", "paragraph", c.In(b))
					}
				}
			}

			// History, newest first.
			present("history", len(l.History) > 0)
			if s := bFind(d, "history"); s != nil {
				h := slices.Clone(l.History)
				slices.SortFunc(h, func(a, b *ledger.Change) int { return strings.Compare(b.Date.String(), a.Date.String()) })
				last := -1
				for _, ch := range h {
					want("history", "date", c.Date(ch.Date))
					want("history", "summary", c.In(ch.Summary))
					i := strings.Index(texts["history"], c.Date(ch.Date))
					if i < last {
						t.Errorf("%s (%s): history entry of %s is out of order (newest first)", name, lang, ch.Date)
					}
					last = i
				}
			}

			// The sections come in their order, after the first half's.
			var order []int
			for i, s := range d.Sections {
				if j := slices.Index(bSectionIDs, s.ID); j >= 0 {
					order = append(order, j)
					if i > 0 && slices.Index(bSectionIDs, d.Sections[i-1].ID) < 0 && len(order) > 1 {
						t.Errorf("%s (%s): section %q of the first half comes among the second's", name, lang, d.Sections[i-1].ID)
					}
				}
			}
			if !slices.IsSorted(order) {
				t.Errorf("%s (%s): the second half's sections are out of order: %v", name, lang, order)
			}
		}
	}
}

// TestSectionsBJapaneseEras: Japanese dates are in 和暦.
func TestSectionsBJapaneseEras(t *testing.T) {
	l := bLoad(t, "recruitment.yaml", bRaw(t, "recruitment.yaml"))
	ja := bText(bFind(notice.Build(l, "ja"), "history"))
	for _, s := range []string{"令和8年4月1日", "令和4年4月1日", "平成28年4月1日"} {
		if !strings.Contains(ja, s) {
			t.Errorf("the Japanese history lacks %q: %s", s, ja)
		}
	}
	if !strings.Contains(bText(bFind(notice.Build(l, "ja"), "joint_use")), "令和6年4月1日") {
		t.Error("the joint use's start is not in 和暦")
	}
	if en := bText(bFind(notice.Build(l, "en"), "history")); !strings.Contains(en, "1 April 2026") {
		t.Errorf("the English history lacks 1 April 2026: %s", en)
	}
}

var bKana = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}]`)

// TestSectionsBProse: the sections read as prose. Japanese paragraphs are
// whole sentences (です・ます, ending in 。); English ones end like
// sentences and carry no Japanese of ours; no paragraph, list item, cell
// or fact shows a Go value or is empty; tables are rectangular; every
// section and part has a heading and a unique anchor.
func TestSectionsBProse(t *testing.T) {
	variants := map[string]string{}
	for _, name := range bExampleFiles {
		variants[name] = bRaw(t, name)
	}
	variants["staffing.yaml (opt-out)"] = bOptOutYAML(t)
	dump := regexp.MustCompile(`%!|<nil>|map\[|\[\]|&\{|\{ja:|0001-01-01|^\s*$`)
	for name, yaml := range variants {
		l := bLoad(t, name, yaml)
		for _, lang := range []string{"ja", "en"} {
			d := notice.Build(l, lang)
			ids := map[string]bool{}
			for _, id := range bSectionIDs {
				bWalk(bFind(d, id), func(s *notice.Section) {
					where := fmt.Sprintf("%s (%s) §%s", name, lang, s.ID)
					if s.ID == "" || ids[s.ID] {
						t.Errorf("%s: empty or repeated anchor", where)
					}
					ids[s.ID] = true
					if strings.TrimSpace(s.Heading) == "" {
						t.Errorf("%s: no heading", where)
					}
					if len(s.Blocks) == 0 && len(s.Subs) == 0 {
						t.Errorf("%s: empty section", where)
					}
					check := func(what, text string) {
						if dump.MatchString(text) {
							t.Errorf("%s: %s %q looks like a field dump or is empty", where, what, text)
						}
					}
					for _, b := range s.Blocks {
						switch x := b.(type) {
						case notice.Para:
							check("paragraph", x.Text)
							if lang == "ja" {
								if !strings.HasSuffix(x.Text, "。") || strings.Contains(x.Text, "。。") || strings.Contains(x.Text, "、。") {
									t.Errorf("%s: %q is not a Japanese sentence", where, x.Text)
								}
							} else {
								if r := []rune(x.Text); !strings.ContainsRune(".)\"", r[len(r)-1]) || !unicode.IsUpper(r[0]) {
									t.Errorf("%s: %q is not an English sentence", where, x.Text)
								}
								if bKana.MatchString(x.Text) {
									t.Errorf("%s: the English paragraph %q has Japanese in it", where, x.Text)
								}
							}
						case notice.List:
							if len(x.Items) == 0 {
								t.Errorf("%s: empty list", where)
							}
							for _, it := range x.Items {
								check("list item", it)
							}
						case notice.Table:
							for _, h := range x.Header {
								check("column", h)
							}
							for _, r := range x.Rows {
								if len(r) != len(x.Header) {
									t.Errorf("%s: a row of %d cells under %d columns", where, len(r), len(x.Header))
								}
								if strings.TrimSpace(r[0]) == "" {
									t.Errorf("%s: a row without its first cell: %q", where, r)
								}
							}
						case notice.Facts:
							for _, f := range x.Rows {
								check("term", f.Term)
								check("fact", f.Text)
							}
						}
					}
				})
			}
		}
	}
}

// bOptOutYAML is the staffing example with its recipient on opt-out.
func bOptOutYAML(t *testing.T) string {
	t.Helper()
	return bSet(t, bRaw(t, "staffing.yaml"), "- id: client_company", "basis", "opt_out")
}

// TestSectionsBOptOut: a recipient on opt-out gets the items APPI Art.
// 27(2) requires to be made known.
func TestSectionsBOptOut(t *testing.T) {
	l := bLoad(t, "staffing.yaml", bOptOutYAML(t))
	r := l.Recipient("client_company")
	if r == nil || r.Basis != ledger.BasisOptOut {
		t.Fatal("client_company is not on opt-out")
	}
	o := l.Organization
	for _, lang := range []string{"ja", "en"} {
		c := &notice.Ctx{L: l, Lang: lang}
		s := bFind(notice.Build(l, lang), "provision")
		var sub *notice.Section
		bWalk(s, func(x *notice.Section) {
			if x.ID == "provision-optout-client_company" {
				sub = x
			}
		})
		if sub == nil {
			t.Fatalf("%s: no part on the opt-out recipient", lang)
		}
		text := bText(sub)
		for what, s := range map[string]string{
			"(1) provider's name":           c.In(o.Name),
			"(1) provider's address":        c.In(o.Address),
			"(1) provider's representative": c.In(o.Representative),
			"(2) provision as a purpose":    c.T("提供を利用目的とします", "one of our purposes of use"),
			"(3) items":                     c.In(r.Items),
			"(4) acquisition":               c.In(l.Source("web_form").Name),
			"(5) method":                    c.In(r.Method),
			"(6) stopping on request":       c.T("提供を停止します", "we stop providing"),
			"(7) how requests are received": c.In(l.ComplaintDesk.Name),
			"(7) the desk's phone":          l.ComplaintDesk.Phone[0],
		} {
			if !strings.Contains(text, bFlat(s)) {
				t.Errorf("%s: the opt-out part lacks %s %q:\n%s", lang, what, s, text)
			}
		}
		if !strings.Contains(bText(s), c.T("オプトアウト", "opt-out")) {
			t.Errorf("%s: the policy does not name provision by opt-out", lang)
		}
	}
}

// bSet returns yaml with the first key line after the first line holding
// marker set to key: value, its continuation lines (those indented more)
// removed; an empty value removes the key.
func bSet(t *testing.T, yaml, marker, key, value string) string {
	t.Helper()
	lines := strings.Split(yaml, "\n")
	from := slices.IndexFunc(lines, func(s string) bool { return strings.Contains(s, marker) })
	if from < 0 {
		t.Fatalf("no line holds %q", marker)
	}
	for i := from; i < len(lines); i++ {
		body := strings.TrimLeft(lines[i], " ")
		indent := len(lines[i]) - len(body)
		rest := strings.TrimPrefix(body, "- ")
		if !strings.HasPrefix(rest, key+":") {
			continue
		}
		if rest != body {
			t.Fatalf("%q: key %q begins a list entry; blank another", marker, key)
		}
		end := i + 1
		for end < len(lines) {
			b := strings.TrimLeft(lines[end], " ")
			if b != "" && len(lines[end])-len(b) <= indent {
				break
			}
			end++
		}
		var repl []string
		if value != "" {
			repl = []string{strings.Repeat(" ", indent) + key + ": " + value}
		}
		return strings.Join(slices.Concat(lines[:i], repl, lines[end:]), "\n")
	}
	t.Fatalf("no key %q after %q", key, marker)
	return ""
}

// bLineOf is the 1-based line of the first line holding s after the first
// line holding marker.
func bLineOf(yaml, marker, s string) int {
	lines := strings.Split(yaml, "\n")
	from := slices.IndexFunc(lines, func(x string) bool { return strings.Contains(x, marker) })
	for i := max(from, 0); i < len(lines); i++ {
		if strings.Contains(lines[i], s) {
			return i + 1
		}
	}
	return 0
}

// bOwn matches the paths of check_b.go's requirements.
var bOwn = regexp.MustCompile(`^(joint_uses\[\d+\]|recipients\[\d+\]\.(items|method|foreign)|processors\[\d+\]\.foreign|external_transmissions\[\d+\]|anonymized\.item_categories|pseudonymized\.purposes|retention_policy\.statement|categories\[\]\.recipients)`)

// bParse decodes a ledger without validating it: the validator refuses
// some of the ledgers the requirements are tried on.
func bParse(t *testing.T, name, yaml string) *ledger.Ledger {
	t.Helper()
	l, ps := ledger.Parse(name, []byte(yaml))
	if l == nil || len(ps.Errors()) > 0 {
		t.Fatalf("%s: %s", name, ps)
	}
	return l
}

// TestSectionsBRequirements: each requirement fires on an example with its
// field blanked, pointing into the entry (at the field when it is there,
// at the entry when it is not), and not on the example as it is.
func TestSectionsBRequirements(t *testing.T) {
	optOut := func(t *testing.T, y string) string {
		return bSet(t, y, "- id: client_company", "basis", "opt_out")
	}
	cases := []struct {
		file, marker, key, value string
		prep                     func(*testing.T, string) string
		path, law                string
	}{
		{"recruitment.yaml", "joint_uses:", "categories", "[]", nil, "joint_uses[0].categories", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "joint_uses:", "items", `""`, nil, "joint_uses[0].items", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "joint_uses:", "users", "", nil, "joint_uses[0].users", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "joint_uses:", "purposes", `""`, nil, "joint_uses[0].purposes", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "joint_uses:", "responsible", "", nil, "joint_uses[0].responsible", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "    responsible:", "name", `""`, nil, "joint_uses[0].responsible.name", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "    responsible:", "address", "", nil, "joint_uses[0].responsible.address", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "    responsible:", "representative", `""`, nil, "joint_uses[0].responsible.representative", "APPI Art. 27(5)(iii)"},
		{"recruitment.yaml", "- id: overseas_partner", "country", "", nil, "recipients[1].foreign.country", "APPI Art. 28(2), 則17(2)"},
		{"recruitment.yaml", "- id: overseas_partner", "regime", `""`, nil, "recipients[1].foreign.regime", "APPI Art. 28(2), 則17(2)"},
		{"recruitment.yaml", "- id: overseas_partner", "measures", "", nil, "recipients[1].foreign.measures", "APPI Art. 28(2), 則17(2)"},
		{"recruitment.yaml", "- id: crm_cloud", "country", `""`, nil, "processors[0].foreign.country", "APPI Art. 28(3), 則18(3)"},
		{"recruitment.yaml", "- id: crm_cloud", "regime", "", nil, "processors[0].foreign.regime", "APPI Art. 28(3), 則18(3)"},
		{"recruitment.yaml", "- id: crm_cloud", "measures", "", nil, "processors[0].foreign.measures", "APPI Art. 28(3), 則18(3)"},
		{"staffing.yaml", "- id: client_company", "items", `""`, optOut, "recipients[0].items", "APPI Art. 27(2)(iii)"},
		{"staffing.yaml", "- id: client_company", "method", "", optOut, "recipients[0].method", "APPI Art. 27(2)(v)"},
		{"staffing.yaml", "- id: job_seeker", "recipients", "", optOut, "categories[].recipients", "APPI Art. 27(2)(iv)"},
		{"dental-staffing.yaml", "external_transmissions:", "recipient", `""`, nil, "external_transmissions[0].recipient", "電気通信事業法 Art. 27-12"},
		{"dental-staffing.yaml", "- id: criteo", "information", "", nil, "external_transmissions[2].information", "電気通信事業法 Art. 27-12"},
		{"dental-staffing.yaml", "- id: facebook", "purpose", `""`, nil, "external_transmissions[4].purpose", "電気通信事業法 Art. 27-12"},
		{"recruitment.yaml", "anonymized:", "item_categories", "", nil, "anonymized.item_categories", "APPI Art. 43(3)"},
		{"recruitment.yaml", "pseudonymized:", "purposes", "[]", nil, "pseudonymized.purposes", "APPI Art. 41(4)"},
		{"staffing.yaml", "retention_policy:", "statement", "", nil, "retention_policy.statement", "APPI Art. 22; JIS Q 15001"},
		{"online-service.yaml", "retention_policy:", "statement", `""`, nil, "retention_policy.statement", "APPI Art. 22; JIS Q 15001"},
	}
	for _, tc := range cases {
		t.Run(tc.path+"/"+tc.file, func(t *testing.T) {
			full := bRaw(t, tc.file)
			if tc.prep != nil {
				full = tc.prep(t, full)
			}
			for _, p := range notice.Check(bParse(t, tc.file, full)) {
				if p.Path == tc.path {
					t.Errorf("fires on the full ledger: %s", p.Message("en"))
				}
			}
			blanked := bSet(t, full, tc.marker, tc.key, tc.value)
			var got []notice.Problem
			for _, p := range notice.Check(bParse(t, tc.file, blanked)) {
				if p.Path == tc.path {
					got = append(got, p)
				}
			}
			if len(got) != 1 {
				t.Fatalf("%d problems at %s, want 1", len(got), tc.path)
			}
			p := got[0]
			if p.Law != tc.law {
				t.Errorf("law %q, want %q", p.Law, tc.law)
			}
			// The problem points into the entry: after the marker's line
			// and at or before the blanked key's.
			entry := bLineOf(blanked, tc.marker, tc.marker)
			key := bLineOf(full, tc.marker, tc.key+":")
			if tc.key == "recipients" {
				// The recipient itself is where the fix is named.
				entry, key = bLineOf(blanked, "- id: client_company", "- id: client_company"), bLineOf(blanked, "- id: client_company", "- id: client_company")
			}
			if p.Pos.Line < entry || p.Pos.Line > key || p.Pos.Col < 1 {
				t.Errorf("at %s, want a line in %d..%d", p.Pos, entry, key)
			}
			for _, lang := range []string{"ja", "en"} {
				msg := p.Message(lang)
				if !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.law) || strings.Contains(msg, "%!") {
					t.Errorf("message %q does not name the path and the law", msg)
				}
			}
			if p.Ja == "" || p.En == "" || bKana.MatchString(p.En) {
				t.Errorf("what is missing: ja %q, en %q", p.Ja, p.En)
			}
		})
	}
}

// TestSectionsBExamplesComplete: the examples publish everything the
// second half requires.
func TestSectionsBExamplesComplete(t *testing.T) {
	want := map[string][]string{}
	for _, name := range bExampleFiles {
		var got []string
		for _, p := range notice.Check(bLoad(t, name, bRaw(t, name))) {
			if bOwn.MatchString(p.Path) {
				got = append(got, p.Path)
			}
		}
		if !slices.Equal(got, want[name]) {
			t.Errorf("%s: problems %q, want %q", name, got, want[name])
		}
	}
}

// TestBuildPublished: anonymised information created is listed in the
// anonymised section with its day (和暦 in Japanese) and items, even when
// the ledger has no section of its own for it; changes of pseudonymised
// information's purpose are listed in that section; the ledger-only notice
// is the same as before.
func TestBuildPublished(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	pub := &notice.Published{
		Anonymized: []notice.PublishedAnonymized{{Created: time.Date(2026, 4, 30, 23, 30, 0, 0, tokyo), Title: "求職者の地域分布",
			ItemsJa: []string{"生年月日", "住所"}, ItemsEn: []string{"Date of birth", "Address"}}},
		PurposeChanges: []notice.PublishedPurposeChange{{At: time.Date(2026, 5, 7, 9, 0, 0, 0, tokyo),
			FromJa: "研究のため", FromEn: "For research", ToJa: "品質改善のため", ToEn: "To improve quality"}},
	}
	table := func(s *notice.Section, caption string) *notice.Table {
		if s == nil {
			return nil
		}
		for _, b := range s.Blocks {
			if tb, ok := b.(notice.Table); ok && tb.Caption == caption {
				return &tb
			}
		}
		return nil
	}
	for _, name := range bExampleFiles {
		l := bLoad(t, name, bRaw(t, name))
		ja := notice.BuildPublished(l, "ja", pub)
		tb := table(bFind(ja, "anonymized"), "これまでに作成した匿名加工情報")
		if tb == nil || len(tb.Rows) != 1 || !slices.Equal(tb.Rows[0], []string{"令和8年4月30日", "求職者の地域分布", "生年月日、住所"}) {
			t.Errorf("%s: anonymised table %+v", name, tb)
		}
		en := notice.BuildPublished(l, "en", pub)
		if tb := table(bFind(en, "anonymized"), "Anonymised information we have created"); tb == nil || !slices.Equal(tb.Rows[0], []string{"30 April 2026", "求職者の地域分布", "Date of birth, Address"}) {
			t.Errorf("%s: anonymised table in English %+v", name, tb)
		}
		tc := table(bFind(ja, "pseudonymized"), "仮名加工情報の利用目的の変更")
		if (l.Pseudonymized != nil) != (tc != nil) || tc != nil && !slices.Equal(tc.Rows[0], []string{"令和8年5月7日", "研究のため", "品質改善のため"}) {
			t.Errorf("%s: purpose changes %+v", name, tc)
		}
		if tc := table(bFind(en, "pseudonymized"), "Changes of the purpose of pseudonymised information"); tc != nil && !slices.Equal(tc.Rows[0], []string{"7 May 2026", "For research", "To improve quality"}) {
			t.Errorf("%s: purpose changes in English %+v", name, tc)
		}
		var a, b strings.Builder
		notice.Markdown(&a, notice.Build(l, "ja"))
		notice.Markdown(&b, notice.BuildPublished(l, "ja", &notice.Published{}))
		if a.String() != b.String() || a.Len() == 0 {
			t.Errorf("%s: the ledger-only notice changed", name)
		}
		if table(bFind(notice.Build(l, "ja"), "anonymized"), "これまでに作成した匿名加工情報") != nil {
			t.Errorf("%s: the ledger-only notice lists created datasets", name)
		}
	}
}
