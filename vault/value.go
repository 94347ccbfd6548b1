// Package vault keeps principals' values: it checks them against their
// ledger item, brings them to one canonical stored form, and derives the
// normalised form that keyed blind indexes are computed over.
//
// Nothing in this package puts a value into an error, a log line or a panic:
// every message is a fixed text naming only the item (APPI Art. 23, 安全管理措置).
package vault

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// MaxTextRunes is the longest text value (text, kana, address, code, file)
// in characters.
const MaxTextRunes = 1000

// maxRawBytes bounds the work done on any input before it is even looked at;
// 1000 characters of four-byte UTF-8 plus generous surrounding space.
const maxRawBytes = 4*MaxTextRunes + 1024

// message is one fixed error text. ja uses %[1]s for the item's Japanese
// name, en uses %[2]s for its English name; nothing else is interpolated,
// so a message can never carry the value.
type message struct{ ja, en string }

var (
	msgRequired = message{
		"%[1]sは必須です。値を入力してください。",
		"%[2]s is required; enter a value."}
	msgUTF8 = message{
		"%[1]sの文字コードが正しくありません。UTF-8 の文字で入力し直してください。",
		"%[2]s is not valid UTF-8 text; enter it again as UTF-8."}
	msgTooLong = message{
		"%[1]sが長すぎます。1000文字以内にしてください。",
		"%[2]s is too long; shorten it to at most 1000 characters."}
	msgControl = message{
		"%[1]sに使えない制御文字が含まれています。改行とタブ以外の制御文字（書式制御文字を含む）を取り除いてください。",
		"%[2]s contains a control character; remove control and text-direction characters other than newline and tab."}
	msgKana = message{
		"%[1]sにはカタカナ・ひらがな・長音符「ー」・中黒「・」・空白だけを使えます。漢字・英字・数字・記号を除き、読みをカタカナで入力してください（例: サトウ　ハナコ）。",
		"%[2]s may contain only katakana, hiragana, the long-vowel mark ー, the middle dot ・ and spaces; remove kanji, Latin letters, digits and symbols and enter the reading in katakana (e.g. サトウ　ハナコ)."}
	msgDate = message{
		"%[1]sを日付として読めません。2025-04-01、2025/4/1、2025年4月1日、令和7年4月1日、R7.4.1 のいずれかの形で入力してください。",
		"%[2]s is not a date; write it as 2025-04-01, 2025/4/1, 2025年4月1日, 令和7年4月1日 or R7.4.1."}
	msgDateImpossible = message{
		"%[1]sは暦にない日付です。年・月・日（うるう年など）を確かめてください。",
		"%[2]s is not a calendar date; check the year, month and day (leap years included)."}
	msgDateEra = message{
		"%[1]sは元号の始まりより前の日付です。元号と年を確かめてください（明治は1868年10月23日、大正は1912年7月30日、昭和は1926年12月25日、平成は1989年1月8日、令和は2019年5月1日から）。",
		"%[2]s is a Japanese-era date before that era began; check the era and year (Meiji began on 1868-10-23, Taishō 1912-07-30, Shōwa 1926-12-25, Heisei 1989-01-08, Reiwa 2019-05-01)."}
	msgPhone = message{
		"%[1]sを電話番号として読めません。数字・ハイフン・括弧・空白だけで、0 から始まる日本の番号を入力してください（例: 03-1234-5678、090-1234-5678、+81 90-1234-5678）。",
		"%[2]s is not a phone number; use digits, hyphens, brackets and spaces only, as a Japanese number starting with 0 (e.g. 03-1234-5678, 090-1234-5678 or +81 90-1234-5678)."}
	msgPhoneForeign = message{
		"%[1]sには日本の電話番号（0 または +81 から始まる番号）だけを登録できます。",
		"%[2]s takes Japanese numbers only (starting with 0 or +81)."}
	msgPhoneLength = message{
		"%[1]sの桁数が合いません。携帯・IP電話など 020・050・060・070・080・090 で始まる番号は11桁、それ以外（固定電話、0120 など）は10桁です。",
		"%[2]s has the wrong number of digits; numbers starting with 020, 050, 060, 070, 080 or 090 (mobile, IP) have 11 digits, all others (fixed lines, 0120…) have 10."}
	msgPostal = message{
		"%[1]sは7桁の郵便番号で入力してください（例: 100-0001）。",
		"%[2]s must be a 7-digit postal code (e.g. 100-0001)."}
	msgEmail = message{
		"%[1]sをメールアドレスとして読めません。空白を含めず、「@」を1つだけ入れて name@example.jp の形で入力してください。",
		"%[2]s is not an e-mail address; write it as name@example.jp, with exactly one @ and no spaces."}
	msgEmailLocal = message{
		"%[1]sの「@」より前に使えない文字があります。英数字と ! # $ %% & ' * + - / = ? ^ _ ` { | } ~ . だけを使い、先頭を「.」にしないでください。",
		"%[2]s has a character that is not allowed before the @; use letters, digits and ! # $ %% & ' * + - / = ? ^ _ ` { | } ~ . only, and do not start with a dot."}
	msgEmailDomain = message{
		"%[1]sの「@」より後ろがドメイン名になっていません。example.jp のように「.」で区切った英数字とハイフンで入力してください。",
		"%[2]s has no valid domain after the @; write a domain such as example.jp: letters, digits and hyphens separated by dots."}
	msgEmailLength = message{
		"%[1]sが長すぎます。メールアドレスは254文字以内、「@」より前は64文字以内です。",
		"%[2]s is too long; an e-mail address has at most 254 characters, at most 64 of them before the @."}
	msgMyNumberDigits = message{
		"%[1]sは12桁の数字で入力してください（ハイフンや空白は入れても構いません）。",
		"%[2]s must be 12 digits (hyphens and spaces are ignored)."}
	msgMyNumberCheck = message{
		"%[1]sのチェックデジット（最後の1桁）が合いません。打ち間違いがないか、個人番号カードまたは通知カードと照らして確かめてください。",
		"%[2]s fails the check digit (the last digit); compare it digit by digit with the My Number card or notification card."}
	msgNumber = message{
		"%[1]sは数値で入力してください（例: 42、-3.5、1,234）。指数表記や単位は使えません。",
		"%[2]s must be a number (e.g. 42, -3.5 or 1,234), without exponent or unit."}
	msgURL = message{
		"%[1]sは http:// または https:// で始まる URL を、空白を含めずに入力してください（例: https://example.jp/）。",
		"%[2]s must be a URL starting with http:// or https://, without spaces (e.g. https://example.jp/)."}
	msgURLUserinfo = message{
		"%[1]sの URL に利用者名やパスワードを含めないでください。「@」より前の部分を取り除いてください。",
		"%[2]s must not carry a user name or password; remove the part before the @ in the host."}
	msgBool = message{
		"%[1]sは「はい」か「いいえ」（true/false、yes/no、1/0）で入力してください。",
		"%[2]s must be yes or no (true/false, はい/いいえ, 1/0)."}
	msgUnknownType = message{
		"%[1]sの型が台帳で定義されていないため、値を確かめられません。台帳の type を直してください。",
		"%[2]s has a type the ledger does not define, so its value cannot be checked; fix the item's type in the ledger."}
)

