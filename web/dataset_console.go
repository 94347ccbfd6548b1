package web

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/access"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/ledger"
)

// 匿名加工情報 in the console (APPI Art. 43; 則34–36): the records of the
// anonymised information created, for the protection manager and the
// auditor; the manager's form, which previews the risk before and after
// (nothing stored) and creates and publishes; each record with its items,
// the five steps of 則34 and the risk; the table and the processing-method
// information (加工方法等情報) for the manager alone; the provisions to third
// parties with their cover letters and the manager's form to record one
// (Art. 43(4)); pseudonymised information (仮名加工情報, Art. 41) made from
// a second form, for a use purpose the ledger publishes, with its removed
// information (削除情報等) for the manager and never provided.

func (s *Server) datasetConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/datasets", s.console(s.datasetsPage, "datasets.title", datasetReader))
	mux.HandleFunc("POST /console/datasets", s.console(s.datasetsSubmit, "datasets.title", datasetCreator))
	mux.HandleFunc("GET /console/datasets/{id}", s.console(s.datasetPage, "datasets.one", datasetReader))
	mux.HandleFunc("GET /console/datasets/{id}/data", s.console(s.datasetDownload, "datasets.one", datasetCreator))
	mux.HandleFunc("GET /console/datasets/{id}/method", s.console(s.datasetMethodPage, "datasets.method.title", datasetCreator))
	mux.HandleFunc("POST /console/datasets/pseudonymized", s.console(s.pseudoSubmit, "datasets.title", datasetCreator))
	mux.HandleFunc("POST /console/datasets/{id}/provisions", s.console(s.datasetProvideSubmit, "datasets.one", datasetCreator))
	mux.HandleFunc("POST /console/datasets/{id}/purpose", s.console(s.datasetPurposeSubmit, "datasets.one", datasetCreator))
	mux.HandleFunc("GET /console/datasets/{id}/provisions/{pid}/letter", s.console(s.datasetLetterDownload, "datasets.one", datasetCreator))
	mux.HandleFunc("GET /console/statistics", s.console(s.statisticsPage, "statistics.title", datasetCreator))
	mux.HandleFunc("POST /console/statistics", s.console(s.statisticsSubmit, "statistics.title", datasetCreator))
}

// datasetFormFields are the form's fields kept when it is shown again
// after a preview or an error.
var datasetFormFields = []string{"title", "category", "purpose", "k", "l", "l_entropy", "t", "suppress_pct"}

// datasetChoice is a purpose or an item the form offers (an item with its
// type in the ledger).
type datasetChoice struct{ ID, Name, Type string }

// datasetRemoved is an item the form does not offer, with the reason.
type datasetRemoved struct{ Name, Reason string }

// datasetCategoryForm is a category the form offers: the purposes the
// role may read it for, the items that may be kept (generalised) and
// those that are left out of anonymised information.
type datasetCategoryForm struct {
	ID, Name string
	Purposes []datasetChoice
	Items    []datasetChoice
	Removed  []datasetRemoved
}

// datasetCategories are the categories the role may read for one of their
// purposes, with the items eligible lets be kept: datasets.Eligible for
// anonymised information and statistics, datasets.PseudoEligible for
// pseudonymised information.
func datasetCategories(l *ledger.Ledger, role hogo.Role, lang string, eligible func(*ledger.Item) error) []datasetCategoryForm {
	var out []datasetCategoryForm
	for _, cat := range l.Categories {
		cf := datasetCategoryForm{ID: cat.ID, Name: cat.Name.In(lang)}
		for _, ref := range cat.Purposes {
			pp := l.Purpose(ref.ID)
			// The My Number Act's purposes are not offered: what was
			// collected for them is used for nothing else (番号法 Art. 9, 19).
			if pp == nil || pp.MyNumber != "" {
				continue
			}
			// As the vault's export decides: a purpose that needs consent
			// is offered, and each principal without one is left out.
			sub := access.Subject{}
			if pp.ConsentRequired {
				sub.Consented = map[string]bool{pp.ID: true}
			}
			if d := access.Decide(l, access.Request{Role: role, Category: cat.ID, Purpose: pp.ID, Op: access.Read}, sub); !d.Allowed {
				continue
			}
			name := pp.Name.In(lang)
			if pp.Name.Empty() {
				name = pp.ID
			}
			cf.Purposes = append(cf.Purposes, datasetChoice{ID: pp.ID, Name: name})
		}
		for _, it := range cat.Items {
			if err := eligible(it); err != nil {
				cf.Removed = append(cf.Removed, datasetRemoved{Name: it.Name.In(lang), Reason: hogo.ErrorMessageIn(err, lang)})
				continue
			}
			cf.Items = append(cf.Items, datasetChoice{ID: it.ID, Name: it.Name.In(lang), Type: string(it.Type)})
		}
		if len(cf.Purposes) > 0 && len(cf.Items) > 0 {
			out = append(out, cf)
		}
	}
	return out
}

