package ledger_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"hogo.example.jp/hogo/ledger"
)

// i18nCase is one ledger whose problems TestProblemsInJapanese checks.
type i18nCase struct {
	name, file string
	data       []byte
}

// i18nCases gathers every problem-making ledger the tests know: each file
// under testdata/invalid, the inline rules, the odd files, and a few more
// for messages those do not reach.
func i18nCases(t *testing.T) []i18nCase {
	t.Helper()
	var cases []i18nCase
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no files under testdata/invalid")
	}
	for _, f := range files {
		cases = append(cases, i18nCase{filepath.Base(f), f, []byte(readFile(t, f))})
	}
	base := readFile(t, "testdata/minimal.yaml")
	for _, c := range inlineRules {
		cases = append(cases, i18nCase{"inline: " + c.name, "inline.yaml", []byte(base + c.append)})
	}
	for _, c := range oddFiles {
		cases = append(cases, i18nCase{"odd: " + c.name, "odd.yaml", []byte(c.data)})
	}
	for _, c := range moreI18nCases {
		data := base + c.append
		for _, r := range c.replace {
			if !strings.Contains(data, r[0]) {
				t.Fatalf("%s: %q is not in minimal.yaml", c.name, r[0])
			}
			data = strings.Replace(data, r[0], r[1], 1)
		}
		cases = append(cases, i18nCase{"more: " + c.name, "more.yaml", []byte(data)})
	}
	return cases
}

// moreI18nCases change the minimal ledger to reach messages that the other
// tests do not: the replacements are made first, then append is added.
var moreI18nCases = []struct {
	name    string
	replace [][2]string
	append  string
}{
	{name: "misspelt retention", replace: [][2]string{{"    retention: {period", "    retension: {period"}}},
	{name: "version and organisation", replace: [][2]string{
		{"version: 1\n", "version: 2\n"},
		{"  address: 東京都千代田区千代田0-0-0\n", ""},
		{"  protection_manager:\n    title: 個人情報保護管理者\n", "  protection_manager: {}\n"},
	}},
	{name: "shapes", replace: [][2]string{
		{"    disclosable: true\n", "    disclosable: yes\n    record_count: many\n"},
		{"    direct: true\n", "    direct: [true]\n"},
		{"  name: 苦情・相談窓口\n", "  name: {ja: 苦情・相談窓口, fr: x}\n"},
		{"    storage: {place: 人材管理システム}", "    storage: {place: [人材管理システム]}"},
	}},
	{name: "items and access", replace: [][2]string{
		{"{id: name, name: 氏名, type: text, identifier: true}", "{id: name, name: 氏名, type: txt, purposes: [marketing]}\n      - {id: Bad, name: 番号, type: mynumber, sensitive: true}\n      - {name: 電話}"},
		{"      - role: staff\n", "      - role: staff\n        items: [phone]\n      - role: \"\"\n"},
	}},
	{name: "recipients and foreign", append: "recipients:\n" +
		"  - id: partner\n    name: 提携先\n    items: 氏名\n    basis: opt_out\n    record_method: monthly\n" +
		"    foreign: {country: 米国, basis: consent}\n" +
		"  - id: other\n    name: 他社\n    items: 氏名\n" +
		"processors:\n  - id: payroll\n    foreign: {basis: treaty}\n" +
		"joint_uses:\n  - id: group\n    responsible: {name: 株式会社テスト}\n",
		replace: [][2]string{{"    purposes: [job_matching]\n    retention", "    purposes: [job_matching, job_matching]\n    recipients: [partner, partnr]\n    retention"}}},
	{name: "requests", append: "requests:\n" +
		"  types: [refund]\n  channels: [pigeon]\n  agents: [friend]\n  response_methods: [telepathy]\n" +
		"  fees:\n    disclose: {amount: -100}\n" +
		"  agent_evidence:\n    friend: 委任状\n    statutory_minor: \"\"\n" +
		"  verification:\n    - {channel: portal, requester: cousin, documents: [library_card]}\n"},
	{name: "calendar, history and the rest", append: "calendar: {year_end: 12-29-01-03}\n" +
		"history:\n  - {summary: 制定}\n" +
		"sections:\n  - {body: 本文}\n" +
		"anonymized: {statement: 作成しません}\n" +
		"pseudonymized: {statement: 作成しません}\n" +
		"provision: {exceptions: [whim], out_of_purpose_exceptions: [whim]}\n" +
		"external_transmissions:\n  - id: tag\n",
		replace: [][2]string{{"  hours: {open: \"09:00\", close: \"17:00\", days: [mon, tue, wed, thu, fri]}", "  hours: {open: \"9 am\", days: [monday]}"}}},
	{name: "bad ids", replace: [][2]string{
		{"  - id: web_form\n", "  - id: Web_Form\n"},
		{"  - id: application_closed\n", "  - id: application_closed\n  - id: application_closed\n    name: 重複\n  - name: 無名\n"},
		{"    retention: {period: 6m, after: application_closed}", "    retention: {period: 0d}"},
	}},
	{name: "mynumber purpose with consent", replace: [][2]string{
		{"    description: お仕事のご紹介のため\n", "    description: お仕事のご紹介のため\n  - id: payroll\n    name: 給与\n    mynumber: pension\n    consent_required: true\n  - id: tax\n    mynumber: tax\n    consent_required: true\n"},
	}},
}

