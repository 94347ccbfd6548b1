package ledger_test

import (
	"strings"
	"testing"

	"hogo.example.jp/hogo/ledger"
)

// TestSensitiveItemPurposes checks that a special-care item naming no
// purposes is warned about (access decisions let no use reach it), and that
// one naming its purposes, or an individual number (which has its own
// error), is not.
func TestSensitiveItemPurposes(t *testing.T) {
	base := readFile(t, "testdata/minimal.yaml")
	const nameItem = "      - {id: name, name: 氏名, type: text, identifier: true}\n"
	tests := []struct {
		name string
		item string
		want []want
	}{
		{"no purposes", "      - {id: health, name: 健康状態, type: text, sensitive: true}\n",
			[]want{{"28:9", true, []string{`item "health" is special-care information but names no purposes`, "add purposes:", "APPI Art. 18(1), 20(2)"}}}},
		{"purposes named", "      - {id: health, name: 健康状態, type: text, sensitive: true, purposes: [job_matching]}\n", nil},
		{"not sensitive", "      - {id: career, name: 職歴, type: text}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, nameItem) {
				t.Fatal("minimal.yaml has changed")
			}
			data := strings.Replace(base, nameItem, nameItem+tt.item, 1)
			l, ps := ledger.ParseAndValidate("inline.yaml", []byte(data))
			if l == nil {
				t.Fatalf("a warning must not reject the ledger:\n%s", ps)
			}
			checkProblems(t, "inline.yaml", ps, tt.want)
			for _, p := range ps {
				if p.Ja == "" || !strings.Contains(p.Ja, "「health」") {
					t.Errorf("Japanese message %q does not name the item", p.Ja)
				}
			}
		})
	}
}
