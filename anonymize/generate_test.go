package anonymize

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rowOf returns the row of value v in h.
func rowOf(t *testing.T, h *Hierarchy, v string) []string {
	t.Helper()
	for _, r := range h.Rows {
		if r[0] == v {
			return r
		}
	}
	t.Fatalf("%q not in the hierarchy of %s", v, h.Column)
	return nil
}

// interval parses "[a,b)".
func interval(s string) (a, b float64, ok bool) {
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, ")") {
		return 0, 0, false
	}
	lo, hi, found := strings.Cut(s[1:len(s)-1], ",")
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.ParseFloat(lo, 64)
	b, err2 := strconv.ParseFloat(hi, 64)
	return a, b, err1 == nil && err2 == nil
}

// checkIntervals checks every row of an interval hierarchy: each level an
// interval holding the value (or a top or bottom code), of width w, 2w, 4w
// …, each inside the next, the last interval level one interval for all
// values, then Root.
func checkIntervals(t *testing.T, h *Hierarchy, w float64, bottom, top *float64) {
	t.Helper()
	checkIntervalsOpt(t, h, w, bottom, top, true)
}

// checkIntervalsOpt checks as checkIntervals; with oneTop, that the last
// interval level holds every value in one interval (Intervals does; Ages
// stops at 20-year bands).
func checkIntervalsOpt(t *testing.T, h *Hierarchy, w float64, bottom, top *float64, oneTop bool) {
	t.Helper()
	if err := h.Check(); err != nil {
		t.Fatal(err)
	}
	H := h.Height()
	last := map[string]bool{}
	for _, r := range h.Rows {
		v, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			t.Fatalf("row %q: value not a number", r)
		}
		if r[H-1] != Root {
			t.Errorf("row %q: the last level is not %q", r, Root)
		}
		pa, pb := math.Inf(-1), math.Inf(1)
		for l := 1; l < H-1; l++ {
			switch {
			case top != nil && v >= *top:
				if r[l] != "≥"+strconv.FormatFloat(*top, 'f', -1, 64) {
					t.Errorf("row %q level %d: want the top code", r, l)
				}
				continue
			case bottom != nil && v < *bottom:
				if r[l] != "<"+strconv.FormatFloat(*bottom, 'f', -1, 64) {
					t.Errorf("row %q level %d: want the bottom code", r, l)
				}
				continue
			}
			a, b, ok := interval(r[l])
			if !ok {
				t.Errorf("row %q level %d: %q is not an interval", r, l, r[l])
				continue
			}
			if !(a <= v && v < b) {
				t.Errorf("row %q level %d: %v is not in %q", r, l, v, r[l])
			}
			if want := w * math.Pow(2, float64(l-1)); math.Abs((b-a)-want) > 1e-9*want {
				t.Errorf("row %q level %d: width %v, want %v", r, l, b-a, want)
			}
			if l > 1 && !(a <= pa && pb <= b) {
				t.Errorf("row %q level %d: %q does not hold the level below", r, l, r[l])
			}
			pa, pb = a, b
		}
		if H > 2 {
			last[r[H-2]] = true
		}
	}
	if oneTop && top == nil && bottom == nil && len(last) != 1 {
		t.Errorf("the last interval level has %d values, want one interval for all: %v", len(last), last)
	}
}

