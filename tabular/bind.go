package tabular

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Headers of the columns RejectWriter adds. Bind ignores columns with these
// headers unless Options.Map names them, so that a fixed rejects file can be
// read again as it is.
const (
	LineHeader   = "行/line"
	ReasonHeader = "理由/reason"
)

// issue is one thing wrong with the binding.
type issue struct {
	field  string
	ja, en string
}

// Bind maps every column to an item of cat:
//
//   - a column whose header is a key of Options.Map goes to the item it
//     names (by ID, or by the item's Japanese or English name), or is skipped
//     for Ignore ("-");
//   - any other column goes to the item whose ID, Japanese name or English
//     name equals the header, compared after trimming, NFKC, case folding
//     and removing white space;
//   - a column with an empty header, and the columns RejectWriter adds, are
//     skipped.
//
// Bind fails, naming every column at fault and how to fix it, when a column
// matches no item or several, two columns go to one item, a Map entry names
// an item cat does not have or a header the file does not have, or a
// required item has no column. The error is a *hogo.Error with code invalid,
// field "map" or "header", and one line per fault.
func (rd *Reader) Bind(cat *ledger.Category) error {
	if cat == nil {
		return hogo.Errorf(hogo.EINTERNAL, "tabular: Bind called without a category")
	}
	rd.bound = false
	b := binder{rd: rd, cat: cat, auto: map[string][]*ledger.Item{}}
	for _, it := range cat.Items {
		for _, n := range []string{it.ID, it.Name.Ja, it.Name.En} {
			if k := normKey(n); k != "" && !slices.Contains(b.auto[k], it) {
				b.auto[k] = append(b.auto[k], it)
			}
		}
	}
	mapped := b.resolveMap()
	for _, h := range rd.header {
		if looksLikeData(cat, h) {
			// No header row: the first row is someone's data, which no
			// message may repeat.
			b.dataRow = true
		}
	}

	cols := make([]column, len(rd.header))
	byItem := map[string][]int{}
	for i, h := range rd.header {
		if h == "" {
			cols[i].noHeader = true
			continue
		}
		k := normKey(h)
		if m, ok := mapped[k]; ok {
			m.used = true
			if m.item != nil {
				cols[i].item = m.item
				byItem[m.item.ID] = append(byItem[m.item.ID], i)
			}
			continue
		}
		if h == LineHeader || h == ReasonHeader {
			continue
		}
		switch cands := b.auto[k]; len(cands) {
		case 1:
			cols[i].item = cands[0]
			byItem[cands[0].ID] = append(byItem[cands[0].ID], i)
		case 0:
			b.unknownColumn(i, h)
		default:
			b.ambiguousColumn(i, h, cands)
		}
	}
	for _, key := range b.mapKeys {
		if m := mapped[normKey(key)]; !m.used && m.key == key {
			headers := strings.Join(nonEmpty(rd.header), ", ")
			if b.dataRow {
				headers = "—"
			}
			b.add("map",
				"--map の「%[1]s」に当たる列が %[2]s の見出しにありません。見出しの文字を確かめてください。見出し: %[3]s",
				"--map %[1]q names no column of %[2]s; check the header text. Headers: %[3]s",
				key, rd.name, headers)
		}
	}
	for _, it := range cat.Items {
		idx := byItem[it.ID]
		if len(idx) > 1 && normKey(rd.header[idx[0]]) == normKey(rd.header[idx[1]]) {
			b.add("header",
				"列%[1]d と列%[2]d の見出しがどちらも「%[3]s」で、同じ項目「%[4]s」(%[5]s) に当たります。一方の見出しを変えて --map で別の項目を指定するか、不要な列を削除してください。",
				"Columns %[1]d and %[2]d are both headed %[3]q and so both map to item %[6]q (%[5]s); rename one and map it with --map, or delete the column you do not need.",
				idx[0]+1, idx[1]+1, rd.header[idx[0]], it.Name.Ja, it.ID, itemNameEn(it))
		} else if len(idx) > 1 {
			b.add("header",
				"列%[1]d「%[2]s」と列%[3]d「%[4]s」が同じ項目「%[5]s」(%[6]s) に割り当てられています。一方を --map '%[4]s=-' で読み飛ばすか、--map で別の項目を指定してください。",
				"Columns %[1]d %[2]q and %[3]d %[4]q both map to item %[7]q (%[6]s); skip one with --map '%[4]s=-' or map it to another item with --map.",
				idx[0]+1, rd.header[idx[0]], idx[1]+1, rd.header[idx[1]], it.Name.Ja, it.ID, itemNameEn(it))
		}
		if len(idx) == 0 && it.Required {
			b.add("header",
				"必須項目「%[1]s」(%[2]s) の列がありません。列「%[1]s」を追加するか、--map '列名=%[2]s' で既存の列を割り当ててください。",
				"Required item %[3]q (%[2]s) has no column; add a column %[3]q or map an existing one with --map 'header=%[2]s'.",
				it.Name.Ja, it.ID, itemNameEn(it))
		}
	}
	if len(b.issues) > 0 {
		return b.err()
	}
	rd.cols = cols
	rd.items = 0
	for i, c := range cols {
		if c.item != nil {
			rd.items++
			if memoized(c.item.Type) {
				cols[i].memo = map[string]string{}
			}
		}
	}
	rd.bound = true
	return nil
}

