package vault

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"hogo.example.jp/hogo/ledger"
)

// IndexForm returns the normalised form of a value that keyed blind indexes
// are computed over, so that the ways people write one value find each
// other: ０９０-１２３４-５６７８ finds 09012345678, ヤマダ タロウ finds
// やまだ　たろう and ﾔﾏﾀﾞ ﾀﾛｳ, Taro@Example.JP finds taro@example.jp.
//
// It takes a stored canonical value (CheckValue's result) or a search term
// as typed, and gives both the same form: for every value x that CheckValue
// accepts, IndexForm(t, x) == IndexForm(t, CheckValue(x)). It is idempotent,
// never fails and, unlike CheckValue, is lossy; it is never stored or shown.
// Per type:
//
//   - kana: NFKC, ゛゜ joined, hiragana → katakana; white space, hyphens and
//     middle dots (・·) removed; ー, small kana and ヴ are kept as they are.
//   - phone, postal_code, mynumber: the digits only (+81 → 0 for phones);
//     width is folded but other compatibility digits (①) are not digits.
//   - date, number, bool, url: the canonical form of CheckValue when the
//     value is valid.
//   - email: NFKC and lower case, local part included: no provider in
//     practice delivers Taro@ and taro@ to different people, and a blind
//     index that missed them would hide a principal from a rights request
//     (APPI Art. 33). The stored value keeps the local part as written.
//   - text, file, address: NFKC and lower case; white space runs become one
//     space between Latin words and vanish next to CJK characters (山田 太郎
//     finds 山田太郎); for addresses every dash (and ー between digits)
//     becomes "-".
//   - code: NFKC, upper case, white space and dashes removed.
//
// Values that are invalid for their type fall back to the same folding
// without the type's parsing, so that a malformed search term still has a
// stable form.
func IndexForm(t ledger.ItemType, canonical string) string {
	s := canonical
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	switch t {
	case ledger.TypeKana:
		return fixpoint(kanaIndex, s)
	case ledger.TypeEmail:
		return fixpoint(emailIndex, s)
	case ledger.TypePhone:
		if v, m := parsePhone(s); m == nil {
			return v
		}
		return fixpoint(phoneIndex, s)
	case ledger.TypePostalCode:
		if v, m := parsePostal(s); m == nil {
			return v[:3] + v[4:]
		}
		return fixpoint(postalIndex, s)
	case ledger.TypeMyNumber:
		if v, m := parseMyNumber(s); m == nil {
			return v
		}
		return fixpoint(digitIndex, s)
	case ledger.TypeDate:
		if v, m := parseDate(s); m == nil {
			return v
		}
		return fixpoint(dateFold, s)
	case ledger.TypeNumber:
		if v, m := parseNumber(s); m == nil {
			return v
		}
		return s
	case ledger.TypeBool:
		if v, m := parseBool(s); m == nil {
			return v
		}
		return s
	case ledger.TypeURL:
		if v, m := parseURL(s); m == nil {
			return v
		}
		return s
	case ledger.TypeCode:
		return fixpoint(codeIndex, s)
	case ledger.TypeAddress:
		return fixpoint(addressIndex, s)
	default: // text, file, and anything the ledger has yet to define
		return fixpoint(textIndex, s)
	}
}

// fixpoint applies f, and trims, until the result stops changing. The
// foldings below remove characters from NFKC text, which can bring a base and
// a combining mark together and so call for one more composition, and NFKC
// can turn a leading ゛ into a space and a mark; two rounds settle every
// input the tests and fuzzing have found, four leave a margin.
func fixpoint(f func(string) string, s string) string {
	for range 4 {
		t := strings.TrimSpace(f(s))
		if t == s {
			return t
		}
		s = t
	}
	return s
}

func kanaIndex(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isDash(r) && r != 'ー' || isMiddleDot(r) {
			return -1
		}
		return r
	}, kanaFold(s))
	return norm.NFC.String(s)
}

// isMiddleDot reports the dots written between the words of a name: ・ and
// its half-width form, and the Latin middle dot, hyphenation point and bullet
// that stand in for it.
func isMiddleDot(r rune) bool {
	switch r {
	case 0x30FB, 0xFF65, 0x00B7, 0x2027, 0x2022:
		return true
	}
	return false
}