func TestIntervals(t *testing.T) {
	h, err := Intervals("income", []string{"3", "17", "25", "42", "58", " 61 "}, 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Column != "income" || len(h.Rows) != 6 {
		t.Fatalf("column %q, %d rows", h.Column, len(h.Rows))
	}
	// 10, 20, 40, 80: the first width to hold 3 and 61 alike.
	if h.Height() != 6 {
		t.Errorf("height %d, want 6: %q", h.Height(), h.Rows)
	}
	if r := rowOf(t, h, "17"); !slices.Equal(r, []string{"17", "[10,20)", "[0,20)", "[0,40)", "[0,80)", "*"}) {
		t.Errorf("17: %q", r)
	}
	if r := rowOf(t, h, "61"); r[1] != "[60,70)" {
		t.Errorf("61 (trimmed): %q", r)
	}
	checkIntervals(t, h, 10, nil, nil)

	// Fractional values, a width exact in binary.
	h, err = Intervals("x", []string{"0.25", "0.75", "2", "3.5"}, 0.5, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkIntervals(t, h, 0.5, nil, nil)
	if r := rowOf(t, h, "0.75"); r[1] != "[0.5,1)" {
		t.Errorf("0.75: %q", r)
	}
	// Negative values only.
	h, err = Intervals("x", []string{"-12", "-3", "-7"}, 5, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkIntervals(t, h, 5, nil, nil)
	if r := rowOf(t, h, "-3"); r[1] != "[-5,0)" {
		t.Errorf("-3: %q", r)
	}
	// One value: one interval level, then the root.
	h, err = Intervals("x", []string{"42"}, 5, nil, nil)
	if err != nil || !slices.Equal(h.Rows[0], []string{"42", "[40,45)", "*"}) {
		t.Errorf("one value: %v %v", h, err)
	}
}

// Values on both sides of zero (a balance, a temperature): the widths
// double until one interval holds them all, a few levels, not sixty.
func TestIntervalsAcrossZero(t *testing.T) {
	h, err := Intervals("balance", []string{"-1.5", "-0.25", "0.75", "2", "3.5"}, 0.5, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := rowOf(t, h, "-0.25"); r[1] != "[-0.5,0)" {
		t.Errorf("-0.25: %q", r[:2])
	}
	// 0.5, 1, 2, 4, 8: [-1.5,6.5) holds every value.
	if h.Height() > 8 {
		t.Errorf("height %d (widths up to %q), want at most 8", h.Height(), h.Rows[0][h.Height()-2])
	}
	if h.Height() <= 8 {
		checkIntervals(t, h, 0.5, nil, nil)
	}
}

func TestIntervalsTopBottomCoding(t *testing.T) {
	var vals []string
	for v := 5; v < 100; v += 10 {
		vals = append(vals, strconv.Itoa(v))
	}
	vals = append(vals, "80", "20")
	bottom, top := 20.0, 80.0
	h, err := Intervals("score", vals, 10, &bottom, &top)
	if err != nil {
		t.Fatal(err)
	}
	checkIntervals(t, h, 10, &bottom, &top)
	for v, want := range map[string]string{"5": "<20", "15": "<20", "80": "≥80", "85": "≥80", "95": "≥80", "20": "[20,30)", "75": "[70,80)"} {
		if r := rowOf(t, h, v); r[1] != want {
			t.Errorf("%s at level 1: %q, want %q", v, r[1], want)
		}
	}
	// Coded from level 1 to the last level before the root.
	r := rowOf(t, h, "95")
	for l := 1; l < h.Height()-1; l++ {
		if r[l] != "≥80" {
			t.Errorf("95 at level %d: %q", l, r[l])
		}
	}
	// Only a top code.
	h, err = Intervals("score", vals, 10, nil, &top)
	if err != nil {
		t.Fatal(err)
	}
	checkIntervals(t, h, 10, nil, &top)
	if r := rowOf(t, h, "5"); r[1] != "[0,10)" {
		t.Errorf("5 without a bottom code: %q", r)
	}
	// Decimal codes print as numbers.
	b, tp := 1.5, 99.5
	h, err = Intervals("score", vals, 10, &b, &tp)
	if err != nil || rowOf(t, h, "95")[1] != "[90,100)" {
		t.Errorf("%v %v", h, err)
	}
}

func TestIntervalsErrors(t *testing.T) {
	one, two := 1.0, 2.0
	for name, f := range map[string]func() (*Hierarchy, error){
		"zero width":      func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, 0, nil, nil) },
		"negative width":  func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, -5, nil, nil) },
		"NaN width":       func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, math.NaN(), nil, nil) },
		"infinite width":  func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, math.Inf(1), nil, nil) },
		"not a number":    func() (*Hierarchy, error) { return Intervals("x", []string{"1", "one"}, 5, nil, nil) },
		"NaN value":       func() (*Hierarchy, error) { return Intervals("x", []string{"NaN"}, 5, nil, nil) },
		"infinite value":  func() (*Hierarchy, error) { return Intervals("x", []string{"+Inf"}, 5, nil, nil) },
		"empty value":     func() (*Hierarchy, error) { return Intervals("x", []string{""}, 5, nil, nil) },
		"bottom over top": func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, 5, &two, &one) },
		"bottom is top":   func() (*Hierarchy, error) { return Intervals("x", []string{"1"}, 5, &one, &one) },
		"no values":       func() (*Hierarchy, error) { return Intervals("x", nil, 5, nil, nil) },
		"duplicates":      func() (*Hierarchy, error) { return Intervals("x", []string{"7", "7"}, 5, nil, nil) },
	} {
		if h, err := f(); err == nil {
			t.Errorf("%s: no error (%q)", name, h.Rows)
		} else if !strings.HasPrefix(err.Error(), "x") {
			t.Errorf("%s: the error %q does not name the column", name, err)
		}
	}
}

