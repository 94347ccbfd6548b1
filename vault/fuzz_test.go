package vault

// The fuzz targets are internal tests so that they can hold an error message
// against the fixed catalogue of messages: a message that is exactly one of
// the catalogue's texts cannot be carrying the value.

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// fuzzTypes are the item types fuzzed, indexed by the fuzzer's first
// argument; the last is a type the ledger does not define.
var fuzzTypes = append(append([]ledger.ItemType{}, ledger.ItemTypes...), "undefined")

func fuzzItem(k uint8) *ledger.Item {
	return &ledger.Item{
		ID:   "fuzz_item",
		Name: ledger.Text{Ja: "ファズ項目", En: "Fuzz item"},
		Type: fuzzTypes[int(k)%len(fuzzTypes)],
	}
}

// catalogue renders every message for it, in both languages.
func catalogue(it *ledger.Item) map[string]bool {
	c := map[string]bool{}
	for _, m := range messages {
		e := fail(it, m)
		c[e.Ja] = true
		c[e.Message] = true
	}
	return c
}

func fuzzSeeds(f *testing.F) {
	seeds := map[ledger.ItemType][]string{
		ledger.TypeText:       {"山田 太郎", "line\r\nline", "\x00", "\u202e"},
		ledger.TypeKana:       {"ヤマダ タロウ", "やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "か゛", "ジョン ・ スミス", "わ\u3099"},
		ledger.TypeDate:       {"2026-11-23", "令和8年11月23日", "平成元年1月8日", "R8.11.23", "S50.4.1", "2023-02-29", "20261123"},
		ledger.TypePhone:      {"090-1234-5678", "０９０－１２３４－５６７８", "+81 (0)3-1234-5678", "0120-123-456"},
		ledger.TypePostalCode: {"〒100-0001", "１００００００"},
		ledger.TypeAddress:    {"東京都千代田区千代田1ー1"},
		ledger.TypeEmail:      {"Taro@Example.JP", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "a..b.@docomo.ne.jp"},
		ledger.TypeMyNumber:   {"123456789018", "1234 5678 9018", "123456789012"},
		ledger.TypeNumber:     {"-1,234.50", ".5", "１２３"},
		ledger.TypeCode:       {"AB-123 456"},
		ledger.TypeURL:        {"https://Example.JP/a?b#c", "http://[::1]:80/", "https://u:p@x.jp/"},
		ledger.TypeFile:       {"scan.pdf"},
		ledger.TypeBool:       {"はい", "FALSE"},
	}
	for i, typ := range fuzzTypes {
		for _, s := range seeds[typ] {
			f.Add(uint8(i), s)
		}
	}
}

// FuzzCheckValue: CheckValue never panics; an accepted value checks to
// itself and indexes like its input; a refusal is an invalid-code domain
// error on the item whose message is one of the fixed texts, and (as the
// plain rule says) does not contain the input when it is 4 bytes or more.
func FuzzCheckValue(f *testing.F) {
	fuzzSeeds(f)
	cats := map[ledger.ItemType]map[string]bool{}
	f.Fuzz(func(t *testing.T, k uint8, raw string) {
		it := fuzzItem(k)
		v, err := CheckValue(it, raw)
		if err == nil {
			if !utf8.ValidString(v) {
				t.Fatalf("%s: CheckValue(%q) = %q, not UTF-8", it.Type, raw, v)
			}
			v2, err := CheckValue(it, v)
			if err != nil || v2 != v {
				t.Fatalf("%s: CheckValue(%q) = %q, but that checks to %q, %v", it.Type, raw, v, v2, err)
			}
			if a, b := IndexForm(it.Type, raw), IndexForm(it.Type, v); a != b {
				t.Fatalf("%s: IndexForm(%q) = %q but IndexForm(CheckValue = %q) = %q", it.Type, raw, a, v, b)
			}
			return
		}
		if v != "" {
			t.Fatalf("%s: value %q returned with an error", it.Type, v)
		}
		var e *hogo.Error
		if !errors.As(err, &e) || e.Code != hogo.EINVALID || e.Field != it.ID {
			t.Fatalf("%s: error %#v is not an invalid-value error on the item", it.Type, err)
		}
		cat := cats[it.Type]
		if cat == nil {
			cat = catalogue(it)
			cats[it.Type] = cat
		}
		if !cat[e.Ja] || !cat[e.Message] {
			t.Fatalf("%s: message is not a fixed text: %q / %q", it.Type, e.Ja, e.Message)
		}
		for _, s := range []string{raw, strings.TrimSpace(raw)} {
			if len(s) < 4 || inCatalogue(cat, s) {
				continue // the input is itself a piece of some fixed text
			}
			if strings.Contains(e.Error(), s) || strings.Contains(e.Ja, s) {
				t.Fatalf("%s: error contains the input %q: %q / %q", it.Type, s, e.Error(), e.Ja)
			}
		}
	})
}

func inCatalogue(cat map[string]bool, s string) bool {
	for m := range cat {
		if strings.Contains(m, s) || strings.Contains("fuzz_item: "+m, s) {
			return true
		}
	}
	return false
}

// FuzzIndexForm: IndexForm never panics, returns UTF-8 and is idempotent,
// for every type and any input.
func FuzzIndexForm(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		typ := fuzzTypes[int(k)%len(fuzzTypes)]
		x := IndexForm(typ, s)
		if !utf8.ValidString(x) {
			t.Fatalf("%s: IndexForm(%q) = %q, not UTF-8", typ, s, x)
		}
		if y := IndexForm(typ, x); y != x {
			t.Fatalf("%s: IndexForm(%q) = %q, but IndexForm of that = %q", typ, s, x, y)
		}
	})
}
