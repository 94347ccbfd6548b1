package letter

import "unicode"

// Line breaking for mixed Japanese and Latin text.
//
// Japanese may break between any two characters, so lines are filled by
// measured width character by character, with the simple kinsoku (禁則)
// rules of JIS X 4051 that readers notice: closing brackets, small kana,
// the prolonged sound mark, iteration marks and punctuation never start a
// line, and opening brackets never end one. 、and 。 that would start a
// line hang into the right margin instead (burasage), which keeps the line
// full; any other forbidden start pulls the last characters of the line
// down with it (oidashi). Runs of Latin letters and digits break only at
// spaces, unless one word is wider than the whole line.

// noLineStart lists characters that must not begin a line.
var noLineStart = runeSet("、。，．,.：；:;？！?!・･ー－ｰ‐〜～…‥」』）)］]｝}〕〉》】〙〗’”»｣､｡" +
	"ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ" +
	"％%℃°′″‰")

// noLineEnd lists characters that must not end a line.
var noLineEnd = runeSet("「『（(［[｛{〔〈《【〘〖‘“«｢")

// hanging lists the punctuation allowed to hang past the right edge.
var hanging = runeSet("、。，．,.､｡")

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

// isWordRune reports whether r belongs to a Latin-like word that should
// not be split: letters, digits and punctuation below the CJK blocks. The
// cut-off at U+2070 keeps dashes, quotes and the ellipsis (U+2010–U+2027)
// with their word, so "……" and "――" stay whole as JIS asks, while symbols,
// kana, kanji and full-width forms may break anywhere.
func isWordRune(r rune) bool {
	return r < 0x2070 && !unicode.IsSpace(r)
}

// canBreakBefore reports whether a line may end between rs[i-1] and rs[i].
func canBreakBefore(rs []rune, i int) bool {
	a, b := rs[i-1], rs[i]
	if b == ' ' {
		// Break after the spaces, not before them, so that they can be
		// dropped from the end of the line.
		return false
	}
	if noLineStart[b] || noLineEnd[a] {
		return false
	}
	if a == ' ' {
		return true
	}
	return !(isWordRune(a) && isWordRune(b))
}

// wrapText breaks text into lines no wider than maxW. width returns the
// advance of a rune in the same unit as maxW. A newline in text forces a
// break; an empty input gives no lines. If hang is false, no character
// may cross maxW (table cells, where the margin is a border).
func wrapText(text string, maxW float64, width func(rune) float64, hang bool) []string {
	if text == "" {
		return nil
	}
	var lines []string
	start := 0
	rs := []rune(text)
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || rs[i] == '\n' {
			lines = wrapSegment(lines, rs[start:i], maxW, width, hang)
			start = i + 1
		}
	}
	return lines
}

// wrapSegment appends the lines of one hard-broken segment to lines. An
// empty segment stays an empty line, so blank lines in a paragraph remain.
func wrapSegment(lines []string, rs []rune, maxW float64, width func(rune) float64, hang bool) []string {
	if len(rs) == 0 {
		return append(lines, "")
	}
	const eps = 1e-6
	s := 0
	for s < len(rs) {
		if s > 0 {
			// Spaces at a soft break belong to neither line.
			for s < len(rs) && rs[s] == ' ' {
				s++
			}
			if s == len(rs) {
				break
			}
		}
		x := 0.0
		e := s
		for e < len(rs) && (x+width(rs[e]) <= maxW+eps || rs[e] == ' ' || e == s) {
			x += width(rs[e])
			e++
		}
		if e == len(rs) {
			lines = append(lines, trimSpaces(rs[s:e]))
			break
		}
		// rs[e] does not fit: find where to break at or before it.
		b := -1
		if hang && hanging[rs[e]] && e > s && (e+1 == len(rs) || canBreakBefore(rs, e+1)) {
			b = e + 1
		} else {
			for j := e; j > s; j-- {
				if canBreakBefore(rs, j) {
					b = j
					break
				}
			}
		}
		if b < 0 {
			// No allowed break on this line (a long word or URL, or a
			// run of forbidden characters): break where it overflows.
			b = e
		}
		lines = append(lines, trimSpaces(rs[s:b]))
		s = b
	}
	return lines
}

func trimSpaces(rs []rune) string {
	e := len(rs)
	for e > 0 && rs[e-1] == ' ' {
		e--
	}
	return string(rs[:e])
}
