// Package letter renders Japanese business letters, such as the 回答書 sent
// in reply to a request about retained personal data, as A4 PDF files.
//
// The text is set in IPAex Gothic, which is compiled into the binary
// (gzip-compressed, under the IPA Font License v1.0 in
// fonts/LICENSE-IPAex.txt) and embedded in each PDF as a TrueType subset
// of the characters the letter uses, so a letter of a few pages stays well
// under 200 KB and displays and prints the same everywhere. Each glyph is
// mapped back to Unicode (a ToUnicode CMap), so the text can be searched
// and copied from the PDF; package letter/pdftext reads it back in tests.
//
// Letters carry personal data. Errors from Render therefore name the field
// at fault (for example "Sections[2].Table.Rows[17][1]") and never quote
// its text.
package letter

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/signintech/gopdf"
)

// Letter is a business letter: sender block top right, addressee top left,
// title, body sections.
//
// Every text may contain "\n" to force a line break; lines are otherwise
// wrapped to the width available. A paragraph is set as given: start it
// with a full-width space (U+3000) for the customary one-character indent.
type Letter struct {
	Title     string   // e.g. "保有個人データ開示請求に対する回答書"
	Date      string   // already formatted, e.g. "令和8年11月24日"
	Reference []string // lines under the date, e.g. "受付番号 20261124-7KQ2-MX9A"
	Addressee []string // first line is the name with 様, following lines postal address (may be empty)
	Sender    []string // company block: company name, address, desk name, phone, email
	Opening   []string // paragraphs after the title (拝啓… or a plain opening)
	Sections  []Section
	Closing   []string // paragraphs at the end (e.g. 以上); "以上" and "敬具" alone are set flush right
	Footer    string   // small text in every page footer, left; the right side shows "1 / 3" page numbers
}

// Section is a part of the body: an optional heading, its paragraphs, and
// an optional table after them.
type Section struct {
	Heading    string   // may be empty
	Paragraphs []string // set like Letter.Opening
	Table      *Table   // optional
}

// Table is a ruled table that may run over several pages; its header row
// is repeated at the top of each page it continues on, and each cell wraps
// within its column.
type Table struct {
	Header []string
	Rows   [][]string
	// Widths are optional relative column widths, for example
	// {1, 3} for a narrow label column and a wide value column. Without
	// them the columns are of equal width. If given, there must be one per
	// column, each positive.
	Widths []float64
}

// Options adjusts how a letter is rendered. The zero value uses the
// embedded IPAex Gothic and reports characters the font lacks as errors.
type Options struct {
	// FontPath, if set, names a TrueType (.ttf) file to use instead of
	// the embedded IPAex Gothic. OpenType files with CFF outlines
	// (.otf) are not supported.
	FontPath string
	// Substitute, if not zero, replaces each character the font lacks,
	// and Render no longer fails on them. 〓 (U+3013, the geta mark) is
	// the customary choice in Japanese print. Without it such a
	// character is an error, since silently altering a name or an
	// address on an official letter is worse than not sending it.
	Substitute rune
}

// ErrEmptyTitle is returned by Render for a letter without a title.
var ErrEmptyTitle = errors.New("letter: Title is empty")

// ErrMissingGlyph is wrapped in a *FieldError when a text contains a
// character the font cannot show. Characters outside the Basic
// Multilingual Plane count as missing too, because the PDF writer's
// ToUnicode map only holds 16-bit code points.
var ErrMissingGlyph = errors.New("contains a character the font does not have")

// ErrTooLong is wrapped in a *FieldError when a text cannot be laid out
// in the space it has, such as a Footer of more than three lines or a
// table header taller than a page.
var ErrTooLong = errors.New("does not fit in the space available")

// FieldError reports a problem with one field of a Letter. It names the
// field, as in "Addressee[0]" or "Sections[1].Table.Rows[5][2]", and
// never contains the field's text, which may be personal data.
type FieldError struct {
	Field string // path of the field in the Letter, or "Options.Substitute"
	Err   error  // ErrMissingGlyph, ErrTooLong, or what is wrong with the field
}

