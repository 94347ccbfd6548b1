package ledger_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"hogo.example.jp/hogo/ledger"
)

// bigLedger returns a valid ledger with n categories of twelve items each,
// written as YAML text the way a large company's ledger would be.
func bigLedger(n int) []byte {
	var b strings.Builder
	b.WriteString(`version: 1
revision: "bench"
effective_date: 2026-04-01
organization:
  name: {ja: 株式会社ベンチマーク, en: Benchmark K.K.}
  address: {ja: 東京都千代田区千代田0-0-0, en: "0-0-0 Chiyoda, Tokyo"}
  representative: {ja: 代表取締役 計測 太郎, en: "Taro Keisoku, Representative Director"}
  protection_manager: {title: 個人情報保護管理者}
sources:
`)
	for s := 0; s < 10; s++ {
		fmt.Fprintf(&b, "  - {id: source_%d, name: {ja: 取得方法%d, en: Source %d}, direct: true, written: true}\n", s, s, s)
	}
	b.WriteString("purposes:\n")
	for p := 0; p < 40; p++ {
		fmt.Fprintf(&b, "  - id: purpose_%d\n    name: {ja: 利用目的%d, en: Purpose %d}\n    description: {ja: 業務%dのため, en: For task %d}\n", p, p, p, p, p)
	}
	b.WriteString("events:\n  - {id: contract_ended, name: {ja: 契約の終了, en: End of contract}}\n")
	b.WriteString("processors:\n  - {id: vendor, name: 委託先, tasks: システム保守}\n")
	b.WriteString("recipients:\n  - {id: partner, name: 提供先, items: 氏名, basis: consent}\n")
	b.WriteString("categories:\n")
	types := []string{"text", "kana", "email", "phone", "date", "address", "postal_code", "text", "text", "number", "file", "bool"}
	for c := 0; c < n; c++ {
		p1, p2, p3 := c%40, (c+1)%40, (c+2)%40
		fmt.Fprintf(&b, "  - id: category_%d\n", c)
		fmt.Fprintf(&b, "    name: {ja: 種別%d, en: Category %d}\n", c, c)
		fmt.Fprintf(&b, "    description: {ja: 種別%dの説明, en: About category %d}\n", c, c)
		b.WriteString("    disclosable: true\n    items:\n")
		for i, typ := range types {
			fmt.Fprintf(&b, "      - {id: item_%d, name: {ja: 項目%d, en: Item %d}, type: %s, identifier: %v}\n", i, i, i, typ, i < 3)
		}
		fmt.Fprintf(&b, "    sources: [source_%d, source_%d]\n", c%10, (c+1)%10)
		fmt.Fprintf(&b, "    purposes: [purpose_%d, purpose_%d, purpose_%d]\n", p1, p2, p3)
		b.WriteString("    retention: {period: 5y, after: contract_ended}\n")
		b.WriteString("    storage: {place: {ja: 基幹システム, en: Core system}, method: アクセス制御, medium: electronic}\n")
		fmt.Fprintf(&b, "    access:\n      - {role: staff, purposes: [purpose_%d, purpose_%d], items: [item_0, item_1, item_2]}\n", p1, p2)
		fmt.Fprintf(&b, "      - {role: manager, purposes: [purpose_%d, purpose_%d, purpose_%d]}\n", p1, p2, p3)
		b.WriteString("    processors: [vendor]\n    recipients: [partner]\n    record_count: 1000\n")
	}
	b.WriteString(`complaint_desk:
  name: 苦情・相談窓口
  phone: [03-0000-0000]
  hours: {open: "09:00", close: "17:00", days: [mon, tue, wed, thu, fri]}
`)
	return []byte(b.String())
}

// BenchmarkCheck200 times ParseAndValidate on a ledger of 200 categories
// (2,400 items). The target is well under 100 ms per run.
func BenchmarkCheck200(b *testing.B) {
	data := bigLedger(200)
	l, ps := ledger.ParseAndValidate("bench.yaml", data)
	if l == nil || len(ps) != 0 {
		b.Fatalf("the generated ledger is not clean:\n%s", ps)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ledger.ParseAndValidate("bench.yaml", data)
	}
}

var writeBig = flag.String("write-big-ledger", "", "write the 200-category benchmark ledger to this file (used by scripts/bench-foundation.sh)")

// TestBigLedgerIsValid keeps the benchmark's input valid in plain test runs,
// and writes it out for the whole-system measurement when asked.
func TestBigLedgerIsValid(t *testing.T) {
	if l, ps := ledger.ParseAndValidate("bench.yaml", bigLedger(40)); l == nil || len(ps) != 0 {
		t.Fatalf("generated ledger has problems:\n%s", ps)
	}
	if *writeBig != "" {
		if err := os.WriteFile(*writeBig, bigLedger(200), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
