package ledger_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"hogo.example.jp/hogo/ledger"
)

// The JSON Schema (ledger.schema.json) describes the ledger for editors.
// These tests keep it equal to the Go types: every struct has a $defs entry
// of the same name whose properties are exactly the struct's yaml keys, each
// of the right shape, and the enumerations are the validator's own lists.

type jsonObj = map[string]any

func loadSchema(t *testing.T) jsonObj {
	t.Helper()
	data, err := os.ReadFile("ledger.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s jsonObj
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("ledger.schema.json: %v", err)
	}
	return s
}

// leafDefs are the Go types that are written as one YAML value (or, for
// Text, as a string or {ja, en}) and have a $defs entry of their own.
var leafDefs = map[reflect.Type]string{
	reflect.TypeOf(ledger.Text{}):   "Text",
	reflect.TypeOf(ledger.Ref{}):    "ID",
	reflect.TypeOf(ledger.Date{}):   "Date",
	reflect.TypeOf(ledger.Period{}): "Period",
	reflect.TypeOf(ledger.Clock{}):  "Clock",
}

// yamlKeys returns the yaml keys of struct type t, in field order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

func TestSchemaMatchesGoTypes(t *testing.T) {
	schema := loadSchema(t)
	if got := schema["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", got)
	}
	if got := schema["$ref"]; got != "#/$defs/Ledger" {
		t.Errorf("root $ref = %v, want #/$defs/Ledger", got)
	}
	defs, _ := schema["$defs"].(jsonObj)
	if defs == nil {
		t.Fatal("schema has no $defs")
	}

	used := map[string]bool{}
	var visit func(rt reflect.Type)
	// checkShape checks that the property schema s fits Go type ft.
	var checkShape func(where string, s jsonObj, ft reflect.Type)
	checkShape = func(where string, s jsonObj, ft reflect.Type) {
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if name, ok := leafDefs[ft]; ok {
			used[name] = true
			if got := s["$ref"]; got != "#/$defs/"+name {
				t.Errorf("%s: $ref = %v, want #/$defs/%s (Go type %s)", where, got, name, ft)
			}
			return
		}
		switch ft.Kind() {
		case reflect.Struct:
			if got := s["$ref"]; got != "#/$defs/"+ft.Name() {
				t.Errorf("%s: $ref = %v, want #/$defs/%s", where, got, ft.Name())
			}
			visit(ft)
		case reflect.Slice:
			if s["type"] != "array" {
				t.Errorf("%s: type = %v, want array (Go type []%s)", where, s["type"], ft.Elem())
			}
			items, _ := s["items"].(jsonObj)
			if items == nil {
				t.Errorf("%s: an array without items", where)
				return
			}
			checkShape(where+".items", items, ft.Elem())
		case reflect.Map:
			if s["type"] != "object" {
				t.Errorf("%s: type = %v, want object (Go type %s)", where, s["type"], ft)
			}
			ap, _ := s["additionalProperties"].(jsonObj)
			if ap == nil {
				t.Errorf("%s: a map without an additionalProperties schema", where)
				return
			}
			checkShape(where+".additionalProperties", ap, ft.Elem())
		case reflect.String:
			if s["type"] != "string" {
				t.Errorf("%s: type = %v, want string", where, s["type"])
			}
		case reflect.Int:
			if s["type"] != "integer" {
				t.Errorf("%s: type = %v, want integer", where, s["type"])
			}
		case reflect.Bool:
			if s["type"] != "boolean" {
				t.Errorf("%s: type = %v, want boolean", where, s["type"])
			}
		default:
			t.Errorf("%s: Go type %s has no schema rule in this test", where, ft)
		}
	}
	visit = func(rt reflect.Type) {
		name := rt.Name()
		if used[name] {
			return
		}
		used[name] = true
		def, _ := defs[name].(jsonObj)
		if def == nil {
			t.Errorf("$defs has no %s (Go type ledger.%s)", name, name)
			return
		}
		if def["additionalProperties"] != false {
			t.Errorf("$defs.%s must set additionalProperties: false, as the decoder rejects unknown keys", name)
		}
		props, _ := def["properties"].(jsonObj)
		var schemaKeys []string
		for k := range props {
			schemaKeys = append(schemaKeys, k)
		}
		goKeys := yamlKeys(rt)
		sort.Strings(schemaKeys)
		sortedGo := slices.Sorted(slices.Values(goKeys))
		if diff := cmp.Diff(sortedGo, schemaKeys); diff != "" {
			t.Errorf("$defs.%s properties differ from the yaml keys of ledger.%s (-go +schema):\n%s", name, name, diff)
		}
		if req, ok := def["required"].([]any); ok {
			for _, r := range req {
				if !slices.Contains(goKeys, r.(string)) {
					t.Errorf("$defs.%s requires %v, which is not a key", name, r)
				}
			}
		}
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			key := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if key == "" || key == "-" {
				continue
			}
			ps, _ := props[key].(jsonObj)
			if ps == nil {
				continue // reported above
			}
			if d, _ := ps["description"].(string); !strings.Contains(d, " — ") {
				t.Errorf("$defs.%s.%s: description %q must read \"日本語 — English\"", name, key, d)
			}
			checkShape(name+"."+key, ps, f.Type)
		}
	}
	visit(reflect.TypeOf(ledger.Ledger{}))

	for name := range defs {
		if !used[name] {
			t.Errorf("$defs.%s matches no Go type reachable from ledger.Ledger; remove it", name)
		}
	}
}

