package ledger_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo/ledger"
)

// want is one problem a test expects: where it is, whether it is a
// warning, and words its message must contain — the fault and the fix.
type want struct {
	pos      string // LINE:COL
	warning  bool
	contains []string
}

// TestMinimalIsValid checks the base of every case under testdata/invalid.
func TestMinimalIsValid(t *testing.T) {
	l, ps := parseFile(t, "testdata/minimal.yaml")
	if len(ps) != 0 || l == nil {
		t.Fatalf("minimal.yaml: want no problems and a ledger, got %v:\n%s", l != nil, ps)
	}
}

// TestValidationRules runs one small ledger per rule, each the minimal
// ledger with one fault, and checks every problem reported: its exact
// position, its kind, and that the message says what is wrong and how to
// fix it.
func TestValidationRules(t *testing.T) {
	fixRefs := []string{"add it under purposes:", "or fix the spelling"}
	tests := []struct {
		file string
		want []want
	}{
		{"unknown_key", []want{{"35:5", false, []string{`unknown key "recod_count"`, `did you mean "record_count"?`}}}},
		{"unknown_top_key", []want{{"4:1", false, []string{`unknown key "effectve_date" in the top level`, `did you mean "effective_date"?`}}}},
		{"purpose_undeclared", []want{{"29:30", false, append([]string{`purpose "marketing" is used here but not declared`}, fixRefs...)}}},
		{"no_retention", []want{{"23:5", false, []string{`category "job_seeker" has no retention rule`, "add retention: {period:", "after:"}}}},
		{"mynumber_outside_purpose", []want{{"28:9", true, []string{`item "mynumber" holds individual numbers but has no retention of its own`, "番号法 Art. 20"}}, {"28:63", false, []string{`individual numbers may not be used for purpose "job_matching"`, "use only purposes with mynumber: tax, social_security or disaster", "番号法 Art. 9"}}}},
		{"mynumber_unrestricted", []want{{"28:9", false, []string{`item "mynumber" holds individual numbers but does not limit them`, "add purposes:"}}, {"28:9", true, []string{"has no retention of its own"}}}},
		{"joint_use_no_categories", []want{{"40:5", false, []string{`joint use "group" names no categories`, "list the categories", "共同利用をする旨"}}}},
		{"joint_use_no_items", []want{{"40:5", false, []string{`joint use "group" items is missing`, "list the items used jointly"}}}},
		{"joint_use_no_users", []want{{"40:5", false, []string{`joint use "group" users is missing`, "describe the scope of joint users"}}}},
		{"joint_use_no_purposes", []want{{"40:5", false, []string{`joint use "group" purposes is missing`, "write the joint users' purposes"}}}},
		{"joint_use_no_responsible", []want{{"40:5", false, []string{`joint use "group" responsible is missing`, "name the party responsible", "name, address and representative"}}}},
		{"joint_use_responsible_no_address", []want{{"46:7", false, []string{"responsible.address is missing", "write the responsible party's address"}}}},
		{"joint_use_responsible_no_representative", []want{{"46:7", false, []string{"responsible.representative is missing", "write the responsible party's representative"}}}},
		{"fee_not_allowed", []want{
			{"42:5", false, []string{`request type "correct" may not carry a fee`, "APPI Art. 38(1)", "remove this fee"}},
			{"43:5", false, []string{`request type "suspend" may not carry a fee`, "remove this fee"}},
			{"44:5", false, []string{`request type "erase" may not carry a fee`, "remove this fee"}},
			{"45:5", false, []string{`request type "stop_provision" may not carry a fee`, "remove this fee"}},
		}},
		{"target_days_out_of_range", []want{{"40:3", false, []string{"requests.target_days must be 1 to 60 business days"}}}},
		{"duplicate_purpose_id", []want{{"19:5", false, []string{`purpose id "job_matching" is already used at line 16`, "give each purpose its own id"}}}},
		{"duplicate_item_id", []want{{"28:9", false, []string{`item id "name" is already used at line 27`, "give each item its own id"}}}},
		{"bad_date", []want{{"4:17", false, []string{`"2026-13-01" is not a date`, "write it as YYYY-MM-DD"}}}},
		{"bad_period", []want{
			{"30:16", false, []string{"retention has no period", "write period:"}},
			{"30:25", false, []string{`"6 weeks" is not a period`, "write a number and a unit, e.g. 30d, 6m or 5y"}},
		}},
		{"audit_log_short", []want{{"40:3", false, []string{"retention_policy.audit_log (2y) must be at least three years", "e.g. audit_log: 5y"}}}},
		{"yaml_syntax", []want{{"12:2", false, []string{"not valid YAML", "check the indentation"}}}},
		{"access_purpose_not_declared", []want{
			{"19:5", true, []string{`purpose "sales" is declared but no category uses it`}},
			{"37:34", false, []string{`role "staff" is given purpose "sales"`, "which the category does not declare", `add "sales" to the category's purposes or remove it here`}},
		}},
		{"unknown_role", []want{{"33:9", false, []string{`role "operator" is not known`, "use one of: admin, manager, desk, staff, auditor"}}}},
		{"opt_out_sensitive", []want{{"36:18", false, []string{`may not be provided to "partner" by opt-out`, "APPI Art. 27(2)", "use basis: consent or remove the recipient"}}}},
		{"foreign_consent_no_regime", []want{{"46:7", false, []string{"foreign.regime is missing", "describe the country's personal-information regime", "則17(2)(2)"}}}},
		{"provider_direct", []want{{"15:15", false, []string{`source "web_form" names a provider but says direct: true`, "write direct: false or remove the provider"}}}},
		{"record_method_unknown", []want{{"41:5", false, []string{`record_method "monthly" is not known`, "use one of: individual, bulk, contract"}}}},
		{"verification_incomplete", []want{
			{"41:7", false, []string{"requests.verification[1] names no channel", "write channel:"}},
			{"41:7", false, []string{"says neither which documents are checked nor how", "add documents:"}},
		}},
		{"agent_evidence_unlisted", []want{{"43:16", false, []string{`agent_evidence gives evidence for "appointed"`, "add appointed to agents or remove this entry"}}}},
		{"null_list_entry", []want{{"15:4", false, []string{"sources[2] is empty", `fill it in or remove the "-" line`}}}},
		{"alias_self_reference", []want{
			{"39:11", false, []string{"sections[1].body[1].body must be text"}},
			{"40:5", false, []string{`unknown language "title"`, "use ja and en"}},
		}},
		{"merge_key", []want{
			{"23:5", false, []string{"has no storage place", "write storage:"}},
			{"31:15", false, []string{"merge keys (<<) are not supported", "write the keys out"}},
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file+".yaml"] = true
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", tt.file+".yaml")
			l, ps := parseFile(t, path)
			if l != nil {
				t.Errorf("got a ledger, want nil: an invalid ledger must not be returned")
			}
			checkProblems(t, path, ps, tt.want)
		})
	}
	// Every file under testdata/invalid has a row here.
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no row in TestValidationRules", f)
		}
	}
}

