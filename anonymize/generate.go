package anonymize

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Generated hierarchies for the kinds of value the ledger knows (its item
// types) and for numbers. Each takes the column's distinct values and
// returns a checked hierarchy whose last level is Root.

// Intervals generalises numbers into intervals of width w, then 2w, 4w … up
// to one interval holding every value, then Root. The intervals start at
// the multiple of w at or below the smallest value. With top > bottom (both
// set), values at or above top are coded "≥top" and below bottom "<bottom"
// from level 1 on (top and bottom coding), so that few extreme values do
// not single anyone out.
func Intervals(column string, values []string, w float64, bottom, top *float64) (*Hierarchy, error) {
	nums, lo, hi, err := numbers(column, values, w, bottom, top)
	if err != nil {
		return nil, err
	}
	start := math.Floor(lo/w+eps) * w
	var widths []float64
	for ww := w; ; ww *= 2 {
		widths = append(widths, ww)
		if math.Floor((lo-start)/ww+eps) == math.Floor((hi-start)/ww+eps) || len(widths) > 60 {
			break
		}
	}
	return intervals(column, values, nums, start, widths, bottom, top)
}

// Ages generalises ages (whole years) into 5-year bands (20–24), then 10
// (20–29) and 20 years (20–39), then Root.
func Ages(column string, values []string) (*Hierarchy, error) {
	nums, _, _, err := numbers(column, values, 5, nil, nil)
	if err != nil {
		return nil, err
	}
	return intervals(column, values, nums, 0, []float64{5, 10, 20}, nil, nil)
}

const eps = 1e-9

func numbers(column string, values []string, w float64, bottom, top *float64) (nums []float64, lo, hi float64, err error) {
	if !(w > 0) || math.IsInf(w, 0) {
		return nil, 0, 0, fmt.Errorf("%s: the interval width must be a positive number", column)
	}
	if bottom != nil && top != nil && *bottom >= *top {
		return nil, 0, 0, fmt.Errorf("%s: the bottom code (%v) must be below the top code (%v)", column, *bottom, *top)
	}
	if len(values) == 0 {
		return nil, 0, 0, fmt.Errorf("%s: no values", column)
	}
	nums = make([]float64, len(values))
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range values {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			// The value itself is not repeated: it may be personal data.
			return nil, 0, 0, fmt.Errorf("%s: a value is not a number: an interval hierarchy needs numbers (digits, a point, a sign) in every row", column)
		}
		nums[i] = f
		lo, hi = min(lo, f), max(hi, f)
	}
	return nums, lo, hi, nil
}

// intervals builds the hierarchy of nums in intervals of the widths from
// start.
func intervals(column string, values []string, nums []float64, start float64, widths []float64, bottom, top *float64) (*Hierarchy, error) {
	h := &Hierarchy{Column: column}
	for i, v := range values {
		f := nums[i]
		row := []string{strings.TrimSpace(v)}
		for _, ww := range widths {
			switch {
			case top != nil && f >= *top:
				row = append(row, "≥"+num(*top))
			case bottom != nil && f < *bottom:
				row = append(row, "<"+num(*bottom))
			default:
				k := math.Floor((f-start)/ww + eps)
				row = append(row, "["+num(start+k*ww)+","+num(start+(k+1)*ww)+")")
			}
		}
		row = append(row, Root)
		h.Rows = append(h.Rows, row)
	}
	return h, h.Check()
}

// num formats an interval's bound to 12 significant digits, so that
// 0.1 × 3 reads 0.3.
func num(f float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Dates generalises dates (2006-01-02) to the month, the year, then Root.
func Dates(column string, values []string) (*Hierarchy, error) {
	h := &Hierarchy{Column: column}
	for _, v := range values {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%s: a value is not a date: write dates as 2006-01-02", column)
		}
		h.Rows = append(h.Rows, []string{strings.TrimSpace(v), t.Format("2006-01"), t.Format("2006"), Root})
	}
	return h, h.Check()
}

// PostalCodes generalises Japanese postal codes (123-4567, full-width or
// without the hyphen) to the first three digits (the delivery area), the
// first digit (the region), then Root.
func PostalCodes(column string, values []string) (*Hierarchy, error) {
	h := &Hierarchy{Column: column}
	for _, v := range values {
		d := strings.TrimPrefix(width.Narrow.String(strings.TrimSpace(v)), "〒")
		d = strings.ReplaceAll(strings.TrimSpace(d), "-", "")
		if len(d) != 7 || strings.Trim(d, "0123456789") != "" {
			return nil, fmt.Errorf("%s: a value is not a postal code of 7 digits (123-4567)", column)
		}
		h.Rows = append(h.Rows, []string{strings.TrimSpace(v), d[:3] + "-****", d[:1] + "**-****", Root})
	}
	return h, h.Check()
}

