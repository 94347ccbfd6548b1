package letter

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"
)

// Page geometry in points (1/72 inch), measured from the top left corner.
var (
	pageW = gopdf.PageSizeA4.W
	pageH = gopdf.PageSizeA4.H
)

const (
	mm     = 72 / 25.4
	margin = 20 * mm

	bodySize  = 10.5
	bodyLead  = 1.7 // line pitch as a multiple of the font size
	titleSize = 16.0
	headSize  = 11.5
	smallSize = 9.5
	nameSize  = 12.0

	tableSize = 9.0
	tableLead = 1.45
	cellPadX  = 4.0
	cellPadY  = 3.0
	ruleWidth = 0.5
	headGray  = 230 // header row fill, 0–255

	footerSize  = 8.0
	footerLead  = 1.4
	footerLines = 3

	// ascent is IPAex's ascender as a fraction of the font size; it
	// places a baseline so that glyphs sit in the middle of their line.
	ascent = 0.88
	eps    = 1e-6
)

var (
	left     = margin
	right    = pageW - margin
	top      = margin
	bottom   = pageH - margin
	contentW = right - left
)

type align int

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

type textOp struct {
	x, y, size float64 // y is the baseline
	s          string
}

type lineOp struct{ x1, y1, x2, y2 float64 }

type rectOp struct{ x, y, w, h float64 }

type page struct {
	rects []rectOp
	lines []lineOp
	texts []textOp
}

// document is a letter laid out on pages, ready to draw. Layout comes
// first and drawing second because the footer shows the page count.
type document struct {
	title string
	pages []*page
}

type layouter struct {
	f     *fontInfo
	pages []*page
	pg    *page
	y     float64 // top of the next line
}

// layout places every part of l on pages.
func layout(l *Letter, f *fontInfo) (*document, error) {
	lo := &layouter{f: f}
	lo.newPage()
	doc := &document{}

	title, err := f.clean("Title", l.Title)
	if err != nil {
		return nil, err
	}
	doc.title = strings.ReplaceAll(title, "\n", " ")
	var footer []string
	if l.Footer != "" {
		s, err := f.clean("Footer", l.Footer)
		if err != nil {
			return nil, err
		}
		// The right end of the first footer line is kept for the page
		// number.
		footer = lo.wrap(s, contentW-80, footerSize, false)
		if len(footer) > footerLines {
			return nil, &FieldError{Field: "Footer", Err: ErrTooLong}
		}
	}

	// Date and reference numbers, top right.
	if l.Date != "" {
		if err := lo.paragraph("Date", l.Date, bodySize, 1.5, alignRight, left, contentW); err != nil {
			return nil, err
		}
	}
	for i, s := range l.Reference {
		if err := lo.paragraph(fmt.Sprintf("Reference[%d]", i), s, smallSize, 1.5, alignRight, left, contentW); err != nil {
			return nil, err
		}
	}
	lo.y += bodySize

	// Addressee, top left: the name larger, then the postal address.
	for i, s := range l.Addressee {
		size := smallSize
		if i == 0 {
			size = nameSize
		}
		if err := lo.paragraph(fmt.Sprintf("Addressee[%d]", i), s, size, 1.6, alignLeft, left, contentW*0.62); err != nil {
			return nil, err
		}
	}
	if len(l.Addressee) > 0 {
		lo.y += bodySize
	}

	// Sender, right: a block whose lines align on the left and whose
	// widest line ends at the right margin, as in a printed letterhead.
	if err := lo.sender(l.Sender); err != nil {
		return nil, err
	}
	lo.y += bodySize * 1.5

	lo.lines(lo.wrap(title, contentW, titleSize, true), titleSize, 1.5, alignCenter, left, contentW)
	lo.y += bodySize

	for i, s := range l.Opening {
		if err := lo.bodyParagraph(fmt.Sprintf("Opening[%d]", i), s, alignLeft); err != nil {
			return nil, err
		}
	}
	for i, sec := range l.Sections {
		if err := lo.section(fmt.Sprintf("Sections[%d]", i), sec); err != nil {
			return nil, err
		}
	}
	if len(l.Closing) > 0 {
		lo.y += bodySize * 0.5
	}
	for i, s := range l.Closing {
		al := alignLeft
		// 以上 and 敬具 close a Japanese letter flush right.
		if t := strings.TrimFunc(s, unicode.IsSpace); t == "以上" || t == "敬具" {
			al = alignRight
		}
		if err := lo.bodyParagraph(fmt.Sprintf("Closing[%d]", i), s, al); err != nil {
			return nil, err
		}
	}
	lo.footers(footer)
	doc.pages = lo.pages
	return doc, nil
}

// footers adds the footer text and "n / total" to every page, now that the
// number of pages is known. They sit in the bottom margin.
func (lo *layouter) footers(footer []string) {
	lineH := footerSize * footerLead
	y := bottom + 6
	for i, p := range lo.pages {
		lo.pg = p
		for j, s := range footer {
			lo.text(left, y+float64(j)*lineH+baseline(footerSize, lineH), footerSize, s)
		}
		num := fmt.Sprintf("%d / %d", i+1, len(lo.pages))
		lo.text(right-lo.width(num, footerSize), y+baseline(footerSize, lineH), footerSize, num)
	}
}

