package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a ledger, at a position in its file. Its
// message is kept in English (Message) and in Japanese (Ja), the language of
// the privacy officers who read it.
type Problem struct {
	File    string
	Pos     Pos
	Message string // English
	Ja      string // Japanese
	// Warning problems do not make the ledger invalid.
	Warning bool
}

// String formats the problem in English as FILE:LINE:COL: message.
func (p Problem) String() string { return p.In("en") }

// In formats the problem as FILE:LINE:COL: message in lang: Japanese for
// "ja", English otherwise. A problem without a Japanese message (one not
// made by this package) reads in English.
func (p Problem) In(lang string) string {
	msg, prefix := p.Message, "warning: "
	if lang == "ja" && p.Ja != "" {
		msg, prefix = p.Ja, "警告: "
	}
	if !p.Warning {
		prefix = ""
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", p.File, p.Pos.Line, p.Pos.Col, prefix, msg)
}

// Problems is a list of problems; as an error it reads as one line each.
type Problems []Problem

// Error implements error.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// In formats the problems in lang, one line each (see Problem.In).
func (ps Problems) In(lang string) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.In(lang)
	}
	return strings.Join(lines, "\n")
}

// Errors returns only the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// tr is an argument of a problem message that reads differently in each
// language: a word, or a part of a sentence already formatted.
type tr struct{ ja, en string }

// trf formats a tr from a Japanese and an English format with the same
// arguments (see format2).
func trf(ja, en string, args ...any) tr {
	j, e := format2(ja, en, args)
	return tr{j, e}
}

// format2 formats one message in Japanese and in English from the same
// arguments, so that both always say the same thing. A tr argument gives
// each language its own words; where Japanese word order differs, the
// Japanese format picks arguments by index (%[2]s). In Japanese, IDs and
// keys are quoted 「like this」 rather than with %q, so a string that holds
// control characters (a quoted key with a line break) is escaped to keep
// the message on one line.
func format2(ja, en string, args []any) (string, string) {
	jaArgs := make([]any, len(args))
	enArgs := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case tr:
			jaArgs[i], enArgs[i] = oneLine(a.ja), a.en
		case string:
			jaArgs[i], enArgs[i] = oneLine(a), a
		default:
			jaArgs[i], enArgs[i] = a, a
		}
	}
	return fmt.Sprintf(ja, jaArgs...), fmt.Sprintf(en, enArgs...)
}

// oneLine escapes s as in a Go string literal, without the quotes, when it
// holds a character that is not graphic (a line break, a tab, a control).
func oneLine(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !strconv.IsGraphic(r) }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// newProblem makes a problem whose message is formatted in Japanese from ja
// and in English from en, with the same args (see format2).
func newProblem(file string, pos Pos, warning bool, ja, en string, args ...any) Problem {
	j, e := format2(ja, en, args)
	return Problem{File: file, Pos: pos, Message: e, Ja: j, Warning: warning}
}

// scalarParser is implemented by scalar types that parse themselves.
type scalarParser interface {
	parseScalar(string) error
}

var (
	textType  = reflect.TypeOf(Text{})
	refType   = reflect.TypeOf(Ref{})
	posType   = reflect.TypeOf(Pos{})
	parserTyp = reflect.TypeOf((*scalarParser)(nil)).Elem()
)

// decoder turns a YAML node tree into ledger structs, strictly: unknown
// keys, duplicate keys and wrong shapes are problems with positions, and it
// keeps going so that one run reports everything.
type decoder struct {
	file     string
	problems Problems

	// expanding holds the anchors whose aliases are being decoded, to
	// catch an anchor that contains an alias of itself (&a [*a]). Ledger
	// types do not contain themselves, so today the Go types bound the
	// recursion anyway; the check keeps it bounded if one ever does.
	expanding map[*yaml.Node]bool
	// steps counts decode calls; budget caps them so that a small file
	// with nested aliases (a "billion laughs") cannot take unbounded time.
	steps, budget int
	exhausted     bool
}

// Each alias is decoded anew where it is used, so a few lines of nested
// aliases can stand for an enormous document. The budget allows generous
// reuse of anchors while bounding the work by the size of the file.
const (
	minDecodeBudget     = 100_000
	decodeBudgetPerByte = 10
)

// errorf reports a problem at n, formatted from ja and en with the same
// args (see format2).
func (d *decoder) errorf(n *yaml.Node, ja, en string, args ...any) {
	d.problems = append(d.problems, newProblem(d.file, nodePos(n), false, ja, en, args...))
}

func nodePos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	return Pos{Line: n.Line, Col: n.Column}
}