// A decimal width gives decimal intervals: 0.3 lies in [0.3,0.4), and no
// label shows a binary rounding error such as 0.30000000000000004.
func TestIntervalsDecimalWidth(t *testing.T) {
	h, err := Intervals("bmi_delta", []string{"0.3", "0.45", "1.2"}, 0.1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]string{"0.3": "[0.3,0.4)", "0.45": "[0.4,0.5)", "1.2": "[1.2,1.3)"} {
		if r := rowOf(t, h, v); r[1] != want {
			t.Errorf("%s at level 1: %q, want %q", v, r[1], want)
		}
	}
	for _, r := range h.Rows {
		for _, g := range r[1:] {
			if strings.Contains(g, "0000000") || strings.Contains(g, "9999999") {
				t.Errorf("%s: label %q shows a rounding error", r[0], g)
			}
		}
	}
}

func TestAges(t *testing.T) {
	ages := []string{"17", "23", "38", "64", "90", "45"}
	h, err := Ages("age", ages)
	if err != nil {
		t.Fatal(err)
	}
	checkIntervalsOpt(t, h, 5, nil, nil, false)
	for v, want := range map[string]string{"17": "[15,20)", "23": "[20,25)", "38": "[35,40)", "64": "[60,65)", "90": "[90,95)", "45": "[45,50)"} {
		if r := rowOf(t, h, v); r[1] != want {
			t.Errorf("age %s: 5-year band %q, want %q", v, r[1], want)
		}
	}
	if _, err := Ages("age", []string{"twenty"}); err == nil {
		t.Errorf("a non-number accepted as an age")
	}
}