// inlineRules are the cases of TestInlineRules: each appends YAML to the
// minimal ledger.
var inlineRules = []struct {
	name   string
	append string
	want   []want
}{
	{
		name: "accredited organisation hours reversed",
		append: "accredited_organization:\n" +
			"  name: 一般社団法人テスト協会\n" +
			"  desk: 苦情相談室\n" +
			"  hours: {open: \"16:00\", close: \"10:00\"}\n",
		want: []want{{"42:10", false, []string{"accredited_organization.hours opens at 16:00 but closes at 10:00", "close must be later than open"}}},
	},
	{
		name:   "unknown fee payment method",
		append: "requests:\n  fee_payment: [bitcoin]\n",
		want:   []want{{"40:3", false, []string{`fee payment method "bitcoin" is not known`, "use one of: bank_transfer"}}},
	},
	{
		name:   "answer after payment without a fee",
		append: "requests:\n  answer_after_payment: true\n",
		want:   []want{{"40:3", true, []string{"answer_after_payment is set but no fee is charged", "add fees: or remove answer_after_payment"}}},
	},
	{
		name:   "fee for an unknown request type",
		append: "requests:\n  fees:\n    refund: {amount: 100}\n",
		want:   []want{{"41:5", false, []string{`fees: "refund" is not a request type`, "use one of: notify_purpose"}}},
	},
	{
		name:   "a fee with no value",
		append: "requests:\n  fees:\n    disclose:\n",
		want:   []want{{"41:5", false, []string{"requests.fees.disclose has no value", "fill it in or remove the key"}}},
	},
	{
		name:   "a verification channel hogo does not know",
		append: "requests:\n  verification:\n    - {channel: pigeon, documents: [passport]}\n",
		want:   []want{{"41:7", false, []string{`verification channel "pigeon" is not known`, "use one of: portal"}}},
	},
}

