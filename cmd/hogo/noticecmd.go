package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/notice"
)

// cmdNoticeRender writes the published privacy notice rendered from a
// ledger to stdout.
func cmdNoticeRender(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("notice render", "使い方: hogo notice render --ledger FILE [--lang ja|en] [--format md|html|pdf] > FILE\n台帳から公表する個人情報保護方針・個人情報の取扱いについてを作り、標準出力に書きます。",
		"Usage: hogo notice render --ledger FILE [--lang ja|en] [--format md|html|pdf] > FILE\nRenders the published privacy notice from the ledger to stdout.")
	file := fs.String("ledger", "", "ledger YAML")
	format := fs.String("format", "html", "md, html or pdf")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" {
		fs.Usage()
		return fail(2, "--ledger is required: name the ledger YAML to render")
	}
	// --lang chooses the notice's language; without it the notice is in
	// Japanese, whatever the locale.
	lang := "ja"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "lang" {
			lang = f.Value.String()
		}
	})
	if lang != "ja" && lang != "en" {
		return fail(2, "--lang %q is not known; use ja or en", lang)
	}
	switch *format {
	case "md", "markdown", "html", "pdf":
	default:
		return fail(2, "--format %q is not known; use md, html or pdf", *format)
	}
	l, _, err := loadLedgerFile(e, *file)
	if err != nil {
		return err
	}
	d := notice.Build(l, lang)
	switch *format {
	case "md", "markdown":
		return notice.Markdown(e.io.out, d)
	case "html":
		return notice.HTML(e.io.out, d)
	case "pdf":
		b, err := notice.PDF(d)
		if err != nil {
			return err
		}
		_, err = e.io.out.Write(b)
		return err
	}
	return fail(2, "--format %q is not known; use md, html or pdf", *format)
}

// cmdNoticeCheck lists what the law requires the notice to publish and
// the ledger leaves empty: exit 1 when anything is, else 0.
func cmdNoticeCheck(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("notice check", "使い方: hogo notice check --ledger FILE\n公表事項として法令が求める項目のうち、台帳で空のものを FILE:LINE:COL: 内容 の形で1行ずつ示し、終了コード1で終わります。すべてあれば0で終わります。",
		"Usage: hogo notice check --ledger FILE\nLists, as FILE:LINE:COL: message, every item the law requires the notice to publish that the ledger leaves empty, and exits 1; exits 0 when none is.")
	file := fs.String("ledger", "", "ledger YAML")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" {
		fs.Usage()
		return fail(2, "--ledger is required: name the ledger YAML to check")
	}
	// The ledger is read, not validated: what the notice lacks is listed
	// even when the ledger has other problems too (hogo ledger check
	// lists those).
	data, err := os.ReadFile(*file)
	if err != nil {
		return fail(1, "%s:1:1: cannot read the ledger: %v", *file, errUnwrapPath(err))
	}
	l, syntax := ledger.Parse(*file, data)
	if l == nil {
		for _, p := range syntax {
			fmt.Fprintln(e.io.err, p.In(e.lang))
		}
		return fail(1, "%s", e.p.msg("ledger.invalid", *file, len(syntax.Errors())))
	}
	ps := notice.Check(l)
	for _, p := range ps {
		fmt.Fprintf(e.io.err, "%s:%d:%d: %s\n", *file, max(p.Pos.Line, 1), max(p.Pos.Col, 1), p.Message(e.lang))
	}
	if len(ps) > 0 {
		return fail(1, "%s", e.p.msg("notice.missing", *file, len(ps)))
	}
	fmt.Fprintln(e.io.out, e.p.msg("notice.complete", *file))
	return nil
}