// mapping is a resolved Options.Map entry.
type mapping struct {
	key  string
	item *ledger.Item // nil: ignore, or an unknown item (reported)
	used bool
}

type binder struct {
	// dataRow: the header row reads as data (the file has none).
	dataRow, saidDataRow bool
	rd                   *Reader
	cat                  *ledger.Category
	auto                 map[string][]*ledger.Item
	mapKeys              []string
	issues               []issue
	// listItems: an issue asks for an item ID, so the error ends with the
	// category's items.
	listItems bool
}

func (b *binder) add(field, ja, en string, args ...any) {
	b.issues = append(b.issues, issue{field, fmt.Sprintf(ja, args...), fmt.Sprintf(en, args...)})
}

// err joins the issues into one error, one line each.
func (b *binder) err() error {
	ja := make([]string, len(b.issues))
	en := make([]string, len(b.issues))
	for i, is := range b.issues {
		ja[i], en[i] = is.ja, is.en
	}
	if b.listItems {
		ja = append(ja, fmt.Sprintf("%s（%s）の項目ID: %s", b.cat.Name.Ja, b.cat.ID, b.itemList("ja")))
		en = append(en, fmt.Sprintf("Item IDs of %s (%s): %s", catNameEn(b.cat), b.cat.ID, b.itemList("en")))
	}
	return &hogo.Error{Code: hogo.EINVALID, Field: b.issues[0].field,
		Ja: strings.Join(ja, "\n"), Message: strings.Join(en, "\n")}
}

// resolveMap resolves Options.Map by normalised header.
func (b *binder) resolveMap() map[string]*mapping {
	out := map[string]*mapping{}
	for k := range b.rd.opt.Map {
		b.mapKeys = append(b.mapKeys, k)
	}
	slices.Sort(b.mapKeys)
	for _, key := range b.mapKeys {
		val := strings.TrimSpace(b.rd.opt.Map[key])
		m := &mapping{key: key}
		nk := normKey(key)
		if prev, ok := out[nk]; ok {
			if strings.TrimSpace(b.rd.opt.Map[prev.key]) != val {
				b.add("map",
					"--map の「%[1]s」と「%[2]s」は同じ見出しを指していますが、割り当てる項目が違います。どちらか一方にしてください。",
					"--map %[1]q and %[2]q name the same header but different items; keep one of them.", prev.key, key)
			}
			continue
		}
		out[nk] = m
		if val == Ignore {
			continue
		}
		m.item = b.item(val)
		if m.item == nil {
			hintJa, hintEn := b.suggest(val)
			b.add("map",
				"--map の「%[1]s=%[2]s」: 項目「%[2]s」は%[3]s（%[4]s）にありません。%[5]s",
				"--map '%[1]s=%[2]s': %[7]s (%[4]s) has no item %[2]q. %[6]s",
				key, val, b.cat.Name.Ja, b.cat.ID, hintJa, hintEn, catNameEn(b.cat))
			b.listItems = true
		}
	}
	return out
}

// item finds an item of the category by ID, or by normalised ID or name.
func (b *binder) item(v string) *ledger.Item {
	for _, it := range b.cat.Items {
		if it.ID == v {
			return it
		}
	}
	if c := b.auto[normKey(v)]; len(c) == 1 {
		return c[0]
	}
	return nil
}