func emailIndex(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

func phoneIndex(s string) string { return digitsFold(s, true) }

func digitIndex(s string) string { return digitsFold(s, false) }

func postalIndex(s string) string {
	return strings.ReplaceAll(digitsFold(s, false), "〒", "")
}

func codeIndex(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isDash(r) {
			return -1
		}
		return r
	}, strings.ToUpper(norm.NFKC.String(s)))
}

// textIndex folds free text: NFKC, lower case, and white space that
// Japanese writing does not need (next to a CJK character) dropped, other
// runs of white space made one space.
func textIndex(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	var last rune
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = true
			continue
		}
		if pending && last != 0 && !isCJK(last) && !isCJK(r) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		last = r
	}
	return norm.NFC.String(b.String())
}

// addressIndex is textIndex with every dash made "-", and ー between two
// digits too (１ー２ー３ typed in kana mode is 1-2-3).
func addressIndex(s string) string {
	rs := []rune(textIndex(s))
	for i, r := range rs {
		switch {
		case r == 'ー' || r == 0xFF70:
			if i > 0 && i+1 < len(rs) && isASCIIDigit(rs[i-1]) && isASCIIDigit(rs[i+1]) {
				rs[i] = '-'
			}
		case isDash(r):
			rs[i] = '-'
		}
	}
	return string(rs)
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// isCJK reports characters of Chinese and Japanese writing, between which a
// space carries no meaning: CJK punctuation, kana, the unified ideographs and
// their extensions and compatibility forms (Hangul, which is written with
// spaces, is left out).
func isCJK(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x30FF, r >= 0x31F0 && r <= 0x31FF, r >= 0x3400 && r <= 0x4DBF,
		r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF, r >= 0xFF66 && r <= 0xFF9F,
		r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return false
}

// kanaFold brings kana input to NFKC full-width katakana: ゛゜ (U+309B/C)
// become combining marks first so that か゛ joins into ガ, half-width
// katakana widen, hiragana shift to katakana, and the result is composed
// again (ワ + ゛ only composes once ワ is katakana).
func kanaFold(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case 0x309B, 0xFF9E:
			return 0x3099
		case 0x309C, 0xFF9F:
			return 0x309A
		}
		return r
	}, s)
	s = norm.NFKC.String(s)
	conv := false
	for _, r := range s {
		if isHiragana(r) {
			conv = true
			break
		}
	}
	if conv {
		s = strings.Map(func(r rune) rune {
			if isHiragana(r) {
				return r + 0x60
			}
			return r
		}, s)
		s = norm.NFC.String(s)
	}
	return s
}

// isHiragana reports the hiragana that have a katakana at +0x60: ぁ…ゖ and
// the iteration marks ゝゞ.
func isHiragana(r rune) bool {
	return (r >= 0x3041 && r <= 0x3096) || r == 0x309D || r == 0x309E
}

// dateFold is what parseDate reads: NFKC (full-width digits, ㋿ → 令和) with
// all white space removed.
func dateFold(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// isDash reports the characters read as a hyphen in phone numbers, postal
// codes and My Numbers: hyphen-minus and its Unicode look-alikes, and the
// long-vowel mark ー that Japanese IMEs produce for "-" in kana mode.
func isDash(r rune) bool {
	switch r {
	case '-', 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x30FC, 0xFE63, 0xFF0D, 0xFF70:
		return true
	}
	return false
}

// digitsFold is what the digit-based types read: full-width ASCII folded
// (０９０, ＋, （）), 〶 read as 〒, white space and dashes removed, and for
// phone numbers also brackets and dots. It maps rune by rune, without NFKC,
// so that ① or mathematical digits are not taken for digits, and so that it
// is its own fixed point.
func digitsFold(s string, phone bool) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - '!'
		case r == 0x3036:
			r = '〒'
		}
		if unicode.IsSpace(r) || isDash(r) {
			return -1
		}
		if phone && (r == '(' || r == ')' || r == '.') {
			return -1
		}
		return r
	}, s)
}

// asciiFold folds full-width ASCII (Ａ, ＠, ．) and the ideographic space to
// ASCII and leaves everything else alone, unlike NFKC, which would also turn
// ① into 1.
func asciiFold(s string) string {
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
			return width.Fold.String(s)
		}
	}
	return s
}
