// Package pdftext reads the text back out of PDF files, for tests that
// check what a generated PDF says.
//
// It is written for the PDFs that package letter makes with
// github.com/signintech/gopdf: TrueType fonts embedded as Type0/Identity-H
// subsets whose two-byte glyph codes are mapped back to Unicode by a
// ToUnicode CMap, content streams compressed with FlateDecode, and text
// drawn with Tj and TJ. It also reads simple PDFs from other writers
// (classic or scanned cross-reference, object streams, single-byte fonts
// with WinAnsi encoding, form XObjects), but it is no general PDF reader:
// encrypted files, predictor-compressed streams, vertical writing and
// fonts without a ToUnicode map (other than simple WinAnsi ones) are not
// supported, and the layout analysis is only what page-ordered lines need.
//
// Text is arranged in lines by baseline, top to bottom, and within a line
// left to right; pieces of text on one line with a visible gap between
// them (for example neighbouring table cells) are joined by one space.
package pdftext

import (
	"errors"
	"strings"
)

// ErrNotPDF is returned for input that does not start like a PDF file.
var ErrNotPDF = errors.New("pdftext: not a PDF file")

// ErrEncrypted is returned for encrypted PDF files, which are not
// supported.
var ErrEncrypted = errors.New("pdftext: encrypted PDF files are not supported")

// maxPages bounds the page tree walk of a malformed file.
const maxPages = 100000

// Text returns the text of every page in order. Each page's lines end in
// "\n", and each page after the first starts with a form feed ("\f"), as
// pdftotext separates pages.
func Text(pdf []byte) (string, error) {
	pages, err := Pages(pdf)
	if err != nil {
		return "", err
	}
	return strings.Join(pages, "\f"), nil
}

// Pages returns the text of each page, in order, with lines ending in
// "\n".
func Pages(pdf []byte) ([]string, error) {
	f, err := open(pdf)
	if err != nil {
		return nil, err
	}
	pages, err := f.pages()
	if err != nil {
		return nil, err
	}
	in := &interp{f: f, fonts: map[any]*font{}}
	out := make([]string, 0, len(pages))
	for _, p := range pages {
		data, err := f.contents(p.dict)
		if err != nil {
			return nil, err
		}
		in.items, in.forms = in.items[:0], 0
		in.run(data, p.res, gstate{ctm: identity, th: 1})
		var b strings.Builder
		for _, l := range lines(in.items) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		out = append(out, b.String())
	}
	return out, nil
}

// PageCount returns the number of pages.
func PageCount(pdf []byte) (int, error) {
	f, err := open(pdf)
	if err != nil {
		return 0, err
	}
	pages, err := f.pages()
	return len(pages), err
}

type pageRef struct {
	dict dict
	res  dict // resources, inherited from the page tree when not set
}

// pages walks the page tree in document order.
func (f *file) pages() ([]pageRef, error) {
	root := f.dict(f.catalog()["Pages"])
	if root == nil {
		return nil, errors.New("pdftext: no page tree")
	}
	var out []pageRef
	seen := map[any]bool{}
	var walk func(v any, n dict, res dict, depth int) error
	walk = func(v any, n dict, res dict, depth int) error {
		if depth > maxDepth || len(out) > maxPages {
			return errors.New("pdftext: page tree too deep or too large")
		}
		if r, ok := v.(ref); ok {
			if seen[r] {
				return errors.New("pdftext: page tree has a cycle")
			}
			seen[r] = true
		}
		if r := f.dict(n["Resources"]); r != nil {
			res = r
		}
		kids, hasKids := f.resolve(n["Kids"]).([]any)
		if n["Type"] == name("Page") || !hasKids {
			out = append(out, pageRef{dict: n, res: res})
			return nil
		}
		for _, k := range kids {
			kd := f.dict(k)
			if kd == nil {
				continue
			}
			if err := walk(k, kd, res, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(f.catalog()["Pages"], root, nil, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// contents returns a page's content streams, decoded and concatenated.
func (f *file) contents(page dict) ([]byte, error) {
	var parts []any
	switch c := f.resolve(page["Contents"]).(type) {
	case *stream:
		parts = []any{c}
	case []any:
		parts = c
	}
	var data []byte
	for _, p := range parts {
		s, ok := f.resolve(p).(*stream)
		if !ok {
			continue
		}
		d, err := f.decode(s)
		if err != nil {
			return nil, err
		}
		data = append(data, d...)
		// Streams are split at token boundaries only; keep them apart.
		data = append(data, '\n')
	}
	return data, nil
}