func (lo *layouter) newPage() {
	lo.pg = &page{}
	lo.pages = append(lo.pages, lo.pg)
	lo.y = top
}

// ensure starts a new page unless h more points fit on this one.
func (lo *layouter) ensure(h float64) {
	if lo.y+h > bottom+eps && lo.y > top+eps {
		lo.newPage()
	}
}

func (lo *layouter) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += lo.f.advance(r)
	}
	return w * size
}

func (lo *layouter) wrap(s string, maxW, size float64, hang bool) []string {
	return wrapText(s, maxW, func(r rune) float64 { return lo.f.advance(r) * size }, hang)
}

// baseline returns the offset from the top of a line of pitch lineH to the
// baseline of text of the given size.
func baseline(size, lineH float64) float64 {
	return (lineH-size)/2 + ascent*size
}

func (lo *layouter) text(x, y, size float64, s string) {
	lo.pg.texts = append(lo.pg.texts, textOp{x: x, y: y, size: size, s: s})
}

// lines places already wrapped lines, breaking the page where needed.
func (lo *layouter) lines(ls []string, size, lead float64, al align, x, w float64) {
	lineH := size * lead
	for _, s := range ls {
		lo.ensure(lineH)
		if s != "" {
			tx := x
			switch al {
			case alignRight:
				tx = x + w - lo.width(s, size)
			case alignCenter:
				tx = x + (w-lo.width(s, size))/2
			}
			lo.text(tx, lo.y+baseline(size, lineH), size, s)
		}
		lo.y += lineH
	}
}

// paragraph checks, wraps and places one text.
func (lo *layouter) paragraph(field, s string, size, lead float64, al align, x, w float64) error {
	s, err := lo.f.clean(field, s)
	if err != nil {
		return err
	}
	lo.lines(lo.wrap(s, w, size, true), size, lead, al, x, w)
	return nil
}

func (lo *layouter) bodyParagraph(field, s string, al align) error {
	if err := lo.paragraph(field, s, bodySize, bodyLead, al, left, contentW); err != nil {
		return err
	}
	lo.y += bodySize * 0.3
	return nil
}

func (lo *layouter) sender(sender []string) error {
	type block struct {
		size  float64
		lines []string
	}
	var blocks []block
	blockW := 0.0
	for i, s := range sender {
		s, err := lo.f.clean(fmt.Sprintf("Sender[%d]", i), s)
		if err != nil {
			return err
		}
		size := smallSize
		if i == 0 {
			size = bodySize
		}
		ls := lo.wrap(s, contentW*0.55, size, false)
		for _, line := range ls {
			blockW = max(blockW, lo.width(line, size))
		}
		blocks = append(blocks, block{size, ls})
	}
	for _, b := range blocks {
		lo.lines(b.lines, b.size, 1.5, alignLeft, right-blockW, blockW)
	}
	return nil
}

func (lo *layouter) section(field string, sec Section) error {
	if sec.Heading != "" {
		h, err := lo.f.clean(field+".Heading", sec.Heading)
		if err != nil {
			return err
		}
		ls := lo.wrap(h, contentW, headSize, true)
		lo.y += bodySize * 0.6
		// Keep the heading with what follows: two lines of text, or a
		// table's header and first row.
		lo.ensure(float64(len(ls))*headSize*1.6 + 3*bodySize*bodyLead)
		lo.lines(ls, headSize, 1.6, alignLeft, left, contentW)
	}
	for i, p := range sec.Paragraphs {
		if err := lo.bodyParagraph(fmt.Sprintf("%s.Paragraphs[%d]", field, i), p, alignLeft); err != nil {
			return err
		}
	}
	if sec.Table != nil {
		if err := lo.table(field+".Table", sec.Table); err != nil {
			return err
		}
		lo.y += bodySize * 0.8
	}
	return nil
}

var errBadWidths = errors.New("needs one positive width per column")