// messages lists every message, so that tests can tell the fixed text of a
// message from anything that might have leaked into it.
var messages = []message{msgRequired, msgUTF8, msgTooLong, msgControl, msgKana, msgDate, msgDateImpossible,
	msgDateEra, msgPhone, msgPhoneForeign, msgPhoneLength, msgPostal, msgEmail, msgEmailLocal, msgEmailDomain,
	msgEmailLength, msgMyNumberDigits, msgMyNumberCheck, msgNumber, msgURL, msgURLUserinfo, msgBool, msgUnknownType}

// fail returns the invalid-value error for it: Field is the item ID, the
// message names the item (its names are ledger text, not personal data).
func fail(it *ledger.Item, m message) *hogo.Error {
	ja, en := it.Name.Ja, it.Name.En
	if ja == "" {
		ja = it.ID
	}
	if en == "" {
		en = it.Name.Ja
	}
	if en == "" {
		en = it.ID
	}
	return hogo.NewError(hogo.EINVALID, it.ID, m.ja, m.en, ja, en)
}

// CheckValue checks raw against the type of it and returns the canonical
// form to store. The rules, per type:
//
//   - every type: surrounding white space is trimmed; an empty value is
//     accepted (as "") unless the item is required; invalid UTF-8 is refused.
//   - text, address, code, file: at most MaxTextRunes characters; CRLF and CR
//     become LF; control characters other than newline and tab, and the
//     bidirectional formatting characters (U+202A–202E, U+2066–2069), are
//     refused. The text is otherwise kept exactly as written: no Unicode
//     normalisation, so that variant kanji in names (異体字) survive.
//   - kana: katakana, hiragana, half-width katakana, ー, ・ and spaces; stored
//     as full-width katakana (NFKC, hiragana → katakana, ゛゜ joined to their
//     kana). Spacing: every run of spaces (ASCII or full-width) between two
//     words becomes one full-width space U+3000, spaces next to ・ are
//     dropped, so the stored form has no ASCII at all.
//   - date: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, YYYY年M月D日 and the
//     Japanese eras (令和8年11月23日, 平成元年1月8日, R8.11.23, S50.4.1, 昭50.4.1,
//     ㋿8年…); stored as YYYY-MM-DD. See parseDate for the era rules.
//   - phone: a Japanese number, full-width digits, hyphens (any dash, and ー
//     typed by IMEs), brackets, dots and spaces accepted; +81 becomes 0;
//     stored as the digits only. Numbers starting 0A0 (020, 050, 060, 070,
//     080, 090, including 0800) have 11 digits, all others 10.
//   - postal_code: 7 digits, 〒, hyphens, spaces and full width accepted;
//     stored as NNN-NNNN.
//   - email: dot-atom local part (case kept) @ an ASCII domain with a dot
//     (lower-cased); full-width ASCII is folded. Consecutive dots and a dot
//     before the @ are accepted because Japanese carriers issued such
//     addresses; a leading dot is not.
//   - mynumber: 12 digits with a valid check digit (ValidMyNumber); hyphens,
//     spaces and full width accepted; stored as the 12 digits.
//   - number: an integer or decimal, optional sign, optional thousands
//     commas in groups of three; stored without commas, leading zeros or +.
//   - url: http or https with a host and no user information; scheme and
//     host are lower-cased, the rest is kept.
//   - bool: true/false, yes/no, 1/0, はい/いいえ (any case and width); stored
//     as true or false.
//
// Errors are *hogo.Error with code invalid and Field set to the item ID; their
// messages say what is wrong and how to fix it, and never contain the value.
func CheckValue(it *ledger.Item, raw string) (string, error) {
	if it == nil {
		return "", hogo.Errorf(hogo.EINTERNAL, "vault: CheckValue called without an item")
	}
	if len(raw) > maxRawBytes {
		return "", fail(it, msgTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", fail(it, msgUTF8)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		if it.Required {
			return "", fail(it, msgRequired)
		}
		return "", nil
	}
	var v string
	var m *message
	switch it.Type {
	case ledger.TypeText, ledger.TypeAddress, ledger.TypeCode, ledger.TypeFile:
		v, m = checkText(s)
	case ledger.TypeKana:
		v, m = checkKana(s)
	case ledger.TypeDate:
		v, m = parseDate(s)
	case ledger.TypePhone:
		v, m = parsePhone(s)
	case ledger.TypePostalCode:
		v, m = parsePostal(s)
	case ledger.TypeEmail:
		v, m = parseEmail(s)
	case ledger.TypeMyNumber:
		v, m = parseMyNumber(s)
	case ledger.TypeNumber:
		v, m = parseNumber(s)
	case ledger.TypeURL:
		v, m = parseURL(s)
	case ledger.TypeBool:
		v, m = parseBool(s)
	default:
		m = &msgUnknownType
	}
	if m != nil {
		return "", fail(it, *m)
	}
	if v == "" && it.Required {
		// Normalisation could in principle leave nothing of a non-blank
		// value; that is still an empty value.
		return "", fail(it, msgRequired)
	}
	return v, nil
}

