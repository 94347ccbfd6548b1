package vault_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// valueCase is one input for one item type: want is the canonical form, or
// wantErr a phrase of the English message when the value is refused.
type valueCase struct {
	typ      ledger.ItemType
	raw      string
	want     string
	wantErr  string
	required bool
}

var valueCases = []valueCase{
	// Every type: trimming and empty values.
	{typ: ledger.TypeText, raw: "", want: ""},
	{typ: ledger.TypeText, raw: " \t\u3000\n", want: ""},
	{typ: ledger.TypeText, raw: " \u3000 ", required: true, wantErr: "is required"},
	{typ: ledger.TypeKana, raw: "", required: true, wantErr: "is required"},
	{typ: ledger.TypeDate, raw: "  ", required: true, wantErr: "is required"},
	{typ: ledger.TypeMyNumber, raw: "", want: ""},
	{typ: ledger.TypeText, raw: "\xff\xfe\xfd\xfc", wantErr: "UTF-8"},

	// text and the types that follow its rules.
	{typ: ledger.TypeText, raw: "  こんにちは  ", want: "こんにちは"},
	{typ: ledger.TypeText, raw: "一行目\r\n二行目\r三行目\r\n", want: "一行目\n二行目\n三行目"},
	{typ: ledger.TypeText, raw: "列1\t列2", want: "列1\t列2"},
	{typ: ledger.TypeText, raw: "\uFA19田 ﾊﾝｶｸ", want: "\uFA19田 ﾊﾝｶｸ"}, // variant kanji and half width kept
	{typ: ledger.TypeText, raw: strings.Repeat("あ", 1000), want: strings.Repeat("あ", 1000)},
	{typ: ledger.TypeText, raw: strings.Repeat("あ", 1001), wantErr: "too long"},
	{typ: ledger.TypeText, raw: strings.Repeat("x", 20000), wantErr: "too long"},
	{typ: ledger.TypeText, raw: "secret\x00value", wantErr: "control"},
	{typ: ledger.TypeText, raw: "secret\x1bvalue", wantErr: "control"},
	{typ: ledger.TypeText, raw: "secret\u0085value", wantErr: "control"},
	{typ: ledger.TypeText, raw: "secret\u202Eeulav", wantErr: "control"},
	{typ: ledger.TypeAddress, raw: "東京都千代田区千代田１－１", want: "東京都千代田区千代田１－１"},
	{typ: ledger.TypeAddress, raw: "東京都\x07千代田区", wantErr: "control"},
	{typ: ledger.TypeCode, raw: " TK1234567 ", want: "TK1234567"},
	{typ: ledger.TypeCode, raw: "TK12\x7f34567", wantErr: "control"},
	{typ: ledger.TypeFile, raw: "scan-2026.pdf", want: "scan-2026.pdf"},
	{typ: ledger.TypeFile, raw: strings.Repeat("f", 1001), wantErr: "too long"},

	// kana.
	{typ: ledger.TypeKana, raw: "ヤマダ タロウ", want: "ヤマダ　タロウ"},
	{typ: ledger.TypeKana, raw: "やまだ　たろう", want: "ヤマダ　タロウ"},
	{typ: ledger.TypeKana, raw: "ﾔﾏﾀﾞ ﾀﾛｳ", want: "ヤマダ　タロウ"},
	{typ: ledger.TypeKana, raw: "  ヤマダ  \u3000 タロウ ", want: "ヤマダ　タロウ"},
	{typ: ledger.TypeKana, raw: "ヤマダタロウ", want: "ヤマダタロウ"},
	{typ: ledger.TypeKana, raw: "か゛んは゜", want: "ガンパ"},
	{typ: ledger.TypeKana, raw: "ジョン ・ スミス", want: "ジョン・スミス"},
	{typ: ledger.TypeKana, raw: "ｼﾞｮﾝ･ｽﾐｽ", want: "ジョン・スミス"},
	{typ: ledger.TypeKana, raw: "ゔぁいおりん", want: "ヴァイオリン"},
	{typ: ledger.TypeKana, raw: "わ\u3099", want: "ヷ"},
	{typ: ledger.TypeKana, raw: "ｺｰﾋｰ ﾔｽﾞﾐ", want: "コーヒー　ヤズミ"},
	{typ: ledger.TypeKana, raw: "いすゞ", want: "イスヾ"},
	{typ: ledger.TypeKana, raw: "ケ ヶ ゕ", want: "ケ　ヶ　ヵ"},
	{typ: ledger.TypeKana, raw: "山田 タロウ", wantErr: "katakana"},
	{typ: ledger.TypeKana, raw: "Yamada Taro", wantErr: "katakana"},
	{typ: ledger.TypeKana, raw: "ヤマダ3", wantErr: "katakana"},
	{typ: ledger.TypeKana, raw: "ヤマダ\nタロウ", wantErr: "katakana"},
	{typ: ledger.TypeKana, raw: "ヤマダ-タロウ", wantErr: "katakana"},
	{typ: ledger.TypeKana, raw: "ア\u3099イウ", wantErr: "katakana"}, // a voiced mark no kana takes
	{typ: ledger.TypeKana, raw: strings.Repeat("ア", 1001), wantErr: "too long"},

	// date.
	{typ: ledger.TypeDate, raw: "2026-11-23", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "2026/11/23", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "2026/1/8", want: "2026-01-08"},
	{typ: ledger.TypeDate, raw: "2026.1.8", want: "2026-01-08"},
	{typ: ledger.TypeDate, raw: "２０２６－１１－２３", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "2026年11月23日", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "20261123", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "2024-02-29", want: "2024-02-29"},
	{typ: ledger.TypeDate, raw: "令和8年11月23日", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "令和 8年 11月 23日", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "令和元年5月1日", want: "2019-05-01"},
	{typ: ledger.TypeDate, raw: "平成元年1月8日", want: "1989-01-08"},
	{typ: ledger.TypeDate, raw: "㍻元年1月8日", want: "1989-01-08"},
	{typ: ledger.TypeDate, raw: "平成31年4月30日", want: "2019-04-30"},
	{typ: ledger.TypeDate, raw: "平成33年3月31日", want: "2021-03-31"}, // past the era's end: accepted
	{typ: ledger.TypeDate, raw: "昭和64年1月7日", want: "1989-01-07"},
	{typ: ledger.TypeDate, raw: "昭和元年12月25日", want: "1926-12-25"},
	{typ: ledger.TypeDate, raw: "大正元年7月30日", want: "1912-07-30"},
	{typ: ledger.TypeDate, raw: "明治元年10月23日", want: "1868-10-23"},
	{typ: ledger.TypeDate, raw: "R8.11.23", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "r8/11/23", want: "2026-11-23"},
	{typ: ledger.TypeDate, raw: "S50.4.1", want: "1975-04-01"},
	{typ: ledger.TypeDate, raw: "昭50.4.1", want: "1975-04-01"},
	{typ: ledger.TypeDate, raw: "H元.1.8", want: "1989-01-08"},
	{typ: ledger.TypeDate, raw: "Ｈ１２．３．４", want: "2000-03-04"},
	{typ: ledger.TypeDate, raw: "2023-02-29", wantErr: "not a calendar date"},
	{typ: ledger.TypeDate, raw: "2026-13-01", wantErr: "not a calendar date"},
	{typ: ledger.TypeDate, raw: "2026-04-31", wantErr: "not a calendar date"},
	{typ: ledger.TypeDate, raw: "0000-01-01", wantErr: "not a calendar date"},
	{typ: ledger.TypeDate, raw: "令和8年2月30日", wantErr: "not a calendar date"},
	{typ: ledger.TypeDate, raw: "平成元年1月7日", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "令和元年4月30日", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "昭和元年12月24日", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "大正元年7月29日", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "明治元年1月1日", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "R1.4.30", wantErr: "before that era"},
	{typ: ledger.TypeDate, raw: "令和0年5月1日", wantErr: "is not a date"},
	{typ: ledger.TypeDate, raw: "2026-11/23", wantErr: "is not a date"},
	{typ: ledger.TypeDate, raw: "11/23/2026", wantErr: "is not a date"},
	{typ: ledger.TypeDate, raw: "tomorrow", wantErr: "is not a date"},
	{typ: ledger.TypeDate, raw: "X8.11.23", wantErr: "is not a date"},

	// phone.
	{typ: ledger.TypePhone, raw: "090-1234-5678", want: "09012345678"},
	{typ: ledger.TypePhone, raw: "０９０－１２３４－５６７８", want: "09012345678"},
	{typ: ledger.TypePhone, raw: "090ー1234ー5678", want: "09012345678"},
	{typ: ledger.TypePhone, raw: "090 1234 5678", want: "09012345678"},
	{typ: ledger.TypePhone, raw: "03-1234-5678", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "(03) 1234-5678", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "（０３）１２３４－５６７８", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "03.1234.5678", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "+81 90-1234-5678", want: "09012345678"},
	{typ: ledger.TypePhone, raw: "+81-(0)3-1234-5678", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "＋８１ ３ １２３４ ５６７８", want: "0312345678"},
	{typ: ledger.TypePhone, raw: "0120-123-456", want: "0120123456"},
	{typ: ledger.TypePhone, raw: "0800-123-4567", want: "08001234567"},
	{typ: ledger.TypePhone, raw: "050-1234-5678", want: "05012345678"},
	{typ: ledger.TypePhone, raw: "0570-012-345", want: "0570012345"},
	{typ: ledger.TypePhone, raw: "+1 212 555 0100", wantErr: "Japanese numbers only"},
	{typ: ledger.TypePhone, raw: "1234567890", wantErr: "not a phone number"},
	{typ: ledger.TypePhone, raw: "0012345678", wantErr: "not a phone number"},
	{typ: ledger.TypePhone, raw: "080-2345-6789 ext 12", wantErr: "not a phone number"},
	{typ: ledger.TypePhone, raw: "+81+90-1234-5678", wantErr: "not a phone number"},
	{typ: ledger.TypePhone, raw: "090-1234-567", wantErr: "wrong number of digits"},
	{typ: ledger.TypePhone, raw: "03-1234-56789", wantErr: "wrong number of digits"},
	{typ: ledger.TypePhone, raw: "0120-123-4567", wantErr: "wrong number of digits"},

	// postal_code.
	{typ: ledger.TypePostalCode, raw: "100-0001", want: "100-0001"},
	{typ: ledger.TypePostalCode, raw: "〒100-0001", want: "100-0001"},
	{typ: ledger.TypePostalCode, raw: "〒 １００－０００１", want: "100-0001"},
	{typ: ledger.TypePostalCode, raw: "1000001", want: "100-0001"},
	{typ: ledger.TypePostalCode, raw: "100 0001", want: "100-0001"},
	{typ: ledger.TypePostalCode, raw: "100-001", wantErr: "7-digit postal code"},
	{typ: ledger.TypePostalCode, raw: "1000-0001", wantErr: "7-digit postal code"},
	{typ: ledger.TypePostalCode, raw: "ABC-DEFG", wantErr: "7-digit postal code"},
	{typ: ledger.TypePostalCode, raw: "100〒0001", wantErr: "7-digit postal code"},

	// email.
	{typ: ledger.TypeEmail, raw: "Taro.Yamada@Example.CO.JP", want: "Taro.Yamada@example.co.jp"},
	{typ: ledger.TypeEmail, raw: "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", want: "taro@example.jp"},
	{typ: ledger.TypeEmail, raw: "a+tag@sub.example.com", want: "a+tag@sub.example.com"},
	{typ: ledger.TypeEmail, raw: "taro..yamada.@docomo.ne.jp", want: "taro..yamada.@docomo.ne.jp"},
	{typ: ledger.TypeEmail, raw: "o'neil@xn--eckwd4c7c.xn--zckzah", want: "o'neil@xn--eckwd4c7c.xn--zckzah"},
	{typ: ledger.TypeEmail, raw: "taroyamada", wantErr: "not an e-mail address"},
	{typ: ledger.TypeEmail, raw: "taro@@example.jp", wantErr: "not an e-mail address"},
	{typ: ledger.TypeEmail, raw: "taro@yamada@example.jp", wantErr: "not an e-mail address"},
	{typ: ledger.TypeEmail, raw: "taro yamada@example.jp", wantErr: "not an e-mail address"},
	{typ: ledger.TypeEmail, raw: "taro　yamada@example.jp", wantErr: "not an e-mail address"},
	{typ: ledger.TypeEmail, raw: ".taro@example.jp", wantErr: "before the @"},
	{typ: ledger.TypeEmail, raw: "@example.jp", wantErr: "before the @"},
	{typ: ledger.TypeEmail, raw: "たろう@example.jp", wantErr: "before the @"},
	{typ: ledger.TypeEmail, raw: "\"taro\"@example.jp", wantErr: "before the @"},
	{typ: ledger.TypeEmail, raw: "taro@example", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@example..jp", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@example.jp.", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@-example.jp", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@example.123", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@例え.jp", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: "taro@exa_mple.jp", wantErr: "no valid domain"},
	{typ: ledger.TypeEmail, raw: strings.Repeat("t", 65) + "@example.jp", wantErr: "at most 254"},
	{typ: ledger.TypeEmail, raw: "taro@" + strings.Repeat("a", 250) + ".jp", wantErr: "at most 254"},

	// mynumber (番号法 check digit).
	{typ: ledger.TypeMyNumber, raw: "123456789018", want: "123456789018"},
	{typ: ledger.TypeMyNumber, raw: "1234-5678-9018", want: "123456789018"},
	{typ: ledger.TypeMyNumber, raw: "１２３４　５６７８　９０１８", want: "123456789018"},
	{typ: ledger.TypeMyNumber, raw: "123456789012", wantErr: "check digit"},
	{typ: ledger.TypeMyNumber, raw: "123456789081", wantErr: "check digit"},
	{typ: ledger.TypeMyNumber, raw: "12345678901", wantErr: "12 digits"},
	{typ: ledger.TypeMyNumber, raw: "1234567890180", wantErr: "12 digits"},
	{typ: ledger.TypeMyNumber, raw: "12345678901a", wantErr: "12 digits"},

	// number.
	{typ: ledger.TypeNumber, raw: "42", want: "42"},
	{typ: ledger.TypeNumber, raw: "-3.5", want: "-3.5"},
	{typ: ledger.TypeNumber, raw: "1,234", want: "1234"},
	{typ: ledger.TypeNumber, raw: "1,234,567.890", want: "1234567.890"},
	{typ: ledger.TypeNumber, raw: "１２３", want: "123"},
	{typ: ledger.TypeNumber, raw: "+7", want: "7"},
	{typ: ledger.TypeNumber, raw: "007", want: "7"},
	{typ: ledger.TypeNumber, raw: ".5", want: "0.5"},
	{typ: ledger.TypeNumber, raw: "-0", want: "0"},
	{typ: ledger.TypeNumber, raw: "−12", want: "-12"},
	{typ: ledger.TypeNumber, raw: "－１．２５", want: "-1.25"},
	{typ: ledger.TypeNumber, raw: "1e5", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "12,34", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "1234,567", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "5.", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "1.2.3", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "1000円", wantErr: "must be a number"},
	{typ: ledger.TypeNumber, raw: "--5", wantErr: "must be a number"},

	// url.
	{typ: ledger.TypeURL, raw: "https://Example.JP/Path?q=A#Frag", want: "https://example.jp/Path?q=A#Frag"},
	{typ: ledger.TypeURL, raw: "HTTP://example.jp", want: "http://example.jp"},
	{typ: ledger.TypeURL, raw: "http://localhost:8080/x", want: "http://localhost:8080/x"},
	{typ: ledger.TypeURL, raw: "https://[::1]:8443/", want: "https://[::1]:8443/"},
	{typ: ledger.TypeURL, raw: "https://例え.jp/パス", want: "https://例え.jp/パス"},
	{typ: ledger.TypeURL, raw: "ftp://example.jp/file", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "javascript:alert(1)", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "example.jp/page", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "http://foo bar.jp", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "https:///", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "https://example.jp:99999/", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "https://example.jp/%zz", wantErr: "must be a URL"},
	{typ: ledger.TypeURL, raw: "https://taro:pw@example.jp/", wantErr: "user name or password"},

	// bool.
	{typ: ledger.TypeBool, raw: "true", want: "true"},
	{typ: ledger.TypeBool, raw: "TRUE", want: "true"},
	{typ: ledger.TypeBool, raw: "ｔｒｕｅ", want: "true"},
	{typ: ledger.TypeBool, raw: "はい", want: "true"},
	{typ: ledger.TypeBool, raw: "Yes", want: "true"},
	{typ: ledger.TypeBool, raw: "1", want: "true"},
	{typ: ledger.TypeBool, raw: "false", want: "false"},
	{typ: ledger.TypeBool, raw: "いいえ", want: "false"},
	{typ: ledger.TypeBool, raw: "No", want: "false"},
	{typ: ledger.TypeBool, raw: "０", want: "false"},
	{typ: ledger.TypeBool, raw: "maybe", wantErr: "yes or no"},
	{typ: ledger.TypeBool, raw: "true!", wantErr: "yes or no"},

	// An item type the ledger does not define.
	{typ: "colour", raw: "red and blue", wantErr: "type the ledger does not define"},
}

func item(t ledger.ItemType, required bool) *ledger.Item {
	return &ledger.Item{
		ID:       "test_item",
		Name:     ledger.Text{Ja: "テスト項目", En: "Test item"},
		Type:     t,
		Required: required,
	}
}

func TestCheckValue(t *testing.T) {
	for _, c := range valueCases {
		name := fmt.Sprintf("%s/%.24q", c.typ, c.raw)
		t.Run(name, func(t *testing.T) {
			got, err := vault.CheckValue(item(c.typ, c.required), c.raw)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckValue: %v", err)
				}
				if got != c.want {
					t.Fatalf("CheckValue = %q, want %q", got, c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckValue = %q, want an error saying %q", got, c.wantErr)
			}
			if got != "" {
				t.Errorf("CheckValue returned %q with its error", got)
			}
			var e *hogo.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *hogo.Error", err)
			}
			if e.Code != hogo.EINVALID || e.Field != "test_item" {
				t.Errorf("code %q, field %q; want invalid, test_item", e.Code, e.Field)
			}
			if !strings.Contains(e.Message, c.wantErr) {
				t.Errorf("message %q does not say %q", e.Message, c.wantErr)
			}
			if !strings.Contains(e.Ja, "テスト項目") || !strings.Contains(e.Message, "Test item") {
				t.Errorf("messages do not name the item: %q / %q", e.Ja, e.Message)
			}
			if strings.Contains(e.Ja, "%!") || strings.Contains(e.Message, "%!") {
				t.Errorf("badly formatted message: %q / %q", e.Ja, e.Message)
			}
			assertNoValue(t, err, c.raw)
		})
	}
}

