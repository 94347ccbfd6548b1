package notice

import (
	"html/template"
	"io"
	"strconv"
)

// HTMLFragment writes the notice's body for a page that has its own title
// (the portal's): no h1, headings from h2, a table of contents, sections
// with stable anchors.
func HTMLFragment(w io.Writer, d *Doc) error { return fragmentTmpl.Execute(w, htmlDoc{d, true}) }

// HTML writes the notice as a standalone, printable page.
func HTML(w io.Writer, d *Doc) error { return pageTmpl.Execute(w, htmlDoc{d, false}) }

// htmlDoc is a Doc as the templates see it.
type htmlDoc struct {
	*Doc
	Fragment bool
}

var funcs = template.FuncMap{
	"num": func(prefix string, i int) string {
		if prefix == "" {
			return strconv.Itoa(i + 1)
		}
		return prefix + "." + strconv.Itoa(i+1)
	},
	// level is the heading level of section number num: 1 → h2, 1.2 → h3.
	"level": func(num string) int {
		n := 2
		for _, c := range num {
			if c == '.' {
				n++
			}
		}
		return min(n, 6)
	},
	"sub": func(s *Section, num string) map[string]any { return map[string]any{"S": s, "Num": num} },
	"kind": func(b Block) string {
		switch b.(type) {
		case Para:
			return "p"
		case List:
			return "list"
		case Table:
			return "table"
		case Facts:
			return "facts"
		}
		return ""
	},
	"hN": func(n int, id, text string) template.HTML {
		h := "h" + strconv.Itoa(n)
		return template.HTML("<" + h + ` id="` + template.HTMLEscapeString(id) + `">` + template.HTMLEscapeString(text) + "</" + h + ">")
	},
	"effective": func(d htmlDoc) string {
		if d.EffectiveText == "" {
			return ""
		}
		if d.Lang == "en" {
			return "Effective " + d.EffectiveText
		}
		return d.EffectiveText + " 施行"
	},
	"toc": func(d htmlDoc) string {
		if d.Lang == "en" {
			return "Contents"
		}
		return "目次"
	},
}

const sectionTmpl = `{{define "section"}}{{$s := .S}}{{$num := .Num}}<section class="notice-section" aria-labelledby="{{$s.ID}}">
{{hN (level $num) $s.ID (printf "%s. %s" $num $s.Heading)}}
{{range $s.Blocks}}{{$k := kind .}}{{if eq $k "p"}}<p>{{.Text}}</p>
{{else if eq $k "list"}}{{if .Ordered}}<ol>{{else}}<ul>{{end}}{{range .Items}}<li>{{.}}</li>{{end}}{{if .Ordered}}</ol>{{else}}</ul>{{end}}
{{else if eq $k "facts"}}<dl class="facts">{{range .Rows}}<dt>{{.Term}}</dt><dd>{{.Text}}</dd>{{end}}</dl>
{{else if eq $k "table"}}<table class="list">{{with .Caption}}<caption>{{.}}</caption>{{end}}<thead><tr>{{range .Header}}<th scope="col">{{.}}</th>{{end}}</tr></thead><tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>{{end}}</tbody></table>
{{end}}{{end}}{{range $i, $x := $s.Subs}}{{template "section" (sub $x (num $num $i))}}{{end}}</section>
{{end}}`

const bodyTmpl = `{{define "body"}}<article class="notice" lang="{{.Lang}}">
<header>{{if not .Fragment}}<h1 id="notice-title">{{.Title}}</h1>{{end}}{{with .Org}}<p class="org">{{.}}</p>{{end}}{{with effective .}}<p class="effective" id="notice-effective">{{.}}</p>{{end}}</header>
<nav class="toc" aria-label="{{toc .}}"><h2>{{toc .}}</h2><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Heading}}</a></li>{{end}}</ol></nav>
{{range $i, $s := .Sections}}{{template "section" (sub $s (num "" $i))}}{{end}}</article>
{{end}}`

var fragmentTmpl = template.Must(template.Must(template.New("fragment").Funcs(funcs).Parse(sectionTmpl + bodyTmpl)).Parse(`{{template "body" .}}`))

var pageTmpl = template.Must(template.Must(template.New("page").Funcs(funcs).Parse(sectionTmpl + bodyTmpl)).Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}{{with .Org}} — {{.}}{{end}}</title>
<style>
body{font-family:"Hiragino Sans","Noto Sans JP","IPAexGothic",sans-serif;line-height:1.8;max-width:46em;margin:2em auto;padding:0 1em;color:#1a1a1a}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.1em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}
@media print{body{max-width:none;margin:0;font-size:10.5pt}nav.toc{display:none}a{color:inherit;text-decoration:none}h2{break-after:avoid}table,dl{break-inside:avoid}}
</style></head>
<body>
{{template "body" .}}
</body></html>
`))
