package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/ledger"
)

// 統計 in the console: statistics (統計情報) of a category for the
// protection manager — the records read for a declared purpose (each read
// audited), counted by up to three items, each generalised to a level, with
// the sum and mean of a number item; every cell counting fewer people than
// the ledger's threshold is hidden (datasets.Statistics).

// statMaxBy is how many items the form counts by.
const statMaxBy = 3

// statLevels are the levels of generalisation the form offers for an item
// type, as datasets.Statistics reads them (anonymize.ForItemType): 0 as
// held, then the type's coarser levels.
var statLevels = map[string][]string{
	string(ledger.TypeDate):       {"date.1", "date.2"},
	string(ledger.TypeAddress):    {"address.1", "address.2"},
	string(ledger.TypePostalCode): {"postal_code.1", "postal_code.2"},
}

// statLevelKey is the message key of an item type's level.
func statLevelKey(itemType string, level int) string {
	if ls := statLevels[itemType]; level > 0 && level <= len(ls) {
		return "statistics.level." + ls[level-1]
	}
	return "statistics.level.0"
}

// statLevel is a level the form offers.
type statLevel struct {
	Value int
	Label string
}

// statItem is an item the form may count by, with its levels.
type statItem struct {
	ID, Name string
	Levels   []statLevel
}

// statCategoryForm is a category the form offers: the purposes the role
// may read it for, the items to count by, the number items to sum and
// the items left out.
type statCategoryForm struct {
	ID, Name string
	Purposes []datasetChoice
	Items    []statItem
	Numbers  []datasetChoice
	Removed  []datasetRemoved
}

func statCategories(l *ledger.Ledger, role hogo.Role, lang string) []statCategoryForm {
	var out []statCategoryForm
	for _, cf := range datasetCategories(l, role, lang, datasets.Eligible) {
		sc := statCategoryForm{ID: cf.ID, Name: cf.Name, Purposes: cf.Purposes, Removed: cf.Removed}
		for _, it := range cf.Items {
			si := statItem{ID: it.ID, Name: it.Name, Levels: []statLevel{{0, T(lang, "statistics.level.0")}}}
			for i := range statLevels[it.Type] {
				si.Levels = append(si.Levels, statLevel{i + 1, T(lang, statLevelKey(it.Type, i+1))})
			}
			sc.Items = append(sc.Items, si)
			if it.Type == string(ledger.TypeNumber) {
				sc.Numbers = append(sc.Numbers, it)
			}
		}
		out = append(out, sc)
	}
	return out
}

// statRow is a cell of the result.
type statRow struct {
	Values           []string
	Hidden           bool
	Count, Sum, Mean string
}

// statView is the result as the page shows it.
type statView struct {
	Category, Purpose string
	Columns           []string
	SumName           string
	Rows              []statRow
	Total             string
	Threshold         int
	Suppressed        int
	Hidden            string
}

func statNumber(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }

// statResult puts the statistics into words: each column the item and
// its level, each hidden cell 「（N人未満のため非表示）」.
func (s *Server) statResult(st *datasets.Stats, sp datasets.StatSpec, lang string) *statView {
	v := &statView{Threshold: st.Threshold, Suppressed: st.Suppressed, Hidden: fmt.Sprintf(T(lang, "statistics.hidden"), st.Threshold)}
	v.Category, v.Purpose = s.datasetNames(sp.Category, sp.Purpose, lang)
	var cat *ledger.Category
	if ls := s.Ledger(); ls != nil {
		cat = ls.Ledger.Category(sp.Category)
	}
	name := func(id string) (string, string) {
		if cat != nil {
			for _, it := range cat.Items {
				if it.ID == id {
					return it.Name.In(lang), string(it.Type)
				}
			}
		}
		return id, ""
	}
	for _, id := range st.Columns {
		n, typ := name(id)
		if lv := sp.Levels[id]; lv > 0 {
			n += "（" + T(lang, statLevelKey(typ, lv)) + "）"
			if lang == "en" {
				n = strings.Replace(strings.Replace(n, "（", " (", 1), "）", ")", 1)
			}
		}
		v.Columns = append(v.Columns, n)
	}
	if sp.Sum != "" {
		v.SumName, _ = name(sp.Sum)
	}
	for _, c := range st.Cells {
		row := statRow{Hidden: c.Hidden}
		for _, val := range c.Values {
			if val == "" {
				val = T(lang, "statistics.blank")
			}
			row.Values = append(row.Values, val)
		}
		if !c.Hidden {
			row.Count = strconv.Itoa(c.Count)
			if sp.Sum != "" {
				row.Sum, row.Mean = statNumber(c.Sum, -1), statNumber(c.Mean, 1)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = strconv.Itoa(st.Total)
	if st.Total < st.Threshold {
		v.Total = v.Hidden
	}
	return v
}

func (s *Server) statisticsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{}
	}
	if _, ok := data["Checked"]; !ok {
		data["Checked"] = map[string]bool{}
	}
	if _, ok := data["Levels"]; !ok {
		data["Levels"] = map[string]int{}
	}
	data["MaxBy"] = statMaxBy
	status := http.StatusOK
	if st := s.Ledger(); st != nil {
		data["Categories"] = statCategories(st.Ledger, c.Actor.Role, p.Lang)
		data["Threshold"] = st.Ledger.Statistics.Threshold()
	}
	if err := s.datasetsReady(); err != nil && p.Error == "" {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	}
	p.Data = data
	s.render(w, r, status, "statistics", p)
}

// statFormSpec reads the form into a spec: the items ticked for the
// category chosen (three at most), the level chosen for each, the item to
// sum.
func statFormSpec(r *http.Request) (datasets.StatSpec, error) {
	f := r.PostFormValue
	cat := f("category")
	sp := datasets.StatSpec{Category: cat, Purpose: f("purpose"), By: r.PostForm["by_"+cat], Levels: map[string]int{},
		Sum: f("sum_" + cat)}
	if len(sp.By) > statMaxBy {
		return sp, hogo.NewError(hogo.EINVALID, "by", "集計の軸にする項目は%[1]dつまでにしてください。", "count by at most %[1]d items", statMaxBy)
	}
	for _, id := range sp.By {
		v := strings.TrimSpace(f("level_" + cat + "_" + id))
		if v == "" {
			continue
		}
		lv, err := strconv.Atoi(v)
		if err != nil || lv < 0 {
			return sp, hogo.NewError(hogo.EINVALID, "levels", "集計の区分（一般化の水準）は一覧から選んでください。", "choose each level from the list")
		}
		sp.Levels[id] = lv
	}
	return sp, nil
}

// statisticsSubmit counts from the form and shows the result with the
// form as it was filled in.
func (s *Server) statisticsSubmit(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := r.PostFormValue
	cat := f("category")
	form := map[string]string{"category": cat, "purpose": f("purpose"), "sum": f("sum_" + cat)}
	checked := map[string]bool{}
	levels := map[string]int{}
	for _, id := range r.PostForm["by_"+cat] {
		checked[cat+"/"+id] = true
	}
	sp, err := statFormSpec(r)
	for id, lv := range sp.Levels {
		levels[cat+"/"+id] = lv
	}
	data := map[string]any{"Form": form, "Checked": checked, "Levels": levels}
	if err == nil {
		err = s.datasetsReady()
	}
	if err == nil {
		var st *datasets.Stats
		if st, err = s.Datasets.Statistics(r.Context(), c.Actor, sp); err == nil {
			data["Result"] = s.statResult(st, sp, p.Lang)
		}
	}
	p.Data = data
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		s.statisticsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	s.statisticsPage(w, r, c, p)
}
