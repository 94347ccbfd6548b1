package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// PDF objects as parsed here:
//
//	null         nil
//	boolean      bool
//	number       float64
//	name         name (without the slash)
//	string       []byte (literal and hex strings alike)
//	array        []any
//	dictionary   dict
//	reference    ref
//	stream       *stream (only as an indirect object)
type (
	name string
	dict map[name]any
	ref  struct{ num, gen int }
)

type stream struct {
	dict dict
	raw  []byte // still encoded
}

// keyword is a bare word in a content stream: an operator, or true,
// false and null before they are turned into values.
type keyword string

// maxDepth bounds the nesting of arrays and dictionaries, so that a
// malformed file cannot exhaust the stack.
const maxDepth = 64

var errSyntax = errors.New("pdftext: malformed PDF")

// lexer reads PDF tokens from a byte slice.
type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// skipSpace skips white space and comments.
func (lx *lexer) skipSpace() {
	for lx.pos < len(lx.b) {
		c := lx.b[lx.pos]
		if isSpace(c) {
			lx.pos++
		} else if c == '%' {
			for lx.pos < len(lx.b) && lx.b[lx.pos] != '\n' && lx.b[lx.pos] != '\r' {
				lx.pos++
			}
		} else {
			return
		}
	}
}

// word reads a run of regular characters.
func (lx *lexer) word() []byte {
	start := lx.pos
	for lx.pos < len(lx.b) && !isSpace(lx.b[lx.pos]) && !isDelim(lx.b[lx.pos]) {
		lx.pos++
	}
	return lx.b[start:lx.pos]
}

// value reads one object. A bare word other than true, false, null or a
// number comes back as a keyword: in a content stream that is an operator,
// and in a file it is the R of a reference, which refOrValue handles.
func (lx *lexer) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, errSyntax
	}
	lx.skipSpace()
	if lx.pos >= len(lx.b) {
		return nil, errSyntax
	}
	c := lx.b[lx.pos]
	switch {
	case c == '/':
		lx.pos++
		return name(unescapeName(lx.word())), nil
	case c == '(':
		return lx.literal()
	case c == '<' && lx.pos+1 < len(lx.b) && lx.b[lx.pos+1] == '<':
		lx.pos += 2
		d := dict{}
		for {
			lx.skipSpace()
			if lx.pos+1 < len(lx.b) && lx.b[lx.pos] == '>' && lx.b[lx.pos+1] == '>' {
				lx.pos += 2
				return d, nil
			}
			k, err := lx.value(depth + 1)
			if err != nil {
				return nil, err
			}
			kn, ok := k.(name)
			if !ok {
				return nil, errSyntax
			}
			v, err := lx.refOrValue(depth + 1)
			if err != nil {
				return nil, err
			}
			d[kn] = v
		}
	case c == '<':
		return lx.hex()
	case c == '[':
		lx.pos++
		var a []any
		for {
			lx.skipSpace()
			if lx.pos < len(lx.b) && lx.b[lx.pos] == ']' {
				lx.pos++
				if a == nil {
					a = []any{}
				}
				return a, nil
			}
			v, err := lx.refOrValue(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case c == '{' || c == '}':
		// PostScript procedures only occur in functions; keep them
		// as keywords so that a content stream never stalls on them.
		lx.pos++
		return keyword(c), nil
	case isDelim(c):
		lx.pos++
		return nil, errSyntax
	}
	w := lx.word()
	switch string(w) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if f, err := strconv.ParseFloat(string(w), 64); err == nil && isNumber(w) {
		return f, nil
	}
	return keyword(w), nil
}

func isNumber(w []byte) bool {
	for _, c := range w {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+') {
			return false
		}
	}
	return len(w) > 0
}

// refOrValue reads a value and, if it is the start of "n g R", the whole
// reference.
func (lx *lexer) refOrValue(depth int) (any, error) {
	v, err := lx.value(depth)
	if err != nil {
		return nil, err
	}
	n, ok := v.(float64)
	if !ok || n < 0 || n != float64(int(n)) {
		return v, nil
	}
	save := lx.pos
	lx.skipSpace()
	g := lx.word()
	lx.skipSpace()
	if gen, err := strconv.Atoi(string(g)); err == nil && lx.pos < len(lx.b) && lx.b[lx.pos] == 'R' &&
		(lx.pos+1 == len(lx.b) || isSpace(lx.b[lx.pos+1]) || isDelim(lx.b[lx.pos+1])) {
		lx.pos++
		return ref{int(n), gen}, nil
	}
	lx.pos = save
	return v, nil
}

