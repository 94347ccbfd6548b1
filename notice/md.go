package notice

import (
	"io"
	"strconv"
	"strings"
)

// Markdown writes the notice as Markdown (CommonMark with GitHub tables).
func Markdown(w io.Writer, d *Doc) error {
	var b strings.Builder
	b.WriteString("# " + mdText(d.Title) + "\n\n")
	if d.Org != "" {
		b.WriteString(mdText(d.Org) + "\n\n")
	}
	if d.EffectiveText != "" {
		if d.Lang == "en" {
			b.WriteString("Effective " + d.EffectiveText + "\n\n")
		} else {
			b.WriteString(d.EffectiveText + " 施行\n\n")
		}
	}
	for i, s := range d.Sections {
		mdSection(&b, s, strconv.Itoa(i+1), 2)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdSection(b *strings.Builder, s *Section, num string, level int) {
	b.WriteString(strings.Repeat("#", min(level, 6)) + " " + num + ". " + mdText(s.Heading) + "\n\n")
	for _, bl := range s.Blocks {
		mdBlock(b, bl)
	}
	for i, sub := range s.Subs {
		mdSection(b, sub, num+"."+strconv.Itoa(i+1), level+1)
	}
}

func mdBlock(b *strings.Builder, bl Block) {
	switch x := bl.(type) {
	case Para:
		b.WriteString(mdText(x.Text) + "\n\n")
	case List:
		for i, it := range x.Items {
			if x.Ordered {
				b.WriteString(strconv.Itoa(i+1) + ". ")
			} else {
				b.WriteString("- ")
			}
			b.WriteString(mdText(it) + "\n")
		}
		b.WriteString("\n")
	case Facts:
		for _, f := range x.Rows {
			b.WriteString("- **" + mdText(f.Term) + "**: " + mdText(f.Text) + "\n")
		}
		b.WriteString("\n")
	case Table:
		if x.Caption != "" {
			b.WriteString(mdText(x.Caption) + "\n\n")
		}
		row := func(cells []string) {
			b.WriteString("|")
			for _, c := range cells {
				b.WriteString(" " + strings.ReplaceAll(mdText(c), "|", `\|`) + " |")
			}
			b.WriteString("\n")
		}
		row(x.Header)
		b.WriteString("|" + strings.Repeat("---|", len(x.Header)) + "\n")
		for _, r := range x.Rows {
			row(r)
		}
		b.WriteString("\n")
	}
}

// mdText keeps text on one line and escapes what Markdown would read as
// markup at the start of a line or inside it.
func mdText(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", "")), " ")
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", "[", `\[`, "]", `\]`)
	s = r.Replace(s)
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "+ ") || strings.HasPrefix(s, ">") {
		s = `\` + s
	}
	return s
}