// TestInlineRules covers rules whose YAML is shortest written inline.
func TestInlineRules(t *testing.T) {
	base := readFile(t, "testdata/minimal.yaml")
	for _, tt := range inlineRules {
		t.Run(tt.name, func(t *testing.T) {
			data := base + tt.append
			l, ps := ledger.ParseAndValidate("inline.yaml", []byte(data))
			if len(ps.Errors()) > 0 && l != nil {
				t.Errorf("got a ledger alongside errors")
			}
			checkProblems(t, "inline.yaml", ps, tt.want)
		})
	}
}

// TestAliasesAreFollowed checks that a ledger may reuse a list with an
// anchor and an alias, and that the alias is decoded where it is used.
func TestAliasesAreFollowed(t *testing.T) {
	data := strings.Replace(readFile(t, "testdata/minimal.yaml"),
		"    purposes: [job_matching]\n    retention:",
		"    purposes: &seeker_purposes [job_matching]\n    retention:", 1)
	data = strings.Replace(data, "        purposes: [job_matching]\n", "        purposes: *seeker_purposes\n", 1)
	l, ps := ledger.ParseAndValidate("alias.yaml", []byte(data))
	if l == nil || len(ps) != 0 {
		t.Fatalf("want a valid ledger, got problems:\n%s", ps)
	}
	if got := ledger.IDs(l.Category("job_seeker").Access[0].Purposes); !cmp.Equal(got, []string{"job_matching"}) {
		t.Errorf("access purposes through the alias = %v, want [job_matching]", got)
	}
}

// TestAliasBomb checks that nested aliases that expand to an enormous
// document are stopped with a problem instead of exhausting time and memory.
func TestAliasBomb(t *testing.T) {
	// Anchors must come before their aliases: define the bomb under keys
	// the decoder rejects (and so never expands), then use it.
	var b strings.Builder
	b.WriteString("x_purposes: &p [" + strings.Repeat("job_matching, ", 200) + "job_matching]\n")
	b.WriteString("x_access: &a [" + strings.Repeat("{role: staff, purposes: *p}, ", 200) + "{role: staff, purposes: *p}]\n")
	b.WriteString("x_category: &c {id: bomb, access: *a}\n")
	b.WriteString("x_categories: &cs [" + strings.Repeat("*c, ", 200) + "*c]\n")
	b.WriteString(strings.Replace(readFile(t, "testdata/minimal.yaml"), "categories:\n", "categories: *cs\nold_categories:\n", 1))
	data := b.String()
	l, ps := ledger.ParseAndValidate("bomb.yaml", []byte(data))
	if l != nil {
		t.Fatal("got a ledger from an alias bomb")
	}
	found := false
	for _, p := range ps {
		if strings.Contains(p.Message, "expands to too many values through aliases") {
			found = true
			if !strings.Contains(p.Ja, "エイリアス") {
				t.Errorf("the alias problem has no Japanese message: %q", p.Ja)
			}
		}
	}
	if !found {
		t.Errorf("no problem about alias expansion among:\n%s", ps)
	}
}

