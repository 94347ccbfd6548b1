package tabular

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// sjisTable maps a two-byte Shift_JIS (CP932) character to its rune:
// index (lead-0x80)*sjisTrails + (trail-0x40); 0 for an unmapped pair.
// It is built from x/text's decoder, so the mapping (Windows-31J
// extensions included) is exactly japanese.ShiftJIS's.
var (
	sjisOnce  sync.Once
	sjisTable []uint16
)

const sjisTrails = 0xFD - 0x40

func sjisLead(c byte) bool { return c >= 0x81 && c <= 0x9F || c >= 0xE0 && c <= 0xFC }

func buildSJISTable() {
	// Every lead byte followed by every trail byte in 0x40–0xFC except
	// 0x7F decodes to exactly one rune (U+FFFD when unmapped), so one pass
	// over all the pairs gives the table.
	var src []byte
	for lead := 0x80; lead <= 0xFC; lead++ {
		if !sjisLead(byte(lead)) {
			continue
		}
		for trail := 0x40; trail < 0xFD; trail++ {
			if trail != 0x7F {
				src = append(src, byte(lead), byte(trail))
			}
		}
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(src)
	if err != nil {
		panic("tabular: building the Shift_JIS table: " + err.Error())
	}
	sjisTable = make([]uint16, (0xFD-0x80)*sjisTrails)
	i := 0
	for lead := 0x80; lead <= 0xFC; lead++ {
		if !sjisLead(byte(lead)) {
			continue
		}
		for trail := 0x40; trail < 0xFD; trail++ {
			if trail == 0x7F {
				continue
			}
			r, n := utf8.DecodeRune(out[i:])
			i += n
			if r != utf8.RuneError && r <= 0xFFFF {
				sjisTable[(lead-0x80)*sjisTrails+trail-0x40] = uint16(r)
			}
		}
	}
}

// sjisDecoder decodes Shift_JIS (CP932) like japanese.ShiftJIS's decoder,
// with the same output for every input, but copies runs of ASCII at once
// and counts the bytes it could not decode (each became U+FFFD), so that
// the reader looks for U+FFFD in cells only once there have been any.
type sjisDecoder struct {
	transform.NopResetter
	bad int
}

func newSJISDecoder() *sjisDecoder {
	sjisOnce.Do(buildSJISTable)
	return &sjisDecoder{}
}

func (d *sjisDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c0 := src[nSrc]
		if c0 < utf8.RuneSelf {
			j := nSrc + 1
			for j < len(src) && src[j] < utf8.RuneSelf {
				j++
			}
			want := j - nSrc
			n := copy(dst[nDst:], src[nSrc:j])
			nDst += n
			nSrc += n
			if n < want {
				return nDst, nSrc, transform.ErrShortDst
			}
			continue
		}
		if len(dst)-nDst < 3 { // every rune here takes at most 3 bytes
			return nDst, nSrc, transform.ErrShortDst
		}
		r := utf8.RuneError
		size := 1
		switch {
		case sjisLead(c0):
			if nSrc+1 >= len(src) {
				if !atEOF {
					return nDst, nSrc, transform.ErrShortSrc
				}
				break
			}
			c1 := src[nSrc+1]
			switch {
			case c1 < 0x40 || c1 == 0x7F:
				// c1 is ASCII: U+FFFD for c0 alone, c1 is decoded next.
			case c1 >= 0xFD:
				size = 2
			default:
				size = 2
				if t := sjisTable[int(c0-0x80)*sjisTrails+int(c1-0x40)]; t != 0 {
					r = rune(t)
				}
			}
		case c0 >= 0xA1 && c0 <= 0xDF: // half-width katakana
			r = rune(c0) + (0xFF61 - 0xA1)
		case c0 == 0x80:
			r = 0x80
		}
		if r == utf8.RuneError {
			d.bad++
		}
		if r < 0x800 {
			dst[nDst] = byte(0xC0 | r>>6)
			dst[nDst+1] = byte(0x80 | r&0x3F)
			nDst += 2
		} else {
			dst[nDst] = byte(0xE0 | r>>12)
			dst[nDst+1] = byte(0x80 | (r>>6)&0x3F)
			dst[nDst+2] = byte(0x80 | r&0x3F)
			nDst += 3
		}
		nSrc += size
	}
	return nDst, nSrc, nil
}