// datasetNames are a dataset's category and purpose in words, from the
// ledger in force (their IDs when it no longer has them).
func (s *Server) datasetNames(category, purpose, lang string) (string, string) {
	cn, pn := category, purpose
	if st := s.Ledger(); st != nil {
		if c := st.Ledger.Category(category); c != nil {
			cn = c.Name.In(lang)
		}
		if pp := st.Ledger.Purpose(purpose); pp != nil && !pp.Name.Empty() {
			pn = pp.Name.In(lang)
		}
	}
	return cn, pn
}

// datasetRow is a line of the records' list.
type datasetRow struct {
	ID, Kind, Title, Created, Category, Purpose, Items, Actor string
	Rows, Suppressed                                          int
}

// datasetKind is a dataset's kind in words: 匿名加工情報 or 仮名加工情報.
func datasetKind(kind, lang string) string {
	key := "datasets.kind." + kind
	if messages[key][0] == "" {
		return kind
	}
	return T(lang, key)
}

// pseudoUsePurposes are the ledger's purposes of pseudonymised information
// (Art. 41(4)), by their index, in the page's language.
func pseudoUsePurposes(l *ledger.Ledger, lang string) []datasetChoice {
	if l == nil || l.Pseudonymized == nil {
		return nil
	}
	var out []datasetChoice
	for i, t := range l.Pseudonymized.Purposes {
		out = append(out, datasetChoice{ID: strconv.Itoa(i), Name: t.In(lang)})
	}
	return out
}

// datasetItemView is an item of a dataset: how it was processed and, for
// a quasi-identifier, the level of generalisation chosen.
type datasetItemView struct {
	Name, Process, Level string
}

// datasetStepView is a step of 則34 as taken.
type datasetStepView struct {
	Rule int
	Text string
}

// datasetRisk is a measure of the re-identification risk, before and
// after.
type datasetRisk struct {
	Label, Before, After string
}

