package vault_test

import (
	"testing"
	"unicode/utf8"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// indexGroups are ways of writing one value: every member must have the
// same index form, want.
var indexGroups = []struct {
	typ    ledger.ItemType
	want   string
	values []string
}{
	{ledger.TypePhone, "09012345678", []string{"０９０-１２３４-５６７８", "09012345678", "090-1234-5678",
		"+81 90 1234 5678", "090ー1234ー5678", "(090) 1234-5678", "＋８１－９０－１２３４－５６７８"}},
	{ledger.TypeKana, "ヤマダタロウ", []string{"ヤマダ タロウ", "やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ", "やまだたろう",
		"ヤマダ・タロウ", "ヤマダ　タロウ", "や ま だ た ろ う", "ヤマダ-タロウ", "やまた゛たろう"}},
	{ledger.TypeKana, "コーヒー", []string{"コーヒー", "こーひー", "ｺｰﾋｰ"}},
	{ledger.TypeKana, "ジョンスミス", []string{"ジョン・スミス", "ｼﾞｮﾝ･ｽﾐｽ", "じょん すみす", "ジョン·スミス"}},
	{ledger.TypeEmail, "taro@example.jp", []string{"Taro@Example.JP", "taro@example.jp", "ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｊｐ",
		" taro@EXAMPLE.jp "}},
	{ledger.TypePostalCode, "1000001", []string{"〒100-0001", "1000001", "１００－０００１", "100-0001", "100 0001"}},
	{ledger.TypeDate, "2026-11-23", []string{"2026-11-23", "令和8年11月23日", "R8.11.23", "2026/11/23", "20261123",
		"２０２６年１１月２３日", "㋿８年１１月２３日"}},
	{ledger.TypeDate, "1989-01-08", []string{"平成元年1月8日", "H1.1.8", "1989/1/8", "昭和64年1月8日"}},
	{ledger.TypeMyNumber, "123456789018", []string{"123456789018", "1234-5678-9018", "１２３４ ５６７８ ９０１８"}},
	{ledger.TypeText, "山田太郎", []string{"山田 太郎", "山田　太郎", "山田太郎", " 山田  太郎 "}},
	{ledger.TypeText, "john smith", []string{"John  Smith", "john smith", "ＪＯＨＮ　ＳＭＩＴＨ", "John\tSmith"}},
	{ledger.TypeText, "山田john", []string{"山田 John", "山田John"}},
	{ledger.TypeAddress, "東京都千代田区千代田1-1", []string{"東京都千代田区千代田１－１", "東京都千代田区千代田1-1",
		"東京都 千代田区 千代田 1ー1", "東京都千代田区千代田1−1"}},
	{ledger.TypeCode, "AB123456", []string{"AB-123 456", "ab123456", "ＡＢ１２３４５６"}},
	{ledger.TypeNumber, "1234", []string{"1,234", "1234", "１２３４", "+1234", "01234"}},
	{ledger.TypeBool, "true", []string{"はい", "true", "YES", "1"}},
	{ledger.TypeURL, "https://example.jp/A", []string{"https://example.jp/A", "HTTPS://EXAMPLE.JP/A"}},
}

func TestIndexForm(t *testing.T) {
	for _, g := range indexGroups {
		for _, v := range g.values {
			if got := vault.IndexForm(g.typ, v); got != g.want {
				t.Errorf("IndexForm(%s, %q) = %q, want %q", g.typ, v, got, g.want)
			}
		}
	}
}

// TestIndexFormDistinct: folding must not merge different values.
func TestIndexFormDistinct(t *testing.T) {
	for _, c := range []struct {
		typ  ledger.ItemType
		a, b string
	}{
		{ledger.TypeKana, "ヤマダ タロウ", "ヤマダ ハナコ"},
		{ledger.TypeKana, "ユーコ", "ユコ"},  // the long-vowel mark is part of the name
		{ledger.TypeKana, "キョウ", "キヨウ"}, // small kana are kept
		{ledger.TypeKana, "ヴィ", "ビ"},
		{ledger.TypeKana, "カ", "ガ"},
		{ledger.TypePhone, "090-1234-5678", "090-1234-5679"},
		{ledger.TypePhone, "03-1234-5678", "+1 3 1234 5678"},
		{ledger.TypeDate, "平成元年1月8日", "昭和元年1月8日"},
		{ledger.TypeEmail, "taro@example.jp", "taro@example.co.jp"},
		{ledger.TypeText, "高橋", "髙橋"},
		{ledger.TypeText, "ann lee", "annlee"},
		{ledger.TypeAddress, "メゾンー1", "メゾン-1"}, // ー is only a dash between digits
		{ledger.TypeNumber, "1.5", "15"},
	} {
		if a, b := vault.IndexForm(c.typ, c.a), vault.IndexForm(c.typ, c.b); a == b {
			t.Errorf("IndexForm(%s) gives %q for both %q and %q", c.typ, a, c.a, c.b)
		}
	}
}

// TestIndexFormProperties: IndexForm is idempotent and returns valid UTF-8
// for every type and input, and for every value CheckValue accepts the
// stored form indexes like the input did.
func TestIndexFormProperties(t *testing.T) {
	types := append([]ledger.ItemType{"undefined"}, ledger.ItemTypes...)
	for _, typ := range types {
		for _, raw := range inputs(t) {
			x := vault.IndexForm(typ, raw)
			if y := vault.IndexForm(typ, x); y != x {
				t.Errorf("%s: IndexForm not idempotent on %q: %q then %q", typ, raw, x, y)
			}
			if !utf8.ValidString(x) {
				t.Errorf("%s: IndexForm(%q) = %q is not UTF-8", typ, raw, x)
			}
			v, err := vault.CheckValue(item(typ, false), raw)
			if err != nil {
				continue
			}
			if y := vault.IndexForm(typ, v); y != x {
				t.Errorf("%s: IndexForm(%q) = %q but IndexForm(CheckValue = %q) = %q", typ, raw, x, v, y)
			}
		}
	}
}

func BenchmarkIndexForm(b *testing.B) {
	for _, bc := range []struct {
		name string
		typ  ledger.ItemType
		raw  string
	}{
		{"phone", ledger.TypePhone, "09012345678"},
		{"kana", ledger.TypeKana, "ヤマダ　タロウ"},
		{"email", ledger.TypeEmail, "Taro.Yamada@example.co.jp"},
		{"text", ledger.TypeText, "山田 太郎"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				vault.IndexForm(bc.typ, bc.raw)
			}
		})
	}
}
