package vault_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// plainDigits reads s as an individual number is typed: ASCII or
// full-width digits, with ASCII or full-width spaces and hyphens between
// them. It returns the 12 ASCII digits, or false when s is anything else.
func plainDigits(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case r == ' ' || r == '\u3000' || r == '-' || r == '－' || r == '\t':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == 12
}

var myNumberItem = &ledger.Item{ID: "my_number", Name: ledger.Text{Ja: "個人番号", En: "Individual number"}, Type: ledger.TypeMyNumber}

// FuzzMyNumber holds the individual number's check against an
// independent computation of its check digit (myNumberCheck in
// value_test.go: the weights of 番号法施行令 Art. 8 written out from the left) (FuzzCheckValue checks every
// type for round trips and messages, not this digit).
//
// From body: of the ten numbers with body's eleven digits, exactly the one
// ending in myNumberCheck is valid, and it is accepted written with spaces,
// hyphens or full-width digits. From s: CheckValue accepts s exactly when
// it is a valid number as typed (plainDigits), stores the 12 ASCII digits,
// and otherwise refuses with an invalid error on the item.
func FuzzMyNumber(f *testing.F) {
	for _, s := range []string{"123456789018", "1234 5678 9018", "1234-5678-9018", "１２３４５６７８９０１８", "123456789012",
		"000000000000", "99999999999", "1234567890180", "12345678901８", "1234　5678　9018", "1234\u30fc5678\u30fc9018", "①２３４５６７８９０１８"} {
		f.Add(uint64(12345678901), s)
	}
	f.Add(uint64(0), "")
	f.Add(uint64(99999999999), "999999999999")
	f.Fuzz(func(t *testing.T, n uint64, s string) {
		body := fmt.Sprintf("%011d", n%100000000000)
		want := myNumberCheck(body)
		for c := byte('0'); c <= '9'; c++ {
			num := body + string(c)
			if got := vault.ValidMyNumber(num); got != (c == want) {
				t.Fatalf("ValidMyNumber(%s) = %v; its check digit is %c", num, got, want)
			}
		}
		num := body + string(want)
		full := strings.Map(func(r rune) rune { return r - '0' + '０' }, num)
		for _, typed := range []string{num, num[:4] + " " + num[4:8] + " " + num[8:], num[:4] + "-" + num[4:8] + "-" + num[8:], full, " " + full + "\u3000"} {
			v, err := vault.CheckValue(myNumberItem, typed)
			if err != nil || v != num {
				t.Fatalf("CheckValue(%q) = %q, %v; want %s", typed, v, err, num)
			}
		}

		v, err := vault.CheckValue(myNumberItem, s)
		digits, typed := plainDigits(s)
		valid := typed && myNumberCheck(digits[:11]) == digits[11]
		if err == nil {
			if v == "" && strings.TrimSpace(s) == "" {
				return // an empty optional item
			}
			if len(v) != 12 || !vault.ValidMyNumber(v) || myNumberCheck(v[:11]) != v[11] {
				t.Fatalf("CheckValue(%q) accepted %q, not an individual number", s, v)
			}
			for _, r := range v {
				if r < '0' || r > '9' {
					t.Fatalf("CheckValue(%q) stored %q, not 12 ASCII digits", s, v)
				}
			}
			if typed && digits != v {
				t.Fatalf("CheckValue(%q) = %q, but the digits typed are %s", s, v, digits)
			}
			if !typed && !onlyNumberRunes(s) {
				t.Fatalf("CheckValue(%q) = %q: accepted characters that are not digits, spaces or dashes", s, v)
			}
			return
		}
		if valid {
			t.Fatalf("CheckValue(%q) refused a valid individual number %s: %v", s, digits, err)
		}
		var e *hogo.Error
		if !errors.As(err, &e) || e.Code != hogo.EINVALID || e.Field != myNumberItem.ID {
			t.Fatalf("CheckValue(%q): %#v is not an invalid-value error on the item", s, err)
		}
	})
}

// onlyNumberRunes reports whether s holds nothing but digits (ASCII or
// full width), white space and dashes, as the vault folds them.
func onlyNumberRunes(s string) bool {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９', unicode.IsSpace(r):
		case r == '-', r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0x30FC, r == 0xFE63, r == 0xFF0D, r == 0xFF70:
		default:
			return false
		}
	}
	return true
}
