package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/tabular"
	"hogo.example.jp/hogo/vault"
)

// MaxExportRows bounds an export over HTTP; larger ones go through
// "hogo export", which streams to a file.
const MaxExportRows = 200000

// exportPrincipals writes the records of a category that the caller's role
// may read for a purpose, as CSV (UTF-8 with BOM, or Shift_JIS) or xlsx,
// with every exported principal audited. The file is built in memory first,
// so that a failure part-way never sends half a file.
func (s *Server) exportPrincipals(w http.ResponseWriter, r *http.Request, a hogo.Actor, category, purpose, format, encoding string) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	lang := requestLang(r)
	switch format {
	case "", "xlsx":
		format = tabular.FormatXLSX
	case "csv":
	default:
		return hogo.NewError(hogo.EINVALID, "format", "形式 %q は使えません。xlsx か csv を指定してください。", "format %q is not known; use xlsx or csv", format)
	}
	switch encoding {
	case "", "utf-8":
		encoding = tabular.EncodingUTF8
	case "sjis", "shift_jis":
		encoding = tabular.EncodingShiftJIS
	default:
		return hogo.NewError(hogo.EINVALID, "encoding", "文字コード %q は使えません。utf-8 か shift_jis を指定してください。", "encoding %q is not known; use utf-8 or shift_jis", encoding)
	}
	u := vault.Use{Purpose: purpose}
	c, cols, err := s.Vault.ExportColumns(r.Context(), a, category, u)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw, err := tabular.NewWriter(&buf, format, encoding, c.ID)
	if err != nil {
		return err
	}
	if err := tw.WriteRow(vault.ExportHeader(c, cols, lang)); err != nil {
		return err
	}
	if _, err := s.Vault.Export(r.Context(), a, c.ID, u, MaxExportRows, tw.WriteRow); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == tabular.FormatCSV {
		ctype = "text/csv; charset=utf-8"
		if encoding == tabular.EncodingShiftJIS {
			ctype = "text/csv; charset=Shift_JIS"
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.%s"`, c.ID, purpose, s.Now().In(hogo.Tokyo).Format("20060102"), format))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
	return nil
}

func (s *Server) apiExportPrincipals(w http.ResponseWriter, r *http.Request, c *who) error {
	q := r.URL.Query()
	return s.exportPrincipals(w, r, c.Actor, q.Get("category"), q.Get("purpose"), q.Get("format"), q.Get("encoding"))
}

func (s *Server) consoleExport(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	err := s.exportPrincipals(w, r, c.Actor, r.PostFormValue("category"), r.PostFormValue("purpose"), r.PostFormValue("format"), r.PostFormValue("encoding"))
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.principalsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
	}
}
