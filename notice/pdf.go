package notice

import (
	"strconv"

	"hogo.example.jp/hogo/letter"
)

// PDF renders the notice as an A4 PDF with the Japanese font embedded
// (package letter): numbered headings, paragraphs with the customary
// indent, lists with 「・」, tables ruled and continued across pages.
func PDF(d *Doc) ([]byte, error) {
	l := &letter.Letter{Title: d.Title, Date: d.EffectiveText, Footer: d.Org + "　" + d.Title}
	if d.Org != "" {
		l.Sender = []string{d.Org}
	}
	if d.Lang == "en" && d.EffectiveText != "" {
		l.Date = "Effective " + d.EffectiveText
	}
	for i, s := range d.Sections {
		pdfSection(l, s, strconv.Itoa(i+1), d.Lang)
	}
	return letter.Render(l, letter.Options{Substitute: '〓'})
}

func pdfSection(l *letter.Letter, s *Section, num, lang string) {
	cur := letter.Section{Heading: num + ". " + s.Heading}
	indent, bullet, colon := "\u3000", "・", "："
	if lang == "en" {
		indent, bullet, colon = "", "• ", ": "
	}
	flush := func() {
		l.Sections = append(l.Sections, cur)
		cur = letter.Section{}
	}
	for _, b := range s.Blocks {
		switch x := b.(type) {
		case Para:
			cur.Paragraphs = append(cur.Paragraphs, indent+x.Text)
		case List:
			for i, it := range x.Items {
				if x.Ordered {
					cur.Paragraphs = append(cur.Paragraphs, "("+strconv.Itoa(i+1)+") "+it)
				} else {
					cur.Paragraphs = append(cur.Paragraphs, bullet+it)
				}
			}
		case Facts:
			for _, f := range x.Rows {
				cur.Paragraphs = append(cur.Paragraphs, f.Term+colon+f.Text)
			}
		case Table:
			if x.Caption != "" {
				cur.Paragraphs = append(cur.Paragraphs, x.Caption)
			}
			cur.Table = &letter.Table{Header: x.Header, Rows: x.Rows}
			flush()
		}
	}
	if cur.Heading != "" || len(cur.Paragraphs) > 0 {
		flush()
	}
	for i, sub := range s.Subs {
		pdfSection(l, sub, num+"."+strconv.Itoa(i+1), lang)
	}
}
