package web

import (
	"net/http"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// 匿名加工情報の公表 on the portal (APPI Art. 43(3), 則36): for each
// dataset of anonymised information created, its title, the day it was
// created and the categories of information about individuals it holds
// (匿名加工情報に含まれる個人に関する情報の項目) with how each was
// processed; for each provision to a third party, the day and the method
// of provision, published before it (Art. 43(4), 則36(2)), never the
// recipient; each change of pseudonymised information's use purpose (Art.
// 41(4)); and the undertaking not to re-identify (Art. 43(5), 45).
// Public: what datasets.Publications and datasets.PublishedProvisions give,
// never a table, a method or a recipient.

func (s *Server) datasetPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /anonymized", s.portalAnonymized)
}

// publishedItem is an item category as published.
type publishedItem struct{ Name, Process string }

// publishedProvision is a provision as the portal shows it: when and how,
// not to whom.
type publishedProvision struct{ ProvidedOn, Method string }

// publishedChange is a change of pseudonymised information's use purpose
// as the portal shows it (Art. 41(4)).
type publishedChange struct{ On, Category, From, To string }

// publishedDataset is a dataset as the portal shows it.
type publishedDataset struct {
	ID, Title, Created string
	Items              []publishedItem
	Provisions         []publishedProvision
}

func (s *Server) portalAnonymized(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "anonymized.title")
	var out []publishedDataset
	var changes []publishedChange
	if s.Datasets != nil {
		list, pcs, err := s.Datasets.Publications(r.Context())
		var provs []*hogo.DatasetProvision
		if err == nil {
			provs, err = s.Datasets.PublishedProvisions(r.Context())
		}
		if err != nil {
			s.Logger.Error("published datasets failed", "err", errorKind(err))
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
			return
		}
		byDataset := map[string][]publishedProvision{}
		for _, pv := range provs {
			byDataset[pv.DatasetID] = append(byDataset[pv.DatasetID], publishedProvision{ProvidedOn: effectiveText(pv.ProvidedOn, p.Lang), Method: pv.Method})
		}
		for _, d := range list {
			pd := publishedDataset{ID: d.ID, Title: d.Title, Created: effectiveText(d.CreatedAt.In(hogo.Tokyo).Format("2006-01-02"), p.Lang),
				Provisions: byDataset[d.ID]}
			for _, it := range d.Items {
				pi := publishedItem{Name: it.NameJa, Process: it.ProcessJa}
				if p.Lang == "en" {
					pi = publishedItem{Name: it.NameEn, Process: it.ProcessEn}
				}
				pd.Items = append(pd.Items, pi)
			}
			out = append(out, pd)
		}
		var l *ledger.Ledger
		if st := s.Ledger(); st != nil {
			l = st.Ledger
		}
		for _, c := range pcs {
			pc := publishedChange{On: effectiveText(c.At.In(hogo.Tokyo).Format("2006-01-02"), p.Lang), Category: c.Category, From: c.From.Ja, To: c.To.Ja}
			if p.Lang == "en" {
				pc.From, pc.To = c.From.En, c.To.En
			}
			if l != nil {
				if cat := l.Category(c.Category); cat != nil {
					pc.Category = cat.Name.In(p.Lang)
				}
			}
			changes = append(changes, pc)
		}
	}
	p.Data = map[string]any{"Datasets": out, "PurposeChanges": changes}
	s.render(w, r, http.StatusOK, "anonymized", p)
}