// TestSchemaEnums checks that the schema's enumerations are the lists the
// validator checks against.
func TestSchemaEnums(t *testing.T) {
	defs := loadSchema(t)["$defs"].(jsonObj)
	itemTypes := make([]string, len(ledger.ItemTypes))
	for i, it := range ledger.ItemTypes {
		itemTypes[i] = string(it)
	}
	tests := []struct {
		def, prop string
		where     string // "", "items" or "keys"
		want      []string
	}{
		{"Item", "type", "", itemTypes},
		{"Access", "role", "", ledger.Roles},
		{"Foreign", "basis", "", ledger.ForeignBases},
		{"Recipient", "basis", "", ledger.Bases},
		{"Recipient", "record_method", "", ledger.RecordMethods},
		{"Storage", "medium", "", ledger.Media},
		{"Purpose", "mynumber", "", []string{ledger.MyNumberTax, ledger.MyNumberSocialSecurity, ledger.MyNumberDisaster}},
		{"Verification", "channel", "", ledger.Channels},
		{"Verification", "requester", "", ledger.Requesters},
		{"Verification", "documents", "items", ledger.IDDocumentKinds},
		{"Verification", "plus", "items", ledger.IDDocumentKinds},
		{"Hours", "days", "items", ledger.Weekdays},
		{"RequestRules", "types", "items", ledger.RequestTypes},
		{"RequestRules", "channels", "items", ledger.Channels},
		{"RequestRules", "agents", "items", ledger.AgentKinds},
		{"RequestRules", "response_methods", "items", ledger.ResponseMethods},
		{"RequestRules", "fee_payment", "items", ledger.FeePaymentMethods},
		{"RequestRules", "fees", "keys", ledger.RequestTypes},
		{"RequestRules", "agent_evidence", "keys", ledger.AgentKinds},
		{"IDDocuments", "photo", "items", ledger.IDDocumentKinds},
		{"IDDocuments", "non_photo", "items", ledger.IDDocumentKinds},
		{"Provision", "exceptions", "items", ledger.Exceptions},
		{"Provision", "out_of_purpose_exceptions", "items", ledger.Exceptions},
	}
	for _, tt := range tests {
		s := defs[tt.def].(jsonObj)["properties"].(jsonObj)[tt.prop].(jsonObj)
		switch tt.where {
		case "items":
			s = s["items"].(jsonObj)
		case "keys":
			s = s["propertyNames"].(jsonObj)
		}
		var got []string
		for _, v := range s["enum"].([]any) {
			got = append(got, v.(string))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("$defs.%s.%s enum (-go +schema):\n%s", tt.def, tt.prop, diff)
		}
	}
}

// TestExamplesMatchSchema checks the example ledgers against the schema,
// and that ledgers the decoder rejects for their shape fail it too.
func TestExamplesMatchSchema(t *testing.T) {
	v := newSchemaValidator(t, loadSchema(t))
	for _, name := range exampleFiles {
		t.Run(name, func(t *testing.T) {
			doc := yamlToJSON(t, filepath.Join(examplesDir, name))
			if errs := v.validate(v.root, doc, ""); len(errs) > 0 {
				t.Errorf("%s does not match ledger.schema.json:\n%s", name, strings.Join(errs, "\n"))
			}
		})
	}
	for _, name := range []string{"unknown_key", "unknown_top_key", "unknown_role", "record_method_unknown", "bad_period", "no_retention"} {
		t.Run("invalid/"+name, func(t *testing.T) {
			doc := yamlToJSON(t, filepath.Join("testdata", "invalid", name+".yaml"))
			if errs := v.validate(v.root, doc, ""); len(errs) == 0 {
				t.Errorf("invalid/%s.yaml matches the schema; want it rejected", name)
			}
		})
	}
}

// TestDocsDescribeEveryKey checks that docs/LEDGER.md names every key of
// the format.
func TestDocsDescribeEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "LEDGER.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	seen := map[reflect.Type]bool{}
	var visit func(rt reflect.Type)
	visit = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] || leafDefs[rt] != "" {
			return
		}
		seen[rt] = true
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			key := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if key == "" || key == "-" {
				continue
			}
			if !strings.Contains(doc, "`"+key+"`") {
				t.Errorf("docs/LEDGER.md does not describe `%s` (ledger.%s.%s)", key, rt.Name(), f.Name)
			}
			visit(f.Type)
		}
	}
	visit(reflect.TypeOf(ledger.Ledger{}))
}