// datasetReportView is what the preview and a record's page show of an
// anonymisation.
type datasetReportView struct {
	Rows, RowsOut, Suppressed int
	SuppressLimit, Models     string
	Loss                      string
	Risks                     []datasetRisk
	Items                     []datasetItemView
	Steps                     []datasetStepView
	HasReport                 bool
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

func datasetReport(rep *datasets.Report, items []hogo.DatasetItem, steps []hogo.DatasetStep, lang string) datasetReportView {
	v := datasetReportView{}
	for _, it := range items {
		iv := datasetItemView{Name: it.NameJa, Process: it.ProcessJa, Level: "—"}
		if lang == "en" {
			iv.Name, iv.Process = it.NameEn, it.ProcessEn
		}
		if rep != nil {
			if lv, ok := rep.Generalization[it.ID]; ok {
				iv.Level = strconv.Itoa(lv) + "/" + strconv.Itoa(rep.Heights[it.ID])
			}
		}
		v.Items = append(v.Items, iv)
	}
	for _, st := range steps {
		text := st.Ja
		if lang == "en" {
			text = st.En
		}
		v.Steps = append(v.Steps, datasetStepView{Rule: st.Rule, Text: text})
	}
	if rep == nil {
		return v
	}
	v.HasReport = true
	v.Rows, v.RowsOut, v.Suppressed = rep.Rows, rep.RowsOut, rep.Suppressed
	v.SuppressLimit = strconv.FormatFloat(rep.SuppressPct, 'g', -1, 64) + "%"
	models := []string{"k=" + strconv.Itoa(rep.K)}
	if rep.L > 0 {
		model := "datasets.lmodel." + rep.LModel
		models = append(models, "l="+strconv.FormatFloat(rep.L, 'g', -1, 64)+" ("+T(lang, model)+")")
	}
	if rep.T > 0 {
		models = append(models, "t="+strconv.FormatFloat(rep.T, 'g', -1, 64))
	}
	v.Models = strings.Join(models, ", ")
	v.Loss = pct(rep.Utility.Loss)
	b, a := rep.RiskBefore, rep.RiskAfter
	v.Risks = []datasetRisk{
		{T(lang, "datasets.risk.highest"), pct(b.Highest), pct(a.Highest)},
		{T(lang, "datasets.risk.average"), pct(b.Average), pct(a.Average)},
		{T(lang, "datasets.risk.unique"), pct(b.Unique), pct(a.Unique)},
		{T(lang, "datasets.risk.smallest"), strconv.Itoa(b.SmallestSize), strconv.Itoa(a.SmallestSize)},
	}
	return v
}

func (s *Server) datasetsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{"k": "5", "suppress_pct": "5"}
	}
	if _, ok := data["Checked"]; !ok {
		data["Checked"] = map[string]bool{}
	}
	if _, ok := data["PForm"]; !ok {
		data["PForm"] = map[string]string{}
	}
	if _, ok := data["PChecked"]; !ok {
		data["PChecked"] = map[string]bool{}
	}
	canCreate := datasetCreator(c.Actor.Role)
	data["CanCreate"] = canCreate
	if st := s.Ledger(); st != nil && canCreate {
		data["Categories"] = datasetCategories(st.Ledger, c.Actor.Role, p.Lang, datasets.Eligible)
		// Pseudonymised information is made only for a purpose the
		// ledger publishes for it (Art. 41(4)): no purpose, no form.
		if uses := pseudoUsePurposes(st.Ledger, p.Lang); len(uses) > 0 {
			data["UsePurposes"] = uses
			data["PseudoCategories"] = datasetCategories(st.Ledger, c.Actor.Role, p.Lang, datasets.PseudoEligible)
		}
	}
	status := http.StatusOK
	if err := s.datasetsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if list, err := s.Datasets.List(r.Context(), c.Actor); err != nil {
		if p.Error == "" {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		}
	} else {
		rows := make([]datasetRow, 0, len(list))
		sep := "、"
		if p.Lang == "en" {
			sep = ", "
		}
		for _, d := range list {
			cn, pn := s.datasetNames(d.Category, d.Purpose, p.Lang)
			var names []string
			for _, it := range d.Items {
				if p.Lang == "en" {
					names = append(names, it.NameEn)
				} else {
					names = append(names, it.NameJa)
				}
			}
			rows = append(rows, datasetRow{ID: d.ID, Kind: datasetKind(d.Kind, p.Lang), Title: d.Title, Created: retentionWhen(d.CreatedAt, p.Lang), Category: cn, Purpose: pn,
				Items: strings.Join(names, sep), Actor: d.Actor, Rows: d.Rows, Suppressed: d.Suppressed})
		}
		data["Datasets"] = rows
	}
	p.Data = data
	s.render(w, r, status, "datasets", p)
}