func kindName(n *yaml.Node) tr {
	switch n.Kind {
	case yaml.MappingNode:
		return tr{"「キー: 値」の形", "a mapping (key: value)"}
	case yaml.SequenceNode:
		return tr{"リスト", "a list"}
	case yaml.ScalarNode:
		return tr{"単一の値", "a single value"}
	}
	return tr{"その他の形式", "something else"}
}

// whatTr names the value at what (a path such as categories[1].items) in
// a message; the empty path is the whole file.
func whatTr(what string) tr {
	if what == "" {
		return tr{"ファイルの最上位", ""}
	}
	return tr{"「" + what + "」", what}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

type fieldInfo struct {
	index int
	name  string
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo

func fieldsOf(t reflect.Type) []fieldInfo {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]fieldInfo)
	}
	var fs []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		fs = append(fs, fieldInfo{index: i, name: tag})
	}
	fieldCache.Store(t, fs)
	return fs
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, what string) {
	if d.exhausted {
		return
	}
	d.steps++
	if d.budget > 0 && d.steps > d.budget {
		d.exhausted = true
		d.errorf(n, "エイリアス（*名前）の展開で値が多くなりすぎます。繰り返す部分を書き出すか、エイリアスの入れ子を減らしてください。",
			"the file expands to too many values through aliases (*name); write the repeated parts out or use fewer nested aliases")
		return
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		target := n.Alias
		if d.expanding[target] {
			d.errorf(n, "「%s」: エイリアス「*%s」が、それ自身が指す値の中で使われているため、展開が終わりません。値を直接書いてください。",
				"%s: alias *%s is used inside the value it names, which would repeat forever; write the value out instead", what, n.Value)
			return
		}
		if d.expanding == nil {
			d.expanding = map[*yaml.Node]bool{}
		}
		d.expanding[target] = true
		d.decode(target, v, what)
		delete(d.expanding, target)
		return
	}
	if isNull(n) {
		return
	}
	t := v.Type()
	if reflect.PointerTo(t).Implements(parserTyp) {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "「%s」は単一の値で書いてください（%sになっています）。", "%s must be a single value, not %s", what, kindName(n))
			return
		}
		if err := v.Addr().Interface().(scalarParser).parseScalar(n.Value); err != nil {
			msg := tr{err.Error(), err.Error()}
			var pe *ParseError
			if errors.As(err, &pe) {
				msg.ja = pe.Ja
			}
			d.errorf(n, "「%s」: %s", "%s: %v", what, msg)
		}
		return
	}
	switch t {
	case textType:
		d.decodeText(n, v.Addr().Interface().(*Text), what)
		return
	case refType:
		if n.Kind != yaml.ScalarNode || n.Value == "" {
			d.errorf(n, "「%s」には ID を書いてください（例: job_matching）。", "%s must be an ID, e.g. job_matching", what)
			return
		}
		v.Set(reflect.ValueOf(Ref{ID: n.Value, Pos: nodePos(n)}))
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		nv := reflect.New(t.Elem())
		d.decode(n, nv.Elem(), what)
		v.Set(nv)
	case reflect.Struct:
		d.decodeStruct(n, v, what)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "「%s」は「- 」で始まる行のリストで書いてください（%sになっています）。",
				"%s must be a list (lines starting with \"- \"), not %s", what, kindName(n))
			return
		}
		s := reflect.MakeSlice(t, 0, len(n.Content))
		for i, c := range n.Content {
			elem := fmt.Sprintf("%s[%d]", what, i+1)
			// An empty entry ("- " alone) would leave a nil entry that
			// every later step would have to guard against.
			if isNull(resolve(c)) {
				d.errorf(c, "「%s」が空です。値を書くか、「-」の行を削除してください。", "%s is empty; fill it in or remove the \"-\" line", elem)
				continue
			}
			ev := reflect.New(t.Elem()).Elem()
			before := len(d.problems)
			d.decode(c, ev, elem)
			// An entry that could not be decoded at all (a mapping where
			// an ID belongs, or one the budget stopped) is left out: its
			// problem is reported, and a zero entry, with no position,
			// would only bring a second, misplaced one.
			if (len(d.problems) > before || d.exhausted) && ev.IsZero() {
				continue
			}
			s = reflect.Append(s, ev)
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "「%s」は「キー: 値」の形で書いてください（%sになっています）。",
				"%s must be a mapping (key: value), not %s", what, kindName(n))
			return
		}
		m := reflect.MakeMap(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := resolve(n.Content[i]), n.Content[i+1]
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				d.errorf(k, "「%s」: キー「%s」が2回出てきます。1つにしてください。", "%s: key %q appears twice; keep one", what, k.Value)
				continue
			}
			if isNull(resolve(val)) {
				d.errorf(k, "「%s.%s」に値がありません。値を書くか、キーを削除してください。", "%s.%s has no value; fill it in or remove the key", what, k.Value)
				continue
			}
			ev := reflect.New(t.Elem()).Elem()
			before := len(d.problems)
			d.decode(val, ev, what+"."+k.Value)
			if (len(d.problems) > before || d.exhausted) && ev.IsZero() {
				continue // not decoded at all; the problem is reported
			}
			setPosIfStructPtr(ev, nodePos(k))
			m.SetMapIndex(reflect.ValueOf(k.Value), ev)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "「%s」は単一の値で書いてください（%sになっています）。", "%s must be a single value, not %s", what, kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "「%s」は整数で書いてください（%sになっています）。", "%s must be a whole number, not %s", what, kindName(n))
			return
		}
		i, err := strconv.Atoi(strings.ReplaceAll(n.Value, "_", ""))
		if err != nil {
			d.errorf(n, "「%[1]s」は整数で書いてください（例: 1000）。「%[2]s」は整数ではありません。",
				"%s must be a whole number, e.g. 1000; %q is not", what, n.Value)
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "「%s」は true か false で書いてください（%sになっています）。", "%s must be true or false, not %s", what, kindName(n))
			return
		}
		switch n.Value {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			d.errorf(n, "「%[1]s」は true か false で書いてください。「%[2]s」はどちらでもありません。",
				"%s must be true or false; %q is neither", what, n.Value)
		}
	default:
		panic("ledger: cannot decode into " + t.String())
	}
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func setPosIfStructPtr(v reflect.Value, p Pos) {
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("Pos"); f.IsValid() && f.Type() == posType {
			f.Set(reflect.ValueOf(p))
		}
	}
}

