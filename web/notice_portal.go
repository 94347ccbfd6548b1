package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/notice"
)

// The published privacy notice (個人情報保護方針・個人情報の取扱いについて) on
// the portal: the notice in force, rendered from the ledger, in Japanese or
// English, to read, print or download as PDF or Markdown; the list of its
// versions (a new one whenever a ledger change alters its text, recorded
// by notice.Record when the ledger is loaded); and each version's text with
// what changed from the one before.

func (s *Server) noticePortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /notice", s.portalNotice)
	mux.HandleFunc("GET /notice.pdf", s.portalNoticePDF)
	mux.HandleFunc("GET /notice.md", s.portalNoticeMarkdown)
	mux.HandleFunc("GET /notice/versions", s.portalNoticeVersions)
	mux.HandleFunc("GET /notice/versions/{n}", s.portalNoticeVersion)
}

// noticeNoLedger answers a notice page when no ledger is loaded.
func (s *Server) noticeNoLedger(w http.ResponseWriter, r *http.Request, p *page) {
	p.Error = p.T("portal.noledger")
	s.render(w, r, http.StatusNotFound, "error", p)
}

// currentNoticeVersion is the recorded version of the ledger in force, or
// nil when none is recorded (a store that failed, a server in its tests).
func (s *Server) currentNoticeVersion(r *http.Request, st *LedgerState) *hogo.NoticeVersion {
	v, err := s.Store.NoticeVersionOfLedger(r.Context(), st.Digest)
	if err != nil {
		if hogo.ErrorCode(err) != hogo.ENOTFOUND {
			s.Logger.Error("notice version look-up failed", "err", errorKind(err))
		}
		return nil
	}
	return v
}

// effectiveText writes a version's effective date as readers expect it:
// 令和8年4月1日 (和暦) or 1 April 2026.
func effectiveText(day, lang string) string {
	d, err := calendar.ParseDate(day)
	if err != nil || d.IsZero() {
		return ""
	}
	if lang == "en" {
		return d.Time(hogo.Tokyo).Format("2 January 2006")
	}
	return calendar.FormatJapanese(d)
}

// versionLabel is 第3版 or version 3.
func versionLabel(lang string, n int64) string { return fmt.Sprintf(T(lang, "notice.version_n"), n) }

func (s *Server) portalNotice(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "notice.title")
	st := s.Ledger()
	if st == nil {
		s.noticeNoLedger(w, r, p)
		return
	}
	d, _, err := s.noticeDoc(r.Context(), st, p.Lang)
	if err != nil {
		s.Logger.Error("published datasets failed", "err", errorKind(err))
		writeError(w, r, err)
		return
	}
	var body bytes.Buffer
	if err := notice.HTMLFragment(&body, d); err != nil {
		writeError(w, r, err)
		return
	}
	// The notice's own title is the page's heading.
	p.Title = d.Title
	data := map[string]any{"Body": template.HTML(body.String()), "Doc": d}
	if v := s.currentNoticeVersion(r, st); v != nil {
		data["Version"], data["VersionLabel"] = v.Version, versionLabel(p.Lang, v.Version)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "notice", p)
}

// noticeFile names a download: privacy-notice-v3-ja.pdf, or without the
// version when none is recorded.
func (s *Server) noticeFile(r *http.Request, st *LedgerState, lang, ext string) string {
	name := "privacy-notice"
	if v := s.currentNoticeVersion(r, st); v != nil {
		name += "-v" + strconv.FormatInt(v.Version, 10)
	}
	return name + "-" + lang + "." + ext
}

// noticePublished is what has been published as it happened, for the
// notice: the anonymised information created and the changes of
// pseudonymised information's use purpose (nil when the server has no
// datasets' service).
func (s *Server) noticePublished(ctx context.Context) (*notice.Published, error) {
	if s.Datasets == nil {
		return nil, nil
	}
	list, changes, err := s.Datasets.Publications(ctx)
	if err != nil {
		return nil, err
	}
	pub := &notice.Published{}
	// Oldest first, as a record of what was published when.
	for i := len(list) - 1; i >= 0; i-- {
		d := list[i]
		pa := notice.PublishedAnonymized{Created: d.CreatedAt, Title: d.Title}
		for _, it := range d.Items {
			pa.ItemsJa, pa.ItemsEn = append(pa.ItemsJa, it.NameJa), append(pa.ItemsEn, it.NameEn)
		}
		pub.Anonymized = append(pub.Anonymized, pa)
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		pub.PurposeChanges = append(pub.PurposeChanges, notice.PublishedPurposeChange{At: c.At, FromJa: c.From.Ja, FromEn: c.From.En, ToJa: c.To.Ja, ToEn: c.To.En})
	}
	return pub, nil
}

// noticeDoc is the notice in force in lang with what has been published.
func (s *Server) noticeDoc(ctx context.Context, st *LedgerState, lang string) (*notice.Doc, *notice.Published, error) {
	pub, err := s.noticePublished(ctx)
	if err != nil {
		return nil, nil, err
	}
	return notice.BuildPublished(st.Ledger, lang, pub), pub, nil
}