func checkProblems(t *testing.T, file string, ps ledger.Problems, wants []want) {
	t.Helper()
	type got struct {
		Pos     string
		Warning bool
	}
	var gotPos, wantPos []got
	for _, p := range ps {
		gotPos = append(gotPos, got{p.Pos.String(), p.Warning})
		if p.File != file {
			t.Errorf("problem %q names file %q, want %q", p.Message, p.File, file)
		}
	}
	for _, w := range wants {
		wantPos = append(wantPos, got{w.pos, w.warning})
	}
	if diff := cmp.Diff(wantPos, gotPos); diff != "" {
		t.Fatalf("problem positions (-want +got):\n%s\nproblems:\n%s", diff, ps)
	}
	for i, w := range wants {
		for _, s := range w.contains {
			if !strings.Contains(ps[i].Message, s) {
				t.Errorf("problem at %s: message %q does not say %q", w.pos, ps[i].Message, s)
			}
		}
	}
}

func parseFile(t *testing.T, path string) (*ledger.Ledger, ledger.Problems) {
	t.Helper()
	return ledger.ParseAndValidate(path, []byte(readFile(t, path)))
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// oddFiles are the cases of TestParseOddFiles.
var oddFiles = []struct {
	name, data string
	want       want
}{
	{"empty", "", want{"1:1", false, []string{"the file is empty"}}},
	{"only a comment", "# 台帳\n", want{"1:1", false, []string{"the file is empty"}}},
	{"null document", "~\n", want{"1:1", false, []string{"the file holds no ledger"}}},
	{"anchored null document", "&0", want{"1:1", false, []string{"the file holds no ledger"}}},
	{"a list, not a mapping", "- version: 1\n", want{"1:1", false, []string{"must be a mapping (key: value), not a list"}}},
	{"unclosed list", "version: 1\ncategories: [a,\n  b\n", want{"2:1", false, []string{"not valid YAML", "a [ or { opened on this line is not closed"}}},
	{"tab indentation", "version: 1\norganization:\n\tname: x\n", want{"3:1", false, []string{"not valid YAML", "spaces, not tabs"}}},
	{"too large", strings.Repeat("#", ledger.MaxSize+1), want{"1:1", false, []string{"more than a ledger may be"}}},
}

// TestParseOddFiles covers files that are not ledgers at all, each found
// to need care by fuzzing or by thought.
func TestParseOddFiles(t *testing.T) {
	for _, tt := range oddFiles {
		t.Run(tt.name, func(t *testing.T) {
			l, ps := ledger.ParseAndValidate("odd.yaml", []byte(tt.data))
			if l != nil {
				t.Fatal("got a ledger")
			}
			// Only the first problem is pinned: the others (a missing
			// organisation and so on) follow from it.
			if len(ps) == 0 {
				t.Fatal("no problems")
			}
			checkProblems(t, "odd.yaml", ps[:1], []want{tt.want})
		})
	}
}

func TestStatisticsMinCell(t *testing.T) {
	base := readFile(t, "testdata/minimal.yaml")
	for _, c := range []struct {
		yaml  string
		valid bool
		want  int
	}{{"", true, ledger.DefaultMinCell}, {"  min_cell: 20\n", true, 20}, {"  min_cell: 1\n", false, 0}} {
		src := base + "\nstatistics:\n  title: {ja: 統計情報, en: Statistics}\n" + c.yaml
		l, ps := ledger.ParseAndValidate("s.yaml", []byte(src))
		if c.valid != (l != nil) {
			t.Errorf("%q: %v", c.yaml, ps)
			continue
		}
		if !c.valid && !strings.Contains(ps.Error(), "min_cell") {
			t.Errorf("%q: %v", c.yaml, ps)
		}
		if l != nil && l.Statistics.Threshold() != c.want {
			t.Errorf("%q: threshold %d", c.yaml, l.Statistics.Threshold())
		}
	}
}