func (b *binder) unknownColumn(i int, h string) {
	if b.dataRow {
		if !b.saidDataRow {
			b.saidDataRow = true
			b.add("header",
				"1行目は見出しではなくデータのように見えます（列%[1]d ほか）。1行目を見出し行（項目名の行）にしてください。",
				"The first row looks like data, not headers (column %[1]d and others); make the first row name the columns.",
				i+1)
			b.listItems = true
		}
		return
	}
	hintJa, hintEn := b.suggest(h)
	b.add("header",
		"列%[1]d「%[2]s」に当たる項目が%[3]s（%[4]s）にありません。%[5]s--map '%[2]s=項目ID' で項目を指定するか、--map '%[2]s=-' で読み飛ばしてください。",
		"Column %[1]d %[2]q matches no item of %[7]s (%[4]s). %[6]sAdd --map '%[2]s=item_id' to name its item, or --map '%[2]s=-' to skip it.",
		i+1, h, b.cat.Name.Ja, b.cat.ID, hintJa, hintEn, catNameEn(b.cat))
	b.listItems = true
}

func (b *binder) ambiguousColumn(i int, h string, cands []*ledger.Item) {
	ids := make([]string, len(cands))
	for j, it := range cands {
		ids[j] = it.ID
	}
	b.add("header",
		"列%[1]d「%[2]s」は複数の項目（%[3]s）に当たります。--map '%[2]s=項目ID' でどれか1つを指定してください。",
		"Column %[1]d %[2]q matches several items (%[3]s); name one with --map '%[2]s=item_id'.",
		i+1, h, strings.Join(ids, ", "))
}

// looksLikeData reports whether a header cell reads as a value: an e-mail
// address, a run of digits (phone, postal code, date, number), or a valid
// value of one of the category's e-mail, phone, postal code, date or
// individual number items.
func looksLikeData(cat *ledger.Category, h string) bool {
	if strings.Contains(h, "@") {
		return true
	}
	digits := 0
	for _, r := range h {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits >= 4 {
		return true
	}
	for _, it := range cat.Items {
		switch it.Type {
		case ledger.TypeEmail, ledger.TypePhone, ledger.TypePostalCode, ledger.TypeDate, ledger.TypeMyNumber:
		default:
			// Names, kana and free text read the same as headers.
			continue
		}
		if _, err := vault.CheckValue(it, h); err == nil {
			return true
		}
	}
	return false
}

// suggest returns a did-you-mean sentence for the item nearest to s, or
// empty strings when none is near.
func (b *binder) suggest(s string) (ja, en string) {
	k := normKey(s)
	if k == "" {
		return "", ""
	}
	var best *ledger.Item
	bestD, bestRaw := -1, 0
	for _, it := range b.cat.Items {
		for _, n := range []string{it.ID, it.Name.Ja, it.Name.En} {
			nk := normKey(n)
			if nk == "" {
				continue
			}
			raw := editDistance(k, nk)
			limit := max(1, min(len([]rune(k)), len([]rune(nk)))/3)
			d := raw
			if strings.Contains(nk, k) || strings.Contains(k, nk) {
				d = min(d, limit) // a part of the name, or the name with a suffix
			}
			if d <= limit && (bestD < 0 || d < bestD || d == bestD && raw < bestRaw) {
				best, bestD, bestRaw = it, d, raw
			}
		}
	}
	if best == nil {
		return "", ""
	}
	return fmt.Sprintf("「%s」(%s) のことでしょうか。", best.Name.Ja, best.ID),
		fmt.Sprintf("Did you mean %q (%s)? ", itemNameEn(best), best.ID)
}

// itemList lists the category's items as "id（名前）".
func (b *binder) itemList(lang string) string {
	parts := make([]string, len(b.cat.Items))
	for i, it := range b.cat.Items {
		if lang == "en" {
			parts[i] = fmt.Sprintf("%s (%s)", it.ID, itemNameEn(it))
		} else {
			parts[i] = fmt.Sprintf("%s（%s）", it.ID, it.Name.Ja)
		}
	}
	return strings.Join(parts, ", ")
}

func itemNameEn(it *ledger.Item) string {
	if it.Name.En != "" {
		return it.Name.En
	}
	if it.Name.Ja != "" {
		return it.Name.Ja
	}
	return it.ID
}

func catNameEn(c *ledger.Category) string {
	if c.Name.En != "" {
		return c.Name.En
	}
	if c.Name.Ja != "" {
		return c.Name.Ja
	}
	return c.ID
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// normKey is the form headers and names are compared in: NFKC (full-width
// letters and brackets become ASCII, half-width kana full-width), lower
// case, without white space.
func normKey(s string) string {
	s = strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// editDistance is the Levenshtein distance in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
