package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/tabular"
	"hogo.example.jp/hogo/vault"
)

// MaxImportUpload bounds a file imported through the console; larger files
// go through "hogo import".
const MaxImportUpload = 32 << 20

// pendingImports holds uploaded files between their preview and the import,
// in memory only, for a short while, for the user who uploaded them.
type pendingImports struct {
	mu sync.Mutex
	m  map[string]*pendingImport
}

type pendingImport struct {
	user    int64
	name    string
	data    []byte
	spec    vault.ImportSpec
	opt     tabular.Options
	good    int
	expires time.Time
}

const pendingTTL = 15 * time.Minute

func (p *pendingImports) put(x *pendingImport) string {
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]*pendingImport{}
	}
	now := time.Now()
	for k, v := range p.m {
		if now.After(v.expires) {
			clear(v.data)
			delete(p.m, k)
		}
	}
	p.m[id] = x
	return id
}

// take removes and returns the pending import if it is the user's and live.
func (p *pendingImports) take(id string, user int64) *pendingImport {
	p.mu.Lock()
	defer p.mu.Unlock()
	x := p.m[id]
	if x == nil || x.user != user || time.Now().After(x.expires) {
		return nil
	}
	delete(p.m, id)
	return x
}

// importForm is the data of the import page.
type importForm struct {
	Categories, Sources, Purposes []purposeOption
	Category                      string
	Map                           string
	// After a preview:
	Token     string
	File      string
	Format    string
	Encoding  string
	Columns   []importColumn
	Preview   [][]string
	Good, Bad int
	Problems  []string
	Source    string
	Purpose   string
}

type importColumn struct {
	Header, Item, ItemName string
}

func (s *Server) importForm(lang string) *importForm {
	f := &importForm{}
	nf := s.newForm(lang, "", nil)
	f.Categories = nf.Categories
	if st := s.Ledger(); st != nil {
		for _, src := range st.Ledger.Sources {
			f.Sources = append(f.Sources, purposeOption{src.ID, src.Name.In(lang)})
		}
	}
	f.Purposes = s.purposeOptions(lang)
	return f
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	if p.Data == nil {
		p.Data = s.importForm(p.Lang)
	}
	if n := r.URL.Query().Get("imported"); n != "" {
		p.Flash = strings.ReplaceAll(T(p.Lang, "import.done"), "{n}", n)
	}
	s.render(w, r, http.StatusOK, "import", p)
}

func parseMapField(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if h, item, ok := strings.Cut(strings.TrimSpace(line), "="); ok && strings.TrimSpace(h) != "" {
			m[strings.TrimSpace(h)] = strings.TrimSpace(item)
		}
	}
	return m
}

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := s.importForm(p.Lang)
	p.Data = f
	fail := func(err error) {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.importPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
	}
	if err := s.vaultReady(); err != nil {
		fail(err)
		return
	}
	if r.MultipartForm == nil {
		fail(hogo.NewError(hogo.EINVALID, "file", "取り込むファイルを選んでください。", "choose a file to import"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f.Category, f.Source, f.Purpose, f.Map = r.FormValue("category"), r.FormValue("source"), r.FormValue("purpose"), r.FormValue("map")
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fail(hogo.NewError(hogo.EINVALID, "file", "取り込むファイルを選んでください。", "choose a file to import"))
		return
	}
	data, err := io.ReadAll(file)
	file.Close()
	if err != nil {
		fail(err)
		return
	}
	opt := tabular.Options{Map: parseMapField(f.Map)}
	rd, err := tabular.Open(bytes.NewReader(data), hdr.Filename, opt)
	if err != nil {
		fail(err)
		return
	}
	defer rd.Close()
	st, err := s.needLedger()
	if err != nil {
		fail(err)
		return
	}
	cat := st.Ledger.Category(f.Category)
	if cat == nil {
		fail(hogo.NewError(hogo.EINVALID, "category", "種別を選んでください。", "choose a category"))
		return
	}
	if err := rd.Bind(cat); err != nil {
		fail(err)
		return
	}
	spec := vault.ImportSpec{Category: cat.ID, Source: f.Source, Use: vault.Use{Purpose: f.Purpose}}
	for i, b := range rd.Binding() {
		col := importColumn{Header: rd.Header()[i], Item: b}
		if it := st.Ledger.Item(cat.ID, b); it != nil {
			col.ItemName = it.Name.In(p.Lang)
			spec.Items = append(spec.Items, b)
		}
		f.Columns = append(f.Columns, col)
	}
	if _, err := s.Vault.CheckImport(r.Context(), c.Actor, &spec); err != nil {
		fail(err)
		return
	}
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(err)
			return
		}
		if row.OK() {
			f.Good++
		} else {
			f.Bad++
			for _, pr := range row.Problems {
				if len(f.Problems) < 50 {
					f.Problems = append(f.Problems, pr.In(p.Lang))
				}
			}
		}
		if len(f.Preview) < 10 {
			f.Preview = append(f.Preview, row.Raw)
		}
	}
	f.File, f.Format, f.Encoding = hdr.Filename, rd.Format(), rd.Encoding()
	e := c.Actor.Entry("import.preview")
	e.Category, e.Purpose = cat.ID, f.Purpose
	e.Detail = map[string]string{"rows": strconv.Itoa(f.Good + f.Bad), "bad": strconv.Itoa(f.Bad)}
	if err := s.Audit.Append(r.Context(), e); err != nil {
		fail(err)
		return
	}
	if f.Bad == 0 && f.Good > 0 {
		f.Token = s.pending.put(&pendingImport{user: c.User.ID, name: hdr.Filename, data: data, spec: spec, opt: opt,
			good: f.Good, expires: time.Now().Add(pendingTTL)})
	} else {
		clear(data)
	}
	s.render(w, r, http.StatusOK, "import", p)
}

func (s *Server) importRun(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	x := s.pending.take(r.PostFormValue("token"), c.User.ID)
	if x == nil {
		p.Data = s.importForm(p.Lang)
		p.Error = T(p.Lang, "import.expired")
		s.importPage(&statusOverride{w, http.StatusBadRequest}, r, c, p)
		return
	}
	defer clear(x.data)
	fail := func(err error) {
		p.Data = s.importForm(p.Lang)
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.importPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
	}
	rd, err := tabular.Open(bytes.NewReader(x.data), x.name, x.opt)
	if err != nil {
		fail(err)
		return
	}
	defer rd.Close()
	st, err := s.needLedger()
	if err != nil {
		fail(err)
		return
	}
	cat := st.Ledger.Category(x.spec.Category)
	if cat == nil {
		fail(hogo.NewError(hogo.EINVALID, "category", "台帳が変わり、種別がなくなりました。", "the ledger changed and no longer has the category"))
		return
	}
	if err := rd.Bind(cat); err != nil {
		fail(err)
		return
	}
	next := tabular.ImportRows(rd, func(*tabular.Row) error {
		return hogo.NewError(hogo.EINVALID, "file", "ファイルの内容がプレビューの後に変わりました。", "the file changed after the preview")
	})
	res, err := s.Vault.Import(r.Context(), c.Actor, x.spec, next, nil)
	if err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/console/import?imported="+strconv.Itoa(res.Imported), http.StatusSeeOther)
}
