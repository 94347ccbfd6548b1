package notice

import (
	"fmt"
	"sort"

	"hogo.example.jp/hogo/ledger"
)

// Requirement is something the law requires the notice to publish.
type Requirement struct {
	// Path is the ledger path, e.g. "organization.representative".
	Path string
	// Law is the provision, e.g. "APPI Art. 32(1)(i)".
	Law string
	// Ja and En say what is missing, e.g. 代表者の氏名.
	Ja, En string
	// Missing reports whether the ledger leaves it empty, and where to
	// look.
	Missing func(l *ledger.Ledger) (bool, ledger.Pos)
}

// Missing is one requirement left empty by one ledger entry: for rules
// over lists (each joint use, each foreign recipient).
type Missing struct {
	Path   string
	Law    string
	Ja, En string
	Pos    ledger.Pos
}

var (
	requirements []Requirement
	eachRules    []func(l *ledger.Ledger) []Missing
)

// require adds a requirement.
func require(r Requirement) { requirements = append(requirements, r) }

// requireEach adds a rule that may find several entries missing something.
func requireEach(f func(l *ledger.Ledger) []Missing) { eachRules = append(eachRules, f) }

// Problem is a legally required item the ledger leaves empty.
type Problem struct {
	Missing
}

// Message says what is missing, under which law, and where in the ledger to
// write it, in lang.
func (p Problem) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%s: %s is not given; the notice must publish it (%s). Write it under %s in the ledger.", p.Path, p.En, p.Law, p.Path)
	}
	return fmt.Sprintf("%s: %sがありません。公表事項として必要です（%s）。台帳の %s に書いてください。", p.Path, p.Ja, p.Law, p.Path)
}

// Check lists what the law requires the notice to publish and l leaves
// empty, in the ledger's order.
func Check(l *ledger.Ledger) []Problem {
	var out []Problem
	for _, r := range requirements {
		if missing, pos := r.Missing(l); missing {
			out = append(out, Problem{Missing{Path: r.Path, Law: r.Law, Ja: r.Ja, En: r.En, Pos: pos}})
		}
	}
	for _, f := range eachRules {
		for _, m := range f(l) {
			out = append(out, Problem{m})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return out
}