// noticePDFs keeps the PDFs of the notices in force, by ledger digest,
// what has been published and language: rendering one embeds a font
// subset, and the portal is open to anyone.
var noticePDFs = struct {
	sync.Mutex
	m map[string][]byte
}{m: map[string][]byte{}}

func noticePDF(st *LedgerState, lang string, d *notice.Doc, pub *notice.Published) ([]byte, error) {
	h := sha256.New()
	if pub != nil {
		json.NewEncoder(h).Encode(pub)
	}
	key := st.Digest + " " + lang + " " + hex.EncodeToString(h.Sum(nil))
	noticePDFs.Lock()
	b, ok := noticePDFs.m[key]
	noticePDFs.Unlock()
	if ok {
		return b, nil
	}
	b, err := notice.PDF(d)
	if err != nil {
		return nil, err
	}
	noticePDFs.Lock()
	if len(noticePDFs.m) >= 8 {
		// Old notices are not asked for again.
		clear(noticePDFs.m)
	}
	noticePDFs.m[key] = b
	noticePDFs.Unlock()
	return b, nil
}

func (s *Server) portalNoticePDF(w http.ResponseWriter, r *http.Request) {
	lang := requestLang(r)
	st := s.Ledger()
	if st == nil {
		s.noticeNoLedger(w, r, s.portalPage(r, "notice.title"))
		return
	}
	d, pub, err := s.noticeDoc(r.Context(), st, lang)
	if err != nil {
		s.Logger.Error("published datasets failed", "err", errorKind(err))
		writeError(w, r, err)
		return
	}
	b, err := noticePDF(st, lang, d, pub)
	if err != nil {
		s.Logger.Error("notice PDF failed", "err", errorKind(err))
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.noticeFile(r, st, lang, "pdf")+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func (s *Server) portalNoticeMarkdown(w http.ResponseWriter, r *http.Request) {
	lang := requestLang(r)
	st := s.Ledger()
	if st == nil {
		s.noticeNoLedger(w, r, s.portalPage(r, "notice.title"))
		return
	}
	d, _, err := s.noticeDoc(r.Context(), st, lang)
	if err != nil {
		s.Logger.Error("published datasets failed", "err", errorKind(err))
		writeError(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := notice.Markdown(&b, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.noticeFile(r, st, lang, "md")+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

// noticeVersionRow is a line of the versions' list.
type noticeVersionRow struct {
	Version   int64
	Label     string
	Effective string
	Revision  string
	Published string
	Current   bool
}

func (s *Server) portalNoticeVersions(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "notice.versions.title")
	vs, err := s.Store.ListNoticeVersions(r.Context())
	if err != nil {
		s.Logger.Error("notice versions failed", "err", errorKind(err))
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	var current int64
	if st := s.Ledger(); st != nil {
		if v := s.currentNoticeVersion(r, st); v != nil {
			current = v.Version
		}
	}
	rows := make([]noticeVersionRow, 0, len(vs))
	for _, v := range vs {
		rows = append(rows, noticeVersionRow{Version: v.Version, Label: versionLabel(p.Lang, v.Version),
			Effective: effectiveText(v.Effective, p.Lang), Revision: v.Revision,
			Published: effectiveText(v.CreatedAt.In(hogo.Tokyo).Format("2006-01-02"), p.Lang), Current: v.Version == current})
	}
	p.Data = map[string]any{"Versions": rows}
	s.render(w, r, http.StatusOK, "notice_versions", p)
}

func (s *Server) portalNoticeVersion(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "notice.title")
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		p.Error = p.T("notice.version.notfound")
		s.render(w, r, http.StatusNotFound, "error", p)
		return
	}
	v, err := s.Store.GetNoticeVersion(r.Context(), n)
	if err != nil {
		p.Error = p.T("notice.version.notfound")
		if hogo.ErrorCode(err) != hogo.ENOTFOUND {
			s.Logger.Error("notice version failed", "err", errorKind(err))
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
		}
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	text := func(v *hogo.NoticeVersion) string {
		if p.Lang == "en" && v.MarkdownEn != "" {
			return v.MarkdownEn
		}
		return v.MarkdownJa
	}
	p.Title = fmt.Sprintf(p.T("notice.version.title"), versionLabel(p.Lang, v.Version))
	data := map[string]any{"Version": v.Version, "Label": versionLabel(p.Lang, v.Version), "Text": text(v),
		"Effective": effectiveText(v.Effective, p.Lang), "Revision": v.Revision}
	if n > 1 {
		prev, err := s.Store.GetNoticeVersion(r.Context(), n-1)
		if err != nil {
			s.Logger.Error("notice version failed", "err", errorKind(err))
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
			return
		}
		data["Prev"], data["PrevLabel"] = prev.Version, versionLabel(p.Lang, prev.Version)
		data["Hunks"] = notice.Hunks(notice.Diff(text(prev), text(v)), 2)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "notice_version", p)
}