func (lo *layouter) table(field string, t *Table) error {
	ncols := len(t.Header)
	for _, r := range t.Rows {
		ncols = max(ncols, len(r))
	}
	if ncols == 0 {
		return nil
	}
	weights := make([]float64, ncols)
	for i := range weights {
		weights[i] = 1
	}
	if len(t.Widths) > 0 {
		if len(t.Widths) != ncols {
			return &FieldError{Field: field + ".Widths", Err: errBadWidths}
		}
		for _, w := range t.Widths {
			if !(w > 0) || math.IsInf(w, 0) {
				return &FieldError{Field: field + ".Widths", Err: errBadWidths}
			}
		}
		copy(weights, t.Widths)
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	colX := make([]float64, ncols+1)
	colX[0] = left
	for i, w := range weights {
		colX[i+1] = colX[i] + contentW*w/sum
	}
	colX[ncols] = right

	lineH := tableSize * tableLead
	cells := func(field string, texts []string) ([][]string, int, error) {
		out := make([][]string, ncols)
		n := 1
		for i, s := range texts {
			s, err := lo.f.clean(fmt.Sprintf("%s[%d]", field, i), s)
			if err != nil {
				return nil, 0, err
			}
			out[i] = lo.wrap(s, colX[i+1]-colX[i]-2*cellPadX, tableSize, false)
			n = max(n, len(out[i]))
		}
		return out, n, nil
	}

	header, hn, err := cells(field+".Header", t.Header)
	if err != nil {
		return err
	}
	headerH := 0.0
	if len(t.Header) > 0 {
		headerH = float64(hn)*lineH + 2*cellPadY
	}
	minRowH := lineH + 2*cellPadY
	if headerH+minRowH > bottom-top {
		return &FieldError{Field: field + ".Header", Err: ErrTooLong}
	}

	// drawRow places lines [from, from+n) of each cell as one row part of
	// height n lines, with its rules.
	drawRow := func(cs [][]string, from, n int, shaded bool) {
		h := float64(n)*lineH + 2*cellPadY
		if shaded {
			lo.pg.rects = append(lo.pg.rects, rectOp{left, lo.y, contentW, h})
		}
		lo.pg.lines = append(lo.pg.lines,
			lineOp{left, lo.y, right, lo.y},
			lineOp{left, lo.y + h, right, lo.y + h})
		for i := 0; i <= ncols; i++ {
			lo.pg.lines = append(lo.pg.lines, lineOp{colX[i], lo.y, colX[i], lo.y + h})
		}
		for c, ls := range cs {
			for j := from; j < from+n && j < len(ls); j++ {
				if ls[j] == "" {
					continue
				}
				y := lo.y + cellPadY + float64(j-from)*lineH + baseline(tableSize, lineH)
				lo.text(colX[c]+cellPadX, y, tableSize, ls[j])
			}
		}
		lo.y += h
	}
	drawHeader := func() {
		if headerH > 0 {
			drawRow(header, 0, hn, true)
		}
	}

	lo.ensure(headerH + minRowH)
	drawHeader()
	pageTop := lo.y // where rows start on a page of this table
	for ri, row := range t.Rows {
		cs, n, err := cells(fmt.Sprintf("%s.Rows[%d]", field, ri), row)
		if err != nil {
			return err
		}
		for done := 0; done < n; {
			rest := n - done
			avail := bottom - lo.y
			if float64(rest)*lineH+2*cellPadY <= avail+eps {
				drawRow(cs, done, rest, false)
				break
			}
			// A row that would fit on a fresh page moves there whole;
			// a taller one is split between pages.
			fresh := bottom - top - headerH
			k := int(math.Floor((avail - 2*cellPadY + eps) / lineH))
			if (done == 0 && float64(rest)*lineH+2*cellPadY <= fresh+eps && lo.y > pageTop+eps) || k < 1 {
				lo.newPage()
				drawHeader()
				pageTop = lo.y
				continue
			}
			drawRow(cs, done, k, false)
			done += k
			lo.newPage()
			drawHeader()
			pageTop = lo.y
		}
	}
	return nil
}

// clean prepares a field's text for the font: line separators become
// "\n", tabs spaces, invisible format characters (variation selectors,
// zero-width spaces and joiners, BOM, soft hyphen, controls) are dropped
// because the font has nothing to draw for them, and characters the font
// lacks are replaced by the substitute or reported as an error that names
// the field.
func (f *fontInfo) clean(field, s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case ignorable(r):
		case f.covers(r):
			b.WriteRune(r)
		case f.substitute != 0:
			b.WriteRune(f.substitute)
		default:
			return "", &FieldError{Field: field, Err: ErrMissingGlyph}
		}
	}
	return b.String(), nil
}

func ignorable(r rune) bool {
	switch {
	case unicode.Is(unicode.Variation_Selector, r),
		r >= 0x200B && r <= 0x200F,
		r >= 0x2060 && r <= 0x2064,
		r == 0xFEFF, r == 0x00AD,
		unicode.IsControl(r):
		return true
	}
	return false
}

// draw writes the laid-out pages to gp.
func (d *document) draw(gp *gopdf.GoPdf, family string) error {
	for _, p := range d.pages {
		gp.AddPage()
		// Colour and rule width are page content state: set them on
		// every page. Text gets an explicit black because PDF text is
		// painted with the fill colour, which the header rows change.
		gp.SetLineWidth(ruleWidth)
		gp.SetStrokeColor(0, 0, 0)
		gp.SetTextColor(0, 0, 0)
		if len(p.rects) > 0 {
			gp.SetFillColor(headGray, headGray, headGray)
			for _, r := range p.rects {
				gp.RectFromUpperLeftWithStyle(r.x, r.y, r.w, r.h, "F")
			}
		}
		for _, l := range p.lines {
			gp.Line(l.x1, l.y1, l.x2, l.y2)
		}
		size := -1.0
		for _, t := range p.texts {
			if t.size != size {
				if err := gp.SetFont(family, "", t.size); err != nil {
					return err
				}
				size = t.size
			}
			gp.SetXY(t.x, t.y)
			if err := gp.Text(t.s); err != nil {
				return err
			}
		}
	}
	return nil
}