// yamlToJSON reads a YAML file into the values JSON Schema speaks of,
// resolving scalars by the YAML 1.2 core schema as editors do (a date is a
// string).
func yamlToJSON(t *testing.T, path string) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(readFile(t, path)), &n); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var conv func(n *yaml.Node) any
	conv = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.DocumentNode:
			return conv(n.Content[0])
		case yaml.AliasNode:
			return conv(n.Alias)
		case yaml.MappingNode:
			m := jsonObj{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				m[n.Content[i].Value] = conv(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			s := []any{}
			for _, c := range n.Content {
				s = append(s, conv(c))
			}
			return s
		}
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			return strings.EqualFold(n.Value, "true")
		case "!!int":
			i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
			if err != nil {
				return n.Value
			}
			return float64(i)
		case "!!float":
			f, _ := strconv.ParseFloat(n.Value, 64)
			return f
		}
		return n.Value
	}
	return conv(&n)
}

// schemaValidator is the subset of JSON Schema 2020-12 that
// ledger.schema.json uses. It refuses a schema with any other keyword, so
// that it never passes a document by ignoring a rule.
type schemaValidator struct {
	root jsonObj
	defs jsonObj
	re   map[string]*regexp.Regexp
}

var knownKeywords = []string{"$schema", "$id", "title", "description", "$defs", "$ref", "type", "properties",
	"additionalProperties", "required", "items", "enum", "const", "pattern", "minimum", "oneOf", "propertyNames", "if", "then"}

func newSchemaValidator(t *testing.T, root jsonObj) *schemaValidator {
	t.Helper()
	v := &schemaValidator{root: root, defs: root["$defs"].(jsonObj), re: map[string]*regexp.Regexp{}}
	var check func(s any, where string)
	check = func(s any, where string) {
		switch s := s.(type) {
		case jsonObj:
			for k, sub := range s {
				if where != "" && strings.HasSuffix(where, ".properties") || strings.HasSuffix(where, ".$defs") {
					check(sub, where+"."+k)
					continue
				}
				if !slices.Contains(knownKeywords, k) {
					t.Fatalf("schema keyword %q at %s is not supported by the test validator", k, where)
				}
				if k == "pattern" {
					v.re[s[k].(string)] = regexp.MustCompile(s[k].(string))
				}
				check(sub, where+"."+k)
			}
		case []any:
			for i, sub := range s {
				check(sub, fmt.Sprintf("%s[%d]", where, i))
			}
		}
	}
	check(root, "")
	return v
}

func (v *schemaValidator) validate(s jsonObj, x any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s: ", at)+fmt.Sprintf(format, args...))
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		def, _ := v.defs[name].(jsonObj)
		if def == nil {
			fail("unresolved $ref %s", ref)
			return errs
		}
		errs = append(errs, v.validate(def, x, at)...)
	}
	if typ, ok := s["type"].(string); ok && !hasType(x, typ) {
		fail("want %s, got %T", typ, x)
		return errs
	}
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, x) {
		fail("want %v, got %v", c, x)
	}
	if e, ok := s["enum"].([]any); ok && !slices.Contains(e, x) {
		fail("%v is not one of %v", x, e)
	}
	if p, ok := s["pattern"].(string); ok {
		if str, ok := x.(string); ok && !v.re[p].MatchString(str) {
			fail("%q does not match %s", str, p)
		}
	}
	if m, ok := s["minimum"].(float64); ok {
		if f, ok := x.(float64); ok && f < m {
			fail("%v is below %v", f, m)
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, alt := range one {
			if len(v.validate(alt.(jsonObj), x, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of the oneOf alternatives, want exactly 1", n)
		}
	}
	if obj, ok := x.(jsonObj); ok {
		props, _ := s["properties"].(jsonObj)
		for _, r := range asStrings(s["required"]) {
			if _, ok := obj[r]; !ok {
				fail("required key %q is missing", r)
			}
		}
		if cond, ok := s["if"].(jsonObj); ok && len(v.validate(cond, x, at)) == 0 {
			errs = append(errs, v.validate(s["then"].(jsonObj), x, at)...)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if pn, ok := s["propertyNames"].(jsonObj); ok {
				errs = append(errs, v.validate(pn, k, at+"."+k+"(key)")...)
			}
			if ps, ok := props[k].(jsonObj); ok {
				errs = append(errs, v.validate(ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("key %q is not allowed", k)
				}
			case jsonObj:
				errs = append(errs, v.validate(ap, obj[k], at+"."+k)...)
			}
		}
	}
	if arr, ok := x.([]any); ok {
		if items, ok := s["items"].(jsonObj); ok {
			for i, e := range arr {
				errs = append(errs, v.validate(items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func hasType(x any, typ string) bool {
	switch typ {
	case "object":
		_, ok := x.(jsonObj)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "integer":
		f, ok := x.(float64)
		return ok && f == math.Trunc(f)
	case "number":
		_, ok := x.(float64)
		return ok
	}
	return false
}

func asStrings(x any) []string {
	var out []string
	if a, ok := x.([]any); ok {
		for _, e := range a {
			out = append(out, e.(string))
		}
	}
	return out
}