// checkText applies the text rules to a trimmed, valid UTF-8 string.
func checkText(s string) (string, *message) {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
		s = strings.TrimSpace(s)
	}
	n := 0
	for _, r := range s {
		n++
		if forbiddenControl(r) {
			return "", &msgControl
		}
	}
	if n > MaxTextRunes {
		return "", &msgTooLong
	}
	return s, nil
}

// forbiddenControl reports control characters a stored text may not hold:
// C0/C1 controls other than newline and tab, and the bidirectional
// embedding, override and isolate characters, which can make a value read
// differently on screen from what is stored ("Trojan Source").
func forbiddenControl(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isKatakana reports the characters a stored kana value consists of, other
// than the separator: ァ…ヺ, ・, ー, ヽ, ヾ.
func isKatakana(r rune) bool {
	return r >= 0x30A1 && r <= 0x30FE
}

// checkKana applies the kana rules (see CheckValue) to a trimmed string.
func checkKana(s string) (string, *message) {
	s = kanaFold(s)
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	var last rune // last rune written, 0 at the start
	n := 0
	for _, r := range s {
		switch {
		case r == ' ': // NFKC has made U+3000 and the other spaces ASCII
			pendingSpace = true
			continue
		case isKatakana(r):
		default:
			return "", &msgKana
		}
		if pendingSpace && last != 0 && last != '・' && r != '・' {
			b.WriteRune('　')
			n++
		}
		pendingSpace = false
		b.WriteRune(r)
		last = r
		n++
	}
	if n > MaxTextRunes {
		return "", &msgTooLong
	}
	return b.String(), nil
}

// Japanese eras, with the first day of each (the day of 改元). Dates are
// converted arithmetically (first year of the era = 元年), so a date past the
// era's end (平成31年5月1日, or 平成33年 printed on an old licence before
// 令和 was known) is accepted as the Gregorian date it names; a date before
// the era's first day is refused. Dates of 明治1–5 were lunisolar in their
// time; they are read as Gregorian, which is never wrong for a living person.
var eras = []struct {
	names []string
	start time.Time
}{
	{[]string{"明治", "明", "M", "m"}, date(1868, 10, 23)},
	{[]string{"大正", "大", "T", "t"}, date(1912, 7, 30)},
	{[]string{"昭和", "昭", "S", "s"}, date(1926, 12, 25)},
	{[]string{"平成", "平", "H", "h"}, date(1989, 1, 8)},
	{[]string{"令和", "令", "R", "r"}, date(2019, 5, 1)},
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	reDateSep   = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	reDateKanji = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	reDate8     = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	reEraKanji  = regexp.MustCompile(`^(明治|大正|昭和|平成|令和|[明大昭平令MTSHRmtshr])(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$`)
	reEraSep    = regexp.MustCompile(`^([明大昭平令MTSHRmtshr])(元|\d{1,2})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
)

// parseDate reads the date forms of CheckValue and returns YYYY-MM-DD.
func parseDate(s string) (string, *message) {
	s = dateFold(s)
	var y, mo, d int
	era := -1
	if m := reDateSep.FindStringSubmatch(s); m != nil && m[2] == m[4] {
		y, mo, d = atoi(m[1]), atoi(m[3]), atoi(m[5])
	} else if m := reDateKanji.FindStringSubmatch(s); m != nil {
		y, mo, d = atoi(m[1]), atoi(m[2]), atoi(m[3])
	} else if m := reDate8.FindStringSubmatch(s); m != nil {
		y, mo, d = atoi(m[1]), atoi(m[2]), atoi(m[3])
	} else if m := reEraKanji.FindStringSubmatch(s); m != nil {
		era, y, mo, d = eraIndex(m[1]), eraYear(m[2]), atoi(m[3]), atoi(m[4])
	} else if m := reEraSep.FindStringSubmatch(s); m != nil && m[3] == m[5] {
		era, y, mo, d = eraIndex(m[1]), eraYear(m[2]), atoi(m[4]), atoi(m[6])
	} else {
		return "", &msgDate
	}
	if era >= 0 {
		if y < 1 {
			return "", &msgDate
		}
		y += eras[era].start.Year() - 1
	}
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", &msgDateImpossible
	}
	t := date(y, time.Month(mo), d)
	if t.Month() != time.Month(mo) || t.Day() != d {
		return "", &msgDateImpossible
	}
	if era >= 0 && t.Before(eras[era].start) {
		return "", &msgDateEra
	}
	return t.Format(time.DateOnly), nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // callers pass only short runs of ASCII digits
	return n
}

func eraYear(s string) int {
	if s == "元" {
		return 1
	}
	return atoi(s)
}

func eraIndex(name string) int {
	for i, e := range eras {
		for _, n := range e.names {
			if n == name {
				return i
			}
		}
	}
	return -1 // unreachable: the patterns list only these names
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parsePhone reads a Japanese phone number and returns its digits.
func parsePhone(s string) (string, *message) {
	s = digitsFold(s, true)
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		if !allDigits(rest) {
			return "", &msgPhone
		}
		rest, ok = strings.CutPrefix(rest, "81")
		if !ok {
			return "", &msgPhoneForeign
		}
		// +81 (0)3 … is common on business cards: keep a written 0.
		if !strings.HasPrefix(rest, "0") {
			rest = "0" + rest
		}
		s = rest
	}
	if !allDigits(s) {
		return "", &msgPhone
	}
	if s[0] != '0' || strings.HasPrefix(s, "00") {
		return "", &msgPhone
	}
	want := 10
	if len(s) >= 3 && s[2] == '0' && strings.IndexByte("256789", s[1]) >= 0 {
		want = 11 // 0A0 numbers: mobile, PHS, IP, M2M, 0800 (電気通信番号計画)
	}
	if len(s) != want {
		return "", &msgPhoneLength
	}
	return s, nil
}

// parsePostal reads a postal code and returns NNN-NNNN.
func parsePostal(s string) (string, *message) {
	s = strings.TrimLeft(digitsFold(s, false), "〒")
	if len(s) != 7 || !allDigits(s) {
		return "", &msgPostal
	}
	return s[:3] + "-" + s[3:], nil
}

// parseMyNumber reads an individual number (個人番号) and returns its 12
// digits.
func parseMyNumber(s string) (string, *message) {
	s = digitsFold(s, false)
	if len(s) != 12 || !allDigits(s) {
		return "", &msgMyNumberDigits
	}
	if !ValidMyNumber(s) {
		return "", &msgMyNumberCheck
	}
	return s, nil
}

// ValidMyNumber reports whether digits is 12 ASCII digits whose last digit
// is the check digit of the first 11 (番号法施行令 Art. 8; APPI.md §9):
// P1…P11 are the body's digits from the lowest, Qn = n+1 for n ≤ 6 and n−5
// for n ≥ 7, r = Σ Pn·Qn mod 11, and the check digit is 0 when r ≤ 1, else
// 11 − r.
func ValidMyNumber(digits string) bool {
	if len(digits) != 12 || !allDigits(digits) {
		return false
	}
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(digits[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	check := 0
	if r > 1 {
		check = 11 - r
	}
	return int(digits[11]-'0') == check
}

// parseEmail reads an e-mail address: a pragmatic subset of RFC 5322
// addr-spec (see CheckValue). The local part keeps its case (RFC 5321
// §2.4 lets the receiving host treat it as case-sensitive); the domain is
// lower-cased.
func parseEmail(s string) (string, *message) {
	s = asciiFold(s)
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", &msgEmail
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			return "", &msgEmail
		}
	}
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if len(s) > 254 || len(local) > 64 {
		return "", &msgEmailLength
	}
	if local == "" || local[0] == '.' {
		return "", &msgEmailLocal
	}
	for i := 0; i < len(local); i++ {
		if c := local[i]; !isAtext(c) && c != '.' {
			return "", &msgEmailLocal
		}
	}
	if !validDomain(domain) {
		return "", &msgEmailDomain
	}
	return local + "@" + domain, nil
}

// isAtext reports RFC 5322 atext in ASCII.
func isAtext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// validDomain reports a lower-case ASCII host name with at least two labels,
// each 1–63 letters, digits and inner hyphens, and a top-level label that is
// not all digits (so no bare IP addresses).
func validDomain(d string) bool {
	if len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return !allDigits(labels[len(labels)-1])
}

// parseNumber reads an integer or decimal number.
func parseNumber(s string) (string, *message) {
	s = norm.NFKC.String(s)
	if len(s) > 100 {
		return "", &msgNumber
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "−"): // U+2212 MINUS SIGN
		neg, s = true, s[len("−"):]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if hasPoint && !allDigits(frac) {
		return "", &msgNumber
	}
	if intPart == "" && hasPoint {
		intPart = "0" // .5 is 0.5
	}
	if strings.IndexByte(intPart, ',') >= 0 {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return "", &msgNumber
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", &msgNumber
			}
		}
		intPart = strings.Join(groups, "")
	}
	if !allDigits(intPart) {
		return "", &msgNumber
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	v := intPart
	if hasPoint {
		v += "." + frac
	}
	if neg && strings.Trim(v, "0.") != "" {
		v = "-" + v
	}
	return v, nil
}

// parseURL reads an http or https URL; scheme and host are lower-cased.
func parseURL(s string) (string, *message) {
	if len(s) > 2048 {
		return "", &msgURL
	}
	for _, r := range s {
		if unicode.IsSpace(r) || forbiddenControl(r) || r == '\t' || r == '\n' {
			return "", &msgURL
		}
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "", &msgURL
	}
	scheme = strings.ToLower(scheme)
	if scheme != "http" && scheme != "https" {
		return "", &msgURL
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	if strings.IndexByte(authority, '@') >= 0 {
		return "", &msgURLUserinfo
	}
	if !validHost(authority) {
		return "", &msgURL
	}
	if strings.IndexByte(tail, '\\') >= 0 {
		return "", &msgURL // browsers read \ as /: refuse rather than guess
	}
	v := scheme + "://" + strings.ToLower(authority) + tail
	if _, err := url.Parse(v); err != nil {
		return "", &msgURL // e.g. a broken %-escape: readers downstream use net/url
	}
	return v, nil
}

// validHost reports host[:port] where host is a name of letters, digits,
// hyphens, dots and non-ASCII letters (IDN), or a bracketed IPv6 address, and
// port is 1–65535.
func validHost(a string) bool {
	host, port := a, ""
	if strings.HasPrefix(a, "[") {
		i := strings.IndexByte(a, ']')
		if i < 0 {
			return false
		}
		host, port = a[1:i], a[i+1:]
		if port != "" && port[0] != ':' {
			return false
		}
		for i := 0; i < len(host); i++ {
			c := host[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
				return false
			}
		}
		if !strings.Contains(host, ":") {
			return false
		}
	} else if i := strings.LastIndexByte(a, ':'); i >= 0 {
		host, port = a[:i], a[i:]
	}
	if port != "" {
		p := port[1:]
		if !allDigits(p) || len(p) > 5 {
			return false
		}
		if n := atoi(p); n < 1 || n > 65535 {
			return false
		}
	}
	if host == "" {
		return false
	}
	if strings.HasPrefix(a, "[") {
		return true
	}
	for _, r := range host {
		if !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))) {
			return false
		}
	}
	return host[0] != '.' && !strings.Contains(host, "..")
}

// parseBool reads a yes/no value.
func parseBool(s string) (string, *message) {
	switch strings.ToLower(norm.NFKC.String(s)) {
	case "true", "yes", "1", "はい":
		return "true", nil
	case "false", "no", "0", "いいえ":
		return "false", nil
	}
	return "", &msgBool
}
