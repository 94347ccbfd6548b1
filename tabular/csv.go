package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/transform"

	"hogo.example.jp/hogo"
)

const bom = "\xEF\xBB\xBF"

// normEncoding returns EncodingUTF8, EncodingShiftJIS or "" (detect).
func normEncoding(e string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(e)) {
	case "":
		return "", nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "shift_jis", "shift-jis", "shiftjis", "sjis", "cp932", "windows-31j", "ms932":
		return EncodingShiftJIS, nil
	}
	return "", hogo.NewError(hogo.EINVALID, "encoding",
		"文字コード「%[1]s」には対応していません。utf-8 または shift_jis を指定してください。",
		"Encoding %[1]q is not supported; use utf-8 or shift_jis.", e)
}

// openCSV sets up the decoding chain: input → count → bufio → (decoder) →
// guard → encoding/csv.
func (rd *Reader) openCSV(br *bufio.Reader) error {
	enc, err := normEncoding(rd.opt.Encoding)
	if err != nil {
		return err
	}
	head, _ := br.Peek(len(bom))
	hasBOM := string(head) == bom
	var stream io.Reader
	switch enc {
	case EncodingUTF8:
		if hasBOM {
			br.Discard(len(bom))
		}
		stream = br
	case EncodingShiftJIS:
		if hasBOM {
			return hogo.NewError(hogo.EINVALID, "encoding",
				"%[1]s は UTF-8（BOM 付き）で保存されていますが、文字コードに Shift_JIS が指定されています。文字コードの指定を外すか utf-8 にしてください。",
				"%[1]s is saved as UTF-8 (with a BOM) but the encoding was given as Shift_JIS; leave the encoding out or give utf-8.", rd.name)
		}
		rd.sjis = newSJISDecoder()
		stream = transform.NewReader(br, rd.sjis)
	default:
		if hasBOM {
			br.Discard(len(bom))
			enc, stream = EncodingUTF8, br
		} else {
			// ASCII reads the same in both; decide at the first byte
			// that is not ASCII.
			enc, stream = EncodingUTF8, &autoReader{br: br, rd: rd}
		}
	}
	rd.encoding.Store(enc)
	rd.guard = &guardReader{r: stream, line: 1}
	rd.cr = csv.NewReader(rd.guard)
	rd.cr.ReuseRecord = true
	rd.cr.FieldsPerRecord = -1
	if strings.EqualFold(filepath.Ext(rd.name), ".tsv") {
		rd.cr.Comma = '\t'
	}
	return nil
}

// countReader counts the bytes read from the input.
type countReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

var errRecordTooLong = errors.New("tabular: record too long")

// guardReader refuses to deliver more than maxRecordBytes for one record.
// line is the line the next record starts on, for error messages.
type guardReader struct {
	r    io.Reader
	n    int
	line int
}

func (g *guardReader) reset() { g.n = 0 }

func (g *guardReader) Read(p []byte) (int, error) {
	if g.n > maxRecordBytes {
		return 0, errRecordTooLong
	}
	n, err := g.r.Read(p)
	g.n += n
	return n, err
}

// autoReader passes ASCII through until the first byte that is not ASCII,
// then looks at up to sampleSize bytes from there: valid UTF-8 (a
// multi-byte sequence cut at the sample's end counts as valid) means UTF-8,
// anything else Shift_JIS.
type autoReader struct {
	br  *bufio.Reader
	rd  *Reader
	dec io.Reader // nil until decided
}

func (a *autoReader) Read(p []byte) (int, error) {
	if a.dec != nil {
		return a.dec.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if a.br.Buffered() == 0 {
		if _, err := a.br.Peek(1); err != nil {
			return 0, err
		}
	}
	buf, _ := a.br.Peek(a.br.Buffered())
	i := 0
	for i < len(buf) && buf[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 {
		n := copy(p, buf[:i])
		a.br.Discard(n)
		return n, nil
	}
	sample, err := a.br.Peek(sampleSize)
	if err == nil {
		sample = trimPartialRune(sample)
	}
	if utf8.Valid(sample) {
		a.dec = a.br
	} else {
		a.rd.sjis = newSJISDecoder()
		a.dec = transform.NewReader(a.br, a.rd.sjis)
		a.rd.encoding.Store(EncodingShiftJIS)
	}
	return a.dec.Read(p)
}

// trimPartialRune cuts an incomplete UTF-8 sequence off the end of b, so
// that a sample that ends inside a character is not taken for invalid.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
