package ledger

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a ledger, at a position in its file.
type Problem struct {
	File    string
	Pos     Pos
	Message string
	// Warning problems do not make the ledger invalid.
	Warning bool
}

// String formats the problem as FILE:LINE:COL: message.
func (p Problem) String() string {
	prefix := ""
	if p.Warning {
		prefix = "warning: "
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", p.File, p.Pos.Line, p.Pos.Col, prefix, p.Message)
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
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Pos: nodePos(n), Message: fmt.Sprintf(format, args...)})
}

func nodePos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	return Pos{Line: n.Line, Col: n.Column}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "something else"
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
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if isNull(n) {
		return
	}
	t := v.Type()
	if reflect.PointerTo(t).Implements(parserTyp) {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s must be a single value, not %s", what, kindName(n))
			return
		}
		if err := v.Addr().Interface().(scalarParser).parseScalar(n.Value); err != nil {
			d.errorf(n, "%s: %v", what, err)
		}
		return
	}
	switch t {
	case textType:
		d.decodeText(n, v.Addr().Interface().(*Text), what)
		return
	case refType:
		if n.Kind != yaml.ScalarNode || n.Value == "" {
			d.errorf(n, "%s must be an ID, e.g. job_matching", what)
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
			d.errorf(n, "%s must be a list (lines starting with \"- \"), not %s", what, kindName(n))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", what, i+1))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "%s must be a mapping (key: value), not %s", what, kindName(n))
			return
		}
		m := reflect.MakeMap(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				d.errorf(k, "%s: key %q appears twice; keep one", what, k.Value)
				continue
			}
			ev := reflect.New(t.Elem()).Elem()
			d.decode(val, ev, what+"."+k.Value)
			setPosIfStructPtr(ev, nodePos(k))
			m.SetMapIndex(reflect.ValueOf(k.Value), ev)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s must be a single value, not %s", what, kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s must be a whole number, not %s", what, kindName(n))
			return
		}
		i, err := strconv.Atoi(strings.ReplaceAll(n.Value, "_", ""))
		if err != nil {
			d.errorf(n, "%s must be a whole number, e.g. 1000; %q is not", what, n.Value)
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		switch n.Value {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			d.errorf(n, "%s must be true or false; %q is neither", what, n.Value)
		}
	default:
		panic("ledger: cannot decode into " + t.String())
	}
}

func setPosIfStructPtr(v reflect.Value, p Pos) {
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("Pos"); f.IsValid() && f.Type() == posType {
			f.Set(reflect.ValueOf(p))
		}
	}
}

func (d *decoder) decodeText(n *yaml.Node, t *Text, what string) {
	t.Pos = nodePos(n)
	switch n.Kind {
	case yaml.ScalarNode:
		t.Ja = strings.TrimSpace(n.Value)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				d.errorf(val, "%s.%s must be text, not %s", what, k.Value, kindName(val))
				continue
			}
			switch k.Value {
			case "ja":
				t.Ja = strings.TrimSpace(val.Value)
			case "en":
				t.En = strings.TrimSpace(val.Value)
			default:
				d.errorf(k, "%s: unknown language %q; use ja and en", what, k.Value)
			}
		}
	default:
		d.errorf(n, "%s must be text, or {ja: …, en: …}", what)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) {
	if f := v.FieldByName("Pos"); f.IsValid() && f.Type() == posType {
		f.Set(reflect.ValueOf(nodePos(n)))
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (key: value), not %s", what, kindName(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			d.errorf(k, "key %q appears twice here; keep one", k.Value)
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
			where := what
			if where == "" {
				where = "the top level"
			}
			d.errorf(k, "unknown key %q in %s%s", k.Value, where, suggest(k.Value, fields))
			continue
		}
		name := fi.name
		if what != "" {
			name = what + "." + fi.name
		}
		d.decode(val, v.Field(fi.index), name)
	}
}

func suggest(key string, fields []fieldInfo) string {
	best, bestD := "", 3
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.name)
		if dd := editDistance(key, f.name); dd < bestD {
			best, bestD = f.name, dd
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	sort.Strings(names)
	return "; known keys: " + strings.Join(names, ", ")
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

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads a ledger from YAML. It returns the ledger and every problem
// found while decoding (not yet the semantic checks of Validate). The
// ledger is nil when the YAML itself cannot be read.
func Parse(file string, data []byte) (*Ledger, Problems) {
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
		return nil, Problems{{File: file, Pos: Pos{Line: line, Col: 1},
			Message: "the file is not valid YAML: " + msg + "; check indentation (spaces, not tabs) and quoting"}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, Problems{{File: file, Pos: Pos{1, 1}, Message: "the file is empty: a ledger starts with \"version: 1\" and \"organization:\""}}
	}
	d := &decoder{file: file}
	l := new(Ledger)
	d.decode(doc.Content[0], reflect.ValueOf(l).Elem(), "")
	return l, d.problems
}