// assertNoValue fails when an error message carries the value: the raw
// input, its trimmed form, or any of its lines.
func assertNoValue(t *testing.T, err error, raw string) {
	t.Helper()
	var e *hogo.Error
	errors.As(err, &e)
	texts := []string{err.Error(), e.Message, e.Ja, hogo.ErrorMessage(err), hogo.ErrorMessageIn(err, "ja")}
	pieces := []string{raw, strings.TrimSpace(raw)}
	pieces = append(pieces, strings.Fields(raw)...)
	for _, p := range pieces {
		if len(p) < 3 {
			continue // "1" or "No" are bound to occur in some message text
		}
		for _, m := range texts {
			if strings.Contains(m, p) {
				t.Errorf("error message %q contains the value %q", m, p)
			}
		}
	}
}

func TestCheckValueNilItem(t *testing.T) {
	_, err := vault.CheckValue(nil, "x")
	if hogo.ErrorCode(err) != hogo.EINTERNAL {
		t.Fatalf("CheckValue(nil) = %v, want an internal error", err)
	}
}

// TestCheckValueIdempotent: a stored value checks to itself, for the table
// and for random strings built from the characters the rules care about.
func TestCheckValueIdempotent(t *testing.T) {
	for _, typ := range ledger.ItemTypes {
		for _, raw := range inputs(t) {
			it := item(typ, false)
			v, err := vault.CheckValue(it, raw)
			if err != nil {
				continue
			}
			v2, err := vault.CheckValue(it, v)
			if err != nil || v2 != v {
				t.Errorf("%s: CheckValue(%q) = %q, but CheckValue(%q) = %q, %v", typ, raw, v, v, v2, err)
			}
		}
	}
}

