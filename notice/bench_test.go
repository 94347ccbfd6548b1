package notice_test

import (
	"encoding/json"
	"io"
	"testing"

	"hogo.example.jp/hogo/notice"
)

// The figures of the issue: the whole notice of the largest example
// (Build included) as HTML ≤ 50 ms and as PDF ≤ 500 ms; the baseline is a
// plain dump of the same ledger as JSON, measured in the same run.

func BenchmarkNoticeHTML(b *testing.B) {
	l := exampleLedgers(b)["staffing.yaml"]
	for b.Loop() {
		if err := notice.HTML(io.Discard, notice.Build(l, "ja")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNoticePDF(b *testing.B) {
	l := exampleLedgers(b)["staffing.yaml"]
	for b.Loop() {
		if _, err := notice.PDF(notice.Build(l, "ja")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNoticeMarkdown(b *testing.B) {
	l := exampleLedgers(b)["staffing.yaml"]
	for b.Loop() {
		if err := notice.Markdown(io.Discard, notice.Build(l, "ja")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBaselineLedgerJSON(b *testing.B) {
	l := exampleLedgers(b)["staffing.yaml"]
	for b.Loop() {
		if err := json.NewEncoder(io.Discard).Encode(l); err != nil {
			b.Fatal(err)
		}
	}
}