// As documented: 5-year bands, then 10 and 20 years, then Root; a 10-year
// band is a decade (20–29: "20代"), not a span that starts wherever the
// youngest in the table happens to be.
func TestAgesDocumentedBands(t *testing.T) {
	h, err := Ages("age", []string{"17", "23", "38", "64", "90"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Height() != 5 {
		t.Errorf("height %d, want 5 (age, 5, 10, 20 years, %s): %q", h.Height(), Root, rowOf(t, h, "23"))
	}
	if r := rowOf(t, h, "23"); len(r) < 4 || r[2] != "[20,30)" || r[3] != "[20,40)" {
		t.Errorf("23: %q, want [20,25) [20,30) [20,40) *", r)
	}
}

func TestDates(t *testing.T) {
	h, err := Dates("birth", []string{"1990-04-01", " 1990-04-30 ", "2001-12-31", "2024-02-29"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Check(); err != nil || h.Height() != 4 {
		t.Fatalf("height %d, %v", h.Height(), err)
	}
	if r := rowOf(t, h, "1990-04-01"); !slices.Equal(r, []string{"1990-04-01", "1990-04", "1990", "*"}) {
		t.Errorf("%q", r)
	}
	if r := rowOf(t, h, "1990-04-30"); r[1] != "1990-04" {
		t.Errorf("trimmed: %q", r)
	}
	if r := rowOf(t, h, "2024-02-29"); r[1] != "2024-02" || r[2] != "2024" {
		t.Errorf("%q", r)
	}
	for _, bad := range []string{"2023-02-29", "2024-13-01", "2024/03/15", "15.03.2024", "20240315", "", "令和6年3月15日"} {
		if _, err := Dates("birth", []string{"2024-01-01", bad}); err == nil {
			t.Errorf("%q accepted as a date", bad)
		} else if !strings.HasPrefix(err.Error(), "birth") {
			t.Errorf("%q: %v does not name the column", bad, err)
		}
	}
}

func TestPostalCodes(t *testing.T) {
	h, err := PostalCodes("zip", []string{"100-0001", "1500001", "１００－０００２", "５３００００１", " 060-0001 "})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Check(); err != nil || h.Height() != 4 {
		t.Fatalf("height %d, %v", h.Height(), err)
	}
	for v, want := range map[string][]string{
		"100-0001": {"100-****", "1**-****"},
		"1500001":  {"150-****", "1**-****"},
		"１００－０００２": {"100-****", "1**-****"},
		"５３００００１":  {"530-****", "5**-****"},
		"060-0001": {"060-****", "0**-****"},
	} {
		r := rowOf(t, h, v)
		if r[1] != want[0] || r[2] != want[1] || r[3] != Root {
			t.Errorf("%s: %q, want %q then %s", v, r, want, Root)
		}
	}
	for _, bad := range []string{"100-001", "100-00011", "abc-defg", "", "100_0001", "1OO-OOO1"} {
		if _, err := PostalCodes("zip", []string{bad}); err == nil {
			t.Errorf("%q accepted as a postal code", bad)
		}
	}
}

func TestAddresses(t *testing.T) {
	// Fictional street numbers.
	cases := map[string]string{
		"東京都千代田区丸の内1-1":      "東京都千代田区",
		"東京都千代田区丸の内１－１":      "東京都千代田区", // full width
		"神奈川県横浜市中区日本大通1-2-3": "神奈川県横浜市",
		"北海道虻田郡倶知安町北1条東1丁目":  "北海道虻田郡倶知安町",
		"大阪府大阪市北区梅田1-2-3":    "大阪府大阪市",
		"東京都八王子市元本郷町1-2-3":   "東京都八王子市",
		"長野県北佐久郡軽井沢町軽井沢1-2":  "長野県北佐久郡軽井沢町",
		"沖縄県島尻郡渡嘉敷村渡嘉敷1-2":   "沖縄県島尻郡渡嘉敷村",
		"京都府京都市左京区1-2-3":     "京都府京都市",
		"東京都":                "東京都",
	}
	var vals []string
	for v := range cases {
		vals = append(vals, v)
	}
	h, err := Addresses("address", vals)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Check(); err != nil || h.Height() != 4 {
		t.Fatalf("height %d, %v", h.Height(), err)
	}
	for v, want := range cases {
		r := rowOf(t, h, v)
		if r[1] != want || r[2] != Prefecture(want) || r[3] != Root {
			t.Errorf("%s: %q, want %s, %s, %s", v, r, want, Prefecture(want), Root)
		}
	}
	// Refused without a prefecture, and the address is not repeated.
	for _, bad := range []string{"千代田区丸の内1-1", "横浜市中区日本大通1-2-3", "Tokyo", ""} {
		_, err := Addresses("address", []string{"東京都千代田区丸の内1-1", bad})
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("the error repeats the address: %v", err)
		}
		if !strings.Contains(err.Error(), "都道府県") {
			t.Errorf("%q: error %q does not say what is missing", bad, err)
		}
	}
}

// Municipalities whose names hold 市, 町 or 郡 themselves, and wards whose
// street names hold 市 (real place names, fictional street numbers).
func TestAddressesMunicipalityNamesWithCityCharacters(t *testing.T) {
	for addr, want := range map[string]string{
		"東京都新宿区市谷本村町1-2-3":   "東京都新宿区",
		"三重県四日市市諏訪町1-2-3":    "三重県四日市市",
		"広島県廿日市市下平良1-2-3":    "広島県廿日市市",
		"石川県野々市市三納1-2-3":     "石川県野々市市",
		"千葉県市川市八幡1-2-3":      "千葉県市川市",
		"千葉県市原市国分寺台中央1-2-3":  "千葉県市原市",
		"福島県郡山市朝日1-2-3":      "福島県郡山市",
		"奈良県大和郡山市北郡山町1-2-3":  "奈良県大和郡山市",
		"東京都町田市森野1-2-3":      "東京都町田市",
		"新潟県十日町市千歳町1-2-3":    "新潟県十日町市",
		"栃木県芳賀郡市貝町市塙1-2-3":   "栃木県芳賀郡市貝町",
		"東京都西多摩郡奥多摩町氷川1-2-3": "東京都西多摩郡奥多摩町",
	} {
		h, err := Addresses("address", []string{addr})
		if err != nil {
			t.Errorf("%s: %v", addr, err)
			continue
		}
		if got := h.Rows[0][1]; got != want {
			t.Errorf("%s → %s, want %s", addr, got, want)
		}
	}
}

func TestPrefectureMunicipality(t *testing.T) {
	for addr, want := range map[string]string{
		"京都府京都市": "京都府", "東京都": "東京都", "北海道札幌市": "北海道", "鹿児島県": "鹿児島県",
		"Tokyo": "", "": "", "都": "", "京都": "", "千代田区": "",
	} {
		if got := Prefecture(addr); got != want {
			t.Errorf("Prefecture(%q) = %q, want %q", addr, got, want)
		}
	}
	for rest, want := range map[string]string{
		"横浜市中区日本大通1": "横浜市", "千代田区丸の内1-1": "千代田区", "虻田郡倶知安町北1条": "虻田郡倶知安町",
		"島尻郡渡嘉敷村1": "島尻郡渡嘉敷村", "八王子市元本郷町": "八王子市", "": "",
	} {
		if got := Municipality(rest); got != want {
			t.Errorf("Municipality(%q) = %q, want %q", rest, got, want)
		}
	}
}

func TestFlat(t *testing.T) {
	h := Flat("sex", []string{"男", "女", "不明"})
	if err := h.Check(); err != nil || h.Height() != 2 || len(h.Rows) != 3 || h.Column != "sex" {
		t.Fatalf("%+v %v", h, err)
	}
	for _, r := range h.Rows {
		if r[1] != Root {
			t.Errorf("%q", r)
		}
	}
}

func TestForItemType(t *testing.T) {
	dates := []string{"1990-04-01", "1990-04-01", "1985-11-23"}
	h, err := ForItemType("date", "birth", dates, 0)
	if err != nil || h.Height() != 4 || len(h.Rows) != 2 || h.Column != "birth" {
		t.Fatalf("date: %v %v", h, err)
	}
	if r := rowOf(t, h, "1985-11-23"); r[1] != "1985-11" {
		t.Errorf("date: %q", r)
	}
	h, err = ForItemType("postal_code", "zip", []string{"100-0001", "100-0001", "530-0001"}, 0)
	if err != nil || len(h.Rows) != 2 || rowOf(t, h, "530-0001")[1] != "530-****" {
		t.Errorf("postal_code: %v %v", h, err)
	}
	h, err = ForItemType("address", "addr", []string{"東京都千代田区丸の内1-1", "神奈川県横浜市中区日本大通1-2-3"}, 0)
	if err != nil || rowOf(t, h, "神奈川県横浜市中区日本大通1-2-3")[1] != "神奈川県横浜市" {
		t.Errorf("address: %v %v", h, err)
	}
	// Numbers: width 5 by default.
	h, err = ForItemType("number", "age", []string{"23", "23", "41"}, 0)
	if err != nil || len(h.Rows) != 2 || rowOf(t, h, "23")[1] != "[20,25)" {
		t.Errorf("number, default width: %v %v", h, err)
	}
	h, err = ForItemType("number", "income", []string{"230", "410"}, 100)
	if err != nil || rowOf(t, h, "230")[1] != "[200,300)" {
		t.Errorf("number, width 100: %v %v", h, err)
	}
	h, err = ForItemType("number", "income", []string{"23"}, -1)
	if err != nil || rowOf(t, h, "23")[1] != "[20,25)" {
		t.Errorf("number, negative width: %v %v", h, err)
	}
	// Anything else: the values, then the root, once each, sorted.
	for _, typ := range []string{"text", "name", "email", ""} {
		h, err := ForItemType(typ, "c", []string{"b", "a", "b"}, 0)
		if err != nil || h.Height() != 2 || len(h.Rows) != 2 || h.Rows[0][0] != "a" {
			t.Errorf("%q: %v %v", typ, h, err)
		}
	}
	// Errors come through.
	for typ, vals := range map[string][]string{"date": {"yesterday"}, "postal_code": {"12"}, "number": {"many"}} {
		if _, err := ForItemType(typ, "c", vals, 0); err == nil {
			t.Errorf("%s: %q accepted", typ, vals)
		}
	}
}

// Generated hierarchies in an anonymisation, through the checker.
func TestGeneratedHierarchiesAnonymize(t *testing.T) {
	tab := &Table{Header: []string{"id", "birth", "zip", "address", "age", "diagnosis"}, Comma: ','}
	zips := []string{"100-0001", "100-0002", "150-0001", "530-0001", "530-0002", "060-0001"}
	addrs := []string{"東京都千代田区丸の内1-1", "東京都千代田区丸の内2-2", "東京都渋谷区道玄坂1-2-3",
		"大阪府大阪市北区梅田1-2-3", "大阪府大阪市中央区本町1-2-3", "北海道札幌市中央区北1条西2"}
	diags := []string{"A", "B", "C"}
	for i := range 60 {
		tab.Rows = append(tab.Rows, []string{
			strconv.Itoa(i + 1),
			"19" + strconv.Itoa(70+i%25) + "-0" + strconv.Itoa(1+i%9) + "-1" + strconv.Itoa(i%10),
			zips[i%len(zips)], addrs[(i/2)%len(addrs)], strconv.Itoa(20 + i%47), diags[i%3],
		})
	}
	hs := map[string]*Hierarchy{}
	for col, typ := range map[string]string{"birth": "date", "zip": "postal_code", "address": "address", "age": "number"} {
		h, err := ForItemType(typ, col, tab.Column(col), 0)
		if err != nil {
			t.Fatal(err)
		}
		hs[col] = h
	}
	for _, cfg := range []Config{
		{QI: []string{"birth", "zip", "address", "age"}, Hierarchies: hs, K: 3},
		{QI: []string{"birth", "zip", "address", "age"}, Hierarchies: hs, K: 4, Suppress: 0.1, Sensitive: []string{"diagnosis"}, L: 2},
		{QI: []string{"birth", "address"}, Hierarchies: hs, K: 5, Sensitive: []string{"diagnosis"}, T: 0.2, Metric: Entropy},
	} {
		ckAnonymize(t, tab, cfg)
		cfg.Exhaustive = true
		ckAnonymize(t, tab, cfg)
	}
}

// The generated hierarchies' errors do not repeat the value: like the
// table reader's and Anonymize's, they may be shown or logged, and the
// value may be personal data (a date of birth, an address, a postal code).
func TestGeneratedErrorsDoNotRepeatValues(t *testing.T) {
	for name, c := range map[string]struct {
		f   func([]string) (*Hierarchy, error)
		bad string
	}{
		"Intervals":   {func(v []string) (*Hierarchy, error) { return Intervals("income", v, 10, nil, nil) }, "4,250,000円"},
		"Dates":       {func(v []string) (*Hierarchy, error) { return Dates("birth", v) }, "1985/04/01"},
		"PostalCodes": {func(v []string) (*Hierarchy, error) { return PostalCodes("zip", v) }, "〒100-00"},
		"Addresses":   {func(v []string) (*Hierarchy, error) { return Addresses("address", v) }, "千代田区丸の内1-1"},
	} {
		_, err := c.f([]string{c.bad})
		if err == nil {
			t.Errorf("%s: %q accepted", name, c.bad)
		} else if strings.Contains(err.Error(), c.bad) {
			t.Errorf("%s: the error repeats the value: %v", name, err)
		}
	}
}

func TestPostalCodesWithMark(t *testing.T) {
	h, err := PostalCodes("zip", []string{"〒100-0001", "〒１００－０００５"})
	if err != nil {
		t.Fatal(err)
	}
	if r := rowOf(t, h, "〒100-0001"); r[1] != "100-****" {
		t.Errorf("%q", r)
	}
}

func TestForItemTypeAddressWithoutPrefecture(t *testing.T) {
	h, err := ForItemType("address", "address", []string{"東京都千代田区丸の内1-1", "丸の内1-2", "", "大阪府大阪市北区梅田3-1"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r := rowOf(t, h, "丸の内1-2"); r[1] != Root || r[2] != Root {
		t.Errorf("an address without a prefecture: %q", r)
	}
	if r := rowOf(t, h, "東京都千代田区丸の内1-1"); r[1] != "東京都千代田区" || r[2] != "東京都" {
		t.Errorf("%q", r)
	}
}