// Error names the field and the problem.
func (e *FieldError) Error() string { return "letter: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying error, so errors.Is(err, ErrMissingGlyph)
// works.
func (e *FieldError) Unwrap() error { return e.Err }

// Render lays out l on A4 pages and returns the PDF. The output depends
// only on l, o and the font: rendering the same letter twice gives the
// same bytes. Render may be called from several goroutines at once.
func Render(l *Letter, o Options) ([]byte, error) {
	if l == nil {
		return nil, errors.New("letter: nil Letter")
	}
	if l.Title == "" {
		return nil, ErrEmptyTitle
	}
	ttf, name, err := loadFont(o)
	if err != nil {
		return nil, err
	}

	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	// A subset font's PDF name starts with a six-letter tag that should
	// differ between subsets; deriving it from the letter's text keeps
	// the output reproducible.
	family := subsetTag(l) + "+" + name
	if err := gp.AddTTFFontData(family, ttf); err != nil {
		return nil, fmt.Errorf("letter: font: %w", err)
	}
	if err := gp.SetFont(family, "", 1000); err != nil {
		return nil, fmt.Errorf("letter: font: %w", err)
	}
	f := &fontInfo{gp: gp, widths: make(map[rune]float64), has: make(map[rune]bool)}
	if o.Substitute != 0 && !f.covers(o.Substitute) {
		return nil, &FieldError{Field: "Options.Substitute", Err: ErrMissingGlyph}
	}
	f.substitute = o.Substitute

	doc, err := layout(l, f)
	if err != nil {
		return nil, err
	}
	gp.SetInfo(gopdf.PdfInfo{Title: doc.title})
	if err := doc.draw(gp, family); err != nil {
		return nil, fmt.Errorf("letter: writing PDF: %w", err)
	}
	out, err := gp.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("letter: writing PDF: %w", err)
	}
	fixCodespaceRanges(out)
	return out, nil
}

// subsetTag derives the six capital letters of a subset font name from a
// hash of the letter's text.
func subsetTag(l *Letter) string {
	h := fnv.New64a()
	add := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	add(l.Title, l.Date, l.Footer)
	add(l.Reference...)
	add(l.Addressee...)
	add(l.Sender...)
	add(l.Opening...)
	for _, s := range l.Sections {
		add(s.Heading)
		add(s.Paragraphs...)
		if s.Table != nil {
			add(s.Table.Header...)
			for _, r := range s.Table.Rows {
				add(r...)
			}
		}
	}
	add(l.Closing...)
	sum := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	return string(tag)
}

// fontInfo measures and checks characters against the loaded font.
type fontInfo struct {
	gp         *gopdf.GoPdf // current font set at size 1000
	widths     map[rune]float64
	has        map[rune]bool
	substitute rune
}

// covers reports whether the font has a glyph for r that the PDF can map
// back to Unicode.
func (f *fontInfo) covers(r rune) bool {
	if ok, seen := f.has[r]; seen {
		return ok
	}
	ok := false
	if r <= 0xFFFF {
		ok, _ = f.gp.IsCurrFontContainGlyph(r)
	}
	f.has[r] = ok
	return ok
}

// advance returns the width of r for a 1 pt font. The writer is set to a
// 1000 pt font during layout, so its measurement is the glyph's advance in
// thousandths of an em, exactly what the PDF's width table holds.
func (f *fontInfo) advance(r rune) float64 {
	if w, ok := f.widths[r]; ok {
		return w
	}
	w, err := f.gp.MeasureTextWidth(string(r))
	if err != nil || math.IsNaN(w) {
		w = 1000
	}
	w /= 1000
	f.widths[r] = w
	return w
}

// fixCodespaceRanges widens the code space of every ToUnicode CMap in pdf
// to <0000><FFFF>, in place. The PDF writer declares the range from the
// lowest to the highest glyph ID used, e.g. <0003><0E2D>, but code space
// ranges are compared byte by byte, so that range leaves out <0D43>
// (second byte 0x43 > 0x2D), and a strict reader then drops such glyphs
// when text is copied or searched. With Identity-H every two-byte code is
// valid. The replacement has the same length, so the stream lengths and the
// cross-reference offsets stay right.
func fixCodespaceRanges(pdf []byte) {
	marker := []byte("begincodespacerange\n")
	const full = "<0000><FFFF>"
	for i := 0; ; {
		j := bytes.Index(pdf[i:], marker)
		if j < 0 {
			return
		}
		k := i + j + len(marker)
		if k+len(full) <= len(pdf) && isHexRange(pdf[k:k+len(full)]) {
			copy(pdf[k:], full)
		}
		i = k
	}
}

// isHexRange reports whether b is "<XXXX><XXXX>" with hex digits X.
func isHexRange(b []byte) bool {
	for i, c := range b {
		switch i {
		case 0, 6:
			if c != '<' {
				return false
			}
		case 5, 11:
			if c != '>' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