// TestProblemsInJapanese checks that every problem the tests produce has a
// Japanese message and that In formats it.
func TestProblemsInJapanese(t *testing.T) {
	// English function words that would mean an English sentence was left
	// in the Japanese message (outside 「quotes」, which hold keys, IDs and
	// values as they are in the file).
	english := regexp.MustCompile(`(?i)\b(the|is|are|must|not|use|write|add|remove|did you mean|known|missing)\b`)
	quoted := regexp.MustCompile(`「[^」]*」`)
	seen := 0
	for _, c := range i18nCases(t) {
		_, ps := ledger.ParseAndValidate(c.file, c.data)
		if len(ps) == 0 {
			t.Errorf("%s: no problems", c.name)
		}
		for _, p := range ps {
			seen++
			if p.Ja == "" {
				t.Errorf("%s: problem has no Japanese message: %s", c.name, p)
				continue
			}
			if !hasJapanese(p.Ja) {
				t.Errorf("%s: Japanese message has no Japanese in it: %q", c.name, p.Ja)
			}
			if m := english.FindString(quoted.ReplaceAllString(p.Ja, "「」")); m != "" {
				t.Errorf("%s: Japanese message has English (%q) in it: %q", c.name, m, p.Ja)
			}
			if strings.Contains(p.Ja, p.Message) {
				t.Errorf("%s: Japanese message holds the English one: %q", c.name, p.Ja)
			}
			for _, m := range []string{p.Ja, p.Message} {
				if strings.Contains(m, "%!") {
					t.Errorf("%s: badly formatted message: %q", c.name, m)
				}
			}
			prefix := fmt.Sprintf("%s:%d:%d: ", c.file, p.Pos.Line, p.Pos.Col)
			ja := p.In("ja")
			if !strings.HasPrefix(ja, prefix) {
				t.Errorf("%s: In(\"ja\") = %q, want it to start with %q", c.name, ja, prefix)
			}
			wantJa := prefix + p.Ja
			if p.Warning {
				wantJa = prefix + "警告: " + p.Ja
			}
			if ja != wantJa {
				t.Errorf("%s: In(\"ja\") = %q, want %q", c.name, ja, wantJa)
			}
			if en := p.In("en"); en != p.String() {
				t.Errorf("%s: In(\"en\") = %q, want String() = %q", c.name, en, p.String())
			}
		}
	}
	t.Logf("%d problems checked", seen)
}

func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}

// hasJapaneseScript is hasJapanese, counting also Japanese punctuation such
// as 「」 and （）: a format may be only a frame for Japanese arguments.
func hasJapaneseScript(s string) bool {
	for _, r := range s {
		if r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef {
			return true
		}
	}
	return hasJapanese(s)
}

// TestJapaneseMessages pins the Japanese of common problems.
func TestJapaneseMessages(t *testing.T) {
	tests := []struct {
		file string // under testdata/invalid, or a name in moreI18nCases
		pos  string
		want string // the whole of In("ja")
	}{
		{"purpose_undeclared.yaml", "29:30",
			"29:30: 利用目的「marketing」はここで使われていますが、宣言されていません。「purposes:」に追加するか、綴りを直してください。"},
		{"no_retention.yaml", "23:5",
			"23:5: 種別「job_seeker」に保存期間の定めがありません。retention: {period: 5y, after: employment_ended} のように、起算事由と期間を書いてください。"},
		{"misspelt retention", "30:5",
			"30:5: 「categories[1]」に不明なキー「retension」があります。「retention」ではありませんか？"},
		{"unknown_top_key.yaml", "4:1",
			"4:1: 最上位に不明なキー「effectve_date」があります。「effective_date」ではありませんか？"},
		{"fee_not_allowed.yaml", "42:5",
			"42:5: 請求の種類「correct」には手数料を設定できません。手数料を徴収できるのは notify_purpose（利用目的の通知）、disclose（開示）、disclose_records（第三者提供記録の開示）だけです（個人情報保護法第38条第1項）。この手数料を削除してください。"},
		{"opt_out_sensitive.yaml", "36:18",
			"36:18: 種別「job_seeker」には要配慮個人情報か個人番号の項目があるため、提供先「partner」にオプトアウトで提供することはできません（個人情報保護法第27条第2項）。basis: consent にするか、この提供先を削除してください。"},
		{"access_purpose_not_declared.yaml", "19:5",
			"19:5: 警告: 利用目的「sales」は宣言されていますが、どの種別でも使われていません。種別の purposes に加えるか、削除してください。"},
		{"bad_date.yaml", "4:17",
			"4:17: 「effective_date」: 「2026-13-01」は日付として読めません。YYYY-MM-DD の形式で書いてください（例: 2026-04-01）。"},
		{"duplicate_purpose_id.yaml", "19:5",
			"19:5: 利用目的の id「job_matching」は16行目で既に使われています。利用目的ごとに別の id を付けてください。"},
		{"mynumber_outside_purpose.yaml", "28:63",
			"28:63: 利用目的「job_matching」には個人番号の利用根拠（mynumber）がないため、個人番号をこの目的に利用できません。mynumber: tax、social_security、disaster のいずれかを持つ利用目的だけを使ってください（番号法第9条）。"},
		{"yaml_syntax.yaml", "12:2",
			"12:2: YAML として読めません（キーがあるべき位置にありません）。この行と前の行の字下げ（タブではなく空白）と引用符を確かめてください。"},
	}
	byName := map[string]i18nCase{}
	for _, c := range i18nCases(t) {
		byName[strings.TrimPrefix(c.name, "more: ")] = c
	}
	for _, tt := range tests {
		c, ok := byName[tt.file]
		if !ok {
			t.Fatalf("no case %s", tt.file)
		}
		_, ps := ledger.ParseAndValidate(c.file, c.data)
		var got []string
		found := false
		for _, p := range ps {
			if p.Pos.String() == tt.pos {
				s := p.In("ja")
				got = append(got, s)
				found = found || s == c.file+":"+tt.want
			}
		}
		if !found {
			t.Errorf("%s: no problem reads\n\t%s:%s\ngot at %s:\n\t%s", tt.file, c.file, tt.want, tt.pos, strings.Join(got, "\n\t"))
		}
	}
}