// inputs returns the table's inputs and random strings over an alphabet of
// characters that the rules treat specially.
func inputs(t *testing.T) []string {
	t.Helper()
	var in []string
	for _, c := range valueCases {
		in = append(in, c.raw)
	}
	for _, g := range indexGroups {
		in = append(in, g.values...)
	}
	alphabet := []rune("0123456789０１９-－ー‐ｰ−  　\t\n\r()（）+＋.．,@＠aAzZｚＺ/年月日令和平成昭元RrSHｓ〒" +
		"ヤやﾔﾀﾞﾟ゛゜\u3099\u309A・･·かカワわゝヽヾゞ山田é\u0301\u202E\x00\uFFFD㍻㋿:#%?_")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		n := rng.IntN(16)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		in = append(in, string(rs))
	}
	return in
}

// myNumberCheck is an independent computation of the check digit: weights
// written out left to right (6 5 4 3 2 7 6 5 4 3 2) rather than derived from
// the position counted from the right, and the r ≤ 1 rule as "11 − r mod 11,
// with 10 read as 0".
func myNumberCheck(body string) byte {
	weights := [11]int{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	c := (11 - sum%11) % 11
	if c == 10 {
		c = 0
	}
	return byte('0' + c)
}

func TestValidMyNumber(t *testing.T) {
	// Worked by hand from APPI.md §9:
	//   12345678901: 1·6+2·5+3·4+4·3+5·2+6·7+7·6+8·5+9·4+0·3+1·2 = 212, r = 3, check 8
	//   11111111111: Σ Q = 47, r = 3, check 8
	//   00000000006: 6·2 = 12, r = 1, check 0
	//   00000000005: 5·2 = 10, r = 10, check 1
	//   00000000001: 1·2 = 2, r = 2, check 9
	//   00000000000: r = 0, check 0
	for _, n := range []string{"123456789018", "111111111118", "000000000060", "000000000051", "000000000019", "000000000000"} {
		if !vault.ValidMyNumber(n) {
			t.Errorf("ValidMyNumber(%q) = false, want true", n)
		}
		if got := myNumberCheck(n[:11]); got != n[11] {
			t.Errorf("independent check digit of %q = %c, want %c", n[:11], got, n[11])
		}
	}
	for _, n := range []string{"123456789012", "000000000061", "00000000006", "0000000000600", "１２３４５６７８９０１８",
		"1234-5678-9018", "12345678901x", "", "12345678901８"} {
		if vault.ValidMyNumber(n) {
			t.Errorf("ValidMyNumber(%q) = true, want false", n)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, 12)
		for i := range 11 {
			b[i] = byte('0' + rng.IntN(10))
		}
		check := myNumberCheck(string(b[:11]))
		for d := byte('0'); d <= '9'; d++ {
			b[11] = d
			if got, want := vault.ValidMyNumber(string(b)), d == check; got != want {
				t.Fatalf("ValidMyNumber(%q) = %v, want %v", b, got, want)
			}
		}
	}
}

func BenchmarkCheckValue(b *testing.B) {
	for _, bc := range []struct {
		name string
		typ  ledger.ItemType
		raw  string
	}{
		{"phone", ledger.TypePhone, "０９０-１２３４-５６７８"},
		{"phone_ascii", ledger.TypePhone, "090-1234-5678"},
		{"kana", ledger.TypeKana, "やまだ　たろう"},
		{"kana_halfwidth", ledger.TypeKana, "ﾔﾏﾀﾞ ﾀﾛｳ"},
		{"date_era", ledger.TypeDate, "令和8年11月23日"},
		{"email", ledger.TypeEmail, "Taro.Yamada@Example.CO.JP"},
		{"mynumber", ledger.TypeMyNumber, "1234-5678-9018"},
	} {
		it := item(bc.typ, true)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := vault.CheckValue(it, bc.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