// datasetFormSpec reads the form into a spec; the items are those ticked
// for the category chosen.
func datasetFormSpec(r *http.Request) (datasets.Spec, error) {
	f := r.PostFormValue
	cat := f("category")
	sp := datasets.Spec{Title: f("title"), Category: cat, Purpose: f("purpose"), QI: r.PostForm["qi_"+cat],
		Sensitive: r.PostForm["sensitive_"+cat], LEntropy: f("l_entropy") != ""}
	k := strings.TrimSpace(f("k"))
	n, err := strconv.Atoi(k)
	if err != nil {
		return sp, hogo.NewError(hogo.EINVALID, "k", "k は2以上の整数で入力してください。", "k is a whole number, 2 or more")
	}
	sp.K = n
	num := func(name string, to *float64, ja, en string) error {
		v := strings.TrimSpace(f(name))
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return hogo.NewError(hogo.EINVALID, name, "%[1]s", "%[2]s", ja, en)
		}
		*to = x
		return nil
	}
	if err := num("l", &sp.L, "l は数字で入力してください（使わないときは空欄）。", "l is a number (blank: not used)"); err != nil {
		return sp, err
	}
	if err := num("t", &sp.T, "t は0から1の数字で入力してください（使わないときは空欄）。", "t is a number from 0 to 1 (blank: not used)"); err != nil {
		return sp, err
	}
	if err := num("suppress_pct", &sp.SuppressPct, "抑制の上限は0〜50の数字（%）で入力してください。", "the suppression limit is a number from 0 to 50 (%)"); err != nil {
		return sp, err
	}
	return sp, nil
}

// datasetsSubmit previews (the default: nothing is stored) or creates
// from the form. A preview and a refusal show the form again as it was
// filled in; a creation goes to the new record.
func (s *Server) datasetsSubmit(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := r.PostFormValue
	form := map[string]string{}
	for _, k := range datasetFormFields {
		form[k] = f(k)
	}
	checked := map[string]bool{}
	cat := f("category")
	for _, it := range r.PostForm["qi_"+cat] {
		checked["qi/"+cat+"/"+it] = true
	}
	for _, it := range r.PostForm["sensitive_"+cat] {
		checked["sensitive/"+cat+"/"+it] = true
	}
	data := map[string]any{"Form": form, "Checked": checked}
	sp, err := datasetFormSpec(r)
	if err == nil {
		err = s.datasetsReady()
	}
	if err == nil {
		if f("action") == "create" {
			var d *hogo.Dataset
			if d, _, err = s.Datasets.Create(r.Context(), c.Actor, sp); err == nil {
				http.Redirect(w, r, "/console/datasets/"+d.ID+"?done=created", http.StatusSeeOther)
				return
			}
		} else {
			var run *datasets.Run
			if run, err = s.Datasets.Preview(r.Context(), c.Actor, sp); err == nil {
				data["Preview"] = datasetReport(&run.Report, run.Items, run.Steps, p.Lang)
			}
		}
	}
	p.Data = data
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.datasetsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	s.datasetsPage(w, r, c, p)
}

// datasetPage shows one record: what it was made of, the items published
// and how each was processed, the steps of 則34 (則31 for pseudonymised
// information), the risk before and after; the provisions to third
// parties with their cover letters and, for the manager, the form to
// record one; the table and the method for the manager.
func (s *Server) datasetPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	s.showDataset(w, r, c, p, http.StatusOK, nil)
}

// datasetProvisionRow is a provision as the record's page lists it.
type datasetProvisionRow struct {
	ID, ProvidedOn, Recipient, Address, Method, Created, Actor string
}