// Addresses generalises Japanese addresses to the municipality (市区町村,
// with the prefecture), the prefecture, then Root. An address that names no
// prefecture is refused: its municipality cannot be told.
func Addresses(column string, values []string) (*Hierarchy, error) {
	h := &Hierarchy{Column: column}
	for _, v := range values {
		a := strings.TrimSpace(width.Fold.String(v))
		pref := Prefecture(a)
		if pref == "" {
			return nil, fmt.Errorf("%s: an address does not begin with a prefecture (都道府県): write it in full, e.g. 東京都千代田区…", column)
		}
		h.Rows = append(h.Rows, []string{strings.TrimSpace(v), pref + Municipality(a[len(pref):]), pref, Root})
	}
	return h, h.Check()
}

// Prefecture returns the prefecture an address begins with, or "".
func Prefecture(addr string) string {
	for _, p := range prefectures {
		if strings.HasPrefix(addr, p) {
			return p
		}
	}
	return ""
}

// Municipality returns the municipality at the start of rest (an address
// after its prefecture): a city whose name holds 市 or 郡 itself (四日市市,
// 郡山市) from a list; else the first of 市 (a designated city's ward is left
// out), a Tokyo ward (区) and a district (郡), the district followed by its
// town or village (町, 村); else the first 町 or 村.
func Municipality(rest string) string {
	for _, c := range oddCities {
		if strings.HasPrefix(rest, c) {
			return c
		}
	}
	first, at := rune(0), -1
	for i, r := range rest {
		if i > 0 && (r == '市' || r == '区' || r == '郡') {
			first, at = r, i
			break
		}
	}
	if first == '市' || first == '区' {
		return rest[:at+utf8.RuneLen(first)]
	}
	if first == '郡' {
		after := at + len("郡")
		for j, r := range rest[after:] {
			if j > 0 && (r == '町' || r == '村') {
				return rest[:after+j+utf8.RuneLen(r)]
			}
		}
		return rest
	}
	for i, r := range rest {
		if i > 0 && (r == '町' || r == '村') {
			return rest[:i+utf8.RuneLen(r)]
		}
	}
	return rest
}

// oddCities are the cities whose names hold 市, 区 or 郡 before their end.
var oddCities = []string{"四日市市", "廿日市市", "野々市市", "市川市", "市原市", "大和郡山市", "郡山市", "小郡市", "郡上市", "蒲郡市"}

var prefectures = []string{"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
	"千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
	"滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県",
	"愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"}

// Flat is the hierarchy of two levels: the values, then Root.
func Flat(column string, values []string) *Hierarchy {
	h := &Hierarchy{Column: column}
	for _, v := range values {
		h.Rows = append(h.Rows, []string{v, Root})
	}
	return h
}

// ForItemType makes the hierarchy the ledger's item type calls for: dates
// to month and year, postal codes to their prefixes, addresses to
// municipality and prefecture, numbers to intervals of width w (ages: 5).
// Other types are suppressed whole (Flat).
//
// An empty value (an item a record does not hold) is a value of its own,
// generalised straight to Root.
func ForItemType(itemType, column string, values []string, w float64) (*Hierarchy, error) {
	values = Distinct(values)
	empty := len(values) > 0 && values[0] == ""
	if empty {
		values = values[1:]
	}
	var h *Hierarchy
	var err error
	switch {
	case len(values) == 0:
		h = Flat(column, nil)
	case itemType == "date":
		h, err = Dates(column, values)
	case itemType == "postal_code":
		h, err = PostalCodes(column, values)
	case itemType == "address":
		// An address that names no prefecture cannot be placed: it joins
		// the root at once instead of blocking the whole column.
		var placed, unplaced []string
		for _, v := range values {
			if Prefecture(strings.TrimSpace(width.Fold.String(v))) != "" {
				placed = append(placed, v)
			} else {
				unplaced = append(unplaced, v)
			}
		}
		if len(placed) == 0 {
			h = Flat(column, values)
			break
		}
		if h, err = Addresses(column, placed); err == nil {
			for _, v := range unplaced {
				h.Rows = append(h.Rows, []string{v, Root, Root, Root})
			}
			h.index = nil
			err = h.Check()
		}
	case itemType == "number":
		if w <= 0 {
			w = 5
		}
		h, err = Intervals(column, values, w, nil, nil)
	default:
		h = Flat(column, values)
	}
	if err != nil || !empty {
		return h, err
	}
	n := max(2, h.Height())
	row := make([]string, n)
	for i := 1; i < n; i++ {
		row[i] = Root
	}
	h.Rows = append(h.Rows, row)
	h.index = nil
	return h, h.Check()
}

// Distinct returns the distinct values of vs, sorted.
func Distinct(vs []string) []string {
	out := slices.Clone(vs)
	slices.Sort(out)
	return slices.Compact(out)
}