func (lx *lexer) literal() ([]byte, error) {
	lx.pos++ // (
	var out []byte
	level := 1
	for lx.pos < len(lx.b) {
		c := lx.b[lx.pos]
		lx.pos++
		switch c {
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return out, nil
			}
		case '\\':
			if lx.pos >= len(lx.b) {
				return nil, errSyntax
			}
			e := lx.b[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if lx.pos < len(lx.b) && lx.b[lx.pos] == '\n' {
					lx.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && lx.pos < len(lx.b) && lx.b[lx.pos] >= '0' && lx.b[lx.pos] <= '7'; i++ {
						v = v*8 + int(lx.b[lx.pos]-'0')
						lx.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, errSyntax
}

func (lx *lexer) hex() ([]byte, error) {
	lx.pos++ // <
	end := bytes.IndexByte(lx.b[lx.pos:], '>')
	if end < 0 {
		return nil, errSyntax
	}
	out, ok := decodeHex(lx.b[lx.pos : lx.pos+end])
	lx.pos += end + 1
	if !ok {
		return nil, errSyntax
	}
	return out, nil
}

// decodeHex decodes hex digits, ignoring white space; an odd final digit
// is followed by 0, as the PDF specification says.
func decodeHex(h []byte) ([]byte, bool) {
	out := make([]byte, 0, len(h)/2)
	var cur byte
	n := 0
	for _, c := range h {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case isSpace(c):
			continue
		default:
			return nil, false
		}
		cur = cur<<4 | v
		n++
		if n == 2 {
			out = append(out, cur)
			cur, n = 0, 0
		}
	}
	if n == 1 {
		out = append(out, cur<<4)
	}
	return out, true
}

func unescapeName(w []byte) string {
	if bytes.IndexByte(w, '#') < 0 {
		return string(w)
	}
	var out []byte
	for i := 0; i < len(w); i++ {
		if w[i] == '#' && i+2 < len(w) {
			if v, ok := decodeHex(w[i+1 : i+3]); ok && len(v) == 1 {
				out = append(out, v[0])
				i += 2
				continue
			}
		}
		out = append(out, w[i])
	}
	return string(out)
}

// indirect parses "num gen obj ... endobj" at the lexer's position. A
// stream's data is sliced out using its /Length when that is a direct
// number and right, and otherwise by searching for endstream.
func (lx *lexer) indirect() (ref, any, error) {
	lx.skipSpace()
	n, err1 := strconv.Atoi(string(lx.word()))
	lx.skipSpace()
	g, err2 := strconv.Atoi(string(lx.word()))
	lx.skipSpace()
	if err1 != nil || err2 != nil || string(lx.word()) != "obj" {
		return ref{}, nil, errSyntax
	}
	id := ref{n, g}
	v, err := lx.refOrValue(0)
	if err != nil {
		return id, nil, err
	}
	lx.skipSpace()
	if !bytes.HasPrefix(lx.b[lx.pos:], []byte("stream")) {
		return id, v, nil
	}
	d, ok := v.(dict)
	if !ok {
		return id, nil, errSyntax
	}
	lx.pos += len("stream")
	if lx.pos < len(lx.b) && lx.b[lx.pos] == '\r' {
		lx.pos++
	}
	if lx.pos < len(lx.b) && lx.b[lx.pos] == '\n' {
		lx.pos++
	}
	start := lx.pos
	if l, ok := d["Length"].(float64); ok && l >= 0 && int(l) <= len(lx.b)-start {
		end := start + int(l)
		rest := lx.b[end:]
		k := 0
		for k < len(rest) && isSpace(rest[k]) {
			k++
		}
		if bytes.HasPrefix(rest[k:], []byte("endstream")) {
			lx.pos = end + k + len("endstream")
			return id, &stream{dict: d, raw: lx.b[start:end]}, nil
		}
	}
	e := bytes.Index(lx.b[start:], []byte("endstream"))
	if e < 0 {
		return id, nil, fmt.Errorf("%w: unterminated stream", errSyntax)
	}
	end := start + e
	// The end-of-line before endstream is not part of the data.
	if end > start && lx.b[end-1] == '\n' {
		end--
	}
	if end > start && lx.b[end-1] == '\r' {
		end--
	}
	lx.pos = start + e + len("endstream")
	return id, &stream{dict: d, raw: lx.b[start:end]}, nil
}