// showDataset renders a record's page with status; form is the provision
// form as it was filled in when it was refused (p.Error says why).
func (s *Server) showDataset(w http.ResponseWriter, r *http.Request, c *who, p *page, status int, form map[string]string) {
	fatal := ""
	var d *hogo.Dataset
	if err := s.datasetsReady(); err != nil {
		fatal, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if d, err = s.Datasets.Get(r.Context(), c.Actor, r.PathValue("id")); err != nil {
		fatal, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
	}
	if fatal != "" {
		p.Error = fatal
		s.render(w, r, status, "error", p)
		return
	}
	pseudo := d.Kind == hogo.DatasetPseudonymized
	var rep *datasets.Report
	usePurpose := ""
	var changes []map[string]string
	if len(d.Report) > 0 {
		if pseudo {
			// The pseudonymised information's report: its rows and its
			// use purpose, in both languages.
			var x datasets.PseudoReport
			if err := json.Unmarshal(d.Report, &x); err == nil {
				in := func(w datasets.Words) string {
					if p.Lang == "en" && w.En != "" {
						return w.En
					}
					return w.Ja
				}
				usePurpose = in(x.UsePurpose)
				for _, ch := range x.Changes {
					changes = append(changes, map[string]string{"When": retentionWhen(ch.At, p.Lang), "Actor": ch.Actor, "From": in(ch.From), "To": in(ch.To)})
				}
			} else {
				s.Logger.Error("dataset report unreadable", "err", errorKind(err))
			}
		} else {
			var x datasets.Report
			if err := json.Unmarshal(d.Report, &x); err == nil {
				rep = &x
			} else {
				s.Logger.Error("dataset report unreadable", "err", errorKind(err))
			}
		}
	}
	cn, pn := s.datasetNames(d.Category, d.Purpose, p.Lang)
	p.Title = d.Title
	canCreate := datasetCreator(c.Actor.Role)
	data := map[string]any{"ID": d.ID, "Kind": datasetKind(d.Kind, p.Lang), "Pseudo": pseudo, "UsePurpose": usePurpose,
		"Title": d.Title, "Category": cn, "Purpose": pn, "Created": retentionWhen(d.CreatedAt, p.Lang),
		"Published": retentionWhen(d.PublishedAt, p.Lang), "Actor": d.Actor, "Rows": d.Rows, "Suppressed": d.Suppressed,
		"Report": datasetReport(rep, d.Items, d.Steps, p.Lang), "CanCreate": canCreate, "PurposeChanges": changes}
	if pseudo && canCreate {
		if st := s.Ledger(); st != nil {
			data["UsePurposes"] = pseudoUsePurposes(st.Ledger, p.Lang)
		}
	}
	if !pseudo {
		// The provisions to third parties (Art. 43(4)).
		list, err := s.Datasets.Provisions(r.Context(), c.Actor, d.ID)
		if err != nil && p.Error == "" {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		}
		rows := make([]datasetProvisionRow, 0, len(list))
		for _, pv := range list {
			rows = append(rows, datasetProvisionRow{ID: pv.ID, ProvidedOn: retentionDay(pv.ProvidedOn, p.Lang), Recipient: pv.Recipient,
				Address: pv.RecipientAddress, Method: pv.Method, Created: retentionWhen(pv.CreatedAt, p.Lang), Actor: pv.Actor})
		}
		data["Provisions"] = rows
		if form == nil {
			form = map[string]string{}
		}
		if form["provided_on"] == "" {
			form["provided_on"] = calendar.DateOf(s.datasetsNow()).String()
		}
		data["Form"] = form
	}
	p.Data = data
	// Only known message keys: the page never echoes a query string.
	if key := "datasets.done." + r.URL.Query().Get("done"); p.Error == "" && messages[key][0] != "" {
		p.Flash = T(p.Lang, key)
	}
	s.render(w, r, status, "dataset", p)
}

// datasetsNow is the datasets' clock: the day the provision form offers.
func (s *Server) datasetsNow() time.Time {
	if s.Datasets != nil && s.Datasets.Now != nil {
		return s.Datasets.Now()
	}
	return s.Now()
}

// datasetProvideSubmit records a provision from the record's page; a
// refusal shows the page again with the form as it was filled in.
func (s *Server) datasetProvideSubmit(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := r.PostFormValue
	form := map[string]string{"recipient": f("recipient"), "recipient_address": f("recipient_address"), "method": f("method"),
		"provided_on": strings.TrimSpace(f("provided_on"))}
	err := s.datasetsReady()
	if err == nil {
		var pv *hogo.DatasetProvision
		in := datasets.ProvisionInput{Recipient: form["recipient"], RecipientAddress: form["recipient_address"], Method: form["method"],
			ProvidedOn: form["provided_on"]}
		if pv, _, err = s.Datasets.Provide(r.Context(), c.Actor, r.PathValue("id"), in); err == nil {
			http.Redirect(w, r, "/console/datasets/"+pv.DatasetID+"?done=provided#dataset-provisions", http.StatusSeeOther)
			return
		}
	}
	p.Error = hogo.ErrorMessageIn(err, p.Lang)
	s.showDataset(w, r, c, p, httpStatus(hogo.ErrorCode(err)), form)
}

// datasetPurposeSubmit changes the use purpose of pseudonymised
// information from its page.
func (s *Server) datasetPurposeSubmit(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	err := s.datasetsReady()
	if err == nil {
		var use int
		if use, err = strconv.Atoi(strings.TrimSpace(r.PostFormValue("use_purpose"))); err != nil {
			err = errNoUsePurpose()
		} else if _, err = s.Datasets.ChangeUsePurpose(r.Context(), c.Actor, r.PathValue("id"), use); err == nil {
			http.Redirect(w, r, "/console/datasets/"+r.PathValue("id")+"?done=purpose#dataset-purpose-changes", http.StatusSeeOther)
			return
		}
	}
	p.Error = hogo.ErrorMessageIn(err, p.Lang)
	s.showDataset(w, r, c, p, httpStatus(hogo.ErrorCode(err)), nil)
}

// datasetLetterDownload sends a provision's cover letter (PDF) again.
func (s *Server) datasetLetterDownload(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	err := s.datasetsReady()
	if err == nil {
		err = s.writeDatasetLetter(w, r, c)
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
	}
}

// pseudoSubmit makes pseudonymised information from the second form of
// the records' page; a refusal shows the page again with that form as it
// was filled in.
func (s *Server) pseudoSubmit(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := r.PostFormValue
	cat := f("category")
	form := map[string]string{"title": f("title"), "category": cat, "purpose": f("purpose"), "use_purpose": f("use_purpose")}
	checked := map[string]bool{}
	items := r.PostForm["items_"+cat]
	for _, it := range items {
		checked[cat+"/"+it] = true
	}
	data := map[string]any{"PForm": form, "PChecked": checked, "POpen": true}
	err := s.datasetsReady()
	if err == nil {
		var use int
		if use, err = strconv.Atoi(strings.TrimSpace(f("use_purpose"))); err != nil {
			err = errNoUsePurpose()
		} else {
			var d *hogo.Dataset
			sp := datasets.PseudoSpec{Title: f("title"), Category: cat, Purpose: f("purpose"), Items: items, UsePurpose: use}
			if d, err = s.Datasets.CreatePseudonymized(r.Context(), c.Actor, sp); err == nil {
				http.Redirect(w, r, "/console/datasets/"+d.ID+"?done=pseudonymized", http.StatusSeeOther)
				return
			}
		}
	}
	p.Data = data
	p.Error = hogo.ErrorMessageIn(err, p.Lang)
	s.datasetsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
}

// datasetDownload sends the anonymised table (CSV) to the manager,
// audited by the service.
func (s *Server) datasetDownload(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	err := s.datasetsReady()
	if err == nil {
		err = s.writeDatasetCSV(w, r, c)
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
	}
}

// datasetMethodPage shows the processing-method information (加工方法等
// 情報) of anonymised information, or the removed information (削除情報等)
// of pseudonymised information, opened for the manager alone and audited
// by the service.
func (s *Server) datasetMethodPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	err := s.datasetsReady()
	var m json.RawMessage
	if err == nil {
		m, err = s.Datasets.Method(r.Context(), c.Actor, r.PathValue("id"))
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
		return
	}
	pseudo := false
	if d, err := s.Datasets.Get(r.Context(), c.Actor, r.PathValue("id")); err == nil {
		pseudo = d.Kind == hogo.DatasetPseudonymized
	} else {
		s.Logger.Error("dataset record unreadable", "err", errorKind(err))
	}
	if pseudo {
		p.Title = T(p.Lang, "datasets.removed_info.title")
	}
	var b bytes.Buffer
	if err := json.Indent(&b, m, "", "  "); err != nil {
		b.Reset()
		b.Write(m)
	}
	p.Data = map[string]any{"ID": r.PathValue("id"), "Method": b.String(), "Pseudo": pseudo}
	s.render(w, r, http.StatusOK, "dataset_method", p)
}