// unfoldJa is a Japanese text as written. YAML's folded style (>) joins
// lines with a space, which suits English but leaves stray spaces in
// Japanese (「集計し、 当社が」): between two characters of Japanese the
// fold's space is dropped.
func unfoldJa(n *yaml.Node) string {
	s := strings.TrimSpace(n.Value)
	if n.Style&yaml.FoldedStyle == 0 || !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && wideRune(rs[i-1]) && wideRune(rs[i+1]) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wideRune reports whether r is written without spaces around it in
// Japanese: kana, kanji, full-width forms and Japanese punctuation.
func wideRune(r rune) bool {
	return r >= 0x3000 && r <= 0x30ff || r >= 0x3400 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff || r >= 0xff00 && r <= 0xffef
}

func (d *decoder) decodeText(n *yaml.Node, t *Text, what string) {
	t.Pos = nodePos(n)
	switch n.Kind {
	case yaml.ScalarNode:
		t.Ja = unfoldJa(n)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := resolve(n.Content[i]), resolve(n.Content[i+1])
			if val.Kind != yaml.ScalarNode {
				d.errorf(val, "「%s.%s」は文字列で書いてください（%sになっています）。", "%s.%s must be text, not %s", what, k.Value, kindName(val))
				continue
			}
			switch k.Value {
			case "ja":
				t.Ja = unfoldJa(val)
			case "en":
				t.En = strings.TrimSpace(val.Value)
			default:
				d.errorf(k, "「%s」: 言語「%s」は使えません。ja（日本語）と en（英語）で書いてください。",
					"%s: unknown language %q; use ja and en", what, k.Value)
			}
		}
	default:
		d.errorf(n, "「%s」は文字列か {ja: …, en: …} で書いてください。", "%s must be text, or {ja: …, en: …}", what)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) {
	if f := v.FieldByName("Pos"); f.IsValid() && f.Type() == posType {
		f.Set(reflect.ValueOf(nodePos(n)))
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%sは「キー: 値」の形で書いてください（%sになっています）。",
			"%s must be a mapping (key: value), not %s", whatTr(what), kindName(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		if k.Tag == "!!merge" {
			d.errorf(k, "台帳ではマージキー（<<）は使えません。各行の意味がわかるよう、キーを1つずつ書いてください。",
				"merge keys (<<) are not supported in the ledger; write the keys out so that each line says what it means")
			continue
		}
		if seen[k.Value] {
			d.errorf(k, "キー「%s」がここで2回出てきます。1つにしてください。", "key %q appears twice here; keep one", k.Value)
			continue
		}
		seen[k.Value] = true
		var fi *fieldInfo
		for j := range fields {
			if fields[j].name == k.Value {
				fi = &fields[j]
				break
			}
		}
		if fi == nil {
			where := whatTr(what)
			if what == "" {
				where = tr{"最上位", "the top level"}
			}
			d.errorf(k, "%[2]sに不明なキー「%[1]s」があります。%[3]s", "unknown key %q in %s%s", k.Value, where, suggest(k.Value, fields))
			continue
		}
		name := fi.name
		if what != "" {
			name = what + "." + fi.name
		}
		d.decode(val, v.Field(fi.index), name)
	}
}

func suggest(key string, fields []fieldInfo) tr {
	best, bestD := "", 3
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.name)
		if dd := editDistance(key, f.name); dd < bestD {
			best, bestD = f.name, dd
		}
	}
	if best != "" {
		return trf("「%s」ではありませんか？", "; did you mean %q?", best)
	}
	sort.Strings(names)
	return trf("使えるキーは %s です。", "; known keys: %s", strings.Join(names, ", "))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// MaxSize is the largest ledger file hogo reads, in bytes. A ledger of 200
// categories is about 350 KB; the limit keeps a wrong or hostile upload from
// holding the parser for long.
const MaxSize = 4 << 20

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads a ledger from YAML. It returns the ledger and every problem
// found while decoding (not yet the semantic checks of Validate). The
// ledger is nil when the YAML itself cannot be read.
func Parse(file string, data []byte) (*Ledger, Problems) {
	if len(data) > MaxSize {
		return nil, Problems{newProblem(file, Pos{1, 1}, false,
			"ファイルが%dバイトあり、台帳の上限（%dバイト）を超えています。種別が1,000あっても台帳は2MBを大きく下回ります。台帳のファイルであることを確かめるか、長い文章を別のファイルに分けてください。",
			"the file is %d bytes, more than a ledger may be (%d); a ledger of a thousand categories is well under 2 MB: check that this is the ledger, or split off long texts",
			len(data), MaxSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		pos := Pos{Line: max(line, 1), Col: 1}
		hint := tr{"この行と前の行の字下げ（タブではなく空白）と引用符を確かめてください。",
			"check the indentation (spaces, not tabs) and quoting on this line and the one before"}
		if strings.HasPrefix(msg, "did not find expected ',' or") {
			// A flow collection ([…] or {…}) that does not close: the
			// parser names the line before the one where it opened.
			pos = firstNonBlank(data, line+1)
			hint = tr{"この行で開いた [ または { が閉じていないか、要素がカンマで区切られていません。ここから先の括弧と引用符を確かめてください。",
				"a [ or { opened on this line is not closed, or its entries are not separated by commas; check the brackets and quotes from here on"}
		} else if p, ok := syntaxErrorPos(data, err.Error()); ok {
			pos = p
		}
		return nil, Problems{newProblem(file, pos, false, "YAML として読めません（%s）。%s", "the file is not valid YAML: %s; %s",
			tr{yamlProblemJa(msg), msg}, hint)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, Problems{newProblem(file, Pos{1, 1}, false,
			"ファイルが空です。台帳は「version: 1」と「organization:」で始まります。",
			"the file is empty: a ledger starts with \"version: 1\" and \"organization:\"")}
	}
	root := resolve(doc.Content[0])
	if isNull(root) {
		return nil, Problems{newProblem(file, nodePos(root), false,
			"ファイルに台帳が書かれていません。台帳は「version: 1」と「organization:」で始まります。",
			"the file holds no ledger: a ledger starts with \"version: 1\" and \"organization:\"")}
	}
	d := &decoder{file: file, budget: max(minDecodeBudget, decodeBudgetPerByte*len(data))}
	// Problems about the whole ledger point at its first line, even when
	// the root is not a mapping and so never gets a position of its own.
	l := &Ledger{Pos: nodePos(root)}
	d.decode(doc.Content[0], reflect.ValueOf(l).Elem(), "")
	return l, d.problems
}

// yamlProblems are the YAML parser's messages (go.yaml.in/yaml/v3) in
// Japanese: those a hand-edited ledger runs into.
var yamlProblems = map[string]string{
	"did not find expected key":                                    "キーがあるべき位置にありません",
	"did not find expected node content":                           "値があるべき位置にありません",
	"did not find expected '-' indicator":                          "「- 」で始まるリストの要素があるべき位置にありません",
	"did not find expected ',' or ']'":                             "「,」または「]」が見つかりません",
	"did not find expected ',' or '}'":                             "「,」または「}」が見つかりません",
	"could not find expected ':'":                                  "「:」が見つかりません",
	"mapping values are not allowed in this context":               "ここには「キー: 値」を書けません",
	"mapping keys are not allowed in this context":                 "ここにはキーを書けません",
	"block sequence entries are not allowed in this context":       "ここには「- 」で始まるリストの要素を書けません",
	"found character that cannot start any token":                  "値の先頭に使えない文字があります",
	"found a tab character that violates indentation":              "字下げにタブ文字が使われています",
	"found a tab character where an indentation space is expected": "字下げにタブ文字が使われています",
	"found unexpected end of stream":                               "引用符などが閉じないままファイルが終わっています",
	"found unknown escape character":                               "引用符の中に使えないエスケープ（\\ の後の文字）があります",
	"found unexpected document indicator":                          "文書の区切り（--- または ...）が思わぬ位置にあります",
	"did not find expected alphabetic or numeric character":        "アンカーかエイリアス（&名前、*名前）に名前がありません",
	"did not find expected comment or line break":                  "値の後に余計な文字があります",
	"did not find expected whitespace or line break":               "値の後に余計な文字があります",
	"found undefined tag handle":                                   "定義されていないタグ（!で始まる語）があります",
	"control characters are not allowed":                           "制御文字は使えません",
	"invalid leading UTF-8 octet":                                  "UTF-8 ではない文字があります。文字コードを UTF-8 にして保存してください",
	"invalid trailing UTF-8 octet":                                 "UTF-8 ではない文字があります。文字コードを UTF-8 にして保存してください",
	"incomplete UTF-8 octet sequence":                              "UTF-8 ではない文字があります。文字コードを UTF-8 にして保存してください",
	"invalid length of a UTF-8 sequence":                           "UTF-8 ではない文字があります。文字コードを UTF-8 にして保存してください",
	"invalid Unicode character":                                    "使えない文字があります。文字コードを UTF-8 にして保存してください",
	"found an indentation indicator equal to 0":                    "ブロック（| または >）の字下げ指定に 0 は使えません",
	"did not find expected <stream-start>":                         "ファイルの先頭を読めません",
	"unknown problem parsing YAML content":                         "原因のわからない構文エラーです",
	"found unexpected non-alphabetical character":                  "使えない文字があります",
	"found invalid Unicode character escape code":                  "引用符の中の Unicode エスケープ（\\u…）が正しくありません",
	"did not find expected hexdecimal number":                      "引用符の中の Unicode エスケープ（\\u…）が正しくありません",
}

var yamlAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// yamlProblemJa returns the YAML parser's message msg in Japanese; one not
// known is given as it is, marked as the parser's.
func yamlProblemJa(msg string) string {
	if ja, ok := yamlProblems[msg]; ok {
		return ja
	}
	if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		return "エイリアス「*" + m[1] + "」の指すアンカー「&" + m[1] + "」がその前にありません"
	}
	if depth, ok := strings.CutPrefix(msg, "exceeded max depth of "); ok {
		return "入れ子が深すぎます（上限 " + depth + " 段）"
	}
	return "構文エラー: " + msg
}

// syntaxErrorPos finds the line of a YAML syntax error. The line in the
// parser's message is often that of the enclosing mapping, not of the
// offending token (and counted from zero), which sends a reader to the
// wrong place. The parser reads its input as a stream, so a prefix of the
// file that reaches the offending token fails with the very same message,
// while a shorter prefix either parses or fails differently at its end: a
// binary search over prefixes finds the first line whose inclusion produces
// the error. The position is that line's first non-blank character.
func syntaxErrorPos(data []byte, msg string) (Pos, bool) {
	if len(data) > 1<<20 {
		return Pos{}, false // a few dozen parses of a large file would take seconds
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	same := func(k int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		return err != nil && err.Error() == msg
	}
	lo, hi := 1, len(lines)
	if !same(hi) {
		return Pos{}, false
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if same(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return firstNonBlank(data, lo), true
}

// firstNonBlank returns the position of the first character of the line
// (1-based) that is not a space, so that a stray tab is pointed at; column 1
// for a blank line or one out of range.
func firstNonBlank(data []byte, line int) Pos {
	if line < 1 {
		line = 1
	}
	rest := data
	for i := 1; i < line; i++ {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return Pos{Line: line, Col: 1}
		}
		rest = rest[nl+1:]
	}
	col := 1
	for col <= len(rest) && rest[col-1] == ' ' {
		col++
	}
	if col > len(rest) || rest[col-1] == '\n' || rest[col-1] == '\r' {
		col = 1
	}
	return Pos{Line: line, Col: col}
}
