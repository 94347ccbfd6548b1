// Package notice renders the published privacy notice (個人情報保護方針 and
// 個人情報の取扱いについて, the matters APPI Art. 32(1) and 令10 require to be
// made known, with those of Art. 21, 27, 28, 43 and 電気通信事業法 Art. 27-12)
// from the same ledger that the vault enforces, so that what the company
// promises and what its systems do are one. Build makes a Doc, a tree of
// sections in one language; Markdown, HTML and PDF render it; Check lists
// what the law requires to be published and the ledger leaves empty.
//
// Each section is written by a builder registered in order (sections*.go):
// prose a principal can read, not a dump of fields.
package notice

import (
	"strings"
	"time"

	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
)

// Doc is the notice in one language.
type Doc struct {
	Lang  string
	Title string
	// Org is the company's name; Effective the ledger's effective date
	// (YYYY-MM-DD) and EffectiveText the same as readers expect it (和暦
	// in Japanese); Revision the ledger's revision.
	Org, Effective, EffectiveText, Revision string
	Sections                                []*Section
}

// Section is a numbered part of the notice, with its own parts.
type Section struct {
	// ID is the anchor (#purposes) and stays the same across languages
	// and versions.
	ID      string
	Heading string
	Blocks  []Block
	Subs    []*Section
}

// Block is a paragraph, a list, a table or a list of facts.
type Block interface{ isBlock() }

// Para is a paragraph.
type Para struct{ Text string }

// List is a bulleted (or numbered) list.
type List struct {
	Ordered bool
	Items   []string
}

// Table is a table with a header row.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// Facts are terms and what they are (a definition list): 名称, 住所…
type Facts struct{ Rows []Fact }

// Fact is one term of Facts.
type Fact struct{ Term, Text string }

func (Para) isBlock()  {}
func (List) isBlock()  {}
func (Table) isBlock() {}
func (Facts) isBlock() {}

// builder adds a section (or nothing, when the ledger has nothing for it).
type builder struct {
	id    string
	build func(c *Ctx) *Section
}

var builders []builder

// register adds a section builder; sections appear in registration order
// (the files register them in init, named so that their order is the
// notice's).
func register(id string, build func(c *Ctx) *Section) {
	builders = append(builders, builder{id, build})
}

// Ctx is what a section builder works with: the ledger and the language,
// with helpers for words in both languages.
type Ctx struct {
	L    *ledger.Ledger
	Lang string
	// Pub is what has been published as it happened, or nil.
	Pub *Published
}

// Published is what the company publishes as it happens rather than
// writes in the ledger: each creation of anonymised information with the
// items it contains (APPI Art. 43(3), 則36) and each change of the use
// purpose of pseudonymised information (Art. 41(4)). The portal's notice
// shows it in the sections of the ledger's promises; a notice built from
// the ledger alone (a version, the command line) leaves it out.
type Published struct {
	Anonymized     []PublishedAnonymized
	PurposeChanges []PublishedPurposeChange
}

// PublishedAnonymized is one creation of anonymised information.
type PublishedAnonymized struct {
	Created          time.Time
	Title            string
	ItemsJa, ItemsEn []string
}

// PublishedPurposeChange is one change of pseudonymised information's use
// purpose.
type PublishedPurposeChange struct {
	At                         time.Time
	FromJa, FromEn, ToJa, ToEn string
}

// Day writes an instant's day in Tokyo as the notice writes dates.
func (c *Ctx) Day(t time.Time) string {
	d := calendar.DateOf(t)
	return c.Date(ledger.Date{Year: d.Year, Month: d.Month, Day: d.Day})
}

// T picks the Japanese or the English of a phrase.
func (c *Ctx) T(ja, en string) string {
	if c.Lang == "en" {
		return en
	}
	return ja
}

// In is a ledger text in the notice's language.
func (c *Ctx) In(t ledger.Text) string { return strings.TrimSpace(t.In(c.Lang)) }

// Date writes a day as readers expect it: 2026年4月1日 (令和8年4月1日 is
// used for the effective date) or 1 April 2026.
func (c *Ctx) Date(d ledger.Date) string {
	if d.IsZero() {
		return ""
	}
	if c.Lang == "en" {
		return d.Time(time.UTC).Format("2 January 2006")
	}
	return calendar.FormatJapanese(calendar.NewDate(d.Year, d.Month, d.Day))
}

// Build renders the notice of l in lang ("ja" or "en").
func Build(l *ledger.Ledger, lang string) *Doc { return BuildPublished(l, lang, nil) }

// BuildPublished renders the notice of l in lang with what has been
// published as it happened (pub may be nil).
func BuildPublished(l *ledger.Ledger, lang string, pub *Published) *Doc {
	if lang != "en" {
		lang = "ja"
	}
	c := &Ctx{L: l, Lang: lang, Pub: pub}
	d := &Doc{Lang: lang, Org: c.In(l.Organization.Name), Revision: l.Revision,
		Title: c.T("個人情報保護方針・個人情報の取扱いについて", "Privacy policy and how we handle personal information")}
	if !l.EffectiveDate.IsZero() {
		d.Effective = l.EffectiveDate.String()
		d.EffectiveText = c.Date(l.EffectiveDate)
	}
	for _, b := range builders {
		if s := b.build(c); s != nil {
			if s.ID == "" {
				s.ID = b.id
			}
			d.Sections = append(d.Sections, s)
		}
	}
	return d
}