// TestMessagesBilingualInSource checks every place in the package that
// makes a message: each gives a Japanese and an English format as string
// literals, the Japanese one in Japanese, and both formats use every
// argument (go vet cannot check formats passed in pairs).
func TestMessagesBilingualInSource(t *testing.T) {
	// The functions that take a Japanese and an English format, and the
	// index of the Japanese one; the English one follows it, then the args.
	formatters := map[string]int{"errorf": 1, "warnf": 1, "trf": 0, "parseErrorf": 0, "newProblem": 3}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range []string{"decode.go", "validate.go", "scalar.go"} {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				return true
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				i, ok := formatters[fn]
				if !ok {
					return true
				}
				calls++
				if n.Ellipsis.IsValid() {
					return true // a wrapper passing its formats and args on
				}
				pos := fset.Position(n.Pos())
				if len(n.Args) < i+2 {
					t.Errorf("%s: %s has no Japanese and English formats", pos, fn)
					return true
				}
				ja, okJa := stringLit(n.Args[i])
				en, okEn := stringLit(n.Args[i+1])
				if !okJa || !okEn {
					t.Errorf("%s: %s: the formats must be string literals", pos, fn)
					return true
				}
				if !hasJapaneseScript(ja) {
					t.Errorf("%s: %s: the Japanese format is not Japanese: %q", pos, fn, ja)
				}
				if strings.Contains(ja, "%q") {
					t.Errorf("%s: %s: quote with 「%%s」 in Japanese, not %%q: %q", pos, fn, ja)
				}
				nargs := len(n.Args) - i - 2
				for _, format := range []string{ja, en} {
					used, err := argsUsed(format)
					if err != nil {
						t.Errorf("%s: %s: %v in %q", pos, fn, err, format)
						continue
					}
					for a := 0; a < nargs; a++ {
						if !used[a] {
							t.Errorf("%s: %s: argument %d is not used by %q", pos, fn, a+1, format)
						}
					}
					for a := range used {
						if a >= nargs {
							t.Errorf("%s: %s: %q uses argument %d of %d", pos, fn, format, a+1, nargs)
						}
					}
				}
			case *ast.CompositeLit:
				// tr{ja, en}: a word or phrase in both languages.
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "tr" || len(n.Elts) != 2 {
					return true
				}
				ja, okJa := stringLit(n.Elts[0])
				en, okEn := stringLit(n.Elts[1])
				if okJa && okEn && en != "" && !hasJapaneseScript(ja) {
					t.Errorf("%s: tr{%q, %q}: the Japanese is not Japanese", fset.Position(n.Pos()), ja, en)
				}
			}
			return true
		})
	}
	if calls < 50 {
		t.Errorf("found only %d message calls; has the code changed?", calls)
	}
}

func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// argsUsed returns the (0-based) arguments a fmt format uses, following
// fmt's rules for explicit indexes ([n] sets the next argument).
func argsUsed(format string) (map[int]bool, error) {
	used := map[int]bool{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [")
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("bad index %q", format[i:i+end+1])
			}
			arg = n - 1
			i += end + 1
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '.') {
			i++
		}
		if i >= len(format) {
			return nil, fmt.Errorf("format ends in a verb")
		}
		if format[i] == '*' || format[i] == '[' {
			return nil, fmt.Errorf("* and indexes after the width are not supported here")
		}
		used[arg] = true
		arg++
	}
	return used, nil
}
