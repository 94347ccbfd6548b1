package pdftext

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// file is a parsed PDF: its objects by number (generations are ignored;
// files are read as last saved) and its trailer.
type file struct {
	b       []byte
	offsets map[int]int // from the cross-reference table, parsed on use
	objs    map[int]any
	trailer dict
	scanned bool
}

// maxDecoded bounds the size of one decoded stream.
const maxDecoded = 64 << 20

func open(pdf []byte) (*file, error) {
	head := pdf[:min(len(pdf), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	f := &file{b: pdf, offsets: map[int]int{}, objs: map[int]any{}}
	// The cross-reference table is the quick way in; a file whose table
	// is missing, damaged or a cross-reference stream (PDF 1.5) is read
	// by scanning for its objects instead.
	if err := f.readXref(); err != nil || f.catalog() == nil {
		f.scan()
	}
	if f.catalog() == nil {
		return nil, fmt.Errorf("%w: no document catalog", errSyntax)
	}
	if _, ok := f.trailer["Encrypt"]; ok {
		return nil, ErrEncrypted
	}
	return f, nil
}

func (f *file) catalog() dict {
	d, _ := f.resolve(f.trailer["Root"]).(dict)
	return d
}

func (f *file) readXref() error {
	i := bytes.LastIndex(f.b, []byte("startxref"))
	if i < 0 {
		return errSyntax
	}
	lx := &lexer{b: f.b, pos: i + len("startxref")}
	lx.skipSpace()
	off, err := strconv.Atoi(string(lx.word()))
	if err != nil {
		return errSyntax
	}
	seen := map[int]bool{}
	for {
		if off < 0 || off >= len(f.b) || seen[off] {
			return errSyntax
		}
		seen[off] = true
		lx := &lexer{b: f.b, pos: off}
		lx.skipSpace()
		if string(lx.word()) != "xref" {
			return errSyntax
		}
		for {
			lx.skipSpace()
			w := lx.word()
			if string(w) == "trailer" {
				break
			}
			start, err1 := strconv.Atoi(string(w))
			lx.skipSpace()
			count, err2 := strconv.Atoi(string(lx.word()))
			if err1 != nil || err2 != nil || start < 0 || count < 0 || count > len(f.b)/18 {
				return errSyntax
			}
			for n := start; n < start+count; n++ {
				lx.skipSpace()
				o, err1 := strconv.Atoi(string(lx.word()))
				lx.skipSpace()
				_, err2 := strconv.Atoi(string(lx.word()))
				lx.skipSpace()
				kind := string(lx.word())
				if err1 != nil || err2 != nil || (kind != "n" && kind != "f") {
					return errSyntax
				}
				// Sections are read newest first: keep what is set.
				if _, ok := f.offsets[n]; !ok && kind == "n" {
					f.offsets[n] = o
				}
			}
		}
		v, err := lx.value(0)
		if err != nil {
			return err
		}
		t, ok := v.(dict)
		if !ok {
			return errSyntax
		}
		if f.trailer == nil {
			f.trailer = t
		}
		prev, ok := t["Prev"].(float64)
		if !ok {
			return nil
		}
		off = int(prev)
	}
}

// scan finds objects by reading the file from the start, skipping over
// stream data so that bytes inside a stream are never taken for an
// object. Later definitions replace earlier ones, as incremental updates
// do.
func (f *file) scan() {
	if f.scanned {
		return
	}
	f.scanned = true
	f.offsets = map[int]int{}
	f.objs = map[int]any{}
	var trailer dict
	var streams []*stream
	b := f.b
	nextTrailer := -1 // position of the next "trailer" at or after i
	for i := 0; i < len(b); {
		if nextTrailer < i {
			nextTrailer = len(b)
			if k := bytes.Index(b[i:], []byte("trailer")); k >= 0 {
				nextTrailer = i + k
			}
		}
		j := bytes.Index(b[i:], []byte("obj"))
		if nextTrailer < len(b) && (j < 0 || nextTrailer < i+j) {
			lx := &lexer{b: b, pos: nextTrailer + len("trailer")}
			if v, err := lx.value(0); err == nil {
				if t, ok := v.(dict); ok {
					trailer = t
				}
			}
			i = nextTrailer + len("trailer")
			continue
		}
		if j < 0 {
			break
		}
		at := i + j
		start := objectStart(b, at)
		if start < 0 {
			i = at + 3
			continue
		}
		lx := &lexer{b: b, pos: start}
		id, v, err := lx.indirect()
		if err != nil {
			i = at + 3
			continue
		}
		f.objs[id.num] = v
		if s, ok := v.(*stream); ok {
			streams = append(streams, s)
		}
		i = lx.pos
	}
	// Objects inside object streams, unless defined directly.
	for _, s := range streams {
		if s.dict["Type"] == name("ObjStm") {
			f.readObjStm(s)
		}
	}
	if trailer == nil || f.resolve(trailer["Root"]) == nil {
		// A cross-reference stream's dictionary holds the trailer keys;
		// failing that, any catalog will do.
		trailer = nil
		for _, s := range streams {
			if s.dict["Type"] == name("XRef") {
				trailer = s.dict
			}
		}
		if trailer == nil {
			best := -1
			for num, v := range f.objs {
				if d, ok := v.(dict); ok && d["Type"] == name("Catalog") && (best < 0 || num < best) {
					best = num
				}
			}
			if best >= 0 {
				trailer = dict{"Root": ref{best, 0}}
			}
		}
	}
	f.trailer = trailer
}

// objectStart returns where "num gen" begins before the obj keyword at
// at, or -1.
func objectStart(b []byte, at int) int {
	if at+3 < len(b) && !isSpace(b[at+3]) && !isDelim(b[at+3]) {
		return -1 // "objects", "endobj" and the like
	}
	i := at
	skipBack := func(digits bool) bool {
		n := 0
		for i > 0 {
			c := b[i-1]
			if digits && c >= '0' && c <= '9' || !digits && isSpace(c) {
				i--
				n++
				continue
			}
			break
		}
		return n > 0
	}
	if !skipBack(false) || !skipBack(true) || !skipBack(false) || !skipBack(true) {
		return -1
	}
	if i > 0 && !isSpace(b[i-1]) && !isDelim(b[i-1]) {
		return -1
	}
	return i
}

func (f *file) readObjStm(s *stream) {
	data, err := f.decode(s)
	if err != nil {
		return
	}
	n, _ := f.resolve(s.dict["N"]).(float64)
	first, _ := f.resolve(s.dict["First"]).(float64)
	if n <= 0 || first < 0 || int(first) > len(data) {
		return
	}
	lx := &lexer{b: data}
	for i := 0; i < int(n); i++ {
		num, err1 := lx.value(0)
		off, err2 := lx.value(0)
		nf, ok1 := num.(float64)
		of, ok2 := off.(float64)
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			return
		}
		if _, ok := f.objs[int(nf)]; ok {
			continue
		}
		pos := int(first) + int(of)
		if pos < 0 || pos >= len(data) {
			continue
		}
		vx := &lexer{b: data, pos: pos}
		if v, err := vx.refOrValue(0); err == nil {
			f.objs[int(nf)] = v
		}
	}
}

// object returns indirect object num, or nil.
func (f *file) object(num int) any {
	if v, ok := f.objs[num]; ok {
		return v
	}
	off, ok := f.offsets[num]
	if !ok {
		return nil
	}
	var id ref
	var v any
	err := errSyntax
	if off >= 0 && off < len(f.b) {
		lx := &lexer{b: f.b, pos: off}
		id, v, err = lx.indirect()
	}
	if err != nil || id.num != num {
		if !f.scanned {
			// The table is off; trust the objects themselves.
			trailer := f.trailer
			f.scan()
			if f.trailer == nil {
				f.trailer = trailer
			}
			return f.objs[num]
		}
		return nil
	}
	f.objs[num] = v
	return v
}

// resolve follows references, at most a few deep.
func (f *file) resolve(v any) any {
	for range 8 {
		r, ok := v.(ref)
		if !ok {
			return v
		}
		v = f.object(r.num)
	}
	return nil
}

func (f *file) dict(v any) dict {
	switch x := f.resolve(v).(type) {
	case dict:
		return x
	case *stream:
		return x.dict
	}
	return nil
}

func (f *file) array(v any) []any {
	a, _ := f.resolve(v).([]any)
	return a
}

func (f *file) number(v any, def float64) float64 {
	if n, ok := f.resolve(v).(float64); ok {
		return n
	}
	return def
}

// decode returns a stream's data with its filters undone.
func (f *file) decode(s *stream) ([]byte, error) {
	var filters []any
	switch x := f.resolve(s.dict["Filter"]).(type) {
	case name:
		filters = []any{x}
	case []any:
		filters = x
	}
	var parms []any
	switch x := f.resolve(s.dict["DecodeParms"]).(type) {
	case dict:
		parms = []any{x}
	case []any:
		parms = x
	}
	data := s.raw
	for i, fl := range filters {
		fn, _ := f.resolve(fl).(name)
		if i < len(parms) {
			if p := f.dict(parms[i]); p != nil && f.number(p["Predictor"], 1) > 1 {
				return nil, fmt.Errorf("pdftext: unsupported predictor in stream")
			}
		}
		var err error
		switch fn {
		case "FlateDecode", "Fl":
			data, err = inflate(data)
		case "ASCIIHexDecode", "AHx":
			if e := bytes.IndexByte(data, '>'); e >= 0 {
				data = data[:e]
			}
			var ok bool
			if data, ok = decodeHex(data); !ok {
				err = errSyntax
			}
		case "ASCII85Decode", "A85":
			data, err = decodeASCII85(data)
		default:
			err = fmt.Errorf("pdftext: unsupported filter %q", string(fn))
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

// inflate undoes FlateDecode. Some writers omit the zlib header or cut
// the stream short; what could be read is kept, as viewers do.
func inflate(data []byte) ([]byte, error) {
	var r io.Reader
	if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(data))
	}
	out, err := io.ReadAll(io.LimitReader(r, maxDecoded+1))
	if len(out) > maxDecoded {
		return nil, errors.New("pdftext: stream too large")
	}
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("pdftext: FlateDecode: %w", err)
	}
	return out, nil
}

func decodeASCII85(data []byte) ([]byte, error) {
	data = bytes.TrimSpace(data)
	data = bytes.TrimPrefix(data, []byte("<~"))
	if e := bytes.Index(data, []byte("~>")); e >= 0 {
		data = data[:e]
	}
	out := make([]byte, 4*len(data)+4) // "z" stands for four bytes
	n, _, err := ascii85.Decode(out, data, true)
	if err != nil {
		return nil, fmt.Errorf("pdftext: ASCII85Decode: %w", err)
	}
	return out[:n], nil
}
